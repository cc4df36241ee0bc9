import * as Y from 'yjs'
import { isEqual } from '@tldraw/utils'
import { isPlainObject } from '../json'
import { liveMapEntries } from './yjsInternals'

/**
 * How tldraw records live in a Y.Doc. Each record is a Y.Map from a field path to a leaf value:
 * `x`, `props/name`, `meta/partnership/strength`... Two people editing different fields of the
 * same organisation or partnership therefore both win; only edits of the same leaf conflict.
 * Leaves are primitives, arrays (replaced whole) and empty objects.
 */
export type JsonRecord = { id: string; typeName: string } & Record<string, unknown>
export type YRecord = Y.Map<unknown>

export const RECORDS_KEY = 'records'

export function recordsMap(doc: Y.Doc): Y.Map<YRecord> {
	return doc.getMap<YRecord>(RECORDS_KEY)
}

// JSON Pointer escaping, so that any key survives the trip through a path.
const escapeKey = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1')
// Most keys hold no escape: skipping both scans for them matters when an export reads every record.
const unescapeKey = (key: string) => (key.includes('~') ? key.replaceAll('~1', '/').replaceAll('~0', '~') : key)

/** Flattens a record into path -> leaf. `undefined` values are left out, as in JSON. */
export function flattenRecord(record: object): Map<string, unknown> {
	const leaves = new Map<string, unknown>()
	const walk = (value: Record<string, unknown>, prefix: string) => {
		const entries = Object.entries(value).filter(([, v]) => v !== undefined)
		if (entries.length === 0 && prefix) leaves.set(prefix.slice(0, -1), {})
		for (const [key, v] of entries) {
			const path = prefix + escapeKey(key)
			if (isPlainObject(v)) walk(v, path + '/')
			else leaves.set(path, v)
		}
	}
	walk(record as Record<string, unknown>, '')
	return leaves
}

/**
 * Rebuilds a record from its leaves. Concurrent edits can leave both `a` = 1 and `a/b` = 2;
 * the object always wins, whatever the order, so that every replica reads the same record.
 * Leaves are applied in path order so that every replica also lists the keys in one order.
 * This runs for every record of a room on each export: paths are walked in place, without
 * splitting them into arrays.
 */
export function unflattenRecord(leaves: Iterable<[string, unknown]>): Record<string, unknown> {
	const root: Record<string, unknown> = {}
	const sorted = Array.from(leaves).sort(byPath)
	for (const [path, value] of sorted) {
		let node = root
		let start = 0
		for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', start)) {
			const key = unescapeKey(path.slice(start, slash))
			let child = ownValue(node, key)
			if (!isPlainObject(child)) setOwn(node, key, (child = {}))
			node = child as Record<string, unknown>
			start = slash + 1
		}
		const last = unescapeKey(start === 0 ? path : path.slice(start))
		if (isPlainObject(ownValue(node, last))) continue
		setOwn(node, last, isPlainObject(value) ? {} : value)
	}
	return root
}

const byPath = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0)

/*
 * Paths come from the shared document, which any participant can write with a raw Yjs client:
 * a path like `__proto__/x` must never reach Object.prototype (that polluted every object of
 * the server and of every client reading the room). Keys are read and written as own data
 * properties only; such a record then fails validation and is reported like any other.
 * `__proto__` is the only key a plain assignment would not store as an own data property.
 */
const ownValue = (node: Record<string, unknown>, key: string) => (Object.hasOwn(node, key) ? node[key] : undefined)
function setOwn(node: Record<string, unknown>, key: string, value: unknown): void {
	if (key === '__proto__') Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true })
	else node[key] = value
}

/** Two leaves hold the same JSON value (arrays and objects compared by content). */
export function sameLeaf(a: unknown, b: unknown): boolean {
	return a === b || (typeof a === 'object' && typeof b === 'object' && isEqual(a, b))
}

/**
 * Writes a record into the document, touching only the leaves that changed (so a concurrent
 * edit of another field is never overwritten). Call inside a transaction.
 */
export function writeRecord(records: Y.Map<YRecord>, record: JsonRecord): void {
	const leaves = flattenRecord(record)
	let yRecord = records.get(record.id)
	if (!(yRecord instanceof Y.Map)) {
		yRecord = new Y.Map<unknown>()
		for (const [path, value] of leaves) yRecord.set(path, value)
		records.set(record.id, yRecord)
		return
	}
	for (const path of [...yRecord.keys()]) if (!leaves.has(path)) yRecord.delete(path)
	for (const [path, value] of leaves) if (!sameLeaf(yRecord.get(path), value)) yRecord.set(path, value)
}

/** Reads one record as plain JSON, or undefined when the entry is not a record at all. */
export function readRecord(yRecord: unknown): Record<string, unknown> | undefined {
	if (!(yRecord instanceof Y.Map)) return undefined
	return unflattenRecord(liveMapEntries(yRecord))
}

/** Reads the record the document keeps under `id` (the map key is the id), or undefined when the entry is not a record. */
export function readRecordAt(id: string, yRecord: unknown): Record<string, unknown> | undefined {
	const record = readRecord(yRecord)
	if (record) setOwn(record, 'id', id)
	return record
}

/** Reads every record of the document as plain JSON, unvalidated; the map key is the id. */
export function readRecords(doc: Y.Doc): Record<string, unknown>[] {
	const out: Record<string, unknown>[] = []
	for (const [id, yRecord] of recordsMap(doc).entries()) {
		const record = readRecordAt(id, yRecord)
		if (record) out.push(record)
	}
	return out
}
