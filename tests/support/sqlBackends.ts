import Database from 'better-sqlite3'
import { copyFileSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { openPostgresStore } from '../../server/persistence/postgres'
import { DATABASE_FILE, openSqliteStore } from '../../server/persistence/sqlite'
import type { Store } from '../../server/persistence/types'
import { tempDataDir } from './server'
import { startPostgres, type PostgresService } from './services'

/**
 * The two engines of the SQL store, for tests that run against both: each gives fresh
 * databases, a store on one, and direct SQL access to it (what an operator or another
 * process could do behind the store's back).
 */

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

export type Engine = 'sqlite' | 'postgres'

export interface TestDatabase {
	/** A store on this database (migrating it if needed); closed by the backend's `cleanup`. */
	open(): Promise<Store>
	/** Runs SQL directly, with `?` placeholders on SQLite and `$1` on PostgreSQL. */
	raw(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>
	/** Fills the (empty) database with the fixture written by the store before migrations. */
	restoreLegacy(): Promise<void>
}

export interface SqlBackend {
	engine: Engine
	/** A new empty database. */
	fresh(): Promise<TestDatabase>
	/** Closes the stores opened so far. */
	closeStores(): Promise<void>
	/** Closes the stores and removes every database. */
	stop(): Promise<void>
}

export function sqliteBackend(): SqlBackend {
	const dirs: string[] = []
	const stores: Store[] = []
	return {
		engine: 'sqlite',
		async fresh() {
			const dir = tempDataDir()
			dirs.push(dir)
			const file = path.join(dir, DATABASE_FILE)
			return {
				async open() {
					const store = await openSqliteStore(dir)
					stores.push(store)
					return store
				},
				async raw(sql, params = []) {
					const db = new Database(file, { timeout: 5000 })
					try {
						const statement = db.prepare(sql)
						if (statement.reader) return statement.all(...params) as Record<string, unknown>[]
						statement.run(...params)
						return []
					} finally {
						db.close()
					}
				},
				async restoreLegacy() {
					copyFileSync(path.join(fixtures, 'legacy.sqlite'), file)
				},
			}
		},
		async closeStores() {
			for (const store of stores.splice(0)) await store.close()
		},
		async stop() {
			await this.closeStores()
			for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
		},
	}
}

/** One throw-away PostgreSQL cluster (started by the first `fresh`), a new database per `fresh`. */
export function postgresBackend(): SqlBackend {
	let service: Promise<PostgresService> | undefined
	const stores: Store[] = []
	let databases = 0
	return {
		engine: 'postgres',
		async fresh() {
			const url = await (await (service ??= startPostgres())).createDatabase(`contract_${++databases}`)
			const withClient = async <T>(use: (client: pg.Client) => Promise<T>): Promise<T> => {
				const client = new pg.Client({ connectionString: url })
				await client.connect()
				try {
					return await use(client)
				} finally {
					await client.end()
				}
			}
			return {
				async open() {
					const store = await openPostgresStore(url)
					stores.push(store)
					return store
				},
				raw: (sql, params) => withClient(async (client) => (await client.query(sql, params)).rows),
				// A pg_dump: statements for the simple query protocol, run by a connection of their own.
				restoreLegacy: () => withClient(async (client) => void (await client.query(readFileSync(path.join(fixtures, 'legacy-postgres.sql'), 'utf8')))),
			}
		},
		async closeStores() {
			for (const store of stores.splice(0)) await store.close()
		},
		async stop() {
			await this.closeStores()
			await (await service)?.stop()
			service = undefined
		},
	}
}
