import pg from 'pg'
import * as Y from 'yjs'
import type { RoomTokenHashes } from '../auth'
import type { Actor } from '../../shared/roomStatus'
import type { FacilitationStore, RoomLock, RoomRecord, RoomStore, StoredVersion, VersionKind, VersionSummary } from './types'

/**
 * The shared store of the scale-out mode (DATABASE_URL): the same tables as the SQLite store, in
 * PostgreSQL, so that several server processes see the same rooms, tokens, updates, locks and
 * versions. Nothing is cached here: a token rotated through one process is refused by all.
 *
 * Durability: every write is one committed statement or transaction (`synchronous_commit` on by
 * default), so an append that resolved survives the crash of any server process.
 *
 * Several processes append to one room at once, so compaction cannot replace the log by the
 * state of one process's document: it merges the rows it read, deletes exactly those rows (by
 * id) and inserts the result, under a per-room advisory lock that serialises compactions.
 * Rows appended meanwhile by another process are neither read nor deleted: nothing is lost.
 */

/** Advisory lock classes (first key of `pg_advisory_xact_lock(int, int)`), the room's hash the second. */
const lockClass = { schema: 0x6d61696c, compact: 1, versions: 2 } as const

const SCHEMA = `
	CREATE TABLE IF NOT EXISTS rooms (
		id TEXT PRIMARY KEY,
		title TEXT NOT NULL,
		created_at BIGINT NOT NULL,
		facilitator_hash TEXT NOT NULL,
		participant_hash TEXT NOT NULL,
		viewer_hash TEXT NOT NULL
	);
	CREATE TABLE IF NOT EXISTS updates (
		id BIGSERIAL PRIMARY KEY,
		room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
		data BYTEA NOT NULL
	);
	CREATE INDEX IF NOT EXISTS updates_by_room ON updates(room, id);
	CREATE TABLE IF NOT EXISTS room_locks (
		room TEXT PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
		locked_at BIGINT NOT NULL,
		by_role TEXT NOT NULL,
		by_name TEXT
	);
	CREATE TABLE IF NOT EXISTS versions (
		id TEXT PRIMARY KEY,
		room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
		number INTEGER NOT NULL,
		label TEXT NOT NULL,
		kind TEXT NOT NULL,
		restoring TEXT,
		created_at BIGINT NOT NULL,
		by_role TEXT NOT NULL,
		by_name TEXT,
		organisations INTEGER NOT NULL,
		partnerships INTEGER NOT NULL,
		issues INTEGER NOT NULL,
		state BYTEA NOT NULL,
		json TEXT NOT NULL,
		UNIQUE (room, number)
	);
	-- A saved version is a record of what was agreed: nothing may rewrite it.
	CREATE OR REPLACE FUNCTION maillage_versions_are_immutable() RETURNS trigger LANGUAGE plpgsql AS
	$$ BEGIN RAISE EXCEPTION 'versions are immutable'; END $$;
	DROP TRIGGER IF EXISTS versions_are_immutable ON versions;
	CREATE TRIGGER versions_are_immutable BEFORE UPDATE ON versions
	FOR EACH ROW EXECUTE FUNCTION maillage_versions_are_immutable();
`

const VERSION_SUMMARY_COLUMNS = 'id, room, number, label, kind, restoring, created_at, by_role, by_name, organisations, partnerships, issues'

const bytes = (data: Buffer) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
const buffer = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength)

export interface PostgresStoreOptions {
	/** Connections of this process; every room's appends are serialised by its room, so a few suffice. */
	maxConnections?: number
	/** An idle connection failed (the database restarted): reported, the pool replaces it. */
	onError?: (error: Error) => void
}

export class PostgresStore implements RoomStore, FacilitationStore {
	private closing: Promise<void> | undefined

	private constructor(private readonly pool: pg.Pool) {}

	/** Connects and creates the tables if needed (several processes starting at once take turns). */
	static async connect(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
		const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 })
		pool.on('error', (error) => options.onError?.(error))
		const store = new PostgresStore(pool)
		try {
			await store.transaction(async (client) => {
				await client.query('SELECT pg_advisory_xact_lock($1, 0)', [lockClass.schema])
				await client.query(SCHEMA)
			})
		} catch (error) {
			await pool.end()
			// The URL may carry a password: name the database by its host and name only.
			const where = safeLocation(url)
			throw new Error(`cannot open the database ${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
		}
		return store
	}

	private async transaction<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
		const client = await this.pool.connect()
		try {
			await client.query('BEGIN')
			const result = await run(client)
			await client.query('COMMIT')
			return result
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined)
			throw error
		} finally {
			client.release()
		}
	}

	async createRoom(room: RoomRecord): Promise<void> {
		const { facilitator, participant, viewer } = room.tokens
		await this.pool.query(
			'INSERT INTO rooms (id, title, created_at, facilitator_hash, participant_hash, viewer_hash) VALUES ($1, $2, $3, $4, $5, $6)',
			[room.id, room.title, room.createdAt, facilitator, participant, viewer],
		)
	}

	async getRoom(id: string): Promise<RoomRecord | undefined> {
		const { rows } = await this.pool.query<RoomRow>('SELECT * FROM rooms WHERE id = $1', [id])
		const row = rows[0]
		return row && toRecord(row)
	}

	async listRooms(): Promise<Omit<RoomRecord, 'tokens'>[]> {
		const { rows } = await this.pool.query<Pick<RoomRow, 'id' | 'title' | 'created_at'>>('SELECT id, title, created_at FROM rooms ORDER BY created_at')
		return rows.map((r) => ({ id: r.id, title: r.title, createdAt: Number(r.created_at) }))
	}

	async setTokens(id: string, tokens: RoomTokenHashes): Promise<void> {
		await this.pool.query('UPDATE rooms SET facilitator_hash = $1, participant_hash = $2, viewer_hash = $3 WHERE id = $4', [
			tokens.facilitator,
			tokens.participant,
			tokens.viewer,
			id,
		])
	}

	/** One statement, so one snapshot: a compaction committing meanwhile is seen wholly or not at all. */
	async loadUpdates(id: string): Promise<Uint8Array[]> {
		const { rows } = await this.pool.query<{ data: Buffer }>('SELECT data FROM updates WHERE room = $1 ORDER BY id', [id])
		return rows.map((r) => bytes(r.data))
	}

	/** One INSERT statement: all rows or none, committed when the promise resolves. */
	async appendUpdates(id: string, updates: Uint8Array[]): Promise<void> {
		if (updates.length === 0) return
		await this.pool.query('INSERT INTO updates (room, data) SELECT $1, unnest($2::bytea[])', [id, updates.map(buffer)])
	}

	/**
	 * Merges the stored rows and `state` (what the calling process holds) into one row. Only the
	 * rows read are deleted, by id: an append committed by another process during the merge stays.
	 */
	async compact(id: string, state: Uint8Array): Promise<void> {
		await this.transaction(async (client) => {
			await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockClass.compact, id])
			const { rows } = await client.query<{ id: string; data: Buffer }>('SELECT id, data FROM updates WHERE room = $1 ORDER BY id', [id])
			if (rows.length === 0 && state.length <= 2) return
			const doc = new Y.Doc()
			try {
				doc.transact(() => {
					for (const row of rows) Y.applyUpdate(doc, bytes(row.data))
					Y.applyUpdate(doc, state)
				})
				const merged = Y.encodeStateAsUpdate(doc)
				await client.query('DELETE FROM updates WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)])
				await client.query('INSERT INTO updates (room, data) VALUES ($1, $2)', [id, buffer(merged)])
			} finally {
				doc.destroy()
			}
		})
	}

	async getLock(room: string): Promise<RoomLock | undefined> {
		const { rows } = await this.pool.query<LockRow>('SELECT locked_at, by_role, by_name FROM room_locks WHERE room = $1', [room])
		const row = rows[0]
		return row && { at: Number(row.locked_at), by: toActor(row.by_role, row.by_name) }
	}

	async setLock(room: string, lock: RoomLock | undefined): Promise<void> {
		if (!lock) return void (await this.pool.query('DELETE FROM room_locks WHERE room = $1', [room]))
		await this.pool.query(
			`INSERT INTO room_locks (room, locked_at, by_role, by_name) VALUES ($1, $2, $3, $4)
			ON CONFLICT (room) DO UPDATE SET locked_at = EXCLUDED.locked_at, by_role = EXCLUDED.by_role, by_name = EXCLUDED.by_name`,
			[room, lock.at, lock.by.role, lock.by.name ?? null],
		)
	}

	/** Numbered under a per-room lock, so two processes saving at once never take the same number. */
	async addVersion(version: Omit<StoredVersion, 'number'>): Promise<number> {
		return this.transaction(async (client) => {
			await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockClass.versions, version.room])
			const { rows } = await client.query<{ number: number }>(
				`INSERT INTO versions (id, room, number, label, kind, restoring, created_at, by_role, by_name, organisations, partnerships, issues, state, json)
				SELECT $1, $2, COALESCE(MAX(number), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM versions WHERE room = $2
				RETURNING number`,
				[
					version.id,
					version.room,
					version.label,
					version.kind,
					version.restoring,
					version.createdAt,
					version.createdBy.role,
					version.createdBy.name ?? null,
					version.organisations,
					version.partnerships,
					version.issues,
					buffer(version.state),
					version.json,
				],
			)
			return (rows[0] as { number: number }).number
		})
	}

	async listVersions(room: string): Promise<VersionSummary[]> {
		const { rows } = await this.pool.query<VersionRow>(`SELECT ${VERSION_SUMMARY_COLUMNS} FROM versions WHERE room = $1 ORDER BY number DESC`, [room])
		return rows.map(toVersionSummary)
	}

	async latestVersion(room: string, kind: VersionKind): Promise<VersionSummary | undefined> {
		const { rows } = await this.pool.query<VersionRow>(
			`SELECT ${VERSION_SUMMARY_COLUMNS} FROM versions WHERE room = $1 AND kind = $2 ORDER BY number DESC LIMIT 1`,
			[room, kind],
		)
		const row = rows[0]
		return row && toVersionSummary(row)
	}

	async getVersion(room: string, id: string): Promise<StoredVersion | undefined> {
		const { rows } = await this.pool.query<VersionRow & { state: Buffer; json: string }>('SELECT * FROM versions WHERE room = $1 AND id = $2', [
			room,
			id,
		])
		const row = rows[0]
		return row && { ...toVersionSummary(row), state: bytes(row.state), json: row.json }
	}

	async close(): Promise<void> {
		await (this.closing ??= this.pool.end())
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

// BIGINT columns arrive as strings (they may exceed 2^53); milliseconds since 1970 do not.
interface LockRow {
	locked_at: string
	by_role: string
	by_name: string | null
}

interface VersionRow {
	id: string
	room: string
	number: number
	label: string
	kind: string
	restoring: string | null
	created_at: string
	by_role: string
	by_name: string | null
	organisations: number
	partnerships: number
	issues: number
}

interface RoomRow {
	id: string
	title: string
	created_at: string
	facilitator_hash: string
	participant_hash: string
	viewer_hash: string
}

const toActor = (role: string, name: string | null): Actor => (name === null ? { role } : { role, name }) as Actor

function toVersionSummary(row: VersionRow): VersionSummary {
	return {
		id: row.id,
		room: row.room,
		number: row.number,
		label: row.label,
		kind: row.kind as VersionKind,
		restoring: row.restoring,
		createdAt: Number(row.created_at),
		createdBy: toActor(row.by_role, row.by_name),
		organisations: row.organisations,
		partnerships: row.partnerships,
		issues: row.issues,
	}
}

function toRecord(row: RoomRow): RoomRecord {
	return {
		id: row.id,
		title: row.title,
		createdAt: Number(row.created_at),
		tokens: { facilitator: row.facilitator_hash, participant: row.participant_hash, viewer: row.viewer_hash },
	}
}
