import type { CloseReason, Role } from '../../shared/protocol'
import type { UpdateLog } from '../persistence/types'
import type { Room } from './room'

/** One end of a room: a WebSocket connection, seen by the room core only through this. */
export interface Peer {
	readonly role: Role
	send(message: Uint8Array): void
	close(reason: CloseReason): void
}

/** What the room core reports; metrics and logs plug in here instead of living in the core. */
export interface RoomHooks {
	onRejectedFrame?(room: string, peer: Peer, error: unknown): void
	onViewerWriteDropped?(room: string): void
	/** A participant wrote while the room was locked; dropped like a viewer's write. */
	onLockedWriteDropped?(room: string): void
	onPersist?(operation: 'load' | 'append' | 'compact', seconds: number): void
	/** Every peer left (the registry starts its idle timer). */
	onEmpty?(room: Room): void
	/** A limit refused what a peer sent (see RoomLimits); `peer` was closed with the reason's code unless the frame was only delayed. */
	onRefused?(room: string, peer: Peer, reason: RefusalReason): void
	/** Persistence failed: the room closed its peers and must be dropped (never served stale). */
	onFailed?(room: Room, error: unknown): void
}

/**
 * The way out to the other server processes of a scale-out deployment (server/cluster); absent
 * when one process serves everything. It only ever gets what happened in this process.
 */
export interface RoomRelay {
	/** Updates appended by this process, once durable: a peer elsewhere sees nothing that could be lost. */
	updates(room: string, updates: Uint8Array[]): void
	/** Awareness changes of this process's peers (an encoded awareness update). */
	awareness(room: string, update: Uint8Array): void
}

/** A document change that is not from a peer (an import), broadcast to every peer. */
export const SERVER_ORIGIN = Symbol('server')

/** A change another server process received and stored: relayed to the peers here, never stored again. */
export const REMOTE_ORIGIN = Symbol('remote process')

/**
 * What one room accepts from one connection. Presence is open to viewers, whose links travel
 * widest: its size is capped and its rate coalesced. Document updates are capped by the room's
 * size and by a per-connection budget (bytes and messages) that a real client pasting a large
 * map, or the benchmark, never reaches.
 */
export interface RoomLimits {
	/** Largest presence state of one client (its encoded JSON); larger closes the sender (4431). */
	maxPresenceBytes: number
	/** Presence changes per connection per second; beyond the burst the latest change is held back, not lost. */
	presencePerSecond: number
	presenceBurst: number
	/** Largest stored document (compacted state plus what was appended since); beyond, the update is refused (4413). */
	maxRoomBytes: number
	/** Per connection: document update messages and bytes per second, and the bursts allowed (beyond: 4420). */
	updatesPerSecond: number
	updatesBurst: number
	updateBytesPerSecond: number
	updateBytesBurst: number
}

const MiB = 1024 * 1024

export const defaultRoomLimits: RoomLimits = {
	maxPresenceBytes: 8 * 1024,
	presencePerSecond: 30,
	presenceBurst: 60,
	maxRoomBytes: 32 * MiB,
	updatesPerSecond: 1000,
	updatesBurst: 5000,
	updateBytesPerSecond: 8 * MiB,
	updateBytesBurst: 64 * MiB,
}

/** Why a limit refused something; the label of `maillage_refusals_total`. */
export type RefusalReason = 'presence too large' | 'presence coalesced' | 'room too large' | 'update budget' | 'memory'

/** A peer went over a limit: it is closed with `close`, the room goes on. */
export class LimitExceeded extends Error {
	constructor(
		readonly reason: RefusalReason,
		readonly close: CloseReason,
	) {
		super(reason)
	}
}

export interface RoomOptions {
	store: UpdateLog
	/** Compact once the stored log holds this many updates. */
	compactEvery: number
	maxPeers: number
	/** Defaults to defaultRoomLimits. */
	limits?: RoomLimits
	hooks?: RoomHooks
	relay?: RoomRelay
}

/** The stored updates of a room could not be read or applied: the room must not be served. */
export class RoomLoadError extends Error {
	constructor(
		readonly room: string,
		cause: unknown,
	) {
		super(`room ${room} could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
	}
}
