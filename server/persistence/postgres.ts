import pg from 'pg'
import type { Dialect, SqlDriver, SqlRow, SqlRunner, SqlValue, TransactionLock } from './sql'
import { SqlStore } from './sqlStore'

/**
 * The shared store of the scale-out mode (DATABASE_URL): the same tables as the SQLite store, in
 * PostgreSQL, so that several server processes see the same rooms, tokens, updates, locks and
 * versions. Nothing is cached here: a token rotated through one process is refused by all.
 *
 * Durability: every write is one committed statement or transaction (`synchronous_commit` on by
 * default), so an append that resolved survives the crash of any server process.
 */

const dialect: Dialect = {
	millis: 'BIGINT',
	bytes: 'BYTEA',
	updateKey: 'id',
	updateKeyDefinition: 'id BIGSERIAL PRIMARY KEY',
	tableOptions: '',
	immutableVersions: `
		CREATE OR REPLACE FUNCTION maillage_versions_are_immutable() RETURNS trigger LANGUAGE plpgsql AS
		$$ BEGIN RAISE EXCEPTION 'versions are immutable'; END $$;
		DROP TRIGGER IF EXISTS versions_are_immutable ON versions;
		CREATE TRIGGER versions_are_immutable BEFORE UPDATE ON versions
		FOR EACH ROW EXECUTE FUNCTION maillage_versions_are_immutable();`,
	sharedByProcesses: true,
}

/** Advisory lock classes (first key of `pg_advisory_xact_lock(int, int)`), the room's hash the second. */
const lockClass: Record<TransactionLock['purpose'], number> = { schema: 0x6d61696c, compact: 1, versions: 2 }

/** BIGINT columns arrive as strings (they may exceed 2^53); milliseconds since 1970 and row keys do not. */
function parseBigint(text: string): number {
	const value = Number(text)
	if (!Number.isSafeInteger(value)) throw new Error(`a BIGINT beyond 2^53: ${text}`)
	return value
}

const types: pg.CustomTypesConfig = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === pg.types.builtins.INT8 && format !== 'binary' ? parseBigint : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
}

/** The SQL is written with `?` (it has no `?` of its own): PostgreSQL numbers its placeholders. */
const numbered = new Map<string, string>()
function numberPlaceholders(sql: string): string {
	let text = numbered.get(sql)
	if (text === undefined) {
		let n = 0
		numbered.set(sql, (text = sql.replace(/\?/g, () => `$${++n}`)))
	}
	return text
}

const toParams = (params: readonly SqlValue[]) =>
	params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p))

function runnerOn(client: pg.Pool | pg.PoolClient): SqlRunner {
	return {
		async query(sql, params = []) {
			return (await client.query<SqlRow>(numberPlaceholders(sql), toParams(params))).rows
		},
		async exec(sql) {
			await client.query(sql)
		},
	}
}

class PostgresDriver implements SqlDriver {
	readonly dialect = dialect
	private readonly pool: SqlRunner
	private closing: Promise<void> | undefined

	constructor(private readonly connections: pg.Pool) {
		this.pool = runnerOn(connections)
	}

	query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]> {
		return this.pool.query(sql, params)
	}

	exec(sql: string): Promise<void> {
		return this.pool.exec(sql)
	}

	async transaction<T>(lock: TransactionLock | undefined, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
		const client = await this.connections.connect()
		try {
			await client.query('BEGIN')
			if (lock) await client.query('SELECT pg_advisory_xact_lock($1, COALESCE(hashtext($2), 0))', [lockClass[lock.purpose], lock.room ?? null])
			const result = await work(runnerOn(client))
			await client.query('COMMIT')
			return result
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined)
			throw error
		} finally {
			client.release()
		}
	}

	async close(): Promise<void> {
		await (this.closing ??= this.connections.end())
	}
}

export interface PostgresStoreOptions {
	/** Connections of this process; every room's appends are serialised by its room, so a few suffice. */
	maxConnections?: number
	/** An idle connection failed (the database restarted): reported, the pool replaces it. */
	onError?: (error: Error) => void
}

/** Connects and migrates the schema if needed. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<SqlStore> {
	const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types })
	pool.on('error', (error) => options.onError?.(error))
	try {
		return await SqlStore.open(new PostgresDriver(pool))
	} catch (error) {
		await pool.end()
		// The URL may carry a password: name the database by its host and name only.
		throw new Error(`cannot open the database ${safeLocation(url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
	}
}

/** postgres://user:secret@host:5432/db -> host:5432/db (never the credentials). */
function safeLocation(url: string): string {
	try {
		const parsed = new URL(url)
		return `${parsed.host}${parsed.pathname}`
	} catch {
		return '(unparsable DATABASE_URL)'
	}
}
