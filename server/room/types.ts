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

export interface RoomOptions {
	store: UpdateLog
	/** Compact once the stored log holds this many updates. */
	compactEvery: number
	maxPeers: number
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
