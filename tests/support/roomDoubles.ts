import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { UpdateLog } from '../../server/persistence/types'
import type { CloseReason, Role } from '../../shared/protocol'

/** The room core's tests without a database: an update log in memory. */
export class MemoryUpdateLog implements UpdateLog {
	readonly log: Uint8Array[] = []
	async appendUpdates(_id: string, updates: Uint8Array[]): Promise<void> {
		this.log.push(...updates)
	}
	async loadUpdates(): Promise<Uint8Array[]> {
		return [...this.log]
	}
	async compact(_id: string, state: Uint8Array): Promise<void> {
		this.log.splice(0, this.log.length, state)
	}
}

/**
 * A peer of the room core without a socket: it keeps every frame it was sent, how it was closed,
 * and a replica of the document and of the presences built from those frames.
 */
export class TestPeer {
	readonly received: Uint8Array[] = []
	closedWith: CloseReason | undefined
	readonly doc = new Y.Doc()
	readonly awareness = new awarenessProtocol.Awareness(new Y.Doc())
	constructor(readonly role: Role = 'participant') {}
	send(message: Uint8Array): void {
		this.received.push(message)
		const decoder = decoding.createDecoder(message)
		const type = decoding.readVarUint(decoder)
		if (type === 0) syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), this.doc, 'server')
		if (type === 1) awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), 'server')
	}
	close(reason: CloseReason): void {
		this.closedWith = reason
	}
}

/** A document update that sets one key of the map `m`, from a fresh client. */
export function edit(key: string, value: unknown): Uint8Array {
	const doc = new Y.Doc()
	doc.getMap('m').set(key, value)
	return Y.encodeStateAsUpdate(doc)
}
