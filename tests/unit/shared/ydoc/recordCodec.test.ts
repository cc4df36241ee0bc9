import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
	flattenRecord,
	readRecord,
	readRecords,
	recordsMap,
	sameLeaf,
	unflattenRecord,
	writeRecord,
	type JsonRecord,
} from '../../../../shared/ydoc/recordCodec'
import { seededRandom } from '../../../support/randomMap'

const record = (fields: Record<string, unknown>): JsonRecord => ({ id: 'shape:a', typeName: 'shape', ...fields })

describe('flattenRecord', () => {
	it('maps each leaf to its path, field by field', () => {
		const leaves = flattenRecord(record({ x: 1, props: { name: 'CPAS', units: [{ id: 'u' }] }, meta: { partnership: { strength: 'weak', convention: null } } }))
		expect([...leaves]).toEqual([
			['id', 'shape:a'],
			['typeName', 'shape'],
			['x', 1],
			['props/name', 'CPAS'],
			['props/units', [{ id: 'u' }]],
			['meta/partnership/strength', 'weak'],
			['meta/partnership/convention', null],
		])
	})

	it('keeps empty objects as leaves, leaves undefined out, keeps arrays whole', () => {
		expect([...flattenRecord({ meta: {}, gone: undefined, list: [] })]).toEqual([
			['meta', {}],
			['list', []],
		])
	})

	it('escapes the separator and the escape character in keys', () => {
		expect([...flattenRecord({ 'a/b': { '~c': 1 }, '~1': 2 })]).toEqual([
			['a~1b/~0c', 1],
			['~01', 2],
		])
	})
})

describe('unflattenRecord', () => {
	it('rebuilds nested objects from paths and unescapes keys', () => {
		expect(unflattenRecord([['props/name', 'A'], ['props/a~1b', 1], ['x', 0], ['meta', {}]])).toEqual({ props: { name: 'A', 'a/b': 1 }, x: 0, meta: {} })
	})

	it('lets the object win over a concurrent leaf at the same path, in any order', () => {
		const both: [string, unknown][] = [['a', 1], ['a/b', 2]]
		expect(unflattenRecord(both)).toEqual({ a: { b: 2 } })
		expect(unflattenRecord([...both].reverse())).toEqual({ a: { b: 2 } })
	})

	it('lists keys in one order whatever the order of the leaves', () => {
		const leaves: [string, unknown][] = [['b', 1], ['a/y', 2], ['a/x', 3]]
		expect(JSON.stringify(unflattenRecord(leaves))).toBe(JSON.stringify(unflattenRecord([...leaves].reverse())))
	})

	it('never reaches Object.prototype through a __proto__ path', () => {
		const polluted = unflattenRecord([
			['__proto__/polluted', true],
			['props/__proto__/polluted', true],
			['constructor/prototype/polluted', true],
			['__proto__', 'x'],
		])
		expect(({} as Record<string, unknown>).polluted).toBeUndefined()
		expect(Object.getPrototypeOf(polluted)).toBe(Object.prototype)
		expect(Object.hasOwn(polluted, '__proto__')).toBe(true)
		expect(Object.getOwnPropertyDescriptor(polluted, '__proto__')?.value).toEqual({ polluted: true })
		const props = polluted.props as Record<string, unknown>
		expect(Object.getPrototypeOf(props)).toBe(Object.prototype)
		expect(Object.getOwnPropertyDescriptor(props, '__proto__')?.value).toEqual({ polluted: true })
		// An inherited name is an own key like any other, and replaces nothing inherited.
		expect(Object.hasOwn(polluted, 'constructor')).toBe(true)
		expect(Object.prototype.constructor).toBe(Object)
	})
})

describe('sameLeaf', () => {
	it('compares primitives by value and arrays and objects by content', () => {
		expect(sameLeaf(1, 1)).toBe(true)
		expect(sameLeaf([1, { a: 2 }], [1, { a: 2 }])).toBe(true)
		expect(sameLeaf({}, {})).toBe(true)
		expect(sameLeaf([1], [2])).toBe(false)
		expect(sameLeaf(null, {})).toBe(false)
		expect(sameLeaf('1', 1)).toBe(false)
	})
})

describe('writeRecord and readRecord', () => {
	it('writes a new record as one Y.Map of leaves', () => {
		const doc = new Y.Doc()
		doc.transact(() => writeRecord(recordsMap(doc), record({ x: 1, props: { name: 'A' } })))
		const yRecord = recordsMap(doc).get('shape:a')
		expect(yRecord).toBeInstanceOf(Y.Map)
		expect(Object.fromEntries(yRecord!.entries())).toEqual({ id: 'shape:a', typeName: 'shape', x: 1, 'props/name': 'A' })
		expect(readRecord(yRecord)).toEqual(record({ x: 1, props: { name: 'A' } }))
	})

	it('touches only the leaves that changed, and deletes the ones that are gone', () => {
		const doc = new Y.Doc()
		const records = recordsMap(doc)
		doc.transact(() => writeRecord(records, record({ x: 1, props: { name: 'A', notes: 'n', units: [1] } })))
		const changed: string[] = []
		records.get('shape:a')!.observe((event) => changed.push(...event.keysChanged))
		doc.transact(() => writeRecord(records, record({ x: 1, props: { name: 'B', units: [1] } })))
		expect(changed.sort()).toEqual(['props/name', 'props/notes'])
		expect(readRecord(records.get('shape:a'))).toEqual(record({ x: 1, props: { name: 'B', units: [1] } }))
	})

	it('keeps a concurrent edit of another field of the same record', () => {
		const [a, b] = [new Y.Doc(), new Y.Doc()]
		a.transact(() => writeRecord(recordsMap(a), record({ x: 1, props: { name: 'A' } })))
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
		a.transact(() => writeRecord(recordsMap(a), record({ x: 2, props: { name: 'A' } })))
		b.transact(() => writeRecord(recordsMap(b), record({ x: 1, props: { name: 'B' } })))
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
		for (const doc of [a, b]) expect(readRecord(recordsMap(doc).get('shape:a'))).toEqual(record({ x: 2, props: { name: 'B' } }))
	})

	it('reads an entry that is not a record as undefined, and leaves it out of readRecords', () => {
		const doc = new Y.Doc()
		const records = recordsMap(doc)
		doc.transact(() => {
			writeRecord(records, record({ x: 1 }))
			records.set('junk', 42 as never)
		})
		expect(readRecord(records.get('junk'))).toBeUndefined()
		expect(readRecord(new Y.Array())).toBeUndefined()
		expect(readRecords(doc)).toEqual([record({ x: 1 })])
	})

	it('takes the id from the map key, as its own property even when it is __proto__', () => {
		const doc = new Y.Doc()
		const records = recordsMap(doc)
		doc.transact(() => {
			const yRecord = new Y.Map<unknown>()
			yRecord.set('id', 'shape:other')
			yRecord.set('typeName', 'shape')
			records.set('__proto__', yRecord)
		})
		const [read] = readRecords(doc)
		expect(Object.getOwnPropertyDescriptor(read, 'id')?.value).toBe('__proto__')
		expect(Object.getPrototypeOf(read)).toBe(Object.prototype)
	})
})

describe('round trips (seeded)', () => {
	const keys = ['a', 'b', 'name', 'a/b', '~', '~0', '~1/', '', ' ', 'é', '🏠', '0', 'constructor', 'toString']

	function randomValue(random: () => number, depth: number): unknown {
		const pick = random()
		if (depth < 4 && pick < 0.3) return randomObject(random, depth + 1)
		if (pick < 0.4) return [random(), 'x', { k: random() < 0.5 }]
		if (pick < 0.5) return null
		if (pick < 0.6) return random() < 0.5
		if (pick < 0.8) return Math.round(random() * 1e6) / 100
		return keys[Math.floor(random() * keys.length)]! + String(Math.floor(random() * 10))
	}

	function randomObject(random: () => number, depth: number): Record<string, unknown> {
		const object: Record<string, unknown> = {}
		const size = Math.floor(random() * 5)
		for (let i = 0; i < size; i++) object[keys[Math.floor(random() * keys.length)]!] = randomValue(random, depth)
		return object
	}

	it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: flatten then unflatten, and the document, give the record back', (seed) => {
		const random = seededRandom(seed)
		for (let n = 0; n < 50; n++) {
			const original = record(randomObject(random, 0))
			const back = unflattenRecord(flattenRecord(original))
			expect(back).toEqual(original)
			const doc = new Y.Doc()
			doc.transact(() => writeRecord(recordsMap(doc), original))
			expect(readRecord(recordsMap(doc).get(original.id))).toEqual(original)
			// Rewriting it as another random record leaves exactly that one.
			const next = record(randomObject(random, 0))
			doc.transact(() => writeRecord(recordsMap(doc), next))
			expect(readRecord(recordsMap(doc).get(next.id))).toEqual(next)
		}
	})
})
