#!/usr/bin/env node
// Runs the TypeScript command line through tsx, so `npx maillage ...` works from the repository.
import { tsImport } from 'tsx/esm/api'

const { main } = await tsImport('../cli/index.ts', import.meta.url)
process.exitCode = main(process.argv.slice(2))
