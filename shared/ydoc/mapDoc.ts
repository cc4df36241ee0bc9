import * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import type { SerializedSchema, SerializedStore } from '@tldraw/store'
import { issue, type Issue } from '../issues'
import { SCHEMA_VERSION, type MaillageMap, type MapInfo } from '../model'
import { baseRecords, mapToRecords, recordsToMap, type Projection } from '../projection'
import { isSameSchema, maillageTLSchema } from '../tldraw/schema'
import { readRecords, recordsMap, writeRecord, type JsonRecord } from './recordCodec'

/**
 * The shape of a room's Y.Doc:
 * - `records`: tldraw records (see recordCodec), document-scoped only;
 * - `info`: the map's title, territory, description and date;
 * - `meta`: `schemaVersion` (Maillage) and `tldrawSchema` (serialized), written with the content
 *   so that a newer client can migrate an older document and an older client can refuse a newer one.
 */
export const INFO_KEY = 'info'
export const META_KEY = 'meta'

export function infoMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(INFO_KEY)
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(META_KEY)
}

export function readInfo(doc: Y.Doc): Partial<MapInfo> {
	return Object.fromEntries(infoMap(doc).entries()) as Partial<MapInfo>
}

/** Records the schema the document is written with. Call inside the writing transaction. */
export function stampSchema(doc: Y.Doc): void {
	const meta = metaMap(doc)
	if (meta.get('schemaVersion') !== SCHEMA_VERSION) meta.set('schemaVersion', SCHEMA_VERSION)
	const serialized = maillageTLSchema.serialize()
	const stored = meta.get('tldrawSchema') as SerializedSchema | undefined
	if (!stored || !isSameSchema(stored, serialized)) meta.set('tldrawSchema', serialized)
}

/**
 * The document's records brought to the current tldraw schema: a document written by an older
 * client is migrated (in memory); one written with a newer schema is refused, never guessed at.
 */
export function readMigratedRecords(doc: Y.Doc): { records: unknown[]; issues: Issue[] } {
	const records = readRecords(doc)
	const stored = metaMap(doc).get('tldrawSchema') as SerializedSchema | undefined
	if (!stored || isSameSchema(stored, maillageTLSchema.serialize())) return { records, issues: [] }
	const store = Object.fromEntries(records.map((r) => [r.id as string, r])) as unknown as SerializedStore<TLRecord>
	const result = maillageTLSchema.migrateStoreSnapshot({ store, schema: stored })
	if (result.type === 'success') return { records: Object.values(result.value), issues: [] }
	return {
		records: [],
		issues: [
			issue(
				['meta', 'tldrawSchema'],
				`the document cannot be migrated to this version (${result.reason}): it was written by a newer Maillage?`,
				`le document ne peut pas être migré vers cette version (${result.reason}) : écrit par un Maillage plus récent ?`,
			),
		],
	}
}

/** The typed map a room's document holds, with every record that could not be read reported. */
export function docToMap(doc: Y.Doc): Projection {
	const { records, issues } = readMigratedRecords(doc)
	const projection = recordsToMap(records, readInfo(doc))
	// Entries a raw client wrote that are not records at all: readRecords leaves them out, say so.
	const notRecords = [...recordsMap(doc).entries()]
		.filter(([, entry]) => !(entry instanceof Y.Map))
		.map(([id]) => issue(['records', id], 'entry is not a record', "l'entrée n'est pas un enregistrement", 'warning'))
	return { map: projection.map, issues: [...issues, ...notRecords, ...projection.issues] }
}

/**
 * Replaces the content of a document by a map, in one transaction: records that the map does
 * not draw are deleted, the others written field by field. Shapes the model does not know
 * (notes, drawings) are deleted too: an import replaces the whole map.
 */
export function writeMapToDoc(doc: Y.Doc, map: MaillageMap, origin: unknown = null): void {
	const records = [...baseRecords(), ...mapToRecords(map)] as TLRecord[]
	const keep = new Set<string>(records.map((r) => r.id))
	const info: MapInfo = { title: map.title, territory: map.territory, description: map.description, date: map.date }
	doc.transact(() => {
		const yRecords = recordsMap(doc)
		for (const id of [...yRecords.keys()]) if (!keep.has(id)) yRecords.delete(id)
		for (const record of records) writeRecord(yRecords, record as unknown as JsonRecord)
		const yInfo = infoMap(doc)
		for (const key of [...yInfo.keys()]) if (!(key in info) || info[key as keyof MapInfo] === undefined) yInfo.delete(key)
		for (const [key, value] of Object.entries(info)) if (value !== undefined && yInfo.get(key) !== value) yInfo.set(key, value)
		stampSchema(doc)
	}, origin)
}
