import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { hasPendingUpdates, liveMapEntries } from '../../../../shared/ydoc/yjsInternals'

// These read fields of the installed Yjs without a public accessor: an upgrade that renames or
// changes them must fail here.

describe('hasPendingUpdates', () => {
	it('sees structs that wait for an update not received yet, and their release', () => {
		const source = new Y.Doc()
		const updates: Uint8Array[] = []
		source.on('update', (update: Uint8Array) => updates.push(update))
		source.getMap('m').set('a', 1)
		source.getMap('m').set('b', 2)
		const [first, second] = updates as [Uint8Array, Uint8Array]

		const target = new Y.Doc()
		expect(hasPendingUpdates(target)).toBe(false)
		Y.applyUpdate(target, second)
		expect(target.store.pendingStructs).not.toBeNull()
		expect(hasPendingUpdates(target)).toBe(true)
		expect(target.getMap('m').has('b')).toBe(false)
		Y.applyUpdate(target, first)
		expect(hasPendingUpdates(target)).toBe(false)
		expect(target.getMap('m').toJSON()).toEqual({ a: 1, b: 2 })
	})

	it('sees deletions of items not received yet', () => {
		const source = new Y.Doc()
		source.getMap('m').set('a', 1)
		const insert = Y.encodeStateAsUpdate(source)
		const before = Y.encodeStateVector(source)
		source.getMap('m').delete('a')
		const deletion = Y.encodeStateAsUpdate(source, before)

		const target = new Y.Doc()
		Y.applyUpdate(target, deletion)
		expect(target.store.pendingDs).not.toBeNull()
		expect(hasPendingUpdates(target)).toBe(true)
		Y.applyUpdate(target, insert)
		expect(hasPendingUpdates(target)).toBe(false)
		expect(target.getMap('m').has('a')).toBe(false)
	})
})

describe('liveMapEntries', () => {
	it('is what Y.Map#entries yields, through sets, overwrites, deletions and merges', () => {
		const a = new Y.Doc()
		const b = new Y.Doc()
		const ma = a.getMap<unknown>('m')
		const mb = b.getMap<unknown>('m')
		expect(ma._map).toBeInstanceOf(Map)
		ma.set('x', 1)
		ma.set('list', [1, 2])
		ma.set('nested', new Y.Map())
		ma.set('x', 'overwritten')
		mb.set('x', 'concurrent')
		mb.set('gone', true)
		mb.delete('gone')
		mb.set('empty', {})
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
		for (const map of [ma, mb]) {
			const entries = liveMapEntries(map)
			expect(entries).toEqual([...map.entries()])
			expect(entries.map(([key]) => key).sort()).toEqual(['empty', 'list', 'nested', 'x'])
		}
		expect(liveMapEntries(ma).find(([key]) => key === 'nested')?.[1]).toBeInstanceOf(Y.Map)
		// Replicas agree on the values, not on the order of the keys.
		const json = (map: Y.Map<unknown>) => liveMapEntries(map)
				.map(([key, value]) => [key, value instanceof Y.Map ? value.toJSON() : value])
				.sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))
		expect(json(ma)).toEqual(json(mb))
	})
})
