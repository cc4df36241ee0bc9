import { mergeUpdates, type Doc } from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { mayEdit, messageType, syncMessageType } from '../../shared/protocol'
import type { LoggedUpdate } from './durableLog'
import type { Peer } from './types'

/**
 * The y-websocket frames the room reads and writes. Decoding is kept apart from what the room
 * does with a frame, and the write rule is applied here, once, for every frame that carries
 * document content (sync step 2 and update alike).
 */

export class MalformedMessageError extends Error {}

/** What the room does with each kind of frame; `readFrame` calls exactly one of these (or none). */
export interface FrameHandler {
	syncStep1(peer: Peer, stateVector: Uint8Array): void
	/** A non-empty update from a peer that may edit. */
	update(peer: Peer, update: Uint8Array): void
	/** A non-empty update from a peer that may not edit now (a viewer, or a participant while locked). */
	refusedUpdate(peer: Peer): void
	awareness(peer: Peer, update: Uint8Array): void
	queryAwareness(peer: Peer): void
}

/**
 * Decodes one frame of `peer` and hands it to `handler`; `status` (the room's lock) decides
 * with the peer's role whether an update may be applied. Throws MalformedMessageError (or a
 * lib0 decoding error) for a frame that is not a y-websocket message. The payloads are views on
 * the frame, not copies.
 */
export function readFrame(peer: Peer, message: Uint8Array, status: { locked: boolean }, handler: FrameHandler): void {
	const decoder = decoding.createDecoder(message)
	const type = decoding.readVarUint(decoder)
	switch (type) {
		case messageType.sync:
			return readSync(peer, decoder, status, handler)
		case messageType.awareness:
			return handler.awareness(peer, decoding.readVarUint8Array(decoder))
		case messageType.queryAwareness:
			return handler.queryAwareness(peer)
		default:
			throw new MalformedMessageError(`unknown message type ${type}`)
	}
}

function readSync(peer: Peer, decoder: decoding.Decoder, status: { locked: boolean }, handler: FrameHandler): void {
	const type = decoding.readVarUint(decoder)
	switch (type) {
		case syncMessageType.step1:
			return handler.syncStep1(peer, decoding.readVarUint8Array(decoder))
		case syncMessageType.step2:
		case syncMessageType.update: {
			const update = decoding.readVarUint8Array(decoder)
			// A client that has nothing new sends this even when it may not write: not a refused write.
			if (isEmptyUpdate(update)) return
			if (mayEdit(peer.role, status)) handler.update(peer, update)
			else handler.refusedUpdate(peer)
			return
		}
		default:
			throw new MalformedMessageError(`unknown sync message type ${type}`)
	}
}

/** The state vector of a client that has nothing yet (a new client): no entries. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
	return stateVector.length === 1 && stateVector[0] === 0
}

/** The update a client sends when it has nothing new: no structs, empty delete set. */
function isEmptyUpdate(update: Uint8Array): boolean {
	return update.length === 2 && update[0] === 0 && update[1] === 0
}

function encodeMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder()
	write(encoder)
	return encoding.toUint8Array(encoder)
}

/** Sync step 1: the server's state vector, asking the client for what the server lacks. */
export function syncStep1Message(doc: Doc): Uint8Array {
	return encodeMessage((e) => {
		encoding.writeVarUint(e, messageType.sync)
		syncProtocol.writeSyncStep1(e, doc)
	})
}

/** Sync step 2: the answer to a client's step 1, `update` being what it lacks. */
export function syncStep2Message(update: Uint8Array): Uint8Array {
	return encodeMessage((e) => {
		encoding.writeVarUint(e, messageType.sync)
		encoding.writeVarUint(e, syncMessageType.step2)
		encoding.writeVarUint8Array(e, update)
	})
}

export function updateMessage(update: Uint8Array): Uint8Array {
	return encodeMessage((e) => {
		encoding.writeVarUint(e, messageType.sync)
		syncProtocol.writeUpdate(e, update)
	})
}

/**
 * The updates committed together as one message, encoded once for every peer: under load each
 * peer gets one frame (one write) per commit instead of one per update. The sender already has
 * its updates (y-websocket does not echo them back), so it is skipped; when a batch mixes several
 * senders, everyone gets the whole of it, and a client applying structs it already has changes
 * nothing.
 */
export function relayedBatch(batch: LoggedUpdate[]): { message: Uint8Array; skip: unknown } | undefined {
	const first = batch[0]
	if (!first) return undefined
	const update = batch.length === 1 ? first.update : mergeUpdates(batch.map((b) => b.update))
	const skip = batch.every((b) => b.origin === first.origin) ? first.origin : undefined
	return { message: updateMessage(update), skip }
}

/** The awareness states of `clients` (a removed client is sent as removed). */
export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
	return encodeMessage((e) => {
		encoding.writeVarUint(e, messageType.awareness)
		encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
	})
}
