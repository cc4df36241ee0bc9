import { mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hashToken, resolveAdminToken } from './auth'
import type { Cluster } from './cluster/types'
import { publicBaseUrl, type ServerConfig } from './config'
import { createHttpHandler } from './http'
import { adminLink } from './http/api'
import { createLogger, type Logger } from './log'
import { createMetrics, type Metrics } from './metrics'
import { openSqliteStore } from './persistence/sqlite'
import type { Store } from './persistence/types'
import { defaultRoomLimits } from './room'
import { Rooms } from './rooms'
import { createSyncServer } from './websocket'

export interface RunningServer {
	/** http://host:port */
	url: string
	port: number
	/** Base of the links handed out (PUBLIC_URL or the listening address). */
	publicUrl: string
	adminToken: string
	/** True when the admin token was generated and stored in DATA_DIR (not given by env). */
	adminTokenStored: boolean
	adminLink: string
	/** Graceful stop: no new connections, everything flushed, sockets closed with 1001. */
	close(): Promise<void>
}

/** Starts the whole server (HTTP + WebSocket on one port). Importable by tests and `main.ts`. */
export async function startServer(config: ServerConfig, options: { log?: Logger; store?: Store } = {}): Promise<RunningServer> {
	const log = options.log ?? createLogger(config.logLevel)
	mkdirSync(config.dataDir, { recursive: true })
	const admin = resolveAdminToken(config.dataDir, config.adminToken)
	const store = options.store ?? (await openStore(config, log))
	const metrics = createMetrics()
	let cluster: Cluster | undefined
	try {
		cluster = await startCluster(config, store, log, metrics)
	} catch (error) {
		await store.close()
		throw error
	}
	const rooms = new Rooms({
		store,
		metrics,
		log,
		roomIdleMs: config.roomIdleMs,
		compactEvery: config.compactEvery,
		maxPeersPerRoom: config.limits.maxConnectionsPerRoom,
		roomLimits: { ...defaultRoomLimits, maxPresenceBytes: config.limits.maxPresenceBytes, maxRoomBytes: config.limits.maxRoomBytes },
		cluster,
	})
	const sync = createSyncServer({ rooms, store, metrics, log, limits: config.limits, cluster })
	let publicUrl = ''
	const http = createServer(
		createHttpHandler({
			store,
			rooms,
			sync,
			log,
			metrics,
			limits: config.limits,
			clientDist: config.clientDist,
			adminTokenHash: hashToken(admin.token),
			publicUrl: () => publicUrl,
		}),
	)
	http.on('upgrade', sync.handleUpgrade)
	http.on('clientError', (_error, socket) => socket.destroy())

	await new Promise<void>((resolve, reject) => {
		http.once('error', reject)
		http.listen(config.port, config.host, () => resolve())
	})
	const port = (http.address() as AddressInfo).port
	publicUrl = publicBaseUrl(config, port)
	const host = !config.host || config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
	log.info({ port, host: config.host ?? '*', dataDir: config.dataDir }, 'listening')

	let closing: Promise<void> | undefined
	const close = () =>
		(closing ??= (async () => {
			sync.stopAccepting()
			http.close()
			await rooms.closeAll()
			await sync.close()
			await cluster?.close()
			await store.close()
			http.closeAllConnections()
			log.info('stopped')
		})())

	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
		port,
		publicUrl,
		adminToken: admin.token,
		adminTokenStored: admin.generated,
		adminLink: adminLink(publicUrl, admin.token),
		close,
	}
}

// The scale-out engines are imported only when configured: a single process needs neither pg nor ioredis.
async function openStore(config: ServerConfig, log: Logger): Promise<Store> {
	if (!config.databaseUrl) return openSqliteStore(config.dataDir, config.sqliteSynchronous)
	const { openPostgresStore } = await import('./persistence/postgres')
	return openPostgresStore(config.databaseUrl, { onError: (error) => log.error({ err: error.message }, 'PostgreSQL connection error') })
}

async function startCluster(config: ServerConfig, store: Store, log: Logger, metrics: Metrics): Promise<Cluster | undefined> {
	if (!config.redisUrl) return undefined
	const { startRedisCluster } = await import('./cluster/redis')
	return startRedisCluster({ url: config.redisUrl, store, log, metrics })
}
