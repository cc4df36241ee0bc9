import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { getHeapStatistics } from 'node:v8'
import { MAX_IMPORT_BYTES } from '../shared/formats'
import { defaultRoomLimits } from './room/types'

/** Everything the server needs, read once from the environment (see `configFromEnv`). */
export interface ServerConfig {
	port: number
	/** Interface to listen on; undefined = all interfaces. */
	host: string | undefined
	dataDir: string
	/** Fixed admin token; when undefined one is generated once and kept in `dataDir`. */
	adminToken: string | undefined
	/** Base of the links handed out (room and admin links); no trailing slash. */
	publicUrl: string | undefined
	clientDist: string
	limits: Limits
	/** A room without connections is compacted and unloaded after this delay. */
	roomIdleMs: number
	/** Merge a room's update log into one state update once it holds this many updates. */
	compactEvery: number
	/** SQLite `synchronous` in WAL mode: NORMAL survives a process crash, FULL also a power loss. */
	sqliteSynchronous: 'NORMAL' | 'FULL'
	logLevel: string
	/** Scale-out: PostgreSQL instead of SQLite, shared by every process (postgres://…). */
	databaseUrl: string | undefined
	/** Scale-out: the Redis through which processes relay the rooms they hold (redis://…). */
	redisUrl: string | undefined
}

export interface Limits {
	/** Largest WebSocket message accepted; larger ones close the connection with 1009. */
	maxMessageBytes: number
	maxConnectionsPerRoom: number
	maxConnections: number
	/** Largest JSON body of the API. */
	maxJsonBodyBytes: number
	/** Largest imported file. */
	maxImportBytes: number
	/** Largest presence state of one client (see RoomLimits). */
	maxPresenceBytes: number
	/** Largest room document (see RoomLimits). */
	maxRoomBytes: number
	/** Above this JS heap use, rooms not in memory are refused (503) instead of the process running out. */
	maxMemoryMb: number
}

export const defaultLimits: Limits = {
	maxMessageBytes: 16 * 1024 * 1024,
	maxConnectionsPerRoom: 200,
	maxConnections: 2000,
	maxJsonBodyBytes: 16 * 1024,
	maxImportBytes: MAX_IMPORT_BYTES,
	maxPresenceBytes: defaultRoomLimits.maxPresenceBytes,
	maxRoomBytes: defaultRoomLimits.maxRoomBytes,
	maxMemoryMb: Math.floor((getHeapStatistics().heap_size_limit * 0.75) / (1024 * 1024)),
}

/** The nearest directory above this module holding package.json: server/ runs from sources, dist/server/ once built. */
function packageRoot(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url))
	while (!existsSync(path.join(dir, 'package.json'))) {
		const parent = path.dirname(dir)
		if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`)
		dir = parent
	}
	return dir
}

const repoRoot = packageRoot()

/** The variables the server reads, with their defaults (documented in the README). */
export const envDefaults = {
	PORT: '8080',
	HOST: '',
	DATA_DIR: './data',
	MAILLAGE_ADMIN_TOKEN: '',
	PUBLIC_URL: '',
	CLIENT_DIST: path.join(repoRoot, 'client/dist'),
	MAX_MESSAGE_BYTES: String(defaultLimits.maxMessageBytes),
	MAX_CONNECTIONS_PER_ROOM: String(defaultLimits.maxConnectionsPerRoom),
	MAX_CONNECTIONS: String(defaultLimits.maxConnections),
	MAX_JSON_BODY_BYTES: String(defaultLimits.maxJsonBodyBytes),
	MAX_IMPORT_BYTES: String(defaultLimits.maxImportBytes),
	MAX_PRESENCE_BYTES: String(defaultLimits.maxPresenceBytes),
	MAX_ROOM_BYTES: String(defaultLimits.maxRoomBytes),
	MAX_MEMORY_MB: String(defaultLimits.maxMemoryMb),
	ROOM_IDLE_MS: '30000',
	COMPACT_EVERY: '500',
	SQLITE_SYNCHRONOUS: 'NORMAL',
	LOG_LEVEL: 'info',
	DATABASE_URL: '',
	REDIS_URL: '',
} as const

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: keyof typeof envDefaults, min: number): number {
	const raw = env[name] || envDefaults[name]
	const value = Number(raw)
	if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`)
	return value
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
	const pick = (name: keyof typeof envDefaults) => env[name] || envDefaults[name]
	const synchronous = pick('SQLITE_SYNCHRONOUS').toUpperCase()
	if (synchronous !== 'NORMAL' && synchronous !== 'FULL') throw new ConfigError('SQLITE_SYNCHRONOUS must be NORMAL or FULL')
	const adminToken = env.MAILLAGE_ADMIN_TOKEN || undefined
	if (adminToken !== undefined && adminToken.length < 16) throw new ConfigError('MAILLAGE_ADMIN_TOKEN must have at least 16 characters')
	const publicUrl = env.PUBLIC_URL?.replace(/\/+$/, '') || undefined
	if (publicUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(publicUrl)) throw new ConfigError('PUBLIC_URL must be an http(s) URL')
	const databaseUrl = env.DATABASE_URL || undefined
	if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) throw new ConfigError('DATABASE_URL must be a postgres:// URL')
	const redisUrl = env.REDIS_URL || undefined
	if (redisUrl !== undefined && !/^rediss?:\/\/\S+$/.test(redisUrl)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL')
	// Processes relaying to each other must share the rooms themselves, and accept the same admin token.
	if (redisUrl !== undefined && databaseUrl === undefined) throw new ConfigError('REDIS_URL needs DATABASE_URL: the processes must share one store')
	if (redisUrl !== undefined && adminToken === undefined)
		throw new ConfigError('REDIS_URL needs MAILLAGE_ADMIN_TOKEN: every process must accept the same admin token')
	return {
		port: integer(env, 'PORT', 0),
		host: env.HOST || undefined,
		dataDir: path.resolve(pick('DATA_DIR')),
		adminToken,
		publicUrl,
		clientDist: path.resolve(pick('CLIENT_DIST')),
		limits: {
			maxMessageBytes: integer(env, 'MAX_MESSAGE_BYTES', 1024),
			maxConnectionsPerRoom: integer(env, 'MAX_CONNECTIONS_PER_ROOM', 1),
			maxConnections: integer(env, 'MAX_CONNECTIONS', 1),
			maxJsonBodyBytes: integer(env, 'MAX_JSON_BODY_BYTES', 1024),
			maxImportBytes: integer(env, 'MAX_IMPORT_BYTES', 1024),
			maxPresenceBytes: integer(env, 'MAX_PRESENCE_BYTES', 256),
			maxRoomBytes: integer(env, 'MAX_ROOM_BYTES', 1024),
			maxMemoryMb: integer(env, 'MAX_MEMORY_MB', 1),
		},
		roomIdleMs: integer(env, 'ROOM_IDLE_MS', 0),
		compactEvery: integer(env, 'COMPACT_EVERY', 1),
		sqliteSynchronous: synchronous,
		logLevel: pick('LOG_LEVEL'),
		databaseUrl,
		redisUrl,
	}
}

/** The base URL of links: PUBLIC_URL, else the address the server listens on. */
export function publicBaseUrl(config: Pick<ServerConfig, 'publicUrl' | 'host'>, port: number): string {
	if (config.publicUrl) return config.publicUrl
	const host = !config.host || config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
	return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}
