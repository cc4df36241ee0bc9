import type * as Y from 'yjs'
import type { SerializedSchema } from '@tldraw/store'
import { SCHEMA_VERSION } from '../../shared/model'
import { metaMap } from '../../shared/ydoc/mapDoc'

/**
 * How the schema a document was written with compares to this client's:
 * - `unstamped`: nothing recorded yet (a new room);
 * - `same`: records can be read as they are;
 * - `older`: records are migrated on read, and the document is brought up to date when this client writes;
 * - `newer`: written by a newer Maillage; this client must not write, or it would corrupt it.
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

export function docSchemaState(doc: Y.Doc, current: SerializedSchema): DocSchemaState {
	const meta = metaMap(doc)
	const version = meta.get('schemaVersion')
	if (typeof version === 'number' && version > SCHEMA_VERSION)
		return { kind: 'newer', reason: `Maillage schema ${version} > ${SCHEMA_VERSION}` }
	const stored = meta.get('tldrawSchema')
	if (stored === undefined) return { kind: 'unstamped' }
	// A stamp this client cannot even parse is not something it may overwrite.
	if (!isSerializedSchema(stored)) return { kind: 'newer', reason: 'unreadable tldraw schema stamp' }
	const newer = isNewerTldrawSchema(stored, current)
	if (newer) return { kind: 'newer', reason: newer }
	const same =
		stored.schemaVersion === 2 &&
		current.schemaVersion === 2 &&
		Object.entries(current.sequences).every(([sequence, version]) => stored.sequences[sequence] === version)
	return same ? { kind: 'same' } : { kind: 'older', stored }
}
