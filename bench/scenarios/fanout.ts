import type { FanoutResult, FanoutRun } from '../clients/fanout'
import { withWorkers, type Worker } from '../clients/pool'
import { cpuMeter, rssMiB } from '../procStats'
import { phaseMetrics } from '../servers/serverMetrics'
import type { LaunchedServer } from '../servers/launch'
import { latencySummary, round } from '../stats'
import type { BenchConfig } from '../config'
import type { Scenario, ScenarioResult } from './types'

/** Deals rooms to workers whole, so that every edit and all its arrivals are seen by one process. */
function deal<T>(items: T[], hands: number): T[][] {
	const out = Array.from({ length: hands }, () => [] as T[])
	items.forEach((item, i) => out[i % hands]?.push(item))
	return out
}

/** CPU of `pids` over the measured window of a run that starts now (the workers start their clocks on receipt). */
function windowCpu(pids: number[], run: FanoutRun): Promise<number> {
	return new Promise((resolve) =>
		setTimeout(() => {
			const cpu = cpuMeter(pids)
			setTimeout(() => resolve(cpu.stop()), run.measureMs)
		}, run.warmupMs),
	)
}

export async function phase(workers: Worker[], server: LaunchedServer, run: FanoutRun, clients: number): Promise<ScenarioResult> {
	const { pids } = server
	const serverMetrics = await Promise.all(server.metricsUrls.map(phaseMetrics))
	const cpu = cpuMeter(pids)
	const inWindow = windowCpu(pids, run)
	const results: FanoutResult[] = await Promise.all(workers.map((w) => w.call('fanout.run', run)))
	const cpuSec = cpu.stop()
	const windowCpuSec = await inWindow
	const serverStats = await Promise.all(serverMetrics.map((read) => read()))
	const deliveries = results.reduce((n, r) => n + r.deliveries, 0)
	const measuredEdits = results.reduce((n, r) => n + r.measuredEdits, 0)
	const completedEdits = results.reduce((n, r) => n + r.completedEdits, 0)
	const latencies = results.flatMap((r) => r.latencies)
	const summary = latencySummary(latencies)
	return {
		updatesPerSec: round(deliveries / (run.measureMs / 1000), 0),
		p50Ms: round(summary.p50Ms),
		p95Ms: round(summary.p95Ms),
		p99Ms: round(summary.p99Ms),
		rssMiB: round(rssMiB(pids), 1),
		cpuSec: round(cpuSec),
		cpuMsPer1kDeliveries: deliveries > 0 ? round((windowCpuSec * 1e6) / deliveries) : null,
		details: {
			mode: run.mode,
			windowCpuSec: round(windowCpuSec),
			clients,
			editsPerSec: round(measuredEdits / (run.measureMs / 1000), 0),
			measuredEdits,
			completedEdits,
			/** Edits sent in the window that never reached every peer before the drain ended. */
			incompleteEdits: measuredEdits - completedEdits,
			converged: results.every((r) => r.converged),
			/** Maillage only, per process: event-loop lag over the phase, GC and compaction time. */
			...(serverStats.length > 0 ? { server: serverStats } : {}),
		},
	}
}

export interface ClientSizes {
	rooms: number
	clientsPerRoom: number
	/** Stock providers per room (default 1; the others are light clients). */
	stockPerRoom?: number
	workers: number
}

/** Connects the fan-out clients to `server`, runs `use`, and always closes them. */
export async function withClients<T>(server: LaunchedServer, c: ClientSizes, use: (workers: Worker[], clients: number) => Promise<T>): Promise<T> {
	const rooms = await server.createRooms(c.rooms)
	return withWorkers(Math.min(c.workers, c.rooms), async (workers) => {
		const hands = deal(rooms, workers.length)
		await Promise.all(
			workers.map((w, i) =>
				w.call('fanout.setup', {
					target: server.target,
					rooms: hands[i] ?? [],
					clientsPerRoom: c.clientsPerRoom,
					...(c.stockPerRoom !== undefined ? { stockPerRoom: c.stockPerRoom } : {}),
					connectTimeoutMs: 60_000,
				}),
			),
		)
		try {
			return await use(workers, c.rooms * c.clientsPerRoom)
		} finally {
			await Promise.all(workers.map((w) => w.call('fanout.close')))
		}
	})
}

const saturatedRun = (c: BenchConfig['fanout']): FanoutRun => ({
	mode: 'saturate',
	rateHz: c.rateHz,
	window: c.window,
	warmupMs: 1000,
	measureMs: c.saturateMs,
	drainMs: c.drainMs,
})

const steadyRun = (c: BenchConfig['fanout']): FanoutRun => ({ ...saturatedRun(c), mode: 'steady', warmupMs: c.warmupMs, measureMs: c.measureMs })

/**
 * Fan-out: R rooms x C clients (one stock provider per room, the others light clients), every
 * client moving its own tldraw shape. Steady phase: a fixed edit rate, latency from an edit to
 * its arrival at every other client. Saturated phase: each client keeps `window` edits in flight
 * (the next leaves when one has reached every peer), so the delivered rate is what the server
 * sustains on this machine. This is its first round; `fanoutSaturatedRound` runs the others.
 */
export const fanout: Scenario = (server, config) =>
	withClients(server, config.fanout, async (workers, clients) => {
		const c = config.fanout
		const steady = await phase(workers, server, steadyRun(c), clients)
		const saturated = await phase(workers, server, saturatedRun(c), clients)
		return { fanout: steady, fanoutMax: saturated }
	})

/**
 * One more saturated round, on a fresh server with fresh clients, after the same steady phase as
 * the first round (run, not reported). The steady phase's length matters: after 3 s of it instead
 * of 23 s, every server's saturated throughput came out lower (the reference server's by half).
 */
export const fanoutSaturatedRound = (server: LaunchedServer, config: BenchConfig): Promise<ScenarioResult> =>
	withClients(server, config.fanout, async (workers, clients) => {
		await Promise.all(workers.map((w) => w.call('fanout.run', steadyRun(config.fanout))))
		return phase(workers, server, saturatedRun(config.fanout), clients)
	})
