import { describe, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import { HistoryManager, type IndexKey, type TLRecord } from 'tldraw'
import { organisationSchema, SCHEMA_VERSION } from '../../../../shared/model'
import { organisationToShape } from '../../../../shared/projection'
import { metaMap } from '../../../../shared/ydoc/mapDoc'
import { readRecords, recordsMap, writeRecord, type JsonRecord } from '../../../../shared/ydoc/recordCodec'
import { maillageTLSchema } from '../../../../shared/tldraw/schema'
import type { OrganisationShape } from '../../../../shared/tldraw/organisationShape'
import { docSchemaState } from '../../../../shared/ydoc/docSchema'
import { bindPeer, Network, prng, settle, updateOrganisation, type Peer } from '../../../support/syncNetwork'

const organisation = (id: string, name: string) =>
	organisationToShape(organisationSchema.parse({ id, name }), { x: 0, y: 0, w: 200, h: 96 }, 'a2' as IndexKey) as unknown as JsonRecord & {
		props: Record<string, unknown>
	}

/** A raw Yjs client, as a buggy or malicious participant could be: it writes whatever it likes. */
function rawWrite(doc: Y.Doc, fn: (records: Y.Map<Y.Map<unknown>>) => void) {
	doc.transact(() => fn(recordsMap(doc)))
}

const docState = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('hex')

describe('remote records are validated one by one', () => {
	test('an invalid record is skipped and reported, the others sync, and it appears once fixed', () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
		const network = new Network(prng(2))
		const rawDoc = network.join()
		const peer = bindPeer(network.join())
		settle(network, [peer])

		const banana = { ...organisation('banana', 'Banana'), props: { ...organisation('banana', 'Banana').props, kind: 'banana' } }
		rawWrite(rawDoc, (records) => {
			writeRecord(records, organisation('good', 'Good'))
			writeRecord(records, banana)
			writeRecord(records, { id: 'foo:1', typeName: 'foo', bar: 1 })
			records.set('junk', 42 as never)
		})
		settle(network, [peer])

		expect(peer.store.has('shape:good' as TLRecord['id'])).toBe(true)
		expect(peer.store.has('shape:banana' as TLRecord['id'])).toBe(false)
		expect(peer.issues.map((i) => i.path.join('.')).sort()).toEqual(['records.foo:1', 'records.junk', 'records.shape:banana'])
		for (const i of peer.issues) expect(i.message.fr.length).toBeGreaterThan(0)
		expect(peer.binding.invalidRecords()).toEqual(peer.issues)
		expect(warn).toHaveBeenCalled()
		expect(String(warn.mock.calls.flat().join(' '))).toContain('shape:banana')

		// Sync goes on for everything else.
		rawWrite(rawDoc, (records) => records.get('shape:good')?.set('props/name', 'Still good'))
		settle(network, [peer])
		expect((peer.store.get('shape:good' as TLRecord['id']) as OrganisationShape).props.name).toBe('Still good')

		// Fixed remotely: it appears and is no longer reported.
		rawWrite(rawDoc, (records) => records.get('shape:banana')?.set('props/kind', 'non_profit'))
		settle(network, [peer])
		expect((peer.store.get('shape:banana' as TLRecord['id']) as OrganisationShape).props.kind).toBe('non_profit')
		expect(peer.issues.map((i) => i.path.join('.')).sort()).toEqual(['records.foo:1', 'records.junk'])

		// A valid record turned invalid keeps its last valid version locally, and is reported.
		rawWrite(rawDoc, (records) => records.get('shape:good')?.set('x', 'left'))
		settle(network, [peer])
		expect((peer.store.get('shape:good' as TLRecord['id']) as OrganisationShape).x).toBe(0)
		expect(peer.issues.map((i) => i.path.join('.'))).toContain('records.shape:good')

		rawWrite(rawDoc, (records) => {
			records.delete('foo:1')
			records.delete('junk')
			records.get('shape:good')?.set('x', 10)
		})
		settle(network, [peer])
		expect((peer.store.get('shape:good' as TLRecord['id']) as OrganisationShape).x).toBe(10)
		expect(peer.issues).toEqual([])
		warn.mockRestore()
	})

	test('a shape whose parent is missing waits for it', () => {
		const network = new Network(prng(4))
		const rawDoc = network.join()
		const peer = bindPeer(network.join())
		settle(network, [peer])
		const child = { ...organisation('child', 'Child'), parentId: 'shape:frame' }
		rawWrite(rawDoc, (records) => writeRecord(records, child))
		settle(network, [peer])
		expect(peer.store.has('shape:child' as TLRecord['id'])).toBe(false)
		expect(peer.issues.map((i) => i.path.join('.'))).toEqual(['records.shape:child.parentId'])

		const frame = {
			id: 'shape:frame', typeName: 'shape', type: 'frame', x: 0, y: 0, rotation: 0, index: 'a1', parentId: 'page:page',
			isLocked: false, opacity: 1, meta: {}, props: { w: 400, h: 400, name: '', color: 'black' },
		}
		rawWrite(rawDoc, (records) => writeRecord(records, frame as unknown as JsonRecord))
		settle(network, [peer])
		expect(peer.issues).toEqual([])
		expect(peer.store.has('shape:child' as TLRecord['id'])).toBe(true)
	})

	test('records of a type the document must not hold (session, user) are never applied', () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
		const network = new Network(prng(6))
		const rawDoc = network.join()
		const peer = bindPeer(network.join())
		rawWrite(rawDoc, (records) => {
			writeRecord(records, { id: 'camera:page:page', typeName: 'camera', x: 5, y: 5, z: 1, meta: {} })
			writeRecord(records, { id: 'user:someone', typeName: 'user', name: 'Someone', color: '', imageUrl: '', meta: {} })
		})
		settle(network, [peer])
		// The store has its own camera (session state), not the one in the document.
		expect(peer.store.get('camera:page:page' as TLRecord['id'])).not.toMatchObject({ x: 5 })
		expect(peer.store.has('user:someone' as TLRecord['id'])).toBe(false)
		expect(peer.issues.map((i) => i.path.join('.'))).toEqual(['records.camera:page:page'])
		warn.mockRestore()
	})
})

describe('schema versions', () => {
	const newerTldraw = () => {
		const current = maillageTLSchema.serialize()
		if (current.schemaVersion !== 2) throw new Error('expected a v2 schema')
		return { ...current, sequences: { ...current.sequences, 'com.tldraw.shape.arrow': (current.sequences['com.tldraw.shape.arrow'] ?? 0) + 1 } }
	}

	test('a document written by a newer client is detected and never written to', () => {
		const doc = new Y.Doc()
		doc.transact(() => {
			writeRecord(recordsMap(doc), organisation('a', 'A'))
			metaMap(doc).set('schemaVersion', SCHEMA_VERSION)
			metaMap(doc).set('tldrawSchema', newerTldraw())
		})
		const before = docState(doc)
		const peer = bindPeer(doc)
		expect(peer.mismatch).toBe(true)
		expect(peer.binding.schemaMismatch()).toBe(true)
		peer.store.update('shape:a' as TLRecord['id'], (s) => ({ ...s, x: 99 }) as TLRecord)
		peer.store.put([organisationToShape(organisationSchema.parse({ id: 'b', name: 'B' }), { x: 0, y: 0, w: 10, h: 10 }, 'a3' as IndexKey)])
		peer.store._flushHistory()
		expect(docState(doc)).toBe(before)
		// The base records were not added either.
		expect(readRecords(doc).map((r) => r.id)).toEqual(['shape:a'])
	})

	test('a newer Maillage schema version, or one that appears later, also stops writing', () => {
		const doc = new Y.Doc()
		const peer = bindPeer(doc)
		expect(peer.mismatch).toBe(false)
		expect(metaMap(doc).get('schemaVersion')).toBe(SCHEMA_VERSION)
		// Another (newer) client upgrades the document while this one is open.
		const other = new Y.Doc()
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
		other.transact(() => metaMap(other).set('schemaVersion', SCHEMA_VERSION + 1))
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
		expect(peer.mismatch).toBe(true)
		const before = docState(doc)
		peer.store.put([organisationToShape(organisationSchema.parse({ id: 'b', name: 'B' }), { x: 0, y: 0, w: 10, h: 10 }, 'a3' as IndexKey)])
		peer.store._flushHistory()
		expect(docState(doc)).toBe(before)
		expect(docSchemaState(doc, maillageTLSchema.serialize()).kind).toBe('newer')
	})

	test('an older document is read with migrations and restamped by a writer', () => {
		const doc = new Y.Doc()
		const current = maillageTLSchema.serialize()
		if (current.schemaVersion !== 2) throw new Error('expected a v2 schema')
		const older = { ...current, sequences: { ...current.sequences, 'com.tldraw.document': 1 } }
		doc.transact(() => {
			writeRecord(recordsMap(doc), organisation('a', 'A'))
			metaMap(doc).set('tldrawSchema', older)
		})
		expect(docSchemaState(doc, current).kind).toBe('older')
		const peer = bindPeer(doc)
		expect(peer.mismatch).toBe(false)
		expect(peer.store.has('shape:a' as TLRecord['id'])).toBe(true)
		expect(docSchemaState(doc, current).kind).toBe('same')
	})

	test('an unreadable stamp counts as newer', () => {
		const doc = new Y.Doc()
		metaMap(doc).set('tldrawSchema', 'garbage')
		expect(docSchemaState(doc, maillageTLSchema.serialize()).kind).toBe('newer')
	})
})

describe('read-only and undo', () => {
	test('a read-only binding shows the document and never writes to it', () => {
		const network = new Network(prng(9))
		const writerDoc = network.join()
		const viewerDoc = network.join()
		const viewer = bindPeer(viewerDoc, { readOnly: true })
		// Even on an empty room, the viewer does not create the page.
		expect(readRecords(viewerDoc)).toEqual([])
		const writer = bindPeer(writerDoc)
		writer.store.put([organisationToShape(organisationSchema.parse({ id: 'a', name: 'A' }), { x: 0, y: 0, w: 10, h: 10 }, 'a3' as IndexKey)])
		settle(network, [writer, viewer])
		expect(viewer.store.has('shape:a' as TLRecord['id'])).toBe(true)

		const before = docState(viewerDoc)
		viewer.store.update('shape:a' as TLRecord['id'], (s) => ({ ...s, x: 500 }) as TLRecord)
		viewer.store.remove(['page:page' as TLRecord['id']])
		viewer.store._flushHistory()
		expect(docState(viewerDoc)).toBe(before)
		settle(network, [writer, viewer])
		expect((writer.store.get('shape:a' as TLRecord['id']) as OrganisationShape).x).toBe(0)
	})

	test('undo only reverts one’s own edits; remote ones stay', () => {
		const network = new Network(prng(10))
		const [a, b] = [network.join(), network.join()].map((doc) => bindPeer(doc)) as [Peer, Peer]
		const id = 'shape:x' as OrganisationShape['id']
		a.store.put([organisationToShape(organisationSchema.parse({ id: 'x', name: 'X' }), { x: 0, y: 0, w: 10, h: 10 }, 'a3' as IndexKey)])
		settle(network, [a, b])

		const history = new HistoryManager({ store: a.store })
		history.batch(() => updateOrganisation(a, id, (s) => ({ ...s, x: 300 })))
		updateOrganisation(b, id, (s) => ({ ...s, props: { ...s.props, name: 'Renamed by B' } }))
		settle(network, [a, b])
		expect(a.store.get(id)).toMatchObject({ x: 300, props: { name: 'Renamed by B' } })

		history.undo()
		settle(network, [a, b])
		for (const peer of [a, b]) expect(peer.store.get(id)).toMatchObject({ x: 0, props: { name: 'Renamed by B' } })
		history.redo()
		settle(network, [a, b])
		for (const peer of [a, b]) expect(peer.store.get(id)).toMatchObject({ x: 300, props: { name: 'Renamed by B' } })
		history.dispose()
	})
})
