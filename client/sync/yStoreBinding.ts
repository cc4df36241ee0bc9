import * as Y from 'yjs'
import type { HistoryEntry, RecordsDiff } from '@tldraw/store'
import type { TLRecord, TLShape, TLStore } from '@tldraw/tlschema'
import { isEqual } from '@tldraw/utils'
import { formatIssue, issue, type Issue } from '../../shared/issues'
import { hasPendingUpdates } from '../../shared/ydoc/yjsInternals'
import { flushHistory, interceptApplyDiff } from './tldrawStoreInternals'
import { docSchemaState, metaMap, stampSchema, type DocSchemaState } from '../../shared/ydoc/docSchema'
import { flattenRecord, readRecord, recordsMap, sameLeaf, unflattenRecord, writeRecord, type JsonRecord, type YRecord } from '../../shared/ydoc/recordCodec'
import { baseRecords } from '../../shared/projection'
import { migrateRecord, notARecord, restoreRecord, type RestoreContext, type RestoredRecord } from '../../shared/ydoc/restoreRecord'

export interface BindingOptions {
	/** Called with every remote record currently skipped, each time that list changes. */
	onInvalidRecords?: (issues: Issue[]) => void
	/** Called when the document turns out to be newer than this client (it then stops writing), or no longer is. */
	onSchemaMismatch?: (mismatch: boolean, reason?: string) => void
	/** Show the document, never write to it (viewers). */
	readOnly?: boolean
}

export interface StoreBinding {
	dispose(): void
	/** Remote records skipped because this client cannot accept them, one issue each. */
	invalidRecords(): Issue[]
	/** True when the document was written by a newer Maillage: nothing is written to it. */
	schemaMismatch(): boolean
}

type RecordId = TLRecord['id']

// User records carry a person's name and are rewritten by every editor that mounts:
// identity travels through awareness instead, so they stay out of the room's document.
const UNSYNCED_DOCUMENT_TYPES = new Set(['user'])

/** `current` with the leaves that differ between `from` and `to` set as in `to`. */
function patchRecord<R extends TLRecord>(current: R, from: R, to: R): R {
	const leaves = flattenRecord(current)
	const before = flattenRecord(from)
	const after = flattenRecord(to)
	for (const path of before.keys()) if (!after.has(path)) leaves.delete(path)
	for (const [path, value] of after) if (!sameLeaf(before.get(path), value)) leaves.set(path, value)
	return unflattenRecord(leaves) as R
}

/**
 * Undo and redo put back whole records as they were. Applied on top of what remote users
 * changed since, that would silently revert their edits of other fields of the same record:
 * rebase each update of the diff on the record as it is now, so only one's own fields move.
 */
function rebaseOnStore(store: TLStore, diff: RecordsDiff<TLRecord>): RecordsDiff<TLRecord> {
	let rebased: RecordsDiff<TLRecord>['updated'] | undefined
	for (const [id, [from, to]] of Object.entries(diff.updated) as [TLRecord['id'], [TLRecord, TLRecord]][]) {
		const current = store.get(id)
		if (!current || isEqual(current, from)) continue
		rebased ??= { ...diff.updated }
		rebased[id] = [current, patchRecord(current, from, to)]
	}
	return rebased ? { ...diff, updated: rebased } : diff
}

/**
 * Writes only the leaves a local change touched, so that a concurrent remote edit of another
 * field of the same record, already in the document, is kept (the store's `to` may predate it).
 */
function writeRecordChange(yRecord: YRecord, from: TLRecord, to: TLRecord): void {
	const before = flattenRecord(from)
	const after = flattenRecord(to)
	for (const path of before.keys()) if (!after.has(path) && yRecord.has(path)) yRecord.delete(path)
	for (const [path, value] of after) if (!sameLeaf(before.get(path), value)) yRecord.set(path, value)
}

/**
 * Binds a tldraw store to a room's Y.Doc, the store being the source of the user's edits and
 * the document the shared truth (see shared/ydoc/recordCodec for the layout).
 *
 * Call it only once the document has had its first sync (server, or IndexedDB when offline):
 * when writable, it creates the map's page and document records, with fixed ids, if missing.
 *
 * - Local user changes of document records go to the document in one transaction per store change.
 * - Remote changes go into the store with `mergeRemoteChanges`, so they stay out of the local undo history.
 * - Each remote record is validated on its own: an invalid one is skipped and reported, the rest
 *   syncs; when it becomes valid it appears. An existing record that turns invalid keeps its last
 *   valid version locally (removing it would make the editor clean up around it and write that
 *   back to everyone).
 * - Session and presence records are never written to the document.
 * - Undo/redo (which replay whole records through `store.applyDiff`) only move one's own fields.
 */
export function bindStoreToDoc(store: TLStore, doc: Y.Doc, options: BindingOptions = {}): StoreBinding {
	const readOnly = options.readOnly ?? false
	const yRecords = recordsMap(doc)
	const origin = { binding: store.id }
	const currentSchema = store.schema.serialize()
	const syncedTypes = new Set([...store.scopedTypes.document].filter((t) => !UNSYNCED_DOCUMENT_TYPES.has(t)))
	const issues = new Map<string, Issue>()
	/** Ids in the document that are not (or not currently) in the store: retried on every change. */
	const pending = new Set<string>()
	let schema: DocSchemaState = docSchemaState(doc, currentSchema)
	let reported = new Set<string>()

	const isMismatch = () => schema.kind === 'newer'
	const canWrite = () => !readOnly && !isMismatch()
	const isSyncedRecord = (r: TLRecord) => syncedTypes.has(r.typeName)

	function report() {
		// Updates received out of order can leave a record half-written until the missing one
		// arrives: report once the document has nothing pending.
		if (hasPendingUpdates(doc)) return
		const list = [...issues.values()]
		const keys = new Set(list.map((i) => JSON.stringify(i)))
		if (keys.size === reported.size && [...keys].every((k) => reported.has(k))) return
		for (const i of list) if (!reported.has(JSON.stringify(i))) console.warn(`[maillage sync] ${formatIssue(i)}`)
		reported = keys
		options.onInvalidRecords?.(list)
	}

	function skip(id: string, problem: Issue) {
		pending.add(id)
		issues.set(id, problem)
	}

	/** The record as this client's schema sees it, or the reason it cannot. */
	function acceptable(id: string, raw: Record<string, unknown>): RestoredRecord | 'ignored' {
		if (typeof raw.typeName === 'string' && UNSYNCED_DOCUMENT_TYPES.has(raw.typeName)) return 'ignored'
		return restoreRecord(id, raw, restoreContext())
	}

	const restoreContext = (): RestoreContext => ({
		schema: store.schema,
		writtenWith: schema.kind === 'older' ? schema.stored : undefined,
		documentTypes: syncedTypes,
	})

	/** Brings the store in line with the document for these ids (and every pending one). */
	function applyFromDoc(ids: Iterable<string>) {
		const candidates = new Map<string, TLRecord>()
		const removals = new Set<RecordId>()
		for (const id of new Set([...ids, ...pending])) {
			pending.delete(id)
			issues.delete(id)
			const entry = yRecords.get(id)
			if (entry === undefined) {
				const existing = store.get(id as RecordId)
				if (existing && isSyncedRecord(existing)) removals.add(existing.id)
				continue
			}
			const raw = readRecord(entry)
			if (!raw) {
				skip(id, notARecord(id))
				continue
			}
			const result = acceptable(id, { ...raw, id })
			if (result === 'ignored') continue
			if (result.ok) candidates.set(id, result.record)
			else skip(id, result.issue)
		}
		const puts = placeable(candidates, removals)
		if (puts.length === 0 && removals.size === 0) return report()
		try {
			store.mergeRemoteChanges(() => {
				if (removals.size) store.remove([...removals])
				if (puts.length) store.put(puts)
			})
		} catch {
			// One record the store refuses (a side effect throwing...) must not hold back the others.
			for (const id of removals) store.mergeRemoteChanges(() => store.remove([id]))
			for (const record of puts) {
				try {
					store.mergeRemoteChanges(() => store.put([record]))
				} catch (e) {
					const reason = e instanceof Error ? e.message : String(e)
					skip(record.id, issue(['records', record.id], `record refused by the editor: ${reason}`, `enregistrement refusé par l'éditeur : ${reason}`, 'warning'))
				}
			}
		}
		report()
	}

	/**
	 * The candidates that differ from the store and can be shown: a shape whose parent is missing
	 * (deleted concurrently, or itself skipped) waits for it.
	 */
	function placeable(candidates: Map<string, TLRecord>, removals: Set<RecordId>): TLRecord[] {
		const accepted = new Map<string, TLRecord>()
		const exists = (id: string) => accepted.has(id) || (store.has(id as RecordId) && !removals.has(id as RecordId))
		let progress = true
		while (progress) {
			progress = false
			for (const [id, record] of candidates) {
				if (record.typeName === 'shape' && !exists((record as TLShape).parentId)) continue
				accepted.set(id, record)
				candidates.delete(id)
				progress = true
			}
		}
		for (const [id, record] of candidates) {
			const parent = (record as TLShape).parentId
			skip(id, issue(['records', id, 'parentId'], `waiting for its parent "${parent}"`, `en attente de son parent « ${parent} »`, 'warning'))
		}
		return [...accepted.values()].filter((r) => !isEqual(store.get(r.id), r))
	}

	function writeLocalChanges({ changes }: HistoryEntry<TLRecord>) {
		if (!canWrite()) return
		const stale: string[] = []
		doc.transact(() => {
			for (const record of Object.values(changes.added)) {
				if (isSyncedRecord(record)) writeRecord(yRecords, record as unknown as JsonRecord)
			}
			for (const [from, to] of Object.values(changes.updated)) {
				if (!isSyncedRecord(to)) continue
				const yRecord = yRecords.get(to.id)
				// Deleted remotely meanwhile: the deletion wins, and the store is told so below.
				if (yRecord instanceof Y.Map) writeRecordChange(yRecord, from, to)
				else stale.push(to.id)
			}
			for (const record of Object.values(changes.removed)) {
				if (isSyncedRecord(record)) yRecords.delete(record.id)
			}
			stampSchema(doc)
		}, origin)
		if (stale.length) applyFromDoc(stale)
	}

	/** Writable clients bring an older document up to date and give an empty one its page. */
	function prepareDocument() {
		if (!canWrite()) return
		doc.transact(() => {
			if (schema.kind === 'older') {
				const context = restoreContext()
				for (const [id, entry] of yRecords.entries()) {
					const raw = readRecord(entry)
					if (!raw) continue
					const migrated = migrateRecord({ ...raw, id } as unknown as TLRecord, context)
					if (migrated.ok) writeRecord(yRecords, migrated.record as unknown as JsonRecord)
				}
			}
			for (const record of baseRecords()) if (!yRecords.has(record.id)) writeRecord(yRecords, record as unknown as JsonRecord)
			stampSchema(doc)
		}, origin)
		schema = docSchemaState(doc, currentSchema)
	}

	const onRecords = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
		if (transaction.origin === origin) return
		const ids = new Set<string>()
		for (const event of events) {
			if (event.target === yRecords && event instanceof Y.YMapEvent) for (const key of event.keysChanged) ids.add(key)
			else if (typeof event.path[0] === 'string') ids.add(event.path[0])
		}
		// Local edits the store has not reported yet must reach the document first, or the
		// remote version read below would hide them from the store.
		flushHistory(store)
		applyFromDoc(ids)
	}

	const onMeta = (_event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
		const next = docSchemaState(doc, currentSchema)
		const changed = JSON.stringify(next) !== JSON.stringify(schema)
		const wasMismatch = isMismatch()
		schema = next
		if (isMismatch() !== wasMismatch) options.onSchemaMismatch?.(isMismatch(), next.kind === 'newer' ? next.reason : undefined)
		if (changed && transaction.origin !== origin) applyFromDoc(yRecords.keys())
	}

	const guard =
		<A extends unknown[]>(fn: (...args: A) => void) =>
		(...args: A) => {
			// A throwing observer would stop Yjs from calling the others: report and carry on.
			try {
				fn(...args)
			} catch (e) {
				console.error('[maillage sync]', e)
			}
		}

	const stopRebasing = interceptApplyDiff(store, (diff) => rebaseOnStore(store, diff))
	const stopListening = store.listen(guard(writeLocalChanges), { source: 'user', scope: 'document' })
	const guardedOnRecords = guard(onRecords)
	const guardedOnMeta = guard(onMeta)
	prepareDocument()
	const initial = new Set<string>(yRecords.keys())
	for (const record of store.allRecords()) if (isSyncedRecord(record)) initial.add(record.id)
	applyFromDoc(initial)
	yRecords.observeDeep(guardedOnRecords)
	metaMap(doc).observe(guardedOnMeta)
	if (isMismatch()) options.onSchemaMismatch?.(true, schema.kind === 'newer' ? schema.reason : undefined)

	return {
		dispose() {
			flushHistory(store)
			stopListening()
			stopRebasing()
			yRecords.unobserveDeep(guardedOnRecords)
			metaMap(doc).unobserve(guardedOnMeta)
		},
		invalidRecords: () => [...issues.values()],
		schemaMismatch: isMismatch,
	}
}
