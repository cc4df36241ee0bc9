import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { MapCache } from '../../../../server/room/mapCache'
import { docToMap, metaMap, writeMapToDoc } from '../../../../shared/ydoc/mapDoc'
import { recordsMap, type YRecord } from '../../../../shared/ydoc/recordCodec'
import { randomMap, seededRandom } from '../../../support/randomMap'

/** The cached read must be exactly what a fresh read of the document gives, issues included. */
function expectSameAsFresh(cache: MapCache, doc: Y.Doc): void {
	expect(cache.read()).toEqual(docToMap(doc))
}

function setup(seed: number) {
	const doc = new Y.Doc()
	writeMapToDoc(doc, randomMap(seed, { organisations: 30, partnerships: 60 }))
	const cache = new MapCache(doc)
	expectSameAsFresh(cache, doc)
	return { doc, cache, records: recordsMap(doc) }
}

describe('MapCache', () => {
	it('reads what docToMap reads after each batch of seeded random edits', () => {
		const { doc, cache, records } = setup(7)
		const random = seededRandom(42)
		const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T
		const removed = new Map<string, Map<string, unknown>>()
		for (let batch = 0; batch < 40; batch++) {
			doc.transact(() => {
				for (let edit = 0; edit < 1 + Math.floor(random() * 4); edit++) {
					const ids = [...records.entries()].filter(([id, r]) => r instanceof Y.Map && /^(shape|binding):/.test(id)).map(([id]) => id)
					const id = pick(ids)
					const record = records.get(id) as YRecord
					const choice = random()
					if (choice < 0.3) record.set('x', Math.round(random() * 1000))
					else if (choice < 0.45) record.set('props/name', `renamed ${batch}`)
					else if (choice < 0.55) record.set('props/w', 'not a number') // invalid record
					else if (choice < 0.65) record.set('meta/partnership/strength', 'nonsense') // invalid meta
					else if (choice < 0.75) record.set('toId', 'shape:nobody') // dangling binding
					else if (choice < 0.85) {
						removed.set(id, new Map(record.entries()))
						records.delete(id)
					} else if (removed.size > 0) {
						const [back, leaves] = pick([...removed.entries()])
						removed.delete(back)
						const yRecord = new Y.Map<unknown>()
						for (const [path, value] of leaves) yRecord.set(path, value)
						records.set(back, yRecord)
					} else (records as Y.Map<unknown>).set(`shape:raw${batch}`, 'not a record')
				}
			})
			expectSameAsFresh(cache, doc)
		}
	})

	it('follows a whole-map replace (import, restore)', () => {
		const { doc, cache } = setup(3)
		writeMapToDoc(doc, randomMap(4, { organisations: 20, partnerships: 25 }))
		expectSameAsFresh(cache, doc)
		writeMapToDoc(doc, randomMap(3, { organisations: 30, partnerships: 60 }))
		expectSameAsFresh(cache, doc)
	})

	it('follows a state applied from another replica and a changed schema stamp', () => {
		const { doc, cache } = setup(5)
		const other = new Y.Doc()
		writeMapToDoc(other, randomMap(6, { organisations: 10, partnerships: 10 }))
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
		expectSameAsFresh(cache, doc)
		metaMap(doc).set('tldrawSchema', { schemaVersion: 99, sequences: {} })
		expectSameAsFresh(cache, doc)
		expect(cache.read().issues[0]?.path).toEqual(['meta', 'tldrawSchema'])
		metaMap(doc).delete('tldrawSchema')
		expectSameAsFresh(cache, doc)
	})

	it('re-reads only the records that changed', () => {
		const { doc, cache, records } = setup(9)
		const before = cache.read()
		const id = [...records.keys()].find((k) => k.startsWith('shape:')) as string
		;(records.get(id) as YRecord).set('x', 12345)
		const after = cache.read()
		expect(after).toEqual(docToMap(doc))
		expect(after).not.toEqual(before)
	})
})
