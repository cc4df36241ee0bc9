import type * as Y from 'yjs'
import type { SerializedSchema } from '@tldraw/store'
import { SCHEMA_VERSION } from '../model'
import { isSameSchema, maillageTLSchema } from '../tldraw/schema'

/**
 * A document's `meta` map: `schemaVersion` (Maillage) and `tldrawSchema` (serialized), written
 * with the content so that a newer reader can migrate an older document and an older client can
 * refuse to write into a newer one.
 */
export const META_KEY = 'meta'
const TLDRAW_SCHEMA_KEY = 'tldrawSchema'

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(META_KEY)
}

/** Records the schema the document is written with. Call inside the writing transaction. */
export function stampSchema(doc: Y.Doc): void {
	const meta = metaMap(doc)
	if (meta.get('schemaVersion') !== SCHEMA_VERSION) meta.set('schemaVersion', SCHEMA_VERSION)
	const serialized = maillageTLSchema.serialize()
	const stored = meta.get(TLDRAW_SCHEMA_KEY) as SerializedSchema | undefined
	if (!stored || !isSameSchema(stored, serialized)) meta.set(TLDRAW_SCHEMA_KEY, serialized)
}

/**
 * How the schema a document was written with compares to this reader's:
 * - `unstamped`: nothing recorded yet (a new room);
 * - `same`: records can be read as they are;
 * - `older`: records are migrated on read, and the document is brought up to date when a client writes;
 * - `newer`: written by a newer Maillage; this reader must not write, or it would corrupt it.
 */
export type DocSchemaState =
	| { kind: 'unstamped' | 'same' }
	| { kind: 'older'; stored: SerializedSchema }
	| { kind: 'newer'; reason: string }

function isNewerTldrawSchema(stored: SerializedSchema, current: SerializedSchema): string | undefined {
	if (stored.schemaVersion > current.schemaVersion) return `tldraw schema format ${stored.schemaVersion}`
	if (stored.schemaVersion !== 2 || current.schemaVersion !== 2) return undefined
	for (const [sequence, version] of Object.entries(stored.sequences)) {
		const ours = current.sequences[sequence]
		if (ours === undefined) return `unknown migration sequence ${sequence}`
		if (version > ours) return `${sequence} ${version} > ${ours}`
	}
	return undefined
}

function isSerializedSchema(value: unknown): value is SerializedSchema {
	if (typeof value !== 'object' || value === null) return false
	const v = value as { schemaVersion?: unknown; sequences?: unknown; recordVersions?: unknown }
	if (v.schemaVersion === 2) return typeof v.sequences === 'object' && v.sequences !== null
	return v.schemaVersion === 1 && typeof v.recordVersions === 'object' && v.recordVersions !== null
}

/** How the tldraw schema stamped on a document compares to `current` (Maillage's own version aside). */
export function tldrawSchemaState(doc: Y.Doc, current: SerializedSchema): DocSchemaState {
	const stored = metaMap(doc).get(TLDRAW_SCHEMA_KEY)
	if (stored === undefined) return { kind: 'unstamped' }
	// A stamp this reader cannot even parse is not something it may overwrite.
	if (!isSerializedSchema(stored)) return { kind: 'newer', reason: 'unreadable tldraw schema stamp' }
	const newer = isNewerTldrawSchema(stored, current)
	if (newer) return { kind: 'newer', reason: newer }
	const same =
		stored.schemaVersion === 2 &&
		current.schemaVersion === 2 &&
		Object.entries(current.sequences).every(([sequence, version]) => stored.sequences[sequence] === version)
	return same ? { kind: 'same' } : { kind: 'older', stored }
}

/** How the document's schema, Maillage's version and tldraw's, compares to this reader's. */
export function docSchemaState(doc: Y.Doc, current: SerializedSchema): DocSchemaState {
	const version = metaMap(doc).get('schemaVersion')
	if (typeof version === 'number' && version > SCHEMA_VERSION)
		return { kind: 'newer', reason: `Maillage schema ${version} > ${SCHEMA_VERSION}` }
	return tldrawSchemaState(doc, current)
}
