// zod decides once, when its first schema is built, whether to compile parsers with
// `new Function`; the Content-Security-Policy forbids eval. This classic script runs before the
// app's modules, so zod starts jitless and never trips the policy.
globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true }
