/**
 * What the SQL store needs of a database driver: run a statement, run a script, run a
 * transaction. The SQL is written once, with `?` placeholders; a driver translates what its
 * engine spells differently and returns rows whose integers are numbers and whose binary
 * columns are Uint8Arrays (Buffers), so that one set of row schemas reads both engines.
 */

export type SqlValue = string | number | null | Uint8Array
export type SqlRow = Record<string, unknown>

export interface SqlRunner {
	/** Runs one statement; its rows (none for a statement that returns none). */
	query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>
	/** Runs several statements without parameters (a migration). */
	exec(sql: string): Promise<void>
}

/**
 * What a transaction must hold exclusively against every process sharing the database: the
 * schema, or one room's compaction or version numbering. SQLite has one writer at a time anyway.
 */
export interface TransactionLock {
	purpose: 'schema' | 'compact' | 'versions'
	room?: string
}

/** What the two engines spell differently in the tables. */
export interface Dialect {
	/** Milliseconds since 1970 (beyond 32 bits). */
	millis: string
	bytes: string
	/** The key of the update log, in append order: its column, then its definition. */
	updateKey: string
	updateKeyDefinition: string
	/** Appended to CREATE TABLE. */
	tableOptions: string
	/** Statements that make every UPDATE of `versions` fail with "versions are immutable". */
	immutableVersions: string
	/**
	 * Whether other processes append to the same rooms: then a process's state does not cover
	 * the stored rows, and compaction merges them instead of replacing them.
	 */
	sharedByProcesses: boolean
}

export interface SqlDriver extends SqlRunner {
	readonly dialect: Dialect
	/** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
	transaction<T>(lock: TransactionLock | undefined, work: (tx: SqlRunner) => Promise<T>): Promise<T>
	close(): Promise<void>
}
