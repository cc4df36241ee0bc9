import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { ServerKind } from './clients/target'
import { configs, type BenchConfig } from './config'
import { churn } from './scenarios/churn'
import { connections } from './scenarios/connections'
import { fanout, fanoutSaturatedRound } from './scenarios/fanout'
import { footprint } from './scenarios/footprint'
import { largeMap } from './scenarios/largeMap'
import type { Scenario, ScenarioResult } from './scenarios/types'
import { launchServer, serverSetups, type LaunchedServer } from './servers/launch'
import { round } from './stats'

/**
 * `npm run bench [-- --quick] [-- --scenario fanout,churn] [-- --scaleout]`: every scenario against every
 * server, each server a fresh process per scenario, one after the other on this machine.
 */
const scenarios: Record<string, Scenario> = { footprint, fanout, connections, largeMap, churn }
const servers: ServerKind[] = ['maillage', 'reference', 'hocuspocus']
/** Scale-out mode (`--scaleout`): 1 and 2 processes on Redis + PostgreSQL, fan-out only (each run starts both services). */
const scaleOutServers: ServerKind[] = ['maillage-pg', 'maillage-2p']
const scaleOutScenarios = new Set(['fanout'])
const allServers = [...servers, ...scaleOutServers]
const runsOn = (scenario: string, kind: ServerKind) => !scaleOutServers.includes(kind) || scaleOutScenarios.has(scenario)
/** The pairs compared, `a/b`: Maillage against each other server, and the scale-out processes against one. */
const pairs: [ServerKind, ServerKind][] = [
	['maillage', 'reference'],
	['maillage', 'hocuspocus'],
	['maillage-2p', 'maillage'],
	['maillage-2p', 'maillage-pg'],
]
const labels: Record<ServerKind, string> = {
	maillage: 'maillage (auth + SQLite)',
	reference: 'reference (in memory)',
	hocuspocus: 'hocuspocus (in memory)',
	'maillage-pg': 'maillage-pg (1 process, PG + Redis)',
	'maillage-2p': 'maillage-2p (2 processes, PG + Redis)',
}
const metrics = ['updatesPerSec', 'p50Ms', 'p95Ms', 'p99Ms', 'rssMiB', 'cpuSec', 'cpuMsPer1kDeliveries'] as const
type Metric = (typeof metrics)[number]
/** Higher is better for throughput only; for the others Maillage / other < 1 means Maillage wins. */
const higherIsBetter: Record<Metric, boolean> = { updatesPerSec: true, p50Ms: false, p95Ms: false, p99Ms: false, rssMiB: false, cpuSec: false, cpuMsPer1kDeliveries: false }

export interface BenchReport {
	config: BenchConfig['name']
	startedAt: string
	durationSec: number
	machine: { cores: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadAverage: number[] }
	servers: Partial<Record<ServerKind, string>>
	/** scenario -> server -> result. */
	results: Record<string, Partial<Record<ServerKind, ScenarioResult>>>
	/** scenario -> "maillage/<other>" (and "maillage-2p/<one process>") -> metric -> ratio. */
	ratios: Record<string, Record<string, Record<Metric, number | null>>>
}

/** The round of median throughput, whole (its latencies and CPU go with it); every round's throughput in `details.rounds`. */
function medianRound(results: ScenarioResult[]): ScenarioResult {
	const sorted = [...results].sort((a, b) => (a.updatesPerSec ?? 0) - (b.updatesPerSec ?? 0))
	const median = sorted[Math.floor((sorted.length - 1) / 2)] as ScenarioResult
	return { ...median, details: { ...median.details, rounds: results.map((r) => r.updatesPerSec) } }
}

function ratios(results: Partial<Record<ServerKind, ScenarioResult>>) {
	const out: Record<string, Record<Metric, number | null>> = {}
	for (const [kind, other] of pairs) {
		const own = results[kind]
		const theirs = results[other]
		if (!own || !theirs) continue
		out[`${kind}/${other}`] = Object.fromEntries(
			metrics.map((m) => {
				const a = own[m]
				const b = theirs[m]
				return [m, a === null || b === null || b === 0 ? null : round(a / b, 2)]
			}),
		) as Record<Metric, number | null>
	}
	return out
}

function table(report: BenchReport): string {
	const cell = (value: unknown) => (value === null || value === undefined ? '—' : String(value))
	const head = ['scenario', 'server', ...metrics]
	const rows: string[][] = []
	for (const [scenario, byServer] of Object.entries(report.results))
		for (const server of allServers) {
			const result = byServer[server]
			if (result) rows.push([scenario, labels[server], ...metrics.map((m) => cell(result[m]))])
		}
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`
	return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}

/** Issue #18's footprint goals: RSS <= 1.3x Hocuspocus, CPU per delivery <= 0.9x the reference server. */
const footprintGoals = [
	{ pair: 'maillage/hocuspocus', metric: 'rssMiB', bound: 1.3 },
	{ pair: 'maillage/reference', metric: 'cpuMsPer1kDeliveries', bound: 0.9 },
] as const

function goalLines(report: BenchReport): string[] {
	const ratios = report.ratios.footprint
	if (!ratios) return []
	return footprintGoals.flatMap(({ pair, metric, bound }) => {
		const value = ratios[pair]?.[metric]
		return value === undefined || value === null ? [] : [`goal footprint ${pair} ${metric} ${value}x <= ${bound}x: ${value <= bound ? 'met' : 'not met'}`]
	})
}

function ratioLines(report: BenchReport): string[] {
	const lines: string[] = []
	for (const [scenario, pairs] of Object.entries(report.ratios))
		for (const [pair, values] of Object.entries(pairs)) {
			const parts = metrics.filter((m) => values[m] !== null).map((m) => `${m} ${values[m]}x${higherIsBetter[m] ? ' (higher is better)' : ''}`)
			if (parts.length > 0) lines.push(`${scenario} ${pair}: ${parts.join(', ')}`)
		}
	return lines
}

export async function runBench(
	config: BenchConfig,
	{ only = Object.keys(scenarios), kinds = servers, log = (line: string) => console.log(line) }: { only?: string[]; kinds?: ServerKind[]; log?: (line: string) => void } = {},
) {
	const started = performance.now()
	const report: BenchReport = {
		config: config.name,
		startedAt: new Date().toISOString(),
		durationSec: 0,
		machine: {
			cores: os.cpus().length,
			cpuModel: os.cpus()[0]?.model ?? 'unknown',
			memoryGiB: round(os.totalmem() / 1024 ** 3, 1) as number,
			node: process.version,
			platform: `${os.platform()} ${os.release()}`,
			loadAverage: os.loadavg().map((l) => round(l) as number),
		},
		servers: Object.fromEntries(kinds.map((kind) => [kind, serverSetups[kind]])),
		results: {},
		ratios: {},
	}
	for (const name of only) if (!scenarios[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`)
	const run = async (name: string, kind: ServerKind, server: LaunchedServer) => {
		if (!runsOn(name, kind)) return
		log(`… ${name} on ${kind}`)
		const results = await (scenarios[name] as Scenario)(server, config)
		for (const [key, result] of Object.entries(results)) (report.results[key] ??= {})[kind] = result
	}
	const withServer = async (kind: ServerKind, use: (server: LaunchedServer) => Promise<void>) => {
		const server = await launchServer(kind)
		try {
			await use(server)
		} finally {
			await server.stop()
		}
	}
	if (config.freshServers) {
		for (const name of only) for (const kind of kinds) if (runsOn(name, kind)) await withServer(kind, (server) => run(name, kind, server))
	} else {
		for (const kind of kinds)
			if (only.some((name) => runsOn(name, kind)))
				await withServer(kind, async (server) => {
				for (const name of only) await run(name, kind, server)
			})
	}
	if (only.includes('fanout') && config.fanout.saturatedRounds > 1) {
		const saturated = (report.results.fanoutMax ??= {})
		const rounds = new Map(kinds.filter((kind) => saturated[kind]).map((kind) => [kind, [saturated[kind] as ScenarioResult]]))
		for (let r = 2; r <= config.fanout.saturatedRounds; r++)
			for (const [kind, results] of rounds) {
				log(`… fanoutMax round ${r} on ${kind}`)
				await withServer(kind, async (server) => void results.push(await fanoutSaturatedRound(server, config)))
			}
		for (const [kind, results] of rounds) saturated[kind] = medianRound(results)
	}
	for (const [scenario, byServer] of Object.entries(report.results)) report.ratios[scenario] = ratios(byServer)
	report.durationSec = round((performance.now() - started) / 1000, 1) as number
	return report
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			quick: { type: 'boolean', default: false },
			smoke: { type: 'boolean', default: false },
			scenario: { type: 'string' },
			servers: { type: 'string' },
			scaleout: { type: 'boolean', default: false },
			out: { type: 'string' },
		},
	})
	const config = configs[values.smoke ? 'smoke' : values.quick ? 'quick' : 'full']
	const only = values.scenario?.split(',').map((s) => s.trim()).filter(Boolean)
	const named = values.servers?.split(',').map((s) => s.trim()) as ServerKind[] | undefined
	for (const kind of named ?? []) if (!allServers.includes(kind)) throw new Error(`unknown server ${kind}; known: ${allServers.join(', ')}`)
	const kinds = [...new Set([...(named ?? servers), ...(values.scaleout ? scaleOutServers : [])])]
	const report = await runBench(config, { only, kinds })
	const out = values.out ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results/latest.json')
	mkdirSync(path.dirname(out), { recursive: true })
	writeFileSync(out, JSON.stringify(report, null, '\t') + '\n')
	console.log(`\n${config.name} run, ${report.durationSec} s, ${report.machine.cores} cores, node ${report.machine.node}\n`)
	console.log(table(report))
	console.log('')
	for (const line of ratioLines(report)) console.log(line)
	for (const line of goalLines(report)) console.log(line)
	console.log('')
	for (const [kind, setup] of Object.entries(report.servers)) console.log(`${kind}: ${setup}`)
	console.log(`\nwritten to ${out}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error)
			process.exit(1)
		},
	)
}
