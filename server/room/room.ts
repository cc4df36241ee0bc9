import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { unlockedStatus, type RoomStatus } from '../../shared/roomStatus'
import { closeReason, type CloseReason } from '../../shared/protocol'
import { AwarenessGuard } from './awarenessGuard'
import { MapCache } from './mapCache'
import { DurableLog, type LoggedUpdate } from './durableLog'
import { isEmptyStateVector, readFrame, relayedBatch, syncStep1Message, syncStep2Message, type FrameHandler } from './messages'
import { TurnBatch } from './turnBatch'
import { Admission } from './admission'
import { defaultRoomLimits, LimitExceeded, REMOTE_ORIGIN, RoomLoadError, SERVER_ORIGIN, type Peer, type RoomOptions } from './types'

/**
 * The room core: one Y.Doc, its awareness and its peers, wired to the parts that do the work:
 * frames decoded by ./messages, admitted by ./admission, applied a turn at a time by ./turnBatch,
 * stored before they are shown by ./durableLog (so an edit any peer has seen survives a crash),
 * presence guarded by ./awarenessGuard.
 */
export class Room {
	/** The document as applied so far; `applyPending` first to include this turn's updates. */
	readonly doc: Y.Doc
	/** The document as a typed map, kept between reads (exports, versions). */
	readonly mapCache: MapCache
	readonly awareness: Awareness
	private readonly presence: AwarenessGuard
	private readonly peers = new Set<Peer>()
	private readonly admission: Admission
	private readonly turn = new TurnBatch()
	private readonly log: DurableLog
	private turnEndScheduled = false
	private closed = false
	private currentStatus: RoomStatus = unlockedStatus
	/** The whole document as one update, kept until the next change (see `fullState`). */
	private cachedState: Uint8Array | undefined

	private constructor(
		readonly name: string,
		doc: Y.Doc,
		storedCount: number,
		storedBytes: number,
		private readonly options: RoomOptions,
	) {
		const { store, compactEvery, hooks, relay } = options
		this.doc = doc
		this.mapCache = new MapCache(doc)
		const limits = options.limits ?? defaultRoomLimits
		this.admission = new Admission(limits, storedBytes)
		this.presence = new AwarenessGuard(
			doc,
			{
				broadcast: (message) => this.broadcast(message),
				relay: relay && ((update) => relay.awareness(name, update)),
				refused: (peer, reason) => hooks?.onRefused?.(name, peer, reason),
				reject: this.reject,
			},
			limits,
		)
		this.awareness = this.presence.awareness
		this.log = new DurableLog({
			name,
			store,
			storedCount,
			compactEvery,
			fullState: () => {
				const state = this.fullState()
				this.admission.stateEncoded(state)
				return state
			},
			onCompacted: () => this.admission.compacted(),
			deliver: (updates) => this.relay(updates),
			onStored: relay && ((updates) => relay.updates(name, updates)),
			onPersist: hooks?.onPersist,
			onFailed: (error) => this.fail(error),
		})
		doc.on('update', this.onDocUpdate)
	}

	/** Loads a room from its stored updates; never returns an empty room in place of a failed load. */
	static async load(name: string, options: RoomOptions): Promise<Room> {
		const started = performance.now()
		const doc = new Y.Doc()
		try {
			const updates = await options.store.loadUpdates(name)
			if (updates.length > 0) Y.applyUpdate(doc, updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates))
			options.hooks?.onPersist?.('load', (performance.now() - started) / 1000)
			const storedBytes = updates.reduce((sum, update) => sum + update.byteLength, 0)
			return new Room(name, doc, updates.length, storedBytes, options)
		} catch (error) {
			doc.destroy()
			throw new RoomLoadError(name, error)
		}
	}

	get peerCount(): number {
		return this.peers.size
	}

	get isClosed(): boolean {
		return this.closed || this.log.failed
	}

	get status(): RoomStatus {
		return this.currentStatus
	}

	/** Applies this turn's updates now, for a caller that reads `doc` (an export, a version). */
	applyPending(): void {
		if (!this.log.failed) this.turn.applyTo(this.doc, this.reject)
	}

	/** Adds a peer and starts the sync; false when the room is full or closed. */
	join(peer: Peer): boolean {
		if (this.isClosed || this.peers.size >= this.options.maxPeers) return false
		this.peers.add(peer)
		this.admission.addPeer(peer)
		this.presence.addPeer(peer)
		peer.send(syncStep1Message(this.doc))
		if (!this.presence.isEmpty) peer.send(this.presence.allStates())
		return true
	}

	leave(peer: Peer): void {
		if (!this.peers.delete(peer)) return
		this.admission.removePeer(peer)
		this.presence.removePeer(peer)
		if (this.peers.size === 0 && !this.isClosed) this.options.hooks?.onEmpty?.(this)
	}

	/** Closes the peers matching `which` (all by default); they leave the room. */
	closePeers(reason: CloseReason, which: (peer: Peer) => boolean = () => true): void {
		for (const peer of [...this.peers]) {
			if (!which(peer)) continue
			this.leave(peer)
			peer.close(reason)
		}
	}

	private broadcast(message: Uint8Array): void {
		for (const peer of this.peers) peer.send(message)
	}

	/** Handles one frame of a peer. A frame that cannot be decoded closes that peer only (4400). */
	receive(peer: Peer, message: Uint8Array): void {
		if (this.isClosed || !this.peers.has(peer)) return
		try {
			readFrame(peer, message, this.currentStatus, this.frames)
		} catch (error) {
			this.reject(peer, error)
		}
	}

	/** A frame of `peer` is malformed (4400) or over a limit (its code): that peer is closed, the room goes on. */
	private readonly reject = (peer: Peer, error: unknown): void => {
		if (error instanceof LimitExceeded) this.options.hooks?.onRefused?.(this.name, peer, error.reason)
		else this.options.hooks?.onRejectedFrame?.(this.name, peer, error)
		this.leave(peer)
		peer.close(error instanceof LimitExceeded ? error.close : closeReason.malformed)
	}

	private readonly frames: FrameHandler = {
		syncStep1: (peer, stateVector) => {
			const answer = syncStep2Message(isEmptyStateVector(stateVector) ? this.fullState() : Y.encodeStateAsUpdate(this.doc, stateVector))
			this.log.afterDurable(() => this.peers.has(peer) && peer.send(answer))
		},
		update: (peer, update) => {
			// Refused before it joins the turn: neither applied, stored nor relayed, and the other
			// senders' updates of the turn are untouched.
			this.admission.admit(peer, update)
			this.turn.add(peer, update)
			this.scheduleTurnEnd()
		},
		refusedUpdate: (peer) => {
			if (peer.role === 'viewer') this.options.hooks?.onViewerWriteDropped?.(this.name)
			else this.options.hooks?.onLockedWriteDropped?.(this.name)
		},
		awareness: (peer, update) => this.presence.receive(peer, update),
		queryAwareness: (peer) => peer.send(this.presence.allStates()),
	}

	/**
	 * Sets the lock and agreed version, and publishes them as this room's own awareness state
	 * (see shared/roomStatus). Unlocking asks every participant for what the server lacks: edits
	 * it refused during the lock are still in the participant's document, and the participant's
	 * next edits depend on them, so without this they would stay pending on every side until the
	 * participant reconnects. Refused means neither applied nor relayed while locked.
	 */
	setStatus(status: RoomStatus): void {
		if (this.isClosed) return
		const unlocking = this.currentStatus.locked && !status.locked
		this.currentStatus = status
		this.presence.publishStatus(status)
		if (!unlocking) return
		const ask = syncStep1Message(this.doc)
		for (const peer of this.peers) if (peer.role === 'participant') peer.send(ask)
	}

	/** An update another process stored before publishing it: applied and relayed here, not stored again. */
	receiveRemote(update: Uint8Array): void {
		if (this.isClosed) return
		// Behind the updates peers here sent before it, so that peers get them in that order.
		this.applyPending()
		this.admission.count(update)
		Y.applyUpdate(this.doc, update, REMOTE_ORIGIN)
	}

	/** Awareness changes of another process's peers, relayed to the peers here. */
	receiveRemoteAwareness(update: Uint8Array): void {
		if (!this.isClosed) this.presence.receiveRemote(update)
	}

	/** The awareness states of this process's own peers, for a process that just loaded the room. */
	peerAwareness(): Uint8Array | undefined {
		return this.presence.peerStates()
	}

	/** Changes the document from the server side (an import); relayed to every peer once durable. */
	transact(change: (doc: Y.Doc) => void): void {
		if (this.isClosed) throw new Error(`room ${this.name} is closed`)
		// After what peers sent before: a restore must win over the edits it follows.
		this.applyPending()
		this.doc.transact(() => change(this.doc), SERVER_ORIGIN)
	}

	/** Resolves once every update received so far is durable; rejects if persisting fails. */
	whenDurable(): Promise<void> {
		this.applyPending()
		return this.log.whenDurable()
	}

	/**
	 * The document as one update, for every new client and every compaction: encoding a large
	 * room takes hundreds of milliseconds, so it is reused until the document changes.
	 */
	private fullState(): Uint8Array {
		return (this.cachedState ??= Y.encodeStateAsUpdate(this.doc))
	}

	private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
		this.cachedState = undefined
		// Peers' updates were counted when admitted, remote ones when received.
		if (origin === SERVER_ORIGIN) this.admission.count(update)
		// Already durable; queued behind the local updates applied before it, to keep their order.
		if (origin === REMOTE_ORIGIN) return this.log.appendStored(update, origin)
		this.log.append(update, origin)
		this.scheduleTurnEnd()
	}

	/** Updates arriving in the same turn (one burst of frames) share one transaction and one append. */
	private scheduleTurnEnd(): void {
		if (this.turnEndScheduled) return
		this.turnEndScheduled = true
		setImmediate(this.endTurn)
	}

	private readonly endTurn = () => {
		this.applyPending()
		this.turnEndScheduled = false
		void this.log.flush()
	}

	private relay(batch: LoggedUpdate[]): void {
		const relayed = this.peers.size > 0 ? relayedBatch(batch) : undefined
		if (relayed) for (const peer of this.peers) if (peer !== relayed.skip) peer.send(relayed.message)
	}

	/** Persisting failed: everyone is closed (4503, they reconnect and resend their state), the registry drops this copy. */
	private fail(error: unknown): void {
		this.closePeers(closeReason.unavailable)
		this.options.hooks?.onFailed?.(this, error)
		this.destroy()
	}

	/** Flushes, closes remaining peers with `reason`, compacts and frees the room (idle, or shutting down). */
	async close(reason: CloseReason = closeReason.goingAway): Promise<void> {
		if (this.isClosed) return
		// From here on frames are ignored: their senders still hold those edits and resend them
		// when they reconnect.
		this.closed = true
		this.applyPending()
		await this.log.settle()
		if (this.log.failed) return
		this.closePeers(reason)
		try {
			await this.log.compactIfFragmented()
		} finally {
			this.destroy()
		}
	}

	private destroy(): void {
		this.cachedState = undefined
		this.presence.destroy()
		this.turn.clear()
		this.doc.off('update', this.onDocUpdate)
		this.mapCache.destroy()
		this.doc.destroy()
	}
}
