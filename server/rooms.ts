import type { Cluster } from './cluster/types'
import type { Logger } from './log'
import type { Metrics } from './metrics'
import { readRoomStatus } from './persistence/roomStatus'
import type { RoomStatus } from '../shared/roomStatus'
import type { Store } from './persistence/types'
import { closeReason, type CloseReason } from '../shared/protocol'
import { Room, RoomLoadError, type RoomHooks, type RoomLimits } from './room'

export interface RoomsOptions {
	store: Store
	metrics: Metrics
	log: Logger
	roomIdleMs: number
	compactEvery: number
	maxPeersPerRoom: number
	/** Defaults to defaultRoomLimits. */
	roomLimits?: RoomLimits
	/** Scale-out mode: the other processes serving the same rooms. */
	cluster?: Cluster
}

/** A room in the registry: being loaded, in memory (with its users), or being unloaded. */
type Entry =
	| { state: 'loading'; loading: Promise<Room> }
	| { state: 'ready'; room: Room; holds: number; idleTimer: NodeJS.Timeout | undefined }
	| { state: 'closing'; closing: Promise<void> }

export class ShuttingDownError extends Error {}

/**
 * The rooms in memory. A room is loaded on first use, shared by every connection and HTTP
 * request (a "hold"), and compacted then unloaded `roomIdleMs` after its last user left, so
 * that memory stays flat however many rooms open and close. A room whose load failed is not
 * kept: the next user tries again, and nobody is ever served an empty document instead.
 */
export class Rooms {
	private readonly entries = new Map<string, Entry>()
	private shuttingDown = false
	private readonly hooks: RoomHooks

	constructor(private readonly options: RoomsOptions) {
		const { metrics, log } = options
		this.hooks = {
			onRejectedFrame: (room, peer, error) => {
				metrics.rejectedFrames.inc({ reason: 'malformed' })
				log.warn({ room, role: peer.role, err: String(error) }, 'malformed frame, connection closed')
			},
			onRefused: (room, peer, reason) => {
				metrics.refusals.inc({ reason })
				// Coalescing is the normal answer to a fast cursor: counted, not logged.
				if (reason !== 'presence coalesced') log.warn({ room, role: peer.role, reason }, 'over a limit, connection closed')
			},
			onViewerWriteDropped: () => metrics.viewerWritesDropped.inc(),
			onLockedWriteDropped: () => metrics.lockedWritesDropped.inc(),
			onPersist: (operation, seconds) => metrics.persistenceSeconds.observe({ operation }, seconds),
			onEmpty: (room) => this.maybeIdle(room),
			onFailed: (room, error) => {
				metrics.persistenceFailures.inc()
				log.error({ room: room.name, err: String(error) }, 'storing an update failed, room closed and dropped')
				const entry = this.entries.get(room.name)
				if (entry?.state === 'ready' && entry.room === room) this.forget(room.name, entry)
			},
		}
	}

	get loadedCount(): number {
		let n = 0
		for (const entry of this.entries.values()) if (entry.state === 'ready') n++
		return n
	}

	/** The room if it is in memory, without loading it. */
	loaded(name: string): Room | undefined {
		const entry = this.entries.get(name)
		return entry?.state === 'ready' ? entry.room : undefined
	}

	/**
	 * The room, loaded if needed, with a hold the caller must `release` (after its connection
	 * joined, or its request is done). Throws RoomLoadError if the room cannot be loaded.
	 */
	async open(name: string): Promise<Room> {
		for (;;) {
			if (this.shuttingDown) throw new ShuttingDownError('server is shutting down')
			const entry = this.entries.get(name)
			if (entry === undefined) {
				await this.load(name)
			} else if (entry.state === 'loading') {
				await entry.loading
			} else if (entry.state === 'closing') {
				await entry.closing
			} else {
				entry.holds++
				clearTimeout(entry.idleTimer)
				entry.idleTimer = undefined
				return entry.room
			}
		}
	}

	release(room: Room): void {
		const entry = this.entries.get(room.name)
		if (entry?.state !== 'ready' || entry.room !== room) return
		entry.holds = Math.max(0, entry.holds - 1)
		this.maybeIdle(room)
	}

	/** Runs `use` on the loaded room, holding it meanwhile. */
	async with<T>(name: string, use: (room: Room) => Promise<T> | T): Promise<T> {
		const room = await this.open(name)
		try {
			return await use(room)
		} finally {
			this.release(room)
		}
	}

	/** Sets a room's lock and agreed version, just stored, here and in the other processes holding it. */
	setStatus(room: Room, status: RoomStatus): void {
		room.setStatus(status)
		this.options.cluster?.statusChanged(room.name)
	}

	private async load(name: string): Promise<void> {
		const { store, compactEvery, maxPeersPerRoom, roomLimits, metrics, log, cluster } = this.options
		// Other processes' changes are received from before the room is read: none falls in between.
		const watching = cluster ? cluster.watch(name) : Promise.resolve()
		// The lock is known before any peer can join: no edit slips through a locked room's load.
		const loading = watching.then(() => readRoomStatus(store, name)).then(
			async (status) => {
				const room = await Room.load(name, { store, compactEvery, maxPeers: maxPeersPerRoom, limits: roomLimits, hooks: this.hooks, relay: cluster?.relay })
				room.setStatus(status)
				cluster?.attach(room)
				return room
			},
			(error: unknown) => {
				throw new RoomLoadError(name, error)
			},
		)
		this.entries.set(name, { state: 'loading', loading })
		try {
			const room = await loading
			this.entries.set(name, { state: 'ready', room, holds: 0, idleTimer: undefined })
			metrics.roomsLoaded.inc()
			log.debug({ room: name }, 'room loaded')
		} catch (error) {
			cluster?.unwatch(name)
			this.entries.delete(name)
			metrics.roomLoadFailures.inc()
			log.error({ room: name, err: String(error) }, 'room could not be loaded')
			throw error
		}
	}

	private maybeIdle(room: Room): void {
		const entry = this.entries.get(room.name)
		if (entry?.state !== 'ready' || entry.room !== room || entry.holds > 0 || room.peerCount > 0 || entry.idleTimer) return
		entry.idleTimer = setTimeout(() => {
			entry.idleTimer = undefined
			if (entry.holds === 0 && room.peerCount === 0 && this.entries.get(room.name) === entry) void this.unload(room.name, entry)
		}, this.options.roomIdleMs)
		entry.idleTimer.unref()
	}

	private unload(name: string, entry: Extract<Entry, { state: 'ready' }>, reason: CloseReason = closeReason.goingAway): Promise<void> {
		clearTimeout(entry.idleTimer)
		const closing = entry.room
			.close(reason)
			.catch((error: unknown) => this.options.log.error({ room: name, err: String(error) }, 'compacting on unload failed'))
			.finally(() => {
				this.options.cluster?.unwatch(name)
				if (this.entries.get(name)?.state === 'closing') this.entries.delete(name)
				this.options.metrics.roomsLoaded.dec()
				this.options.log.debug({ room: name }, 'room unloaded')
			})
		this.entries.set(name, { state: 'closing', closing })
		return closing
	}

	private forget(name: string, entry: Extract<Entry, { state: 'ready' }>): void {
		clearTimeout(entry.idleTimer)
		this.options.cluster?.unwatch(name)
		this.entries.delete(name)
		this.options.metrics.roomsLoaded.dec()
	}

	/** Shutdown: no more loads; every room flushed, its peers closed (1001), compacted, freed. */
	async closeAll(): Promise<void> {
		this.shuttingDown = true
		const closing: Promise<unknown>[] = []
		for (const [name, entry] of this.entries) {
			if (entry.state === 'ready') closing.push(this.unload(name, entry))
			else if (entry.state === 'closing') closing.push(entry.closing)
			else closing.push(entry.loading.then((room) => room.close(), () => undefined))
		}
		await Promise.all(closing)
	}
}
