import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { exportFormats, exportMap, importMap } from '../../../../shared/formats'
import { mapSchema, type MaillageMap } from '../../../../shared/model'
import { mapToRecords, recordsToMap } from '../../../../shared/projection'
import { docToMap, writeMapToDoc } from '../../../../shared/ydoc/mapDoc'

// Whether the automatic layout may move an organisation is part of the map: it survives every
// format, the projection and a document rewritten by an import, a restore or the demo.
const pinnedMap: MaillageMap = mapSchema.parse({
	schemaVersion: 1,
	title: 'Épinglée',
	organisations: [
		{ id: 'cpas', name: 'CPAS' },
		{ id: 'forem', name: 'Forem' },
	],
	partnerships: [{ id: 'p1', from: { organisation: 'cpas' }, to: { organisation: 'forem' } }],
	layout: {
		cpas: { x: 0, y: 0, w: 200, h: 96, pinned: true },
		forem: { x: 400, y: 0, w: 200, h: 96 },
	},
})

describe('a pinned organisation', () => {
	it.each(exportFormats)('round-trips through %s', (format) => {
		const result = importMap(exportMap(pinnedMap, format).body, format)
		if (!result.ok) throw new Error(JSON.stringify(result.issues))
		expect(result.map.layout.cpas?.pinned).toBe(true)
		expect(result.map.layout.forem?.pinned).toBeUndefined()
	})

	it('is exported in JSON as written', () => {
		expect(JSON.parse(exportMap(pinnedMap, 'json').body).layout.cpas).toEqual({ x: 0, y: 0, w: 200, h: 96, pinned: true })
	})

	it('reads files written before pins existed as unpinned', () => {
		const { pinned: _, ...old } = pinnedMap.layout.cpas!
		const result = importMap(JSON.stringify({ ...pinnedMap, layout: { ...pinnedMap.layout, cpas: old } }), 'json')
		expect(result.ok && result.map.layout.cpas).toEqual({ x: 0, y: 0, w: 200, h: 96 })
	})

	it('is kept in the shape meta by the projection, and read back', () => {
		const records = mapToRecords(pinnedMap)
		const shape = records.find((r) => r.id === 'shape:cpas')
		expect(shape && 'meta' in shape && shape.meta).toEqual({ pinned: true })
		const { map, issues } = recordsToMap(records, { title: pinnedMap.title })
		expect(issues).toEqual([])
		expect(map).toEqual(pinnedMap)
	})

	it('survives a document rewritten by an import or a restore', () => {
		const doc = new Y.Doc()
		writeMapToDoc(doc, pinnedMap)
		expect(docToMap(doc).map.layout.cpas?.pinned).toBe(true)
		// A restore writes back the map as the document held it, pins included.
		writeMapToDoc(doc, docToMap(doc).map)
		expect(docToMap(doc).map).toEqual(pinnedMap)
		// Unpinned in the imported map: unpinned in the document.
		writeMapToDoc(doc, { ...pinnedMap, layout: { ...pinnedMap.layout, cpas: { x: 0, y: 0, w: 200, h: 96 } } })
		expect(docToMap(doc).map.layout.cpas?.pinned).toBeUndefined()
	})
})
