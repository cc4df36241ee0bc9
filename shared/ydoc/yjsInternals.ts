import type * as Y from 'yjs'

/*
 * The only module that reads Yjs internals (fields without a public accessor). Each use says why
 * the public API does not do, and tests/unit/shared/ydoc/yjsInternals.test.ts checks it on the
 * installed Yjs, so that an upgrade that changes them fails there rather than in a room.
 */

/**
 * Whether the document holds updates it cannot apply yet (structs or deletions received before
 * the ones they depend on). Yjs keeps them in its struct store and has no public accessor.
 */
export function hasPendingUpdates(doc: Y.Doc): boolean {
	return Boolean(doc.store.pendingStructs || doc.store.pendingDs)
}

/**
 * What `Y.Map#entries` yields, read straight from the map's items: an export reads every leaf
 * of a room, and the chain of lib0 iterators behind `entries()` was a tenth of its time.
 */
export function liveMapEntries<V>(map: Y.Map<V>): [string, V][] {
	const entries: [string, V][] = []
	for (const [key, item] of map._map) if (!item.deleted) entries.push([key, item.content.getContent()[item.length - 1] as V])
	return entries
}
