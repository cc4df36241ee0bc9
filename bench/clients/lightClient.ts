import { WebSocket } from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { socketUrl, type RoomTicket, type Target } from './target'

const SYNC = 0
const AUTH = 2
const AUTH_TOKEN = 0
const AUTH_DENIED = 1
/** The provider version Hocuspocus expects in the authentication message. */
const HOCUSPOCUS_PROVIDER_VERSION = '4.7.0'

export const LOCAL = Symbol('local edit')

/**
 * A client that speaks the same protocol as the stock providers (sync step 1/2, updates, the
 * Hocuspocus authentication message) but keeps no replica of the room: its Y.Doc only holds its
 * own edits, and received updates are handed to `onUpdate` as bytes. A thousand stock providers
 * would spend two cores integrating updates; these leave the CPU to the server under test.
 */
export class LightClient {
	readonly doc = new Y.Doc()
	readonly ws: WebSocket
	synced = false
	closed = false
	readonly ready: Promise<void>
	private readonly prefix: Uint8Array

	constructor(
		private readonly target: Target,
		readonly room: RoomTicket,
		private readonly onUpdate: (message: Buffer) => void = () => undefined,
		/** Its place in the room: in scale-out, which process it connects to. */
		member = 0,
	) {
		this.prefix = target.flavor === 'hocuspocus' ? encodeString(room.name) : new Uint8Array()
		this.ws = new WebSocket(socketUrl(target, room, member), { perMessageDeflate: false })
		this.ws.binaryType = 'nodebuffer'
		let markSynced = () => {}
		let fail = (_error: Error) => {}
		this.ready = new Promise<void>((resolve, reject) => {
			markSynced = resolve
			fail = reject
		})
		this.ready.catch(() => undefined)
		this.ws.on('open', () => {
			if (target.flavor === 'hocuspocus')
				this.send((e) => {
					encoding.writeVarUint(e, AUTH)
					encoding.writeVarUint(e, AUTH_TOKEN)
					encoding.writeVarString(e, room.token)
					encoding.writeVarString(e, HOCUSPOCUS_PROVIDER_VERSION)
				})
			this.send((e) => {
				encoding.writeVarUint(e, SYNC)
				syncProtocol.writeSyncStep1(e, this.doc)
			})
		})
		this.ws.on('message', (data: Buffer) => {
			try {
				if (this.receive(data) && !this.synced) {
					this.synced = true
					markSynced()
				}
			} catch (error) {
				fail(error as Error)
			}
		})
		this.ws.on('error', (error) => fail(error))
		this.ws.on('close', (code) => {
			this.closed = true
			fail(new Error(`closed with ${code}`))
		})
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== LOCAL || this.ws.readyState !== WebSocket.OPEN) return
			this.send((e) => {
				encoding.writeVarUint(e, SYNC)
				syncProtocol.writeUpdate(e, update)
			})
		})
	}

	/** Handles one message; true when it completes the initial sync (sync step 2). */
	private receive(data: Buffer): boolean {
		const decoder = decoding.createDecoder(data)
		if (this.target.flavor === 'hocuspocus') decoding.readVarString(decoder)
		const type = decoding.readVarUint(decoder)
		if (type === AUTH) {
			if (decoding.readVarUint(decoder) === AUTH_DENIED) throw new Error('authentication refused')
			return false
		}
		if (type !== SYNC) return false
		switch (decoding.readVarUint(decoder)) {
			case syncProtocol.messageYjsSyncStep1: {
				const stateVector = decoding.readVarUint8Array(decoder)
				this.send((e) => {
					encoding.writeVarUint(e, SYNC)
					syncProtocol.writeSyncStep2(e, this.doc, stateVector)
				})
				return false
			}
			case syncProtocol.messageYjsSyncStep2:
				return true
			case syncProtocol.messageYjsUpdate:
				this.onUpdate(data)
				return false
			default:
				return false
		}
	}

	private send(write: (encoder: encoding.Encoder) => void): void {
		const encoder = encoding.createEncoder()
		encoding.writeUint8Array(encoder, this.prefix)
		write(encoder)
		this.ws.send(encoding.toUint8Array(encoder))
	}

	/** Sends a whole document state as one update (used to upload the large map). */
	sendUpdate(update: Uint8Array): void {
		this.send((e) => {
			encoding.writeVarUint(e, SYNC)
			syncProtocol.writeUpdate(e, update)
		})
	}

	close(): void {
		this.ws.terminate()
		this.doc.destroy()
	}
}

function encodeString(text: string): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarString(encoder, text)
	return encoding.toUint8Array(encoder)
}
