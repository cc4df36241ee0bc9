import * as Y from 'yjs'
import { ServerProcess } from './server'
import { startPostgres, startRedis, type PostgresService, type Service } from './services'

/** One Redis, one PostgreSQL and several Maillage processes sharing them, as deployed behind a proxy. */
export interface TestCluster {
	redis: Service
	postgres: PostgresService
	databaseUrl: string
	servers: ServerProcess[]
	/** Kills Redis (SIGKILL) and, after `downMs`, starts a new one on the same port. */
	restartRedis(downMs: number): Promise<void>
	/** Another Maillage process on the same Redis and database. */
	startServer(env?: Record<string, string>): Promise<ServerProcess>
	stop(): Promise<void>
}

export async function startTestCluster(processes: number, env: Record<string, string> = {}): Promise<TestCluster> {
	const [redis, postgres] = await Promise.all([startRedis(), startPostgres()])
	const servers: ServerProcess[] = []
	const cluster: TestCluster = {
		redis,
		postgres,
		databaseUrl: postgres.url,
		servers,
		async startServer(extra = {}) {
			const server = await ServerProcess.start({ env: { DATABASE_URL: postgres.url, REDIS_URL: redis.url, ...env, ...extra } })
			servers.push(server)
			return server
		},
		async restartRedis(downMs) {
			await cluster.redis.stop('SIGKILL')
			await new Promise((r) => setTimeout(r, downMs))
			cluster.redis = await startRedis(cluster.redis.port)
		},
		async stop() {
			await Promise.all(servers.map((s) => s.stop()))
			await Promise.all([cluster.redis.stop(), postgres.stop()])
		},
	}
	try {
		// One after the other: on two cores, parallel tsx start-ups only take longer each.
		for (let i = 0; i < processes; i++) await cluster.startServer()
	} catch (error) {
		await cluster.stop()
		throw error
	}
	return cluster
}

/** Whether applying `update` to a copy of `doc` would change it: false when `doc` already holds all of it. */
export function wouldAdd(doc: Y.Doc, update: Uint8Array): boolean {
	const copy = new Y.Doc()
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
	let changed = false
	copy.on('update', () => (changed = true))
	Y.applyUpdate(copy, update)
	copy.destroy()
	return changed
}
