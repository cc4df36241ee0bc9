import Database from 'better-sqlite3'
import path from 'node:path'
import { Checkpointer } from './checkpointer'
import type { Dialect, SqlDriver, SqlRow, SqlRunner, SqlValue, TransactionLock } from './sql'
import { SqlStore } from './sqlStore'

export const DATABASE_FILE = 'maillage.sqlite'

const dialect: Dialect = {
	millis: 'INTEGER',
	bytes: 'BLOB',
	updateKey: 'seq',
	updateKeyDefinition: 'seq INTEGER PRIMARY KEY AUTOINCREMENT',
	tableOptions: ' STRICT',
	immutableVersions: `CREATE TRIGGER IF NOT EXISTS versions_are_immutable BEFORE UPDATE ON versions
		BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;`,
	sharedByProcesses: false,
}

/**
 * The embedded store: one SQLite file in DATA_DIR, in WAL mode.
 *
 * Durability: with `synchronous=NORMAL` in WAL mode, a commit is written to the WAL file (the
 * OS page cache) before `COMMIT` returns, without an fsync. A killed process (`kill -9`, crash,
 * OOM) loses nothing committed, because the kernel still writes its page cache; only a power
 * loss or kernel panic can lose the last commits. `synchronous=FULL` fsyncs every commit and
 * survives that too, at the price of one fsync per batch (SQLITE_SYNCHRONOUS=FULL).
 */
export async function openSqliteStore(dataDir: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): Promise<SqlStore> {
	const file = path.join(dataDir, DATABASE_FILE)
	let db: Database.Database | undefined
	try {
		db = new Database(file)
		db.pragma('journal_mode = WAL')
		db.pragma(`synchronous = ${synchronous}`)
		db.pragma('wal_autocheckpoint = 0')
		db.pragma('foreign_keys = ON')
		db.pragma('busy_timeout = 5000')
		const driver = new SqliteDriver(db)
		return await SqlStore.open(driver).catch(async (error: unknown) => {
			await driver.close()
			throw error
		})
	} catch (error) {
		if (db?.open) db.close()
		// SQLite's own message ("file is not a database") does not say which file: the operator needs it.
		throw new Error(`cannot open the database ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
	}
}

/**
 * better-sqlite3 runs statements synchronously, so one runs at once; but a transaction of the
 * store awaits between its statements, and another room's statement must not slip into it
 * meanwhile: while a transaction is open, statements wait for its end.
 */
class SqliteDriver implements SqlDriver {
	readonly dialect = dialect
	private readonly statements = new Map<string, Database.Statement<SqlValue[], SqlRow>>()
	private readonly checkpointer: Checkpointer
	private transactionDone: Promise<void> | undefined
	private readonly inTransaction: SqlRunner = {
		query: async (sql, params) => this.run(sql, params),
		exec: async (sql) => void this.db.exec(sql),
	}

	constructor(private readonly db: Database.Database) {
		this.checkpointer = new Checkpointer(
			() => this.db.pragma('wal_checkpoint(PASSIVE)'),
			() => this.transactionDone !== undefined || !this.db.open,
			() => this.db.open && this.db.pragma('wal_autocheckpoint = 1000'),
		)
	}

	private async idle(): Promise<void> {
		while (this.transactionDone) await this.transactionDone
	}

	private run(sql: string, params: readonly SqlValue[] = []): SqlRow[] {
		let statement = this.statements.get(sql)
		if (!statement) this.statements.set(sql, (statement = this.db.prepare<SqlValue[], SqlRow>(sql)))
		if (statement.reader) return statement.all(...params)
		statement.run(...params)
		return []
	}

	async query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]> {
		// Checked first, so that outside transactions a statement runs within the call, as ever.
		if (this.transactionDone) await this.idle()
		return this.run(sql, params)
	}

	async exec(sql: string): Promise<void> {
		if (this.transactionDone) await this.idle()
		this.db.exec(sql)
	}

	/** `BEGIN IMMEDIATE` takes the file's write lock at once, which serialises all writers: `lock` adds nothing. */
	async transaction<T>(_lock: TransactionLock | undefined, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
		await this.idle()
		let done = () => {}
		this.transactionDone = new Promise((resolve) => (done = resolve))
		try {
			this.db.exec('BEGIN IMMEDIATE')
			try {
				const result = await work(this.inTransaction)
				this.db.exec('COMMIT')
				return result
			} catch (error) {
				if (this.db.inTransaction) this.db.exec('ROLLBACK')
				throw error
			}
		} finally {
			this.transactionDone = undefined
			done()
		}
	}

	async close(): Promise<void> {
		await this.idle()
		this.checkpointer.stop()
		if (this.db.open) this.db.close()
	}
}
