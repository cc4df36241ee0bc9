import { rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { newRoomTokens } from '../../server/auth'
import { defaultLimits, type Limits } from '../../server/config'
import { createLogger } from '../../server/log'
import { createMetrics } from '../../server/metrics'
import { openSqliteStore } from '../../server/persistence/sqlite'
import { Rooms, type RoomsOptions } from '../../server/rooms'
import { createSyncServer } from '../../server/websocket'
import { SYNC_PATH_PREFIX, type Role } from '../../shared/protocol'
import { tempDataDir } from './server'

/**
 * The WebSocket side and the room registry in this process, on a real SQLite file and a free
 * port, without the HTTP API: for the unit tests of server/websocket.ts and server/rooms.ts.
 */
export async function startWebSocketSide(options: { limits?: Partial<Limits>; keepaliveMs?: number; rooms?: Partial<RoomsOptions> } = {}) {
	const dataDir = tempDataDir()
	const store = await openSqliteStore(dataDir)
	const metrics = createMetrics()
	const log = createLogger('silent')
	const limits = { ...defaultLimits, ...options.limits }
	const rooms = new Rooms({ store, metrics, log, roomIdleMs: 60_000, compactEvery: 1000, maxPeersPerRoom: limits.maxConnectionsPerRoom, ...options.rooms })
	const sync = createSyncServer({ rooms, store, metrics, log, limits, keepaliveMs: options.keepaliveMs })
	const http = createServer((_req, res) => res.writeHead(404).end())
	http.on('upgrade', sync.handleUpgrade)
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
	const { port } = http.address() as AddressInfo
	return {
		store,
		metrics,
		/** The limits in force; a test may change them while the server runs. */
		limits,
		rooms,
		sync,
		wsUrl: `ws://127.0.0.1:${port}${SYNC_PATH_PREFIX.replace(/\/$/, '')}`,
		/** Creates a room in the store; its tokens in clear. */
		async createRoom(id: string): Promise<Record<Role, string>> {
			const { tokens, hashes } = newRoomTokens()
			await store.createRoom({ id, title: id, createdAt: Date.now(), tokens: hashes })
			return tokens
		},
		/** As the server stops: no upgrades, rooms flushed and closed, sockets closed, the store and files gone. */
		async stop(): Promise<void> {
			sync.stopAccepting()
			await rooms.closeAll()
			await sync.close(200)
			http.closeAllConnections()
			await new Promise((resolve) => http.close(resolve))
			await store.close()
			rmSync(dataDir, { recursive: true, force: true })
		},
	}
}
