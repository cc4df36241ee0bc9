import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import { waitFor } from './server'

/** A stock y-websocket client, as a browser would use it (no BroadcastChannel shortcut). */
export interface StockClient {
	doc: Y.Doc
	provider: WebsocketProvider
	closes: { code: number; reason: string }[]
	destroy(): void
}

export function stockClient(wsUrl: string, room: string, token: string, options: { connect?: boolean } = {}): StockClient {
	const doc = new Y.Doc()
	const provider = new WebsocketProvider(wsUrl, room, doc, {
		params: { token },
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		// In one process every provider would otherwise sync through BroadcastChannel, server or not.
		disableBc: true,
		connect: options.connect ?? true,
		maxBackoffTime: 200,
	})
	const closes: { code: number; reason: string }[] = []
	provider.on('connection-close', (event) => {
		if (event) closes.push({ code: event.code, reason: event.reason })
	})
	return {
		doc,
		provider,
		closes,
		destroy: () => {
			provider.destroy()
			doc.destroy()
		},
	}
}

export async function synced(client: StockClient, timeout = 10_000): Promise<void> {
	await waitFor(() => client.provider.synced, { timeout, what: 'the provider to sync' })
}

/** A raw WebSocket to the sync endpoint, for hand-built frames and close codes. */
export class RawSocket {
	readonly messages: Uint8Array[] = []
	closed: { code: number; reason: string } | undefined
	unexpectedStatus: number | undefined
	readonly opened: Promise<void>
	readonly ws: WebSocket

	constructor(url: string) {
		this.ws = new WebSocket(url)
		this.ws.binaryType = 'nodebuffer'
		this.ws.on('message', (data: Buffer) => this.messages.push(new Uint8Array(data)))
		this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }))
		this.ws.on('error', () => undefined)
		this.ws.on('unexpected-response', (_req, res) => {
			this.unexpectedStatus = res.statusCode
			this.closed = { code: -1, reason: `HTTP ${res.statusCode}` }
			res.resume()
		})
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', () => resolve())
			this.ws.once('close', () => reject(new Error('closed before open')))
			this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
		})
		this.opened.catch(() => undefined)
	}

	static to(wsUrl: string, room: string, token?: string): RawSocket {
		return new RawSocket(`${wsUrl}/${room}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`)
	}

	send(frame: Uint8Array | string): void {
		this.ws.send(frame)
	}

	async waitClosed(timeout = 10_000): Promise<{ code: number; reason: string }> {
		return (await waitFor(() => this.closed, { timeout, what: 'the socket to close' })) as { code: number; reason: string }
	}

	close(): void {
		this.ws.terminate()
	}
}

/** Upgrade status of a connection attempt: 101 when accepted, else the HTTP status of the refusal. */
export async function upgradeStatus(wsUrl: string, room: string, token?: string): Promise<number> {
	const socket = RawSocket.to(wsUrl, room, token)
	try {
		await socket.opened
		return 101
	} catch {
		return socket.unexpectedStatus ?? -1
	} finally {
		socket.close()
	}
}

export function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder()
	write(encoder)
	return encoding.toUint8Array(encoder)
}

/** A sync message carrying a document update (what a writer sends when it edits). */
export function updateFrame(update: Uint8Array): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, 0)
		syncProtocol.writeUpdate(e, update)
	})
}

/** Sync step 2: the answer to a state request, which also carries document content. */
export function syncStep2Frame(update: Uint8Array): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, 0)
		encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2)
		encoding.writeVarUint8Array(e, update)
	})
}

export function syncStep1Frame(doc: Y.Doc): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, 0)
		syncProtocol.writeSyncStep1(e, doc)
	})
}

/** Applies every sync message a raw socket received to `doc` (to see what the server sent). */
export function applyReceived(doc: Y.Doc, messages: Uint8Array[]): void {
	for (const message of messages) {
		const decoder = decoding.createDecoder(message)
		if (decoding.readVarUint(decoder) !== 0) continue
		syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server')
	}
}
