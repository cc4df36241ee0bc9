import { LightClient, LOCAL } from './lightClient'
import { scanMarkers } from './marker'
import { editShape, lastMarker } from './record'
import { stockClient, type StockClient } from './stockClient'
import type { RoomTicket, Target } from './target'

export interface FanoutSetup {
	target: Target
	rooms: RoomTicket[]
	clientsPerRoom: number
	/** Clients 0..stockPerRoom-1 of each room are stock providers, the others light clients (default 1). */
	stockPerRoom?: number
	connectTimeoutMs: number
}

export interface FanoutRun {
	/** steady: every client edits at `rateHz`; saturate: each client keeps `window` edits in flight. */
	mode: 'steady' | 'saturate'
	rateHz: number
	window: number
	warmupMs: number
	measureMs: number
	drainMs: number
}

export interface FanoutResult {
	/** Edit arrivals at peers during the measured window. */
	deliveries: number
	/** Edits sent during the window, and how many reached every other client of their room. */
	measuredEdits: number
	completedEdits: number
	/** Per measured edit: time until the last peer of the room had it (ms). */
	latencies: number[]
	/** Every stock replica ended with the last edit of every client of its room. */
	converged: boolean
}

interface Edit {
	sentAt: number
	remaining: number
	measured: boolean
}

/** One client of a room, light or stock; index 0 of each room is always a stock client. */
interface Member {
	index: number
	light?: LightClient
	stock?: StockClient
	seq: number
	inFlight: number
	nextAt: number
	lastSentAt: number
	/** Highest seq received from each client, so a re-delivery is never counted twice. */
	lastSeen: Int32Array
}

class RoomLoad {
	readonly members: Member[] = []
	private readonly edits = new Map<number, Edit>()
	onComplete: (member: Member) => void = () => {}
	window = { start: Infinity, end: -Infinity }
	deliveries = 0
	measuredEdits = 0
	completedEdits = 0
	readonly latencies: number[] = []

	constructor(
		readonly ticket: RoomTicket,
		private readonly size: number,
	) {}

	add(member: Member): void {
		this.members.push(member)
	}

	/** A peer received the edit `seq` of `client`. */
	received(receiver: Member, client: number, seq: number, sentAt: number): void {
		if (receiver.index === client || client >= this.size || (receiver.lastSeen[client] as number) >= seq) return
		receiver.lastSeen[client] = seq
		const now = performance.now()
		if (now >= this.window.start && now < this.window.end) this.deliveries++
		const key = client * 1e7 + seq
		const edit = this.edits.get(key)
		if (!edit || --edit.remaining > 0) return
		this.edits.delete(key)
		if (edit.measured) {
			this.completedEdits++
			this.latencies.push(now - sentAt)
		}
		const sender = this.members[client] as Member
		sender.inFlight--
		this.onComplete(sender)
	}

	edit(member: Member): void {
		const now = performance.now()
		const seq = ++member.seq
		const measured = now >= this.window.start && now < this.window.end
		if (measured) this.measuredEdits++
		this.edits.set(member.index * 1e7 + seq, { sentAt: now, remaining: this.size - 1, measured })
		member.inFlight++
		member.lastSentAt = now
		const doc = member.light?.doc ?? (member.stock as StockClient).doc
		editShape(doc, member.index, seq, LOCAL)
	}

	/** Every stock replica holds the last edit of every member. */
	converged(): boolean {
		const replicas = this.members.flatMap((m) => (m.stock ? [m.stock.doc] : []))
		return replicas.every((doc) =>
			this.members.every((m) => {
				const value = lastMarker(doc, m.index)
				return typeof value === 'string' && value.startsWith(`bench:${m.index}:${m.seq}:`)
			}),
		)
	}
}

/** The fan-out load of one worker: whole rooms, so each edit's last arrival is seen here. */
export class FanoutLoad {
	private readonly rooms: RoomLoad[] = []

	static async setup({ target, rooms, clientsPerRoom, stockPerRoom = 1, connectTimeoutMs }: FanoutSetup): Promise<FanoutLoad> {
		const load = new FanoutLoad()
		const ready: Promise<void>[] = []
		for (const ticket of rooms) {
			const room = new RoomLoad(ticket, clientsPerRoom)
			load.rooms.push(room)
			for (let index = 0; index < clientsPerRoom; index++) {
				const member: Member = { index, seq: 0, inFlight: 0, nextAt: 0, lastSentAt: 0, lastSeen: new Int32Array(clientsPerRoom).fill(-1) }
				const onMessage = (bytes: Uint8Array) => scanMarkers(bytes, (client, seq, sentAt) => room.received(member, client, seq, sentAt))
				if (index < stockPerRoom) {
					member.stock = stockClient(target, ticket)
					member.stock.doc.on('update', (update: Uint8Array, origin: unknown) => origin !== LOCAL && onMessage(update))
					ready.push(member.stock.whenSynced(connectTimeoutMs))
				} else {
					member.light = new LightClient(target, ticket, onMessage, index)
					ready.push(withTimeout(member.light.ready, connectTimeoutMs, `client ${index} of ${ticket.name}`))
				}
				room.add(member)
			}
		}
		await Promise.all(ready)
		// Every client creates its shape before the clock starts.
		for (const room of load.rooms) for (const member of room.members) room.edit(member)
		await waitUntil(() => load.rooms.every((r) => r.members.every((m) => m.inFlight === 0)), connectTimeoutMs)
		return load
	}

	async run(options: FanoutRun): Promise<FanoutResult> {
		const start = performance.now()
		const windowStart = start + options.warmupMs
		const windowEnd = windowStart + options.measureMs
		const period = 1000 / options.rateHz
		const members = this.rooms.flatMap((room) => room.members.map((member) => ({ room, member })))
		members.forEach(({ member }, i) => (member.nextAt = start + (period * i) / members.length))
		for (const room of this.rooms) {
			room.window = { start: windowStart, end: windowEnd }
			room.onComplete = (member) => {
				// Not inside the receiving handler: a stock client's completion fires within its doc's update event.
				if (options.mode === 'saturate' && performance.now() < windowEnd && member.inFlight < options.window)
					queueMicrotask(() => member.inFlight < options.window && room.edit(member))
			}
		}
		if (options.mode === 'saturate') for (const { room, member } of members) while (member.inFlight < options.window) room.edit(member)

		await new Promise<void>((resolve) => {
			const tick = setInterval(() => {
				const now = performance.now()
				if (now >= windowEnd) {
					clearInterval(tick)
					return resolve()
				}
				for (const { room, member } of members) {
					if (options.mode === 'steady') {
						while (member.nextAt <= now) {
							room.edit(member)
							member.nextAt += period
						}
					} else if (member.inFlight < options.window && now - member.lastSentAt > 1000) {
						// An edit that never completes must not stall its client for the rest of the run.
						room.edit(member)
					}
				}
			}, 2)
		})
		await waitUntil(() => this.rooms.every((r) => r.converged()), options.drainMs).catch(() => undefined)
		return {
			deliveries: sum(this.rooms.map((r) => r.deliveries)),
			measuredEdits: sum(this.rooms.map((r) => r.measuredEdits)),
			completedEdits: sum(this.rooms.map((r) => r.completedEdits)),
			latencies: this.rooms.flatMap((r) => r.latencies),
			converged: this.rooms.every((r) => r.converged()),
		}
	}

	close(): void {
		for (const room of this.rooms) for (const member of room.members) member.light?.close() ?? member.stock?.destroy()
	}
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = performance.now() + timeoutMs
	while (!condition()) {
		if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
		await new Promise((r) => setTimeout(r, 20))
	}
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined
	return Promise.race([
		promise,
		new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no sync within ${ms} ms`)), ms))),
	]).finally(() => clearTimeout(timer))
}
