// The `maillage` command: validate, convert and summarise map files without a server.
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { formatIssue, type Issue } from '../shared/issues'
import { exportMap, formatOfFileName, importMap, MAX_IMPORT_BYTES, type ExportFormat } from '../shared/formats'
import type { MaillageMap } from '../shared/model'
import type { Label } from '../shared/model/vocabulary'

export const USAGE = `Usage:
  maillage validate <file> [--lang=en|fr]           check a map; lists every problem
  maillage convert <in> <out> [--strip-persons]     convert between formats
  maillage stats <file> [--json]                    count organisations and partnerships

Formats by extension: .json .graphml .gexf .csv
Exit status: 0 done, 1 the input file is not a valid map, 2 wrong usage or unreadable file.`

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const

export interface Output {
	out(line: string): void
	err(line: string): void
}

const consoleOutput: Output = { out: (line) => console.log(line), err: (line) => console.error(line) }

class UsageError extends Error {}

interface Arguments {
	positional: string[]
	flags: Map<string, string | true>
}

function parseArguments(argv: readonly string[]): Arguments {
	const positional: string[] = []
	const flags = new Map<string, string | true>()
	for (const arg of argv) {
		const flag = /^--([a-z-]+)(?:=(.*))?$/.exec(arg)
		if (flag) flags.set(flag[1] as string, flag[2] ?? true)
		else positional.push(arg)
	}
	return { positional, flags }
}

function checkFlags(args: Arguments, allowed: string[]): void {
	for (const name of args.flags.keys()) if (!allowed.includes(name)) throw new UsageError(`unknown option --${name}`)
}

function formatOf(file: string): ExportFormat {
	const format = formatOfFileName(file)
	if (!format) throw new UsageError(`cannot tell the format of "${basename(file)}": use .json, .graphml, .gexf or .csv`)
	return format
}

/** Reads and imports a map file; throws UsageError when the file cannot be read at all. */
function readMap(file: string): { format: ExportFormat; result: ReturnType<typeof importMap> } {
	const format = formatOf(file)
	let size: number
	try {
		size = statSync(file).size
	} catch (e) {
		throw new UsageError(`cannot read "${file}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
	}
	// Refused before reading, so that a huge file is never loaded into memory.
	if (size > MAX_IMPORT_BYTES) throw new UsageError(`"${file}" is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`)
	return { format, result: importMap(readFileSync(file, 'utf8'), format) }
}

function printIssues(issues: readonly Issue[], lang: keyof Label, output: Output): void {
	for (const i of issues) output.out(formatIssue(i, lang))
}

function languageOf(args: Arguments): keyof Label {
	const lang = args.flags.get('lang') ?? 'en'
	if (lang !== 'en' && lang !== 'fr') throw new UsageError('--lang must be en or fr')
	return lang
}

// ─── Statistics ────────────────────────────────────────────────────────────────────────────────

const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
	const counts: Record<string, number> = {}
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
	return counts
}

/** What a coordinator reads first from a map: how much of the network is formal, visible, strong. */
export function mapStats(map: MaillageMap) {
	const p = map.partnerships
	return {
		organisations: { total: map.organisations.length, byKind: countBy(map.organisations, (o) => o.kind) },
		partnerships: {
			total: p.length,
			byKind: countBy(p, (x) => x.kind),
			byStrength: countBy(p, (x) => x.strength),
			formal: p.filter((x) => x.formal).length,
			informal: p.filter((x) => !x.formal).length,
			visible: p.filter((x) => x.visible).length,
			invisible: p.filter((x) => !x.visible).length,
			withConvention: p.filter((x) => x.convention !== null).length,
		},
	}
}

const listCounts = (counts: Record<string, number>) =>
	Object.entries(counts)
		.sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
		.map(([k, n]) => `${k} ${n}`)
		.join(', ') || '-'

function printStats(map: MaillageMap, output: Output): void {
	const { organisations: o, partnerships: p } = mapStats(map)
	output.out(`organisations: ${o.total}`)
	output.out(`  by kind: ${listCounts(o.byKind)}`)
	output.out(`partnerships: ${p.total}`)
	output.out(`  by kind: ${listCounts(p.byKind)}`)
	output.out(`  by strength: ${listCounts(p.byStrength)}`)
	output.out(`  formal ${p.formal}, informal ${p.informal}`)
	output.out(`  visible ${p.visible}, invisible ${p.invisible}`)
	output.out(`  with a convention: ${p.withConvention}`)
}

// ─── Commands ──────────────────────────────────────────────────────────────────────────────────

function validateCommand(args: Arguments, output: Output): number {
	checkFlags(args, ['lang'])
	const [file, extra] = args.positional
	if (!file || extra) throw new UsageError('validate takes one file')
	const lang = languageOf(args)
	const { result } = readMap(file)
	if (!result.ok) {
		printIssues(result.issues, lang, output)
		output.err(`${file}: invalid (${result.issues.length} problem${result.issues.length > 1 ? 's' : ''})`)
		return EXIT.invalid
	}
	printIssues(result.warnings, lang, output)
	output.out(`${file}: valid (${result.map.organisations.length} organisations, ${result.map.partnerships.length} partnerships)`)
	return EXIT.ok
}

function convertCommand(args: Arguments, output: Output): number {
	checkFlags(args, ['strip-persons', 'lang'])
	const [input, target, extra] = args.positional
	if (!input || !target || extra) throw new UsageError('convert takes an input and an output file')
	const lang = languageOf(args)
	const targetFormat = formatOf(target)
	const { result } = readMap(input)
	if (!result.ok) {
		printIssues(result.issues, lang, output)
		output.err(`${input}: invalid, nothing written`)
		return EXIT.invalid
	}
	printIssues(result.warnings, lang, output)
	const file = exportMap(result.map, targetFormat, { stripPersons: args.flags.has('strip-persons') })
	try {
		writeFileSync(target, file.body)
	} catch (e) {
		throw new UsageError(`cannot write "${target}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
	}
	output.out(`wrote ${target} (${targetFormat}${args.flags.has('strip-persons') ? ', without personal data' : ''})`)
	return EXIT.ok
}

function statsCommand(args: Arguments, output: Output): number {
	checkFlags(args, ['json', 'lang'])
	const [file, extra] = args.positional
	if (!file || extra) throw new UsageError('stats takes one file')
	const lang = languageOf(args)
	const { result } = readMap(file)
	if (!result.ok) {
		printIssues(result.issues, lang, output)
		return EXIT.invalid
	}
	if (args.flags.has('json')) output.out(JSON.stringify(mapStats(result.map), null, 2))
	else printStats(result.map, output)
	return EXIT.ok
}

const commands: Record<string, (args: Arguments, output: Output) => number> = {
	validate: validateCommand,
	convert: convertCommand,
	stats: statsCommand,
}

/** Runs the command line and returns the exit status; bad input and usage never throw. */
export function main(argv: readonly string[], output: Output = consoleOutput): number {
	const [name, ...rest] = argv
	if (name === undefined) {
		output.err(USAGE)
		return EXIT.usage
	}
	if (name === 'help' || name === '--help' || name === '-h') {
		output.out(USAGE)
		return EXIT.ok
	}
	const command = commands[name]
	if (!command) {
		output.err(`unknown command "${name}"\n\n${USAGE}`)
		return EXIT.usage
	}
	try {
		return command(parseArguments(rest), output)
	} catch (e) {
		if (!(e instanceof UsageError)) throw e
		output.err(`maillage ${name}: ${e.message}`)
		return EXIT.usage
	}
}
