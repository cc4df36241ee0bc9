import type { IncomingMessage } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { getHeapStatistics } from 'node:v8'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { roleOf } from './auth'
import type { Cluster } from './cluster/types'
import type { Limits } from './config'
import { Connection } from './connection'
import type { Logger } from './log'
import type { Metrics } from './metrics'
import type { RoomStore } from './persistence/types'
import { closeReason, isRoomId, SYNC_PATH_PREFIX, type Role } from '../shared/protocol'
import type { Room } from './room'
import { ShuttingDownError, type Rooms } from './rooms'

export interface SyncServerOptions {
	rooms: Rooms
	store: RoomStore
	metrics: Metrics
	log: Logger
	limits: Limits
	keepaliveMs?: number
	/** Scale-out mode: token rotations reach the connections of every process. */
	cluster?: Cluster
}

/** Frames a connection may send while its room is still loading. */
const MAX_EARLY_FRAMES = 256

function refuseUpgrade(socket: Duplex, status: number): void {
	const text = STATUS_CODES[status] ?? 'Error'
	// As ws does: destroy only once the answer is flushed, or the client sees a reset instead.
	socket.once('finish', () => socket.destroy())
	socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`)
}

/** The frame's bytes, not copied: ws hands over a fresh Buffer per message (binaryType nodebuffer). */
function toBytes(data: RawData): Uint8Array {
	if (Buffer.isBuffer(data)) return data
	return Array.isArray(data) ? Buffer.concat(data) : new Uint8Array(data)
}

/**
 * The WebSocket side: authenticates the upgrade before anything is loaded (no or bad token:
 * 401/403 and no room touched), then ties the socket to its room.
 */
export function createSyncServer({ rooms, store, metrics, log, limits, keepaliveMs = 30_000, cluster }: SyncServerOptions) {
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false })
	const connections = new Set<Connection>()
	let accepting = true

	// A peer that does not answer a ping within one round is gone (half-open TCP).
	const keepalive = setInterval(() => {
		for (const connection of connections) {
			if (!connection.alive) {
				connection.socket.terminate()
				continue
			}
			connection.alive = false
			connection.socket.ping()
		}
	}, keepaliveMs)
	keepalive.unref()

	async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		socket.on('error', () => socket.destroy())
		const refuse = (status: number) => {
			metrics.refusedUpgrades.inc({ status: String(status) })
			refuseUpgrade(socket, status)
		}
		if (!accepting) return refuse(503)
		const url = new URL(request.url ?? '/', 'http://localhost')
		if (!url.pathname.startsWith(SYNC_PATH_PREFIX)) return refuse(404)
		const name = url.pathname.slice(SYNC_PATH_PREFIX.length)
		if (!isRoomId(name)) return refuse(400)
		if (connections.size >= limits.maxConnections) return refuse(503)
		const token = url.searchParams.get('token')
		if (!token) return refuse(401)
		let role: Role | undefined
		try {
			const record = await store.getRoom(name)
			role = record && roleOf(token, record.tokens)
		} catch (error) {
			log.error({ room: name, err: String(error) }, 'reading room tokens failed')
			return refuse(503)
		}
		// An unknown room answers like a wrong token: room ids cannot be probed.
		if (!role) return refuse(403)
		// A room in memory costs nothing more to join; loading another one might be what kills the process.
		if (!rooms.loaded(name) && getHeapStatistics().used_heap_size > limits.maxMemoryMb * 1024 * 1024) {
			metrics.refusals.inc({ reason: 'memory' })
			log.warn({ room: name, role, heapMb: Math.round(getHeapStatistics().used_heap_size / 1024 / 1024) }, 'memory over MAX_MEMORY_MB, new room refused')
			return refuse(503)
		}
		if (socket.destroyed || !accepting) return
		// Checked again: other upgrades may have been accepted while the tokens were read.
		if (connections.size >= limits.maxConnections) return refuse(503)
		wss.handleUpgrade(request, socket, head, (ws) => accept(ws, name, role))
	}

	function accept(ws: WebSocket, name: string, role: Role): void {
		const connection = new Connection(ws, name, role, metrics)
		connections.add(connection)
		metrics.connections.inc({ role })
		log.info({ room: name, role }, 'connection opened')
		let room: Room | undefined
		const early: Uint8Array[] = []

		ws.on('message', (data, isBinary) => {
			const bytes = toBytes(data)
			connection.countIn(bytes.byteLength)
			if (!isBinary || (!room && early.length >= MAX_EARLY_FRAMES)) {
				metrics.rejectedFrames.inc({ reason: 'malformed' })
				room?.leave(connection)
				connection.close(closeReason.malformed)
				return
			}
			if (room) room.receive(connection, bytes)
			else early.push(bytes)
		})
		ws.on('pong', () => {
			connection.alive = true
		})
		// ws closes the socket itself (1009 for an oversize frame, 1002 for a protocol error).
		ws.on('error', (error: Error & { code?: string }) => {
			const oversize = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
			metrics.rejectedFrames.inc({ reason: oversize ? 'oversize' : 'protocol' })
			log.warn({ room: name, role, code: error.code }, oversize ? 'message too big, connection closed' : 'WebSocket protocol error')
		})
		ws.on('close', (code, reason) => {
			connections.delete(connection)
			metrics.connections.dec({ role })
			room?.leave(connection)
			log.info({ ...connection.summary(), code, reason: reason.toString() }, 'connection closed')
		})

		rooms.open(name).then(
			(opened) => {
				try {
					if (ws.readyState !== WebSocket.OPEN) return
					if (!opened.join(connection)) return connection.close(closeReason.roomFull)
					room = opened
					for (const frame of early.splice(0)) opened.receive(connection, frame)
				} finally {
					rooms.release(opened)
				}
			},
			(error: unknown) => connection.close(error instanceof ShuttingDownError ? closeReason.goingAway : closeReason.unavailable),
		)
	}

	function closeLocalRoles(name: string, roles: readonly Role[]): void {
		for (const connection of connections)
			if (connection.room === name && roles.includes(connection.role)) connection.close(closeReason.tokenRevoked)
	}
	cluster?.onTokensRotated(closeLocalRoles)

	/** Closes the connections of a room that hold one of `roles` (their token was rotated), in every process. */
	function closeRoles(name: string, roles: readonly Role[]): void {
		closeLocalRoles(name, roles)
		cluster?.tokensRotated(name, roles)
	}

	/** Stops accepting upgrades; used first thing on shutdown. */
	function stopAccepting(): void {
		accepting = false
	}

	/** Closes what is left (connections of rooms still loading), waiting a little for the handshakes. */
	async function close(graceMs = 2000): Promise<void> {
		accepting = false
		clearInterval(keepalive)
		for (const connection of connections) connection.close(closeReason.goingAway)
		const deadline = Date.now() + graceMs
		while (connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
		for (const connection of connections) connection.socket.terminate()
		await new Promise<void>((resolve) => wss.close(() => resolve()))
	}

	return {
		handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void handleUpgrade(request, socket, head),
		closeRoles,
		stopAccepting,
		close,
		get connectionCount() {
			return connections.size
		},
	}
}

export type SyncServer = ReturnType<typeof createSyncServer>
