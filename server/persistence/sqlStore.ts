import * as Y from 'yjs'
import type { z } from 'zod'
import type { RoomTokenHashes } from '../auth'
import { migrate } from './migrations'
import {
	keyedUpdateRow,
	LOCK_COLUMNS,
	lockRow,
	ROOM_COLUMNS,
	ROOM_SUMMARY_COLUMNS,
	roomRow,
	roomSummaryRow,
	updateRow,
	VERSION_COLUMNS,
	VERSION_SUMMARY_COLUMNS,
	versionNumberRow,
	versionRow,
	versionSummaryRow,
} from './rows'
import type { SqlDriver, SqlRow, SqlRunner, SqlValue } from './sql'
import type { RoomLock, RoomRecord, Store, StoredVersion, VersionKind, VersionSummary } from './types'

/** Rows per statement: far below either engine's limit on parameters (SQLite 32766, PostgreSQL 65535). */
const ROWS_PER_STATEMENT = 500

const marks = (count: number, each: string) => Array.from({ length: count }, () => each).join(', ')

function chunks<T>(items: readonly T[]): T[][] {
	const result: T[][] = []
	for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) result.push(items.slice(i, i + ROWS_PER_STATEMENT))
	return result
}

const first = <S extends z.ZodType>(schema: S, rows: SqlRow[]): z.output<S> | undefined => (rows[0] === undefined ? undefined : schema.parse(rows[0]))

/**
 * The store of Maillage over either SQL engine: the statements and the row mapping are here,
 * once; the driver runs them (sqlite.ts, postgres.ts).
 *
 * With PostgreSQL, several processes append to one room at once, so a process's state does not
 * cover the stored rows: compaction merges the rows it read with that state, deletes exactly
 * those rows (by key) and inserts the result, under a per-room lock that serialises
 * compactions. Rows appended meanwhile are neither read nor deleted: nothing is lost. With
 * SQLite the process is the only writer: its state covers every row, which it replaces.
 */
export class SqlStore implements Store {
	private constructor(private readonly db: SqlDriver) {}

	/** The store over `db`, once the schema is migrated (several processes starting at once take turns). */
	static async open(db: SqlDriver): Promise<SqlStore> {
		await migrate(db)
		return new SqlStore(db)
	}

	private get key(): string {
		return this.db.dialect.updateKey
	}

	async createRoom(room: RoomRecord): Promise<void> {
		const { facilitator, participant, viewer } = room.tokens
		await this.db.query(`INSERT INTO rooms (${ROOM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [room.id, room.title, room.createdAt, facilitator, participant, viewer])
	}

	async getRoom(id: string): Promise<RoomRecord | undefined> {
		return first(roomRow, await this.db.query(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE id = ?`, [id]))
	}

	async listRooms(): Promise<Omit<RoomRecord, 'tokens'>[]> {
		return (await this.db.query(`SELECT ${ROOM_SUMMARY_COLUMNS} FROM rooms ORDER BY created_at`)).map((row) => roomSummaryRow.parse(row))
	}

	async setTokens(id: string, tokens: RoomTokenHashes): Promise<void> {
		await this.db.query('UPDATE rooms SET facilitator_hash = ?, participant_hash = ?, viewer_hash = ? WHERE id = ?', [
			tokens.facilitator,
			tokens.participant,
			tokens.viewer,
			id,
		])
	}

	/** One statement, so one snapshot: a compaction committing meanwhile is seen wholly or not at all. */
	async loadUpdates(id: string): Promise<Uint8Array[]> {
		return (await this.db.query(`SELECT data FROM updates WHERE room = ? ORDER BY ${this.key}`, [id])).map((row) => updateRow.parse(row))
	}

	/** One statement for a usual batch; a transaction around several for a huge one. */
	async appendUpdates(id: string, updates: Uint8Array[]): Promise<void> {
		if (updates.length === 0) return
		const batches = chunks(updates)
		if (batches.length === 1) return this.insertUpdates(this.db, id, updates)
		await this.db.transaction(undefined, async (tx) => {
			for (const batch of batches) await this.insertUpdates(tx, id, batch)
		})
	}

	private async insertUpdates(db: SqlRunner, id: string, updates: Uint8Array[]): Promise<void> {
		await db.query(`INSERT INTO updates (room, data) VALUES ${marks(updates.length, '(?, ?)')}`, updates.flatMap((u) => [id, u]))
	}

	async compact(id: string, state: Uint8Array): Promise<void> {
		await this.db.transaction({ purpose: 'compact', room: id }, async (tx) => {
			if (!this.db.dialect.sharedByProcesses) {
				await tx.query('DELETE FROM updates WHERE room = ?', [id])
				return this.insertUpdates(tx, id, [state])
			}
			const rows = (await tx.query(`SELECT ${this.key} AS key, data FROM updates WHERE room = ? ORDER BY ${this.key}`, [id])).map((row) =>
				keyedUpdateRow.parse(row),
			)
			if (rows.length === 0 && state.length <= 2) return
			const merged = merge([...rows.map((r) => r.data), state])
			for (const keys of chunks(rows.map((r) => r.key))) await tx.query(`DELETE FROM updates WHERE ${this.key} IN (${marks(keys.length, '?')})`, keys)
			await this.insertUpdates(tx, id, [merged])
		})
	}

	async getLock(room: string): Promise<RoomLock | undefined> {
		return first(lockRow, await this.db.query(`SELECT ${LOCK_COLUMNS} FROM room_locks WHERE room = ?`, [room]))
	}

	async setLock(room: string, lock: RoomLock | undefined): Promise<void> {
		if (!lock) return void (await this.db.query('DELETE FROM room_locks WHERE room = ?', [room]))
		await this.db.query(
			`INSERT INTO room_locks (room, ${LOCK_COLUMNS}) VALUES (?, ?, ?, ?)
			ON CONFLICT (room) DO UPDATE SET locked_at = excluded.locked_at, by_role = excluded.by_role, by_name = excluded.by_name`,
			[room, lock.at, lock.by.role, lock.by.name ?? null],
		)
	}

	/** Numbered in the statement that inserts, under a per-room lock: two saves never share a number. */
	async addVersion(v: Omit<StoredVersion, 'number'>): Promise<number> {
		const values: SqlValue[] = [v.id, v.room, v.label, v.kind, v.restoring, v.createdAt, v.createdBy.role, v.createdBy.name ?? null]
		values.push(v.organisations, v.partnerships, v.issues, v.state, v.json, v.room)
		const rows = await this.db.transaction({ purpose: 'versions', room: v.room }, (tx) =>
			tx.query(
				`INSERT INTO versions (${VERSION_COLUMNS})
				SELECT ?, ?, COALESCE(MAX(number), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM versions WHERE room = ?
				RETURNING number`,
				values,
			),
		)
		return versionNumberRow.parse(rows[0])
	}

	async listVersions(room: string): Promise<VersionSummary[]> {
		const rows = await this.db.query(`SELECT ${VERSION_SUMMARY_COLUMNS} FROM versions WHERE room = ? ORDER BY number DESC`, [room])
		return rows.map((row) => versionSummaryRow.parse(row))
	}

	async latestVersion(room: string, kind: VersionKind): Promise<VersionSummary | undefined> {
		const rows = await this.db.query(`SELECT ${VERSION_SUMMARY_COLUMNS} FROM versions WHERE room = ? AND kind = ? ORDER BY number DESC LIMIT 1`, [room, kind])
		return first(versionSummaryRow, rows)
	}

	async getVersion(room: string, id: string): Promise<StoredVersion | undefined> {
		return first(versionRow, await this.db.query(`SELECT ${VERSION_COLUMNS} FROM versions WHERE room = ? AND id = ?`, [room, id]))
	}

	async close(): Promise<void> {
		await this.db.close()
	}
}

/** The state of the document made of `updates`, as one update. */
function merge(updates: Uint8Array[]): Uint8Array {
	const doc = new Y.Doc()
	try {
		doc.transact(() => {
			for (const update of updates) Y.applyUpdate(doc, update)
		})
		return Y.encodeStateAsUpdate(doc)
	} finally {
		doc.destroy()
	}
}
