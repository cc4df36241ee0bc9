import { z } from 'zod'
import { actorRoleSchema } from '../../shared/protocol'
import type { Actor } from '../../shared/roomStatus'
import { versionKinds, type RoomLock, type RoomRecord, type StoredVersion, type VersionSummary } from './types'

/**
 * The rows of the tables (migrations.ts) and what they become. Every row read is parsed: a
 * value the code does not expect fails the read with the column it was in, instead of
 * travelling on with the wrong type.
 */

const integer = z.number().int()
/** A Buffer, seen as the plain Uint8Array the rest of the server and Yjs expect. */
const bytes = z.instanceof(Uint8Array).transform((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength))

const actorColumns = { by_role: actorRoleSchema, by_name: z.string().nullable() }
const actorOf = (row: { by_role: Actor['role']; by_name: string | null }): Actor =>
	row.by_name === null ? { role: row.by_role } : { role: row.by_role, name: row.by_name }

export const ROOM_COLUMNS = 'id, title, created_at, facilitator_hash, participant_hash, viewer_hash'
const roomSummaryColumns = { id: z.string(), title: z.string(), created_at: integer }

export const roomRow = z
	.object({ ...roomSummaryColumns, facilitator_hash: z.string(), participant_hash: z.string(), viewer_hash: z.string() })
	.transform(
		(row): RoomRecord => ({
			id: row.id,
			title: row.title,
			createdAt: row.created_at,
			tokens: { facilitator: row.facilitator_hash, participant: row.participant_hash, viewer: row.viewer_hash },
		}),
	)

export const ROOM_SUMMARY_COLUMNS = 'id, title, created_at'
export const roomSummaryRow = z
	.object(roomSummaryColumns)
	.transform((row): Omit<RoomRecord, 'tokens'> => ({ id: row.id, title: row.title, createdAt: row.created_at }))

export const updateRow = z.object({ data: bytes }).transform((row) => row.data)
/** An update with its key in the log, for a compaction that deletes exactly the rows it read. */
export const keyedUpdateRow = z.object({ key: integer, data: bytes })

export const LOCK_COLUMNS = 'locked_at, by_role, by_name'
export const lockRow = z.object({ locked_at: integer, ...actorColumns }).transform((row): RoomLock => ({ at: row.locked_at, by: actorOf(row) }))

export const VERSION_SUMMARY_COLUMNS = 'id, room, number, label, kind, restoring, created_at, by_role, by_name, organisations, partnerships, issues'
const versionSummaryColumns = {
	id: z.string(),
	room: z.string(),
	number: integer,
	label: z.string(),
	kind: z.enum(versionKinds),
	restoring: z.string().nullable(),
	created_at: integer,
	...actorColumns,
	organisations: integer,
	partnerships: integer,
	issues: integer,
}
type VersionSummaryColumns = z.infer<z.ZodObject<typeof versionSummaryColumns>>

const toSummary = (row: VersionSummaryColumns): VersionSummary => ({
	id: row.id,
	room: row.room,
	number: row.number,
	label: row.label,
	kind: row.kind,
	restoring: row.restoring,
	createdAt: row.created_at,
	createdBy: actorOf(row),
	organisations: row.organisations,
	partnerships: row.partnerships,
	issues: row.issues,
})

export const versionSummaryRow = z.object(versionSummaryColumns).transform(toSummary)

export const VERSION_COLUMNS = `${VERSION_SUMMARY_COLUMNS}, state, json`
export const versionRow = z
	.object({ ...versionSummaryColumns, state: bytes, json: z.string() })
	.transform((row): StoredVersion => ({ ...toSummary(row), state: row.state, json: row.json }))


export const versionNumberRow = z.object({ number: integer }).transform((row) => row.number)
