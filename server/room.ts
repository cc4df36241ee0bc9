import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { isDefaultStatus, ROOM_STATUS_FIELD, unlockedStatus, type RoomStatus } from '../shared/roomStatus'
import type { RoomStore } from './persistence/types'
import { closeReason, mayEdit, messageType, syncMessageType, type CloseReason, type Role } from '../shared/protocol'

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

export interface RoomOptions {
	store: RoomStore
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

export class MalformedMessageError extends Error {}

/** Awareness clients one connection may bring into a room (a provider has one). */
export const MAX_PRESENCES_PER_PEER = 8

/** A document change that is not from a peer (an import), broadcast to every peer. */
export const SERVER_ORIGIN = Symbol('server')

/** A change another server process received and stored: relayed to the peers here, never stored again. */
export const REMOTE_ORIGIN = Symbol('remote process')

/** A message that may only leave once every update applied before it is durable. */
interface Pending {
	watermark: number
	run(): void
	fail?(error: unknown): void
}

/** A document update waiting to be relayed; consecutive ones leave together (see `relay`). */
interface PendingUpdate {
	watermark: number
	update: Uint8Array
	origin: unknown
}

const isUpdate = (entry: Pending | PendingUpdate): entry is PendingUpdate => 'update' in entry

/** A peer's update received this turn, not applied yet (see `applyIncoming`). */
interface Incoming {
	peer: Peer
	update: Uint8Array
}

const seconds = (since: number) => (performance.now() - since) / 1000

function encodeMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder()
	write(encoder)
	return encoding.toUint8Array(encoder)
}

/**
 * The room core: one Y.Doc, its awareness and its peers.
 *
 * The updates peers send during one event-loop turn are applied together, as one Yjs
 * transaction, at the end of the turn. Durability before visibility: what a transaction
 * changed is queued, appended to the store, and only then relayed. Everything derived from the
 * document (relayed updates, sync step 2 answers) waits for the updates applied before it to be
 * committed, so an edit any peer has seen survives a crash.
 */
export class Room {
	private readonly ydoc: Y.Doc
	readonly awareness: awarenessProtocol.Awareness
	private readonly peers = new Map<Peer, Set<number>>()
	private incoming: Incoming[] = []
	private pendingUpdates: Uint8Array[] = []
	private readonly outbox: (Pending | PendingUpdate)[] = []
	private appliedSeq = 0
	private durableSeq = 0
	private storedCount: number
	private flushScheduled = false
	private flushRun: Promise<void> | undefined
	private compacting: Promise<void> | undefined
	private failed = false
	private closed = false
	private currentStatus: RoomStatus = unlockedStatus
	/** The whole document as one update, kept until the next change (see `fullState`). */
	private cachedState: Uint8Array | undefined

	private constructor(
		readonly name: string,
		doc: Y.Doc,
		storedCount: number,
		private readonly options: RoomOptions,
	) {
		this.ydoc = doc
		this.storedCount = storedCount
		this.awareness = new awarenessProtocol.Awareness(doc)
		this.awareness.setLocalState(null)
		this.awareness.on('update', this.onAwarenessUpdate)
		doc.on('update', this.onDocUpdate)
	}

	/** Loads a room from its stored updates; never returns an empty room in place of a failed load. */
	static async load(name: string, options: RoomOptions): Promise<Room> {
		const started = performance.now()
		const doc = new Y.Doc()
		try {
			const updates = await options.store.loadUpdates(name)
			if (updates.length > 0) Y.applyUpdate(doc, updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates))
			options.hooks?.onPersist?.('load', seconds(started))
			return new Room(name, doc, updates.length, options)
		} catch (error) {
			doc.destroy()
			throw new RoomLoadError(name, error)
		}
	}

	/** The document, with every update received so far applied. */
	get doc(): Y.Doc {
		this.applyIncoming()
		return this.ydoc
	}

	get peerCount(): number {
		return this.peers.size
	}

	get isClosed(): boolean {
		return this.closed || this.failed
	}

	// ─── Peers ───────────────────────────────────────────────────────────────────────────────

	/** Adds a peer and starts the sync; false when the room is full or closed. */
	join(peer: Peer): boolean {
		if (this.isClosed || this.peers.size >= this.options.maxPeers) return false
		this.peers.set(peer, new Set())
		peer.send(encodeMessage((e) => {
			encoding.writeVarUint(e, messageType.sync)
			syncProtocol.writeSyncStep1(e, this.ydoc)
		}))
		const states = this.awareness.getStates()
		if (states.size > 0) peer.send(this.awarenessMessage([...states.keys()]))
		return true
	}

	leave(peer: Peer): void {
		const controlled = this.peers.get(peer)
		if (!controlled) return
		this.peers.delete(peer)
		awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled], null)
		if (this.peers.size === 0 && !this.isClosed) this.options.hooks?.onEmpty?.(this)
	}

	/** Closes the peers matching `which` (all by default); they leave the room. */
	closePeers(reason: CloseReason, which: (peer: Peer) => boolean = () => true): void {
		for (const peer of [...this.peers.keys()]) {
			if (!which(peer)) continue
			this.leave(peer)
			peer.close(reason)
		}
	}

	// ─── Incoming messages ───────────────────────────────────────────────────────────────────

	/**
	 * Handles one frame of a peer. A frame that cannot be decoded closes that peer only
	 * (4400); the room and its other peers go on.
	 */
	receive(peer: Peer, message: Uint8Array): void {
		if (this.isClosed || !this.peers.has(peer)) return
		try {
			const decoder = decoding.createDecoder(message)
			const type = decoding.readVarUint(decoder)
			switch (type) {
				case messageType.sync:
					this.receiveSync(peer, decoder)
					break
				case messageType.awareness:
					this.receiveAwareness(peer, decoding.readVarUint8Array(decoder))
					break
				case messageType.queryAwareness:
					peer.send(this.awarenessMessage([...this.awareness.getStates().keys()]))
					break
				default:
					throw new MalformedMessageError(`unknown message type ${type}`)
			}
		} catch (error) {
			this.reject(peer, error)
		}
	}

	/** A frame of `peer` is malformed: that peer is closed (4400), the room goes on. */
	private reject(peer: Peer, error: unknown): void {
		this.options.hooks?.onRejectedFrame?.(this.name, peer, error)
		this.leave(peer)
		peer.close(closeReason.malformed)
	}

	/**
	 * Presence is open to every role, viewers included. A provider speaks for one client (its
	 * own) and echoes the changes it hears of: a frame may name known clients plus a few new ones, and a
	 * connection may bring in at most MAX_PRESENCES_PER_PEER clients. Beyond, it is malformed:
	 * else one connection could make the room keep, and send every newcomer, millions of ghosts.
	 */
	private receiveAwareness(peer: Peer, update: Uint8Array): void {
		const named = decoding.readVarUint(decoding.createDecoder(update))
		// `meta` also remembers clients whose states were removed: echoes of removals name them.
		if (named > this.awareness.meta.size + MAX_PRESENCES_PER_PEER) throw new MalformedMessageError(`awareness update naming ${named} clients`)
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer)
		if ((this.peers.get(peer)?.size ?? 0) > MAX_PRESENCES_PER_PEER) throw new MalformedMessageError(`presence of more than ${MAX_PRESENCES_PER_PEER} clients`)
	}

	private receiveSync(peer: Peer, decoder: decoding.Decoder): void {
		const type = decoding.readVarUint(decoder)
		switch (type) {
			case syncMessageType.step1: {
				const stateVector = decoding.readVarUint8Array(decoder)
				const answer = encodeMessage((e) => {
					encoding.writeVarUint(e, messageType.sync)
					encoding.writeVarUint(e, syncMessageType.step2)
					encoding.writeVarUint8Array(e, isEmptyStateVector(stateVector) ? this.fullState() : Y.encodeStateAsUpdate(this.ydoc, stateVector))
				})
				this.sendWhenDurable(peer, answer)
				return
			}
			case syncMessageType.step2:
			case syncMessageType.update: {
				const update = decoding.readVarUint8Array(decoder)
				if (!mayEdit(peer.role, this.currentStatus)) {
					if (isEmptyUpdate(update)) return
					if (peer.role === 'viewer') this.options.hooks?.onViewerWriteDropped?.(this.name)
					else this.options.hooks?.onLockedWriteDropped?.(this.name)
					return
				}
				if (isEmptyUpdate(update)) return
				this.incoming.push({ peer, update })
				this.scheduleFlush()
				return
			}
			default:
				throw new MalformedMessageError(`unknown sync message type ${type}`)
		}
	}

	// ─── Facilitation ────────────────────────────────────────────────────────────────────────

	get status(): RoomStatus {
		return this.currentStatus
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
		this.publishStatus()
		if (!unlocking) return
		const ask = encodeMessage((e) => {
			encoding.writeVarUint(e, messageType.sync)
			syncProtocol.writeSyncStep1(e, this.ydoc)
		})
		for (const peer of this.peers.keys()) if (peer.role === 'participant') peer.send(ask)
	}

	/** The default status (unlocked, nothing agreed) is published as no state at all. */
	private publishStatus(): void {
		this.awareness.setLocalState(isDefaultStatus(this.currentStatus) ? null : { [ROOM_STATUS_FIELD]: this.currentStatus })
	}

	// ─── Other server processes ──────────────────────────────────────────────────────────────

	/** An update another process stored before publishing it: applied and relayed here, not stored again. */
	receiveRemote(update: Uint8Array): void {
		// Behind the updates peers here sent before it, so that peers get them in that order.
		if (!this.isClosed) Y.applyUpdate(this.doc, update, REMOTE_ORIGIN)
	}

	/** Awareness changes of another process's peers, relayed to the peers here. */
	receiveRemoteAwareness(update: Uint8Array): void {
		if (!this.isClosed) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN)
	}

	/** The awareness states of this process's own peers, for a process that just loaded the room. */
	peerAwareness(): Uint8Array | undefined {
		const ids = [...this.peers.values()].flatMap((controlled) => [...controlled])
		return ids.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids) : undefined
	}

	/** Changes the document from the server side (an import); relayed to every peer once durable. */
	transact(change: (doc: Y.Doc) => void): void {
		if (this.isClosed) throw new Error(`room ${this.name} is closed`)
		// After what peers sent before: a restore must win over the edits it follows.
		const doc = this.doc
		doc.transact(() => change(doc), SERVER_ORIGIN)
	}

	// ─── Applying peers' updates ─────────────────────────────────────────────────────────────

	/**
	 * Applies the updates received since the last turn in one Yjs transaction. Under load a turn
	 * brings dozens of edits per room: together they cost one transaction, one stored row and one
	 * relayed message instead of one each. Each update is decoded first, so that nothing of a
	 * malformed one is integrated; its sender is closed (4400) and what it sent after it in the
	 * turn is dropped, as frames of a closed connection, while the others' edits land.
	 */
	private applyIncoming(): void {
		const batch = this.incoming
		if (batch.length === 0 || this.failed) return
		this.incoming = []
		const rejected = new Set<Peer>()
		const valid: Incoming[] = []
		for (const entry of batch) {
			if (rejected.has(entry.peer)) continue
			try {
				Y.decodeUpdate(entry.update)
				valid.push(entry)
			} catch (error) {
				rejected.add(entry.peer)
				this.reject(entry.peer, error)
			}
		}
		const first = valid[0]
		if (!first) return
		// The relay skips the sender only when the transaction holds nothing but its own edits.
		const origin = valid.every((v) => v.peer === first.peer) ? first.peer : undefined
		const failed = new Set<Peer>()
		this.ydoc.transact(() => {
			for (const { peer, update } of valid) {
				if (failed.has(peer)) continue
				try {
					Y.applyUpdate(this.ydoc, update)
				} catch (error) {
					// Well-formed but impossible to integrate (a reference to a struct that is not a type).
					failed.add(peer)
					this.reject(peer, error)
				}
			}
		}, origin)
	}

	// ─── Durability ──────────────────────────────────────────────────────────────────────────

	/**
	 * The document as one update. Every new client (empty state vector) and every compaction
	 * needs exactly this, and encoding a large room takes hundreds of milliseconds of the event
	 * loop: it is encoded once and reused until the document changes.
	 */
	private fullState(): Uint8Array {
		return (this.cachedState ??= Y.encodeStateAsUpdate(this.ydoc))
	}

	private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
		this.cachedState = undefined
		if (origin === REMOTE_ORIGIN) {
			// Already durable; queued behind the local updates applied before it, to keep their order.
			this.outbox.push({ watermark: this.appliedSeq, update, origin })
			if (this.durableSeq === this.appliedSeq) this.deliver()
			return
		}
		this.pendingUpdates.push(update)
		this.outbox.push({ watermark: ++this.appliedSeq, update, origin })
		this.scheduleFlush()
	}

	private sendWhenDurable(peer: Peer, message: Uint8Array): void {
		if (this.durableSeq === this.appliedSeq) peer.send(message)
		else this.outbox.push({ watermark: this.appliedSeq, run: () => this.peers.has(peer) && peer.send(message) })
	}

	/** Resolves once every update applied so far is durable; rejects if persisting fails. */
	whenDurable(): Promise<void> {
		this.applyIncoming()
		if (this.failed) return Promise.reject(new Error(`room ${this.name} failed`))
		if (this.durableSeq === this.appliedSeq) return Promise.resolve()
		return new Promise((resolve, reject) => this.outbox.push({ watermark: this.appliedSeq, run: resolve, fail: reject }))
	}

	private scheduleFlush(): void {
		if (this.flushScheduled) return
		this.flushScheduled = true
		// Updates arriving in the same turn (one burst of frames) share one transaction.
		setImmediate(() => {
			this.applyIncoming()
			this.flushScheduled = false
			void this.flush()
		})
	}

	private flush(): Promise<void> {
		// One loop at a time: a running loop picks up what was queued meanwhile.
		this.flushRun ??= this.flushLoop().finally(() => {
			this.flushRun = undefined
		})
		return this.flushRun
	}

	private async flushLoop(): Promise<void> {
		try {
			while (this.pendingUpdates.length > 0 && !this.failed) {
				const batch = this.pendingUpdates
				this.pendingUpdates = []
				const upTo = this.appliedSeq
				const started = performance.now()
				await this.options.store.appendUpdates(this.name, batch)
				this.options.hooks?.onPersist?.('append', seconds(started))
				this.storedCount += batch.length
				this.durableSeq = upTo
				this.deliver()
				this.options.relay?.updates(this.name, batch)
				if (this.storedCount >= this.options.compactEvery) this.compactInBackground()
			}
		} catch (error) {
			this.fail(error)
		}
	}

	/** Waits until nothing is queued nor being written. */
	private async settle(): Promise<void> {
		this.applyIncoming()
		while (!this.failed && (this.flushRun || this.pendingUpdates.length > 0 || this.compacting)) {
			await this.flush()
			await this.compacting
		}
	}

	private deliver(): void {
		let due = 0
		while (due < this.outbox.length && (this.outbox[due] as Pending | PendingUpdate).watermark <= this.durableSeq) due++
		let updates: PendingUpdate[] = []
		for (const entry of this.outbox.splice(0, due)) {
			if (isUpdate(entry)) {
				updates.push(entry)
				continue
			}
			this.relay(updates)
			updates = []
			entry.run()
		}
		this.relay(updates)
	}

	/**
	 * Relays the updates committed together as one message, encoded once for every peer: under
	 * load each peer gets one frame (one write) per commit instead of one per update. The sender
	 * already has its updates (y-websocket does not echo them back); when a batch mixes several
	 * senders, everyone gets the whole of it, and a client applying structs it already has
	 * changes nothing.
	 */
	private relay(batch: PendingUpdate[]): void {
		const first = batch[0]
		if (!first || this.peers.size === 0) return
		const update = batch.length === 1 ? first.update : Y.mergeUpdates(batch.map((b) => b.update))
		const skip = batch.every((b) => b.origin === first.origin) ? first.origin : undefined
		const message = encodeMessage((e) => {
			encoding.writeVarUint(e, messageType.sync)
			syncProtocol.writeUpdate(e, update)
		})
		for (const peer of this.peers.keys()) if (peer !== skip) peer.send(message)
	}

	/**
	 * Compacts without holding up the appends that follow. In scale-out mode a compaction reads,
	 * merges and rewrites the room's rows in PostgreSQL under a lock (0.06 to 0.7 s in the
	 * benchmark); awaited in the flush loop, it held every edit of the room back that long. The
	 * stores allow appends meanwhile: SQLite compacts synchronously (nothing interleaves), and
	 * PostgreSQL deletes only the rows it read and merged, so a row appended meanwhile stays.
	 * A failure fails the room, as a failed append does.
	 */
	private compactInBackground(): void {
		if (this.compacting) return
		this.compacting = this.compact()
			.catch((error: unknown) => this.fail(error))
			.finally(() => {
				this.compacting = undefined
			})
	}

	/**
	 * Replaces the stored rows by one state update. The state holds every update applied so far,
	 * so it covers every row stored before it (updates still queued are in it too and will be
	 * appended again, which Yjs ignores on load).
	 */
	private async compact(): Promise<void> {
		const started = performance.now()
		const covered = this.storedCount
		await this.options.store.compact(this.name, this.fullState())
		this.options.hooks?.onPersist?.('compact', seconds(started))
		// Rows appended while the compaction ran are still there, each its own row.
		this.storedCount = 1 + this.storedCount - covered
	}

	/**
	 * Persisting failed: what peers have not seen yet is not durable. Close everyone (4503, they
	 * reconnect and resend their state) and let the registry drop this copy of the document.
	 */
	private fail(error: unknown): void {
		if (this.failed) return
		this.failed = true
		for (const pending of this.outbox.splice(0)) if (!isUpdate(pending)) pending.fail?.(error)
		this.closePeers(closeReason.unavailable)
		this.options.hooks?.onFailed?.(this, error)
		this.destroy()
	}

	/**
	 * Flushes, closes remaining peers with `reason`, compacts and frees the room. Used when the
	 * room has been idle for a while and on shutdown.
	 */
	async close(reason: CloseReason = closeReason.goingAway): Promise<void> {
		if (this.isClosed) return
		// From here on frames are ignored: their senders still hold those edits and resend them
		// when they reconnect.
		this.closed = true
		await this.settle()
		if (this.failed) return
		this.closePeers(reason)
		try {
			if (this.storedCount > 1) await this.compact()
		} finally {
			this.destroy()
		}
	}

	private destroy(): void {
		this.cachedState = undefined
		this.awareness.off('update', this.onAwarenessUpdate)
		this.awareness.destroy()
		this.incoming = []
		this.ydoc.off('update', this.onDocUpdate)
		this.ydoc.destroy()
	}

	// ─── Awareness ───────────────────────────────────────────────────────────────────────────

	private readonly onAwarenessUpdate = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown,
	) => {
		const controlled = this.peers.get(origin as Peer)
		const remote = origin === REMOTE_ORIGIN
		let changed = [...added, ...updated, ...removed]
		let forged: number[] = []
		if (controlled || remote) {
			forged = [...added, ...updated].filter((id) => this.speaksForServer(id))
			changed = changed.filter((id) => !forged.includes(id))
		}
		if (controlled) {
			for (const id of added) if (!forged.includes(id)) controlled.add(id)
			for (const id of removed) controlled.delete(id)
		}
		// Other processes get the changes of the peers here (each process publishes its own status,
		// and times out remote states by itself).
		const relayed = this.options.relay && !remote && origin !== 'timeout' ? changed.filter((id) => id !== this.awareness.clientID) : []
		if (relayed.length > 0) this.options.relay?.awareness(this.name, awarenessProtocol.encodeAwarenessUpdate(this.awareness, relayed))
		// Sent to everyone, the sender included: a provider alone in a room relies on its own
		// awareness renewals coming back to know the connection is alive.
		if (changed.length > 0) {
			const message = this.awarenessMessage(changed)
			for (const peer of this.peers.keys()) peer.send(message)
		}
		if (forged.length > 0) this.disown(forged)
	}

	/** The room's own awareness entry, or an entry carrying the room status: only the server writes those. */
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
		if (others.length < ids.length) this.publishStatus()
	}

	private awarenessMessage(clients: number[]): Uint8Array {
		return encodeMessage((e) => {
			encoding.writeVarUint(e, messageType.awareness)
			encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
		})
	}
}

/** The state vector of a client that has nothing yet (a new client): no entries. */
function isEmptyStateVector(stateVector: Uint8Array): boolean {
	return stateVector.length === 1 && stateVector[0] === 0
}

/** The update a client sends when it has nothing new: no structs, empty delete set. */
function isEmptyUpdate(update: Uint8Array): boolean {
	return update.length === 2 && update[0] === 0 && update[1] === 0
}
