import * as Y from 'yjs'
import type { Peer } from './types'

/** A peer's update received this turn, not applied yet. */
interface Incoming {
	peer: Peer
	update: Uint8Array
}

/**
 * The updates peers sent during one event-loop turn, applied together as one Yjs transaction.
 * Under load a turn brings dozens of edits per room: together they cost one transaction, one
 * stored row and one relayed message instead of one each.
 */
export class TurnBatch {
	private incoming: Incoming[] = []

	get isEmpty(): boolean {
		return this.incoming.length === 0
	}

	add(peer: Peer, update: Uint8Array): void {
		this.incoming.push({ peer, update })
	}

	/** Drops what was received and not applied (the room is going away). */
	clear(): void {
		this.incoming = []
	}

	/**
	 * Applies what was received since the last call, in one transaction on `doc`. Each update is
	 * decoded first, so that nothing of a malformed one is integrated; its sender is handed to
	 * `reject` and what it sent after it in the turn is dropped, as frames of a closed
	 * connection, while the others' edits land. The transaction's origin is the sender when it
	 * holds nothing but one peer's edits (the relay skips that peer), else undefined.
	 */
	applyTo(doc: Y.Doc, reject: (peer: Peer, error: unknown) => void): void {
		const batch = this.incoming
		if (batch.length === 0) return
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
				reject(entry.peer, error)
			}
		}
		const first = valid[0]
		if (!first) return
		const origin = valid.every((v) => v.peer === first.peer) ? first.peer : undefined
		const failed = new Set<Peer>()
		doc.transact(() => {
			for (const { peer, update } of valid) {
				if (failed.has(peer)) continue
				try {
					Y.applyUpdate(doc, update)
				} catch (error) {
					// Well-formed but impossible to integrate (a reference to a struct that is not a type).
					failed.add(peer)
					reject(peer, error)
				}
			}
		}, origin)
	}
}
