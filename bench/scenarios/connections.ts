import { withWorkers } from '../clients/pool'
import { cpuMeter, rssMiB } from '../procStats'
import { latencySummary, round, sleep } from '../stats'
import type { Scenario } from './types'

/**
 * Idle connections: one socket per room first (each room loads and gets one shape), then the
 * other sockets; memory per loaded room and per socket are the RSS steps of the server process.
 */
export const connections: Scenario = async (server, config) => {
	const { sockets, rooms: roomCount, concurrency, settleMs, idleMs } = config.connections
	const perRoom = Math.ceil(sockets / roomCount)
	const rooms = await server.createRooms(roomCount)
	return withWorkers(1, async ([worker]) => {
		if (!worker) throw new Error('no worker')
		await sleep(settleMs)
		const base = await server.memory()
		const first = await worker.call('sockets.open', { target: server.target, rooms, perRoom: 1, concurrency, timeoutMs: 30_000 })
		await sleep(settleMs)
		const withRooms = await server.memory()
		const rest = await worker.call('sockets.open', { target: server.target, rooms, perRoom: perRoom - 1, concurrency, timeoutMs: 30_000 })
		await sleep(settleMs)
		const cpu = cpuMeter(server.pids)
		await sleep(idleMs)
		const idleCpu = cpu.stop()
		const withSockets = await server.memory()
		const alive = await worker.call('sockets.alive')
		await worker.call('sockets.close')
		const extraSockets = Math.max(1, rooms.length * (perRoom - 1))
		const latencies = [...first.latencies, ...rest.latencies]
		const summary = latencySummary(latencies)
		return {
			connections: {
				updatesPerSec: null,
				p50Ms: round(summary.p50Ms),
				p95Ms: round(summary.p95Ms),
				p99Ms: round(summary.p99Ms),
				rssMiB: round(rssMiB(server.pids), 1),
				cpuSec: round(idleCpu),
				cpuMsPer1kDeliveries: null,
				details: {
					sockets: rooms.length * perRoom,
					rooms: rooms.length,
					alive,
					failures: first.failures + rest.failures,
					baseMiB: round(base.rssMiB, 1),
					perRoomMiB: round((withRooms.rssMiB - base.rssMiB) / rooms.length, 3),
					perSocketKiB: round(((withSockets.rssMiB - withRooms.rssMiB) * 1024) / extraSockets, 1),
					perRoomHeapKiB: round(((withRooms.heapMiB - base.heapMiB) * 1024) / rooms.length, 1),
					perSocketHeapKiB: round(((withSockets.heapMiB - withRooms.heapMiB) * 1024) / extraSockets, 1),
					note: 'memory read after a full GC (RSS and heap); p50/p95/p99: handshake time (connect + auth + sync); cpuSec: server CPU while every socket is idle (idleMs)',
				},
			},
		}
	})
}
