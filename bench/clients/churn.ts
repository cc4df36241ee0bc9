import { LightClient, LOCAL } from './lightClient'
import { scanMarkers } from './marker'
import { editShape } from './record'
import type { RoomTicket, Target } from './target'
import { waitUntil, withTimeout } from './fanout'

export interface ChurnCycle {
	target: Target
	rooms: RoomTicket[]
	clientsPerRoom: number
	editsPerClient: number
	editIntervalMs: number
	timeoutMs: number
}

/**
 * One churn cycle: every client of every room connects, edits a few times, waits until its
 * peers have its edits, then everyone leaves (the rooms become empty and may be unloaded).
 */
export async function churnCycle({ target, rooms, clientsPerRoom, editsPerClient, editIntervalMs, timeoutMs }: ChurnCycle) {
	const clients: { client: LightClient; index: number; received: number }[] = []
	const latencies: number[] = []
	let failures = 0
	const opening = rooms.flatMap((room) =>
		Array.from({ length: clientsPerRoom }, (_, index) => {
			const started = performance.now()
			const entry = { client: undefined as unknown as LightClient, index, received: 0 }
			entry.client = new LightClient(target, room, (bytes) =>
				scanMarkers(bytes, (client) => {
					if (client !== index) entry.received++
				}),
			)
			clients.push(entry)
			return withTimeout(entry.client.ready, timeoutMs, `churn socket to ${room.name}`).then(
				() => void latencies.push(performance.now() - started),
				() => void failures++,
			)
		}),
	)
	await Promise.all(opening)
	for (let i = 1; i <= editsPerClient; i++) {
		for (const { client, index } of clients) if (client.synced) editShape(client.doc, index, i, LOCAL)
		await new Promise((r) => setTimeout(r, editIntervalMs))
	}
	const expected = editsPerClient * (clientsPerRoom - 1)
	const delivered = () => clients.reduce((n, c) => n + Math.min(c.received, expected), 0)
	await waitUntil(() => clients.every((c) => !c.client.synced || c.received >= expected), timeoutMs).catch(() => undefined)
	const deliveries = delivered()
	for (const { client } of clients) client.close()
	return { latencies, failures, deliveries, expectedDeliveries: clients.length * expected }
}
