import * as encoding from 'lib0/encoding'
import { pino } from 'pino'
import * as Y from 'yjs'
import { startRedisCluster } from '../../server/cluster/redis'
import type { Cluster } from '../../server/cluster/types'
import { createMetrics, type Metrics } from '../../server/metrics'
import type { Store } from '../../server/persistence/types'
import type { Room } from '../../server/room'
import type { Role } from '../../shared/protocol'
import type { RoomStatus } from '../../shared/roomStatus'
import { waitFor } from './server'

/**
 * The Redis relay (server/cluster/redis) of one server process, with rooms that record what the
 * relay hands them: several in one test are several processes on one Redis.
 */

/** What the relay uses of a room; updates are applied to a real doc, so that garbage throws as in a room. */
export class RecordingRoom {
	readonly doc = new Y.Doc()
	readonly updates: Uint8Array[] = []
	readonly awareness: Uint8Array[] = []
	readonly statuses: RoomStatus[] = []
	/** What `peerAwareness` answers: the awareness of this process's peers, if it has any. */
	peers: Uint8Array | undefined
	constructor(readonly name: string) {}
	receiveRemote(update: Uint8Array): void {
		Y.applyUpdate(this.doc, update)
		this.updates.push(update)
	}
	receiveRemoteAwareness(update: Uint8Array): void {
		this.awareness.push(update)
	}
	setStatus(status: RoomStatus): void {
		this.statuses.push(status)
	}
	peerAwareness(): Uint8Array | undefined {
		return this.peers
	}
	has(key: string): boolean {
		return this.doc.getMap('records').has(key)
	}
	get lastStatus(): RoomStatus | undefined {
		return this.statuses.at(-1)
	}
}

/** A document update that sets one key of the records map. */
export function recordUpdate(key: string, value: unknown = true): Uint8Array {
	const doc = new Y.Doc()
	doc.getMap('records').set(key, value)
	return Y.encodeStateAsUpdate(doc)
}

/** A message as another process would publish it on a room's channel (the relay's wire format). */
export function clusterMessage(kind: number, payload: Uint8Array, sender = 'another-process'): Buffer {
	const encoder = encoding.createEncoder()
	encoding.writeVarString(encoder, sender)
	encoding.writeVarUint(encoder, kind)
	encoding.writeVarUint8Array(encoder, payload)
	return Buffer.from(encoding.toUint8Array(encoder))
}

export interface RelayProcess {
	readonly cluster: Cluster
	readonly metrics: Metrics
	/** The process id the relay logged; its connections are named maillage-pub-<id> and maillage-sub-<id>. */
	readonly id: string
	/** What the process logged. */
	readonly logs: { level: number; msg: string; [field: string]: unknown }[]
	/** The token rotations other processes told it of. */
	readonly rotated: { room: string; roles: readonly Role[] }[]
	readonly rooms: Map<string, RecordingRoom>
	/** Loads a room as the rooms registry does: watch, then attach. */
	join(name: string): Promise<RecordingRoom>
	/** Messages of that kind this process received from others (direction in) or published (out). */
	count(direction: 'in' | 'out', kind: string): Promise<number>
}

export async function startRelayProcess(url: string, store: Store, subscribeTimeoutMs?: number): Promise<RelayProcess> {
	const logs: RelayProcess['logs'] = []
	const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) })
	const metrics = createMetrics()
	const cluster = await startRedisCluster({ url, store, log, metrics, subscribeTimeoutMs })
	const id = logs.find((line) => typeof line.process === 'string')?.process as string
	const rotated: RelayProcess['rotated'] = []
	cluster.onTokensRotated((room, roles) => void rotated.push({ room, roles }))
	const rooms = new Map<string, RecordingRoom>()
	return {
		cluster,
		metrics,
		id,
		logs,
		rotated,
		rooms,
		async join(name) {
			await cluster.watch(name)
			const room = new RecordingRoom(name)
			rooms.set(name, room)
			cluster.attach(room as unknown as Room)
			return room
		},
		async count(direction, kind) {
			const values = (await metrics.registry.getSingleMetric('maillage_cluster_messages_total')?.get())?.values ?? []
			return values.find((v) => v.labels.direction === direction && v.labels.kind === kind)?.value ?? 0
		},
	}
}

/**
 * Waits until `to` has in `room` the update `from` publishes now: pub/sub keeps the order of one
 * publisher, so whatever `from` published there before has reached `to` by then.
 */
export async function settle(from: RelayProcess, to: RelayProcess, room: string): Promise<void> {
	const marker = `settle-${Math.random()}`
	from.cluster.relay.updates(room, [recordUpdate(marker)])
	await waitFor(() => to.rooms.get(room)?.has(marker), { timeout: 3000, what: `${marker} in ${room}` })
}
