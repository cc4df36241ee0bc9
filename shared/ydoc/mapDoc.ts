import * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import type { SerializedSchema } from '@tldraw/store'
import { issue, type Issue } from '../issues'
import type { MaillageMap, MapInfo } from '../model'
import { baseRecords, mapToRecords, projectRecords, restoreMapRecord, type Projection, type ProjectionMemo } from '../projection'
import { maillageTLSchema } from '../tldraw/schema'
import { stampSchema, tldrawSchemaState } from './docSchema'
import { readRecordAt, recordsMap, writeRecord, type JsonRecord } from './recordCodec'
import { notARecord, type RestoredRecord } from './restoreRecord'

/**
 * The shape of a room's Y.Doc:
 * - `records`: tldraw records (see recordCodec), document-scoped only;
 * - `info`: the map's title, territory, description and date;
 * - `meta`: the schema the document was written with (see docSchema).
 */
export const INFO_KEY = 'info'
export { META_KEY, metaMap, stampSchema } from './docSchema'

export function infoMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(INFO_KEY)
}

export function readInfo(doc: Y.Doc): Partial<MapInfo> {
	return Object.fromEntries(infoMap(doc).entries()) as Partial<MapInfo>
}

/** Reads and restores one entry of a document's records, or undefined when it is not a record at all. */
export type DocRecordReader = (id: string, entry: unknown, writtenWith: SerializedSchema | undefined) => RestoredRecord | undefined

export const readDocRecord: DocRecordReader = (id, entry, writtenWith) => {
	const raw = readRecordAt(id, entry)
	return raw && restoreMapRecord(raw, writtenWith)
}

/**
 * The typed map a room's document holds, with every record that could not be read reported.
 * Records of a document written by an older client are migrated (in memory), one by one as the
 * client binding does; a document written with a newer tldraw schema is not read, never guessed at.
 * A caller that keeps restored records between reads passes its own `readEntry` and `memo`.
 */
export function docToMap(doc: Y.Doc, readEntry: DocRecordReader = readDocRecord, memo?: ProjectionMemo): Projection {
	const state = tldrawSchemaState(doc, maillageTLSchema.serialize())
	const writtenWith = state.kind === 'older' ? state.stored : undefined
	const restored: RestoredRecord[] = []
	// Entries a raw client wrote that are not records at all: reported first, apart from the records.
	const notRecords: Issue[] = []
	for (const [id, entry] of recordsMap(doc).entries()) {
		if (!(entry instanceof Y.Map)) notRecords.push(notARecord(id))
		else if (state.kind !== 'newer') {
			const record = readEntry(id, entry, writtenWith)
			if (record) restored.push(record)
		}
	}
	const projection = projectRecords(restored, readInfo(doc), memo)
	const unreadable =
		state.kind === 'newer'
			? [
					issue(
						['meta', 'tldrawSchema'],
						`the document cannot be migrated to this version (${state.reason}): it was written by a newer Maillage?`,
						`le document ne peut pas être migré vers cette version (${state.reason}) : écrit par un Maillage plus récent ?`,
					),
				]
			: []
	return { map: projection.map, issues: [...unreadable, ...notRecords, ...projection.issues] }
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
