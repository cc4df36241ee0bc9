import { z } from 'zod'
import type { Dialect, SqlDriver } from './sql'

/**
 * The schema, as numbered migrations recorded in `schema_migrations`. Each runs once per
 * database, in order, in the transaction that records it; never edit one that has shipped, add
 * the next. Migration 1 is the schema from before this table existed, created only where it is
 * missing, so a database of that time opens as it is and gets its record.
 */

export interface Migration {
	version: number
	name: string
	sql(dialect: Dialect): string
}

export const migrations: readonly Migration[] = [
	{
		version: 1,
		name: 'rooms, update log, locks and versions',
		sql: (d) => `
			CREATE TABLE IF NOT EXISTS rooms (
				id TEXT PRIMARY KEY,
				title TEXT NOT NULL,
				created_at ${d.millis} NOT NULL,
				facilitator_hash TEXT NOT NULL,
				participant_hash TEXT NOT NULL,
				viewer_hash TEXT NOT NULL
			)${d.tableOptions};
			CREATE TABLE IF NOT EXISTS updates (
				${d.updateKeyDefinition},
				room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
				data ${d.bytes} NOT NULL
			)${d.tableOptions};
			CREATE INDEX IF NOT EXISTS updates_by_room ON updates(room, ${d.updateKey});
			CREATE TABLE IF NOT EXISTS room_locks (
				room TEXT PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
				locked_at ${d.millis} NOT NULL,
				by_role TEXT NOT NULL,
				by_name TEXT
			)${d.tableOptions};
			CREATE TABLE IF NOT EXISTS versions (
				id TEXT PRIMARY KEY,
				room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
				number INTEGER NOT NULL,
				label TEXT NOT NULL,
				kind TEXT NOT NULL,
				restoring TEXT,
				created_at ${d.millis} NOT NULL,
				by_role TEXT NOT NULL,
				by_name TEXT,
				organisations INTEGER NOT NULL,
				partnerships INTEGER NOT NULL,
				issues INTEGER NOT NULL,
				state ${d.bytes} NOT NULL,
				json TEXT NOT NULL,
				UNIQUE (room, number)
			)${d.tableOptions};
			-- A saved version is a record of what was agreed: nothing may rewrite it.
			${d.immutableVersions}
		`,
	},
]

const appliedRow = z.object({ version: z.number().int() })

/** Applies the migrations the database lacks; refuses a database migrated by a newer Maillage. */
export async function migrate(db: SqlDriver): Promise<void> {
	const d = db.dialect
	await db.transaction({ purpose: 'schema' }, async (tx) => {
		await tx.exec(`
			CREATE TABLE IF NOT EXISTS schema_migrations (
				version INTEGER PRIMARY KEY,
				name TEXT NOT NULL,
				applied_at ${d.millis} NOT NULL
			)${d.tableOptions}`)
		const applied = new Set((await tx.query('SELECT version FROM schema_migrations')).map((row) => appliedRow.parse(row).version))
		const known = Math.max(0, ...migrations.map((m) => m.version))
		const newest = Math.max(0, ...applied)
		if (newest > known) throw new Error(`its schema is version ${newest}, made by a newer Maillage (this one knows up to ${known})`)
		for (const migration of migrations) {
			if (applied.has(migration.version)) continue
			await tx.exec(migration.sql(d))
			await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()])
		}
	})
}
