import { describe, expect, it } from 'vitest'
import { createTLStore, defaultShapeUtils, HistoryManager, type IndexKey, type RecordsDiff, type TLRecord } from 'tldraw'
import { organisationSchema } from '../../../../shared/model'
import { baseRecords, organisationToShape } from '../../../../shared/projection'
import { flushHistory, interceptApplyDiff } from '../../../../client/sync/tldrawStoreInternals'
import { OrganisationShapeUtil } from '../../../../client/canvas/OrganisationShapeUtil'

// These rely on the installed tldraw's store internals: an upgrade that changes them must fail here.

const newStore = () => {
	const store = createTLStore({ shapeUtils: [...defaultShapeUtils, OrganisationShapeUtil] })
	store.put(baseRecords())
	return store
}
const shape = organisationToShape(organisationSchema.parse({ id: 'a', name: 'A' }), { x: 0, y: 0, w: 200, h: 96 }, 'a2' as IndexKey)

describe('flushHistory', () => {
	it('reports pending changes to listeners at once, before the next frame', () => {
		// Under NODE_ENV=test tldraw reports at once; make it wait for a frame, as in a browser.
		const frames: FrameRequestCallback[] = []
		const globals = globalThis as { __FORCE_RAF_IN_TESTS__?: boolean; requestAnimationFrame?: unknown }
		const saved = { force: globals.__FORCE_RAF_IN_TESTS__, raf: globals.requestAnimationFrame }
		globals.__FORCE_RAF_IN_TESTS__ = true
		globals.requestAnimationFrame = (cb: FrameRequestCallback) => frames.push(cb)
		try {
			const store = newStore()
			const seen: string[][] = []
			store.listen(({ changes }) => seen.push(Object.keys(changes.added)), { source: 'user', scope: 'document' })
			store.put([shape])
			expect(seen).toEqual([])
			expect(frames.length).toBeGreaterThan(0)
			flushHistory(store)
			expect(seen).toEqual([[shape.id]])
			// The frame that comes later finds nothing left to report.
			for (const frame of frames.splice(0)) frame(0)
			expect(seen).toEqual([[shape.id]])
		} finally {
			globals.__FORCE_RAF_IN_TESTS__ = saved.force
			globals.requestAnimationFrame = saved.raf
		}
	})
})

describe('interceptApplyDiff', () => {
	it('sees the diffs undo and redo replay, and can rewrite them, until stopped', () => {
		const store = newStore()
		const original = store.applyDiff
		store.put([shape])
		const history = new HistoryManager({ store })
		history.batch(() => store.update(shape.id, (s) => ({ ...s, x: 300 })))
		const diffs: RecordsDiff<TLRecord>[] = []
		const stop = interceptApplyDiff(store, (diff) => {
			diffs.push(diff)
			// Rewritten: undo brings x to 50 instead of 0.
			const updated = Object.fromEntries(Object.entries(diff.updated).map(([id, [from, to]]) => [id, [from, { ...to, x: 50 }]]))
			return { ...diff, updated } as RecordsDiff<TLRecord>
		})
		history.undo()
		expect(diffs).toHaveLength(1)
		expect(Object.keys(diffs[0]!.updated)).toEqual([shape.id])
		expect(store.get(shape.id)).toMatchObject({ x: 50 })
		stop()
		expect(store.applyDiff).toBe(original)
		history.redo()
		expect(diffs).toHaveLength(1)
		expect(store.get(shape.id)).toMatchObject({ x: 300 })
		history.dispose()
	})
})
