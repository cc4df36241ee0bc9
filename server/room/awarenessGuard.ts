import type * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import { isDefaultStatus, ROOM_STATUS_FIELD, type RoomStatus } from '../../shared/roomStatus'
import { closeReason } from '../../shared/protocol'
import { awarenessMessage, MalformedMessageError } from './messages'
import { TokenBucket } from './tokenBucket'
import { defaultRoomLimits, LimitExceeded, REMOTE_ORIGIN, type Peer, type RefusalReason, type RoomLimits } from './types'

/** Awareness clients one connection may bring into a room (a provider has one). */
export const MAX_PRESENCES_PER_PEER = 8

export interface AwarenessOutput {
	/** Sent to every peer of the room. */
	broadcast(message: Uint8Array): void
	/** To the other processes (scale-out): the changes of this process's peers, as an awareness update. */
	relay?(update: Uint8Array): void
	/** A peer's change was held back (over its presence rate). */
	refused?(peer: Peer, reason: RefusalReason): void
	/** A held-back change turned out malformed when applied (outside `receive`, which throws instead). */
	reject?(peer: Peer, error: unknown): void
}

type PresenceLimits = Pick<RoomLimits, 'maxPresenceBytes' | 'presencePerSecond' | 'presenceBurst'>

/** A connection's presence budget, and its latest change held back while over it. */
interface PresenceRate {
	bucket: TokenBucket
	held: Uint8Array | undefined
	timer: NodeJS.Timeout | undefined
}

/**
 * Reads an awareness update without decoding its states: throws MalformedMessageError if it
 * names more than `maxNamed` clients, LimitExceeded if a state is over `maxStateBytes`; tells
 * whether a state is newer than what `meta` knows (else the frame is a stock provider's echo of
 * changes it heard of, which changes nothing).
 */
export function isFreshPresence(update: Uint8Array, meta: Map<number, { clock: number }>, maxNamed: number, maxStateBytes: number): boolean {
	const decoder = decoding.createDecoder(update)
	const named = decoding.readVarUint(decoder)
	if (named > maxNamed) throw new MalformedMessageError(`awareness update naming ${named} clients`)
	let fresh = false
	for (let i = 0; i < named && decoding.hasContent(decoder); i++) {
		const client = decoding.readVarUint(decoder)
		const clock = decoding.readVarUint(decoder)
		const length = decoding.readVarUint(decoder)
		if (length > maxStateBytes) throw new LimitExceeded('presence too large', closeReason.presenceTooLarge)
		decoder.pos += length
		if (clock > (meta.get(client)?.clock ?? -1)) fresh = true
	}
	return fresh
}

type Change = { added: number[]; updated: number[]; removed: number[] }

/**
 * A room's awareness (presence) behind its guard. Presence is open to every role, viewers
 * included, so two things are checked here: how many clients one connection speaks for, and
 * that nobody writes in the server's name (the room's own entry, which carries the lock and
 * agreed version, see shared/roomStatus).
 */
export class AwarenessGuard {
	readonly awareness: awarenessProtocol.Awareness
	/** The awareness clients each peer brought in (removed when it leaves). */
	private readonly controlled = new Map<Peer, Set<number>>()
	/** The room's own entry as last published; null for the default status. */
	private ownState: { [ROOM_STATUS_FIELD]: RoomStatus } | null = null
	private readonly rates = new Map<Peer, PresenceRate>()

	constructor(
		doc: Y.Doc,
		private readonly out: AwarenessOutput,
		private readonly limits: PresenceLimits = defaultRoomLimits,
	) {
		this.awareness = new awarenessProtocol.Awareness(doc)
		this.awareness.setLocalState(null)
		this.awareness.on('update', this.onUpdate)
	}

	addPeer(peer: Peer): void {
		this.controlled.set(peer, new Set())
		this.rates.set(peer, { bucket: new TokenBucket(this.limits.presenceBurst, this.limits.presencePerSecond), held: undefined, timer: undefined })
	}

	/** The peer is gone: the clients it brought in are removed (and that is broadcast). */
	removePeer(peer: Peer): void {
		const clients = this.controlled.get(peer)
		if (!clients) return
		this.controlled.delete(peer)
		clearTimeout(this.rates.get(peer)?.timer)
		this.rates.delete(peer)
		awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null)
	}

	/**
	 * A provider speaks for one client (its own) and echoes the changes it hears of: a frame may
	 * name known clients plus a few new ones, and a connection may bring in at most
	 * MAX_PRESENCES_PER_PEER clients. Beyond, the frame is malformed (thrown): else one connection
	 * could make the room keep, and send every newcomer, millions of ghosts. A state over
	 * `maxPresenceBytes` is never applied nor relayed: its sender is closed (LimitExceeded, 4431).
	 * Changes beyond the presence rate are coalesced: the latest is applied once the budget
	 * allows, those before it are dropped (each replaced the previous one anyway). Echoes, which
	 * change nothing, are not charged: a stock provider echoes every change it hears of.
	 */
	receive(peer: Peer, update: Uint8Array): void {
		// `meta` also remembers clients whose states were removed: echoes of removals name them.
		const fresh = isFreshPresence(update, this.awareness.meta, this.awareness.meta.size + MAX_PRESENCES_PER_PEER, this.limits.maxPresenceBytes)
		const rate = this.rates.get(peer)
		if (!fresh || !rate) return this.apply(peer, update)
		if (rate.held === undefined && rate.bucket.take()) return this.apply(peer, update)
		if (rate.held !== undefined) this.out.refused?.(peer, 'presence coalesced')
		rate.held = update
		rate.timer ??= setTimeout(() => this.releaseHeld(peer), rate.bucket.waitMs())
	}

	private releaseHeld(peer: Peer): void {
		const rate = this.rates.get(peer)
		if (!rate?.held) return
		rate.timer = undefined
		if (!rate.bucket.take()) {
			rate.timer = setTimeout(() => this.releaseHeld(peer), rate.bucket.waitMs())
			return
		}
		const update = rate.held
		rate.held = undefined
		try {
			this.apply(peer, update)
		} catch (error) {
			if (!this.out.reject) throw error
			this.out.reject(peer, error)
		}
	}

	private apply(peer: Peer, update: Uint8Array): void {
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer)
		if ((this.controlled.get(peer)?.size ?? 0) > MAX_PRESENCES_PER_PEER) throw new MalformedMessageError(`presence of more than ${MAX_PRESENCES_PER_PEER} clients`)
	}

	/** Awareness changes of another process's peers, broadcast here (never relayed back). */
	receiveRemote(update: Uint8Array): void {
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN)
	}

	/** Publishes the room status as the room's own entry; the default status as no entry at all. */
	publishStatus(status: RoomStatus): void {
		this.ownState = isDefaultStatus(status) ? null : { [ROOM_STATUS_FIELD]: status }
		this.awareness.setLocalState(this.ownState)
	}

	get isEmpty(): boolean {
		return this.awareness.getStates().size === 0
	}

	/** Every state, for a newcomer or a query. */
	allStates(): Uint8Array {
		return awarenessMessage(this.awareness, [...this.awareness.getStates().keys()])
	}

	/** The states of this process's own peers, for a process that just loaded the room. */
	peerStates(): Uint8Array | undefined {
		const ids = [...this.controlled.values()].flatMap((clients) => [...clients])
		return ids.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids) : undefined
	}

	destroy(): void {
		this.controlled.clear()
		for (const rate of this.rates.values()) clearTimeout(rate.timer)
		this.rates.clear()
		this.awareness.off('update', this.onUpdate)
		this.awareness.destroy()
	}

	private readonly onUpdate = ({ added, updated, removed }: Change, origin: unknown) => {
		const clients = this.controlled.get(origin as Peer)
		const remote = origin === REMOTE_ORIGIN
		let changed = [...added, ...updated, ...removed]
		let forged: number[] = []
		if (clients || remote) {
			forged = [...added, ...updated].filter((id) => this.speaksForServer(id))
			changed = changed.filter((id) => !forged.includes(id))
		}
		if (clients) {
			for (const id of added) if (!forged.includes(id)) clients.add(id)
			for (const id of removed) clients.delete(id)
		}
		// Other processes get the changes of the peers here (each process publishes its own status,
		// and times out remote states by itself).
		const relayed = this.out.relay && !remote && origin !== 'timeout' ? changed.filter((id) => id !== this.awareness.clientID) : []
		if (relayed.length > 0) this.out.relay?.(awarenessProtocol.encodeAwarenessUpdate(this.awareness, relayed))
		// Sent to everyone, the sender included: a provider alone in a room relies on its own
		// awareness renewals coming back to know the connection is alive.
		if (changed.length > 0) this.out.broadcast(awarenessMessage(this.awareness, changed))
		if (forged.length > 0) this.disown(forged)
	}

	/** The room's own entry, or an entry carrying the room status: only the server writes those. */
	private speaksForServer(id: number): boolean {
		if (id === this.awareness.clientID) return true
		const state = this.awareness.getStates().get(id)
		return state !== undefined && ROOM_STATUS_FIELD in state
	}

	/**
	 * Undoes what a peer wrote in the server's name, before anyone else saw it: other entries
	 * carrying the status are removed, and the room's own entry is published again (with a newer
	 * clock than the forged one). Stock clients echo the server's entry with its own clock, which
	 * changes nothing and never gets here.
	 */
	private disown(ids: number[]): void {
		const others = ids.filter((id) => id !== this.awareness.clientID)
		if (others.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, others, null)
		if (others.length < ids.length) this.awareness.setLocalState(this.ownState)
	}
}
