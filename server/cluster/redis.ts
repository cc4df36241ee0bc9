import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { Counter } from 'prom-client'
import * as Y from 'yjs'
import { readRoomStatus } from '../persistence/roomStatus'
import type { Logger } from '../log'
import type { Metrics } from '../metrics'
import type { Store } from '../persistence/types'
import { roles, type Role } from '../../shared/protocol'
import type { Room } from '../room'
import type { Cluster } from './types'

/**
 * The scale-out relay over Redis pub/sub. Each process subscribes to the channel of every room it
 * holds and publishes there what happens in that room here:
 * - document updates, once appended to the shared store (append before relay holds across
 *   processes: a peer anywhere only sees what survives any process's crash); the receivers
 *   apply them without storing them again;
 * - awareness changes of its peers, so presence crosses processes (each process publishes its
 *   own room status; states of a killed process's peers time out after 30 s like any other);
 * - "status changed" (lock, agreed version) and "tokens rotated", on which the others read the
 *   shared store again or close their connections.
 *
 * Pub/sub is at most once. A room subscribes before it reads the store, so nothing published in
 * between is missed (Yjs ignores what it already has); and after a lost Redis connection every
 * room reads the store again, which brings back whatever was published meanwhile.
 */

export const ROOM_CHANNEL_PREFIX = 'maillage:room:'

const kind = { update: 0, awareness: 1, status: 2, tokens: 3, queryAwareness: 4 } as const
type Kind = (typeof kind)[keyof typeof kind]
const kindNames = ['update', 'awareness', 'status', 'tokens', 'queryAwareness'] as const

interface Message {
	kind: Kind
	payload: Uint8Array
}

/** A room this process subscribed to; `room` is set once it is loaded, messages wait in `early` until then. */
interface Watched {
	room: Room | undefined
	early: Message[]
	/** Set when the Redis connection was lost during the load: read the store again once attached. */
	stale: boolean
	/** Status reads of this room, one after the other, so an older read never overwrites a newer one. */
	statusReads: Promise<void>
}

export interface RedisClusterOptions {
	url: string
	store: Store
	log: Logger
	metrics: Metrics
	/** How long a room's load waits for its subscription before it fails (503, the client retries). */
	subscribeTimeoutMs?: number
}

function encodeMessage(sender: string, messageKind: Kind, payload: Uint8Array): Buffer {
	const encoder = encoding.createEncoder()
	encoding.writeVarString(encoder, sender)
	encoding.writeVarUint(encoder, messageKind)
	encoding.writeVarUint8Array(encoder, payload)
	return Buffer.from(encoding.toUint8Array(encoder))
}

function decodeMessage(data: Uint8Array): { sender: string; message: Message } {
	const decoder = decoding.createDecoder(data)
	const sender = decoding.readVarString(decoder)
	const messageKind = decoding.readVarUint(decoder)
	if (!(messageKind in kindNames)) throw new Error(`unknown cluster message kind ${messageKind}`)
	return { sender, message: { kind: messageKind as Kind, payload: decoding.readVarUint8Array(decoder) } }
}

const encodeRoles = (list: readonly Role[]) => new TextEncoder().encode(list.join(','))
const decodeRoles = (payload: Uint8Array) => new TextDecoder().decode(payload).split(',').filter((r): r is Role => (roles as readonly string[]).includes(r))

/** redis://user:secret@host:6379/0 -> host:6379 (never the credentials). */
function safeLocation(url: string): string {
	try {
		return new URL(url).host
	} catch {
		return '(unparsable REDIS_URL)'
	}
}

export async function startRedisCluster({ url, store, log, metrics, subscribeTimeoutMs = 10_000 }: RedisClusterOptions): Promise<Cluster> {
	const processId = randomBytes(9).toString('base64url')
	const where = safeLocation(url)
	const connect = async (role: string) => {
		const client = new Redis(url, { lazyConnect: true, connectionName: `maillage-${role}-${processId}` })
		let lastError: Error | undefined
		client.on('error', (error: Error) => {
			lastError = error
			log.warn({ redis: where, connection: role, err: error.message }, 'Redis connection error')
		})
		try {
			await client.connect()
		} catch (error) {
			client.disconnect()
			// ioredis rejects with "Connection is closed"; the socket's own error says why.
			const reason = lastError ?? error
			throw new Error(`cannot reach Redis at ${where}: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason })
		}
		return client
	}
	const publisher = await connect('pub')
	let subscriber: Redis
	try {
		subscriber = await connect('sub')
	} catch (error) {
		publisher.disconnect()
		throw error
	}

	const messages = new Counter({
		name: 'maillage_cluster_messages_total',
		help: 'Messages exchanged with the other server processes through Redis',
		labelNames: ['direction', 'kind'] as const,
		registers: [metrics.registry],
	})
	const resyncs = new Counter({
		name: 'maillage_cluster_resyncs_total',
		help: 'Rooms read again from the store after the Redis connection was lost',
		registers: [metrics.registry],
	})

	const watched = new Map<string, Watched>()
	let tokensRotatedHandler: (room: string, roles: readonly Role[]) => void = () => undefined

	function publish(room: string, messageKind: Kind, payload: Uint8Array = new Uint8Array()): void {
		messages.inc({ direction: 'out', kind: kindNames[messageKind] })
		publisher.publish(ROOM_CHANNEL_PREFIX + room, encodeMessage(processId, messageKind, payload)).catch((error: unknown) => {
			log.error({ room, kind: kindNames[messageKind], err: String(error) }, 'publishing to Redis failed')
		})
	}

	function refreshStatus(name: string, entry: Watched): void {
		entry.statusReads = entry.statusReads
			.then(async () => {
				const status = await readRoomStatus(store, name)
				if (watched.get(name) === entry) entry.room?.setStatus(status)
			})
			.catch((error: unknown) => log.error({ room: name, err: String(error) }, 'reading the room status failed'))
	}

	function publishPeers(name: string, room: Room): void {
		const states = room.peerAwareness()
		if (states) publish(name, kind.awareness, states)
	}

	/** Reads the room from the store again: whatever was published while the connection was down. */
	async function resync(name: string, entry: Watched): Promise<void> {
		resyncs.inc()
		refreshStatus(name, entry)
		// Whichever process is back first misses the others' questions: it tells its peers too.
		publish(name, kind.queryAwareness)
		if (entry.room) publishPeers(name, entry.room)
		try {
			const updates = await store.loadUpdates(name)
			if (updates.length > 0 && watched.get(name) === entry) entry.room?.receiveRemote(Y.mergeUpdates(updates))
		} catch (error) {
			log.error({ room: name, err: String(error) }, 'reading the room again after a Redis outage failed')
		}
	}

	function apply(name: string, entry: Watched, message: Message): void {
		const room = entry.room
		if (!room) return
		switch (message.kind) {
			case kind.update:
				return room.receiveRemote(message.payload)
			case kind.awareness:
				return room.receiveRemoteAwareness(message.payload)
			case kind.status:
				return refreshStatus(name, entry)
			case kind.queryAwareness:
				return publishPeers(name, room)
		}
	}

	subscriber.on('messageBuffer', (channel: Buffer, data: Buffer) => {
		const name = channel.toString('utf8').slice(ROOM_CHANNEL_PREFIX.length)
		const entry = watched.get(name)
		if (!entry) return
		try {
			const { sender, message } = decodeMessage(data)
			if (sender === processId) return
			messages.inc({ direction: 'in', kind: kindNames[message.kind] })
			// Tokens matter to connections even while their room is still loading.
			if (message.kind === kind.tokens) return tokensRotatedHandler(name, decodeRoles(message.payload))
			if (entry.room) apply(name, entry, message)
			else if (message.kind !== kind.queryAwareness) entry.early.push(message)
		} catch (error) {
			log.error({ room: name, err: String(error) }, 'a message from another process could not be applied')
		}
	})

	// Connected already, so 'ready' means connected again: ioredis subscribes again by itself, but
	// what was published meanwhile is lost.
	subscriber.on('ready', () => {
		log.warn({ redis: where, rooms: watched.size }, 'Redis connection back: reading the rooms again')
		for (const [name, entry] of watched) {
			if (entry.room) void resync(name, entry)
			else entry.stale = true
		}
	})

	log.info({ redis: where, process: processId }, 'scale-out: relaying rooms through Redis')

	return {
		relay: {
			updates: (room, updates) => {
				if (updates.length > 0) publish(room, kind.update, updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates))
			},
			awareness: (room, update) => publish(room, kind.awareness, update),
		},

		async watch(name) {
			const entry: Watched = { room: undefined, early: [], stale: false, statusReads: Promise.resolve() }
			watched.set(name, entry)
			let timer: NodeJS.Timeout | undefined
			try {
				await Promise.race([
					subscriber.subscribe(ROOM_CHANNEL_PREFIX + name),
					new Promise((_resolve, reject) => {
						timer = setTimeout(() => reject(new Error(`no subscription from Redis at ${where} within ${subscribeTimeoutMs} ms`)), subscribeTimeoutMs)
					}),
				])
			} finally {
				clearTimeout(timer)
			}
		},

		attach(room) {
			const entry = watched.get(room.name)
			if (!entry) return
			entry.room = room
			const early = entry.early.splice(0)
			const updates = early.filter((m) => m.kind === kind.update).map((m) => m.payload)
			if (updates.length > 0) room.receiveRemote(Y.mergeUpdates(updates))
			for (const message of early) if (message.kind !== kind.update) apply(room.name, entry, message)
			if (entry.stale) void resync(room.name, entry)
			// The peers of the other processes are known at once, not at their next renewal (15 s).
			else publish(room.name, kind.queryAwareness)
		},

		unwatch(name) {
			if (!watched.delete(name)) return
			subscriber.unsubscribe(ROOM_CHANNEL_PREFIX + name).catch(() => undefined)
		},

		statusChanged: (room) => publish(room, kind.status),
		tokensRotated: (room, list) => publish(room, kind.tokens, encodeRoles(list)),
		onTokensRotated(handler) {
			tokensRotatedHandler = handler
		},

		async close() {
			watched.clear()
			// QUIT first sends what is queued, so while Redis is away it would wait for its return.
			await Promise.allSettled([publisher, subscriber].map((client) => (client.status === 'ready' ? client.quit() : client.disconnect())))
		},
	}
}
