import type { RecordsDiff } from '@tldraw/store'
import type { TLRecord, TLStore } from '@tldraw/tlschema'

/*
 * The only module that relies on tldraw store internals. tests/unit/client/sync/tldrawStoreInternals.test.ts
 * checks each one on the installed tldraw, so that an upgrade that changes them fails there.
 */

/**
 * Reports the store's pending changes to its listeners now. The store batches them until the
 * next animation frame; `_flushHistory` (no public equivalent) is what it calls then.
 */
export function flushHistory(store: TLStore): void {
	store._flushHistory()
}

/**
 * Rewrites every diff given to `store.applyDiff` with `transform` until the returned function is
 * called. tldraw's undo and redo replay whole records through `applyDiff` and offer no hook of
 * their own, so the method itself is replaced on this store instance.
 */
export function interceptApplyDiff(store: TLStore, transform: (diff: RecordsDiff<TLRecord>) => RecordsDiff<TLRecord>): () => void {
	const applyDiff = store.applyDiff
	store.applyDiff = (diff, options) => applyDiff.call(store, transform(diff), options)
	return () => {
		store.applyDiff = applyDiff
	}
}
