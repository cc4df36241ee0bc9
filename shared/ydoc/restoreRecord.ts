import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLSchema } from '@tldraw/tlschema'
import { issue, type Issue } from '../issues'
import { isPlainObject } from '../json'

/**
 * The one way a record read from a document (a room's Y.Doc, on the server or in a client, or
 * records handed to the projection) is accepted: checked, migrated when the document is older,
 * validated by the schema, or refused with its reason in French and English. A refused record is
 * reported and left out; it never stops the others from being read.
 */
export type RestoredRecord = { ok: true; record: TLRecord } | { ok: false; issue: Issue }

export interface RestoreContext {
	schema: TLSchema
	/** The schema the document was written with, when older than `schema`: records are migrated up first. */
	writtenWith?: SerializedSchema | undefined
	/** The record types that belong in a document; others are refused. All of `schema`'s when left out. */
	documentTypes?: ReadonlySet<string>
}

const refused = (id: string, en: string, fr: string): RestoredRecord => ({ ok: false, issue: issue(['records', id], en, fr, 'warning') })

/** What is reported of a document entry that is not a record at all (a raw client can write anything). */
export const notARecord = (id: string): Issue => issue(['records', id], 'entry is not a record', "l'entrée n'est pas un enregistrement", 'warning')

/** Brings a record written with an older schema up to `schema`, or says why it cannot. */
export function migrateRecord(
	record: TLRecord,
	{ schema, writtenWith }: RestoreContext,
): { ok: true; record: TLRecord } | { ok: false; reason: string } {
	if (!writtenWith) return { ok: true, record }
	const migrated = schema.migratePersistedRecord(record, writtenWith, 'up')
	return migrated.type === 'success' ? { ok: true, record: migrated.value } : { ok: false, reason: migrated.reason }
}

/** `entry` as the schema accepts it, under the id `id` (where the document keeps it). */
export function restoreRecord(id: string, entry: unknown, context: RestoreContext): RestoredRecord {
	if (!isPlainObject(entry)) return { ok: false, issue: notARecord(id) }
	const typeName = entry.typeName
	const recordType = typeof typeName === 'string' && Object.hasOwn(context.schema.types, typeName) ? context.schema.types[typeName as TLRecord['typeName']] : undefined
	if (!recordType) return refused(id, `unknown record type "${String(typeName)}"`, `type d'enregistrement inconnu « ${String(typeName)} »`)
	if (context.documentTypes && !context.documentTypes.has(recordType.typeName))
		return refused(id, `"${recordType.typeName}" is not a document record`, `« ${recordType.typeName} » n'est pas un enregistrement du document`)
	const migrated = migrateRecord(entry as unknown as TLRecord, context)
	if (!migrated.ok) return refused(id, `record cannot be migrated (${migrated.reason})`, `enregistrement impossible à migrer (${migrated.reason})`)
	try {
		return { ok: true, record: recordType.validate(migrated.record) as TLRecord }
	} catch (e) {
		const reason = e instanceof Error ? e.message : String(e)
		return refused(id, `invalid record skipped: ${reason}`, `enregistrement invalide ignoré : ${reason}`)
	}
}
