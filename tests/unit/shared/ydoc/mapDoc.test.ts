import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mapSchema } from '../../../../shared/model'
import { maillageTLSchema } from '../../../../shared/tldraw/schema'
import { docToMap, metaMap, writeMapToDoc } from '../../../../shared/ydoc/mapDoc'
import { recordsMap } from '../../../../shared/ydoc/recordCodec'

const map = mapSchema.parse({ schemaVersion: 1, title: 'T', organisations: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], partnerships: [{ id: 'p', from: { organisation: 'a' }, to: { organisation: 'b' } }] })
const current = () => {
	const schema = maillageTLSchema.serialize()
	if (schema.schemaVersion !== 2) throw new Error('expected a v2 schema')
	return schema
}

describe('docToMap reads records through the one repair path', () => {
	it('migrates the records of a document written with an older schema', () => {
		const doc = new Y.Doc()
		writeMapToDoc(doc, map)
		const expected = docToMap(doc).map
		// As an older client wrote it: a document record from before tldraw gave it a name.
		recordsMap(doc).get('document:document')!.delete('name')
		metaMap(doc).set('tldrawSchema', { ...current(), sequences: { ...current().sequences, 'com.tldraw.document': 0 } })
		const { map: read, issues } = docToMap(doc)
		expect(issues).toEqual([])
		expect(read).toEqual(expected)
		expect(read.partnerships.map((p) => p.id)).toEqual(['p'])
	})

	it('reports, and reads nothing of, a document written with a newer schema', () => {
		const doc = new Y.Doc()
		writeMapToDoc(doc, map)
		metaMap(doc).set('tldrawSchema', { ...current(), sequences: { ...current().sequences, 'com.tldraw.shape.arrow': 99 } })
		const { map: read, issues } = docToMap(doc)
		expect(read.organisations).toEqual([])
		expect(read.title).toBe('T')
		expect(issues.map((i) => i.path)).toEqual([['meta', 'tldrawSchema']])
	})

	it('reports each entry that cannot be read, and reads the rest', () => {
		const doc = new Y.Doc()
		writeMapToDoc(doc, map)
		doc.transact(() => {
			recordsMap(doc).set('junk', 42 as never)
			recordsMap(doc).get('shape:a')!.set('x', 'left')
		})
		const { map: read, issues } = docToMap(doc)
		expect(issues.map((i) => i.path.join('.'))).toEqual(['records.junk', 'records.shape:a', 'records.shape:p'])
		expect(read.organisations.map((o) => o.id)).toEqual(['b'])
	})
})
