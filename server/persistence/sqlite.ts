import Database from 'better-sqlite3'
import path from 'node:path'
import type { RoomTokenHashes } from '../auth'
import { Checkpointer } from './checkpointer'
import type { Actor } from '../../shared/roomStatus'
import type { FacilitationStore, RoomLock, RoomRecord, RoomStore, StoredVersion, VersionKind, VersionSummary } from './types'

export const DATABASE_FILE = 'maillage.sqlite'

/**
 * The embedded store: one SQLite file in DATA_DIR, in WAL mode.
 *
 * Durability: with `synchronous=NORMAL` in WAL mode, a commit is written to the WAL file (the
 * OS page cache) before `COMMIT` returns, without an fsync. A killed process (`kill -9`, crash,
 * OOM) loses nothing committed, because the kernel still writes its page cache; only a power
 * loss or kernel panic can lose the last commits. `synchronous=FULL` fsyncs every commit and
 * survives that too, at the price of one fsync per batch (SQLITE_SYNCHRONOUS=FULL).
 */
export class SqliteStore implements RoomStore, FacilitationStore {
	private readonly db: Database.Database
	private readonly statements
	private readonly checkpointer: Checkpointer

	constructor(dataDir: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL') {
		const file = path.join(dataDir, DATABASE_FILE)
		try {
			this.db = new Database(file)
			this.db.pragma('journal_mode = WAL')
		} catch (error) {
			// SQLite's own message ("file is not a database") does not say which file: the operator needs it.
			throw new Error(`cannot open the database ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
		}
		this.db.pragma(`synchronous = ${synchronous}`)
		this.db.pragma('wal_autocheckpoint = 0')
		this.checkpointer = new Checkpointer(file, () => this.db.open && this.db.pragma('wal_autocheckpoint = 1000'))
		this.db.pragma('foreign_keys = ON')
		this.db.pragma('busy_timeout = 5000')
		this.db.exec(`
			CREATE TABLE IF NOT EXISTS rooms (
				id TEXT PRIMARY KEY,
				title TEXT NOT NULL,
				created_at INTEGER NOT NULL,
				facilitator_hash TEXT NOT NULL,
				participant_hash TEXT NOT NULL,
				viewer_hash TEXT NOT NULL
			) STRICT;
			CREATE TABLE IF NOT EXISTS updates (
				seq INTEGER PRIMARY KEY AUTOINCREMENT,
				room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
				data BLOB NOT NULL
			) STRICT;
			CREATE INDEX IF NOT EXISTS updates_by_room ON updates(room, seq);
			CREATE TABLE IF NOT EXISTS room_locks (
				room TEXT PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
				locked_at INTEGER NOT NULL,
				by_role TEXT NOT NULL,
				by_name TEXT
			) STRICT;
			CREATE TABLE IF NOT EXISTS versions (
				id TEXT PRIMARY KEY,
				room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
				number INTEGER NOT NULL,
				label TEXT NOT NULL,
				kind TEXT NOT NULL,
				restoring TEXT,
				created_at INTEGER NOT NULL,
				by_role TEXT NOT NULL,
				by_name TEXT,
				organisations INTEGER NOT NULL,
				partnerships INTEGER NOT NULL,
				issues INTEGER NOT NULL,
				state BLOB NOT NULL,
				json TEXT NOT NULL,
				UNIQUE (room, number)
			) STRICT;
			-- A saved version is a record of what was agreed: nothing may rewrite it.
			CREATE TRIGGER IF NOT EXISTS versions_are_immutable BEFORE UPDATE ON versions
			BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
		`)
		this.statements = {
			insertRoom: this.db.prepare(
				'INSERT INTO rooms (id, title, created_at, facilitator_hash, participant_hash, viewer_hash) VALUES (?, ?, ?, ?, ?, ?)',
			),
			getRoom: this.db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?'),
			listRooms: this.db.prepare<[], Pick<RoomRow, 'id' | 'title' | 'created_at'>>(
				'SELECT id, title, created_at FROM rooms ORDER BY created_at',
			),
			setTokens: this.db.prepare('UPDATE rooms SET facilitator_hash = ?, participant_hash = ?, viewer_hash = ? WHERE id = ?'),
			loadUpdates: this.db.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE room = ? ORDER BY seq'),
			insertUpdate: this.db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)'),
			deleteUpdates: this.db.prepare('DELETE FROM updates WHERE room = ?'),
			getLock: this.db.prepare<[string], LockRow>('SELECT locked_at, by_role, by_name FROM room_locks WHERE room = ?'),
			setLock: this.db.prepare('INSERT OR REPLACE INTO room_locks (room, locked_at, by_role, by_name) VALUES (?, ?, ?, ?)'),
			deleteLock: this.db.prepare('DELETE FROM room_locks WHERE room = ?'),
			nextVersionNumber: this.db.prepare<[string], { next: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS next FROM versions WHERE room = ?'),
			insertVersion: this.db.prepare(
				`INSERT INTO versions (id, room, number, label, kind, restoring, created_at, by_role, by_name, organisations, partnerships, issues, state, json)
				VALUES (@id, @room, @number, @label, @kind, @restoring, @created_at, @by_role, @by_name, @organisations, @partnerships, @issues, @state, @json)`,
			),
			listVersions: this.db.prepare<[string], VersionRow>(`SELECT ${VERSION_SUMMARY_COLUMNS} FROM versions WHERE room = ? ORDER BY number DESC`),
			latestVersion: this.db.prepare<[string, string], VersionRow>(
				`SELECT ${VERSION_SUMMARY_COLUMNS} FROM versions WHERE room = ? AND kind = ? ORDER BY number DESC LIMIT 1`,
			),
			getVersion: this.db.prepare<[string, string], VersionRow & { state: Buffer; json: string }>(
				'SELECT * FROM versions WHERE room = ? AND id = ?',
			),
		}
		this.appendTransaction = this.db.transaction((id: string, updates: Uint8Array[]) => {
			for (const update of updates) this.statements.insertUpdate.run(id, update)
		})
		this.compactTransaction = this.db.transaction((id: string, state: Uint8Array) => {
			this.statements.deleteUpdates.run(id)
			this.statements.insertUpdate.run(id, state)
		})
	}

	/** The number is taken and the row written in one transaction, so two saves never share one. */
	private readonly insertVersionTransaction = (version: Omit<StoredVersion, 'number'>) =>
		this.db.transaction((): number => {
			const { next } = this.statements.nextVersionNumber.get(version.room) as { next: number }
			this.statements.insertVersion.run({
				id: version.id,
				room: version.room,
				number: next,
				label: version.label,
				kind: version.kind,
				restoring: version.restoring,
				created_at: version.createdAt,
				by_role: version.createdBy.role,
				by_name: version.createdBy.name ?? null,
				organisations: version.organisations,
				partnerships: version.partnerships,
				issues: version.issues,
				state: version.state,
				json: version.json,
			})
			return next
		})()

	// Built once (in the constructor): appends run on every event-loop turn with edits, and
	// wrapping a function in a transaction is not free.
	private readonly appendTransaction: (id: string, updates: Uint8Array[]) => void
	private readonly compactTransaction: (id: string, state: Uint8Array) => void

	async createRoom(room: RoomRecord): Promise<void> {
		const { facilitator, participant, viewer } = room.tokens
		this.statements.insertRoom.run(room.id, room.title, room.createdAt, facilitator, participant, viewer)
	}

	async getRoom(id: string): Promise<RoomRecord | undefined> {
		const row = this.statements.getRoom.get(id)
		return row && toRecord(row)
	}

	async listRooms(): Promise<Omit<RoomRecord, 'tokens'>[]> {
		return this.statements.listRooms.all().map((r) => ({ id: r.id, title: r.title, createdAt: r.created_at }))
	}

	async setTokens(id: string, tokens: RoomTokenHashes): Promise<void> {
		this.statements.setTokens.run(tokens.facilitator, tokens.participant, tokens.viewer, id)
	}

	async loadUpdates(id: string): Promise<Uint8Array[]> {
		return this.statements.loadUpdates.all(id).map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength))
	}

	async appendUpdates(id: string, updates: Uint8Array[]): Promise<void> {
		if (updates.length > 0) this.appendTransaction(id, updates)
	}

	async compact(id: string, state: Uint8Array): Promise<void> {
		this.compactTransaction(id, state)
	}

	async getLock(room: string): Promise<RoomLock | undefined> {
		const row = this.statements.getLock.get(room)
		return row && { at: row.locked_at, by: toActor(row.by_role, row.by_name) }
	}

	async setLock(room: string, lock: RoomLock | undefined): Promise<void> {
		if (lock) this.statements.setLock.run(room, lock.at, lock.by.role, lock.by.name ?? null)
		else this.statements.deleteLock.run(room)
	}

	async addVersion(version: Omit<StoredVersion, 'number'>): Promise<number> {
		return this.insertVersionTransaction(version)
	}

	async listVersions(room: string): Promise<VersionSummary[]> {
		return this.statements.listVersions.all(room).map(toVersionSummary)
	}

	async latestVersion(room: string, kind: VersionKind): Promise<VersionSummary | undefined> {
		const row = this.statements.latestVersion.get(room, kind)
		return row && toVersionSummary(row)
	}

	async getVersion(room: string, id: string): Promise<StoredVersion | undefined> {
		const row = this.statements.getVersion.get(room, id)
		return (
			row && {
				...toVersionSummary(row),
				state: new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength),
				json: row.json,
			}
		)
	}

	async close(): Promise<void> {
		// Not awaited: whichever connection closes last checkpoints, and the WAL is durable anyway.
		void this.checkpointer.stop()
		if (this.db.open) this.db.close()
	}
}

const VERSION_SUMMARY_COLUMNS = 'id, room, number, label, kind, restoring, created_at, by_role, by_name, organisations, partnerships, issues'

interface LockRow {
	locked_at: number
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
	created_at: number
	by_role: string
	by_name: string | null
	organisations: number
	partnerships: number
	issues: number
}

const toActor = (role: string, name: string | null): Actor =>
	(name === null ? { role } : { role, name }) as Actor

function toVersionSummary(row: VersionRow): VersionSummary {
	return {
		id: row.id,
		room: row.room,
		number: row.number,
		label: row.label,
		kind: row.kind as VersionKind,
		restoring: row.restoring,
		createdAt: row.created_at,
		createdBy: toActor(row.by_role, row.by_name),
		organisations: row.organisations,
		partnerships: row.partnerships,
		issues: row.issues,
	}
}

interface RoomRow {
	id: string
	title: string
	created_at: number
	facilitator_hash: string
	participant_hash: string
	viewer_hash: string
}

function toRecord(row: RoomRow): RoomRecord {
	return {
		id: row.id,
		title: row.title,
		createdAt: row.created_at,
		tokens: { facilitator: row.facilitator_hash, participant: row.participant_hash, viewer: row.viewer_hash },
	}
}
