import { withWorkers } from '../clients/pool'
import { cpuMeter, rssMiB } from '../procStats'
import { latencySummary, round, sleep } from '../stats'
import type { Scenario } from './types'

/**
 * Churn and soak: fresh rooms are opened, edited and left, cycle after cycle, for the duration.
 * Memory is read after a warm-up cycle (baseline), at every cycle (peak), and once everything
 * has been left and the server had time to unload (final); growth = final - baseline.
 */
export const churn: Scenario = async (server, config) => {
	const c = config.churn
	return withWorkers(1, async ([worker]) => {
		if (!worker) throw new Error('no worker')
		const cycle = async () =>
			worker.call('churn.cycle', {
				target: server.target,
				rooms: await server.createRooms(c.roomsPerCycle),
				clientsPerRoom: c.clientsPerRoom,
				editsPerClient: c.editsPerClient,
				editIntervalMs: 50,
				timeoutMs: 20_000,
			})
		await cycle()
		await sleep(c.settleMs)
		const baseline = await server.memory()
		let peak = baseline.rssMiB
		const latencies: number[] = []
		let deliveries = 0
		let expected = 0
		let failures = 0
		let cycles = 0
		const cpu = cpuMeter(server.pids)
		const started = performance.now()
		while (performance.now() - started < c.durationMs) {
			const result = await cycle()
			latencies.push(...result.latencies)
			deliveries += result.deliveries
			expected += result.expectedDeliveries
			failures += result.failures
			cycles++
			peak = Math.max(peak, rssMiB(server.pids))
		}
		const elapsed = performance.now() - started
		const cpuSec = cpu.stop()
		await sleep(c.settleMs)
		const final = await server.memory()
		const summary = latencySummary(latencies)
		return {
			churn: {
				updatesPerSec: round(deliveries / (elapsed / 1000), 0),
				p50Ms: round(summary.p50Ms),
				p95Ms: round(summary.p95Ms),
				p99Ms: round(summary.p99Ms),
				rssMiB: round(final.rssMiB, 1),
				cpuSec: round(cpuSec),
				cpuMsPer1kDeliveries: null,
				details: {
					cycles,
					roomsOpened: cycles * c.roomsPerCycle,
					deliveryRatio: round(expected === 0 ? 1 : deliveries / expected, 4),
					failures,
					baselineMiB: round(baseline.rssMiB, 1),
					peakMiB: round(peak, 1),
					finalMiB: round(final.rssMiB, 1),
					growthMiB: round(final.rssMiB - baseline.rssMiB, 1),
					baselineHeapMiB: round(baseline.heapMiB, 1),
					finalHeapMiB: round(final.heapMiB, 1),
					heapGrowthMiB: round(final.heapMiB - baseline.heapMiB, 1),
					note: 'memory read after a full GC; p50/p95/p99: time for a client to join a fresh room (connect + auth + sync)',
				},
			},
		}
	})
}
