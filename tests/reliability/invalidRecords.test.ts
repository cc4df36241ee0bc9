import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import type { TLRecord } from 'tldraw'
import { exportFormats, exportMap } from '../../shared/formats'
import { mapToRecords, recordsToMap } from '../../shared/projection'
import { infoMap } from '../../shared/ydoc/mapDoc'
import { flattenRecord, recordsMap } from '../../shared/ydoc/recordCodec'
import { bindStoreToDoc } from '../../client/sync/yStoreBinding'
import { headlessStore } from '../support/syncNetwork'
import { randomMap } from '../support/randomMap'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'

/**
 * A raw Yjs client (any participant can run one) writes records no Maillage client would:
 * invalid tldraw records, invalid partnership meta, dangling bindings, unknown types, entries
 * that are not records, prototype-polluting field paths, absurd nesting, a non-text title.
 * Clients skip and report them, exports report them, and nothing crashes or leaks elsewhere.
 */

let server: ServerProcess
let room: CreatedRoom
let otherRoom: CreatedRoom
let raw: StockClient
const clients: StockClient[] = []
const map = randomMap(21, { organisations: 4, partnerships: 3 })

beforeAll(async () => {
	server = await ServerProcess.start()
	room = await server.createRoom('Invalid records')
	otherRoom = await server.createRoom('Bystander')
	const imported = await server.api(`/api/rooms/${room.room}/import?format=json`, { token: room.tokens.facilitator, raw: exportMap(map, 'json').body })
	expect(imported.status).toBe(200)
	raw = stockClient(server.wsUrl, room.room, room.tokens.participant)
	clients.push(raw)
	await synced(raw)
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	await server?.stop()
})

const records = mapToRecords(map)
const validOrganisation = records.find((r) => r.typeName === 'shape' && r.type === 'organisation') as TLRecord
const validArrow = records.find((r) => r.typeName === 'shape' && r.type === 'arrow') as TLRecord
const validBinding = records.find((r) => r.typeName === 'binding') as TLRecord

/** A Y.Map record from leaves, written as a raw client would (no validation at all). */
function rawRecord(leaves: Map<string, unknown>): Y.Map<unknown> {
	const y = new Y.Map<unknown>()
	for (const [path, value] of leaves) y.set(path, value)
	return y
}

function leavesOf(record: TLRecord, id: string, changes: Record<string, unknown> = {}): Map<string, unknown> {
	const leaves = flattenRecord({ ...record, id })
	for (const [path, value] of Object.entries(changes)) leaves.set(path, value)
	return leaves
}

const bad: Record<string, () => Y.Map<unknown> | number> = {
	'shape:banana': () => rawRecord(leavesOf(validOrganisation, 'shape:banana', { 'props/kind': 'banana' })),
	'shape:badmeta': () => rawRecord(leavesOf(validArrow, 'shape:badmeta', { 'meta/partnership/strength': 'colossal', 'meta/partnership/from/carriers': 'nobody' })),
	'binding:dangling': () => rawRecord(leavesOf(validBinding, 'binding:dangling', { toId: 'shape:nobody', fromId: 'shape:nothing' })),
	'foo:1': () => rawRecord(new Map([['typeName', 'foo'], ['id', 'foo:1']])),
	junk: () => 42,
	'shape:proto': () => rawRecord(leavesOf(validOrganisation, 'shape:proto', { '__proto__/territory': 'PWNED', 'props/__proto__/polluted': 'PWNED', 'constructor/prototype/polluted': 'PWNED' })),
	__proto__: () => rawRecord(leavesOf(validOrganisation, '__proto__')),
	'shape:deep': () => rawRecord(leavesOf(validOrganisation, 'shape:deep', { [`props/${'a/'.repeat(5000)}z`]: 1 })),
}

test('a raw client writes invalid records: the server stays up, reports each one, and exports the rest', async () => {
	raw.doc.transact(() => {
		const y = recordsMap(raw.doc)
		for (const [id, make] of Object.entries(bad)) y.set(id, make() as Y.Map<unknown>)
		infoMap(raw.doc).set('title', { not: 'a string' })
	})
	const check = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	clients.push(check)
	await synced(check)
	await waitFor(() => recordsMap(check.doc).has('shape:deep'), { what: 'the raw records to spread' })

	const res = await server.api(`/api/rooms/${room.room}/issues`, { token: room.tokens.viewer })
	expect(res.status).toBe(200)
	const { issues } = (await res.json()) as { issues: { path: (string | number)[] }[] }
	const reported = new Set(issues.map((i) => String(i.path[1])))
	// A binding between shapes that do not exist is valid tldraw and draws nothing: not an issue.
	for (const id of Object.keys(bad)) if (id !== 'binding:dangling') expect(reported, id).toContain(id)

	for (const format of exportFormats) {
		const exported = await server.api(`/api/rooms/${room.room}/export?format=${format}`, { token: room.tokens.viewer })
		expect(exported.status, format).toBe(200)
		expect(Number(exported.headers.get('x-maillage-issues')), format).toBeGreaterThanOrEqual(Object.keys(bad).length - 1)
		const body = await exported.text()
		expect(body, format).not.toContain('PWNED')
		if (format === 'json') {
			const json = JSON.parse(body) as { organisations: unknown[]; partnerships: unknown[] }
			expect(json.organisations).toHaveLength(map.organisations.length)
			expect(json.partnerships).toHaveLength(map.partnerships.length)
		}
	}
	expect((await fetch(`${server.url}/healthz`)).ok).toBe(true)
})

test('reading those records pollutes nothing: another room exports as before (no prototype pollution)', async () => {
	const exported = await server.api(`/api/rooms/${otherRoom.room}/export?format=json`, { token: otherRoom.tokens.viewer })
	expect(exported.status).toBe(200)
	const body = await exported.text()
	expect(body).not.toContain('PWNED')
	expect(JSON.parse(body)).toMatchObject({ title: '', territory: '' })
})

test('a client binding skips and reports them, shows the rest, and its process is not polluted', async () => {
	const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
	const client = stockClient(server.wsUrl, room.room, room.tokens.participant)
	clients.push(client)
	await synced(client)
	const store = headlessStore()
	let reported: { path: (string | number)[] }[] = []
	const binding = bindStoreToDoc(store, client.doc, { onInvalidRecords: (list) => (reported = list) })
	try {
		// The binding skips what tldraw cannot take; an arrow with an invalid partnership is a valid
		// tldraw arrow, shown plain, whose partnership the projection (panels, exports) reports.
		const ids = new Set(reported.map((i) => String(i.path[1])))
		for (const id of Object.keys(bad)) if (!['binding:dangling', 'shape:badmeta'].includes(id)) expect(ids, id).toContain(id)
		expect(store.has('shape:badmeta' as TLRecord['id'])).toBe(true)
		const projected = recordsToMap(store.allRecords())
		expect(projected.issues.map((i) => String(i.path[1]))).toContain('shape:badmeta')
		for (const o of map.organisations) expect(store.has(`shape:${o.id}` as TLRecord['id'])).toBe(true)
		expect(({} as Record<string, unknown>).territory).toBeUndefined()
		expect(({} as Record<string, unknown>).polluted).toBeUndefined()
	} finally {
		binding.dispose()
		warn.mockRestore()
	}
})
