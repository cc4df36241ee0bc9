import { LightClient, LOCAL } from './lightClient'
import { editShape } from './record'
import type { RoomTicket, Target } from './target'
import { withTimeout } from './fanout'

/** Idle sockets: each completes the handshake (auth, sync) and then stays silent. */
export class IdleSockets {
	private readonly clients: LightClient[] = []

	/**
	 * Opens `perRoom` sockets in each room, `concurrency` handshakes at a time; the first socket of
	 * a room writes one shape, so every loaded room holds a small document. Returns the handshake
	 * times (ms) and the number of sockets that failed.
	 */
	async open(target: Target, rooms: RoomTicket[], perRoom: number, concurrency: number, timeoutMs: number) {
		const jobs = rooms.flatMap((room) => Array.from({ length: perRoom }, (_, i) => ({ room, first: i === 0 })))
		const latencies: number[] = []
		let failures = 0
		let next = 0
		const lane = async () => {
			while (next < jobs.length) {
				const { room, first } = jobs[next++] as (typeof jobs)[number]
				const started = performance.now()
				const client = new LightClient(target, room)
				this.clients.push(client)
				try {
					await withTimeout(client.ready, timeoutMs, `socket to ${room.name}`)
					latencies.push(performance.now() - started)
					if (first) editShape(client.doc, 0, 1, LOCAL)
				} catch {
					failures++
				}
			}
		}
		await Promise.all(Array.from({ length: concurrency }, lane))
		return { latencies, failures }
	}

	/** Sockets still open and synced. */
	get alive(): number {
		return this.clients.filter((c) => c.synced && !c.closed).length
	}

	close(): void {
		for (const client of this.clients.splice(0)) client.close()
	}
}
