import type { Role } from '../../shared/protocol'
import type { Room, RoomRelay } from '../room'

/**
 * What the rest of the server sees of the scale-out mode (REDIS_URL, see ./redis): several
 * processes serve the same rooms, each relaying to the others what happens in the rooms it holds.
 */
export interface Cluster {
	/** Given to every room: what its peers do in this process reaches the others. */
	readonly relay: RoomRelay
	/** Starts receiving a room's messages, kept until `attach`; resolves once none can be missed. */
	watch(room: string): Promise<void>
	/** The room is loaded: what arrived since `watch` applies now, the rest as it comes. */
	attach(room: Room): void
	/** Stops receiving a room's messages (it was unloaded, or its load failed). */
	unwatch(room: string): void
	/** The lock or agreed version of a room changed in the store: the processes holding it read it again. */
	statusChanged(room: string): void
	/** Tokens of a room were rotated: every process closes its connections of these roles. */
	tokensRotated(room: string, roles: readonly Role[]): void
	/** Called when another process rotated tokens (the sync server closes its connections then). */
	onTokensRotated(handler: (room: string, roles: readonly Role[]) => void): void
	close(): Promise<void>
}
