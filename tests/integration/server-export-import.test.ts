import { beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { chimayMap } from '../../shared/demo'
import { exportFormats, exportMap, importMap } from '../../shared/formats'
import { mapSchema, type MaillageMap } from '../../shared/model'
import { recordsMap } from '../../shared/ydoc/recordCodec'
import { docToMap, writeMapToDoc } from '../../shared/ydoc/mapDoc'
import { serverForFile } from '../support/cleanup'
import { waitFor, type CreatedRoom } from '../support/server'
import { synced, type StockClient } from '../support/syncClient'

const fixture = serverForFile()
const client = fixture.client.bind(fixture)

const stateOf = (doc: Y.Doc) => Y.encodeStateVector(doc).toString()

async function exported(room: CreatedRoom, query: string, token = room.tokens.viewer) {
	const res = await fixture.server.api(`/api/rooms/${room.room}/export?${query}`, { token })
	// Decoded by hand: res.text() would drop the byte-order mark the CSV export starts with.
	return { res, body: Buffer.from(await res.arrayBuffer()).toString('utf8') }
}

describe('export', () => {
	let room: CreatedRoom
	let author: StockClient

	beforeAll(async () => {
		room = await fixture.server.createRoom('Réseau ISP de Chimay')
		author = client(room, 'facilitator')
		await synced(author)
		// Built by a stock client, as the browser does: the server only ever sees Yjs updates.
		writeMapToDoc(author.doc, chimayMap)
		const check = client(room, 'viewer')
		await waitFor(async () => {
			await synced(check)
			return stateOf(check.doc) === stateOf(author.doc)
		}, { what: 'the server to hold the map' })
	})

	test.each(exportFormats)('%s export equals the shared projection of the client’s document', async (format) => {
		const expected = exportMap(docToMap(author.doc).map, format)
		const { res, body } = await exported(room, `format=${format}`)
		expect(res.status).toBe(200)
		expect(res.headers.get('content-type')).toBe(expected.contentType)
		expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="[\\w.-]+\\.${format}"; filename\\*=UTF-8''`))
		expect(res.headers.get('x-maillage-issues')).toBe('0')
		expect(body).toBe(expected.body)
	})

	test('the JSON export round-trips to the map the client drew', async () => {
		const { body } = await exported(room, 'format=json')
		const back = importMap(body, 'json')
		expect(back.ok && back.map).toEqual(chimayMap)
	})

	test('strip=1 leaves out contact persons and carriers’ names', async () => {
		const withPeople = await fixture.server.createRoom('People')
		const writer = client(withPeople, 'facilitator')
		await synced(writer)
		writeMapToDoc(writer.doc, {
			...chimayMap,
			organisations: chimayMap.organisations.map((o, i) => (i === 0 ? { ...o, contacts: [{ name: 'Marie Dupont', role: 'AS' }] } : o)),
		})
		await waitFor(async () => (await exported(withPeople, 'format=json')).body.includes('Marie Dupont'), { what: 'the map to be stored' })
		const { body } = await exported(withPeople, 'format=json&strip=1')
		expect(body).not.toContain('Marie Dupont')
		expect(body).toBe(exportMap(docToMap(writer.doc).map, 'json', { stripPersons: true }).body)
	})

	test('bad format 400, no token 401, token of another room 403', async () => {
		expect((await exported(room, 'format=pdf')).res.status).toBe(400)
		expect((await fixture.server.api(`/api/rooms/${room.room}/export?format=json`)).status).toBe(401)
		const other = await fixture.server.createRoom('Other')
		expect((await exported(room, 'format=json', other.tokens.facilitator)).res.status).toBe(403)
	})

	test('an invalid record is reported, skipped by the export, and crashes nothing', async () => {
		author.doc.transact(() => {
			const bad = new Y.Map<unknown>()
			bad.set('typeName', 'shape')
			bad.set('type', 'organisation')
			bad.set('props/name', 42)
			recordsMap(author.doc).set('shape:broken', bad)
			recordsMap(author.doc).set('not-a-record', 'junk' as unknown as Y.Map<unknown>)
		})
		await waitFor(async () => Number((await exported(room, 'format=json')).res.headers.get('x-maillage-issues')) >= 1, {
			what: 'the issue to be reported',
		})
		const { body } = await exported(room, 'format=json')
		const back = importMap(body, 'json')
		expect(back.ok && back.map).toEqual(chimayMap)
		const issues = (await (await fixture.server.api(`/api/rooms/${room.room}/issues`, { token: room.tokens.viewer })).json()) as { issues: { path: unknown[] }[] }
		expect(issues.issues.length).toBeGreaterThanOrEqual(1)
		expect(JSON.stringify(issues.issues)).toContain('broken')
		expect((await fetch(`${fixture.server.url}/healthz`)).ok).toBe(true)
	})
})

describe('import', () => {
	const small: MaillageMap = mapSchema.parse({
		schemaVersion: 1,
		title: 'Imported',
		organisations: [
			{ id: 'a', name: 'CPAS' },
			{ id: 'b', name: 'Forem' },
		],
		partnerships: [{ id: 'p', from: { organisation: 'a' }, to: { organisation: 'b' }, strength: 'strong' }],
		layout: { a: { x: 0, y: 0, w: 200, h: 96 }, b: { x: 400, y: 0, w: 200, h: 96 } },
	})

	test.each(['json', 'graphml', 'gexf', 'csv'] as const)('a %s file replaces the map, live for connected clients', async (format) => {
		const room = await fixture.server.createRoom(`Import ${format}`)
		const watcher = client(room, 'participant')
		await synced(watcher)
		writeMapToDoc(watcher.doc, chimayMap)
		const res = await fixture.server.api(`/api/rooms/${room.room}/import?format=${format}`, {
			token: room.tokens.facilitator,
			raw: exportMap(small, format).body,
		})
		expect(res.status).toBe(200)
		expect(await res.json()).toEqual({ ok: true, organisations: 2, partnerships: 1, warnings: [] })
		await waitFor(() => docToMap(watcher.doc).map.organisations.length === 2, { what: 'the watcher to get the import' })
		expect(docToMap(watcher.doc)).toEqual({ map: small, issues: [] })
	})

	test('an invalid file is refused with its issues and the room is untouched', async () => {
		const room = await fixture.server.createRoom('Bad import')
		const watcher = client(room, 'participant')
		await synced(watcher)
		writeMapToDoc(watcher.doc, small)
		await waitFor(async () => (await exported(room, 'format=json')).body === exportMap(small, 'json').body, { what: 'the map to be stored' })
		for (const [format, body] of [
			['json', '{"schemaVersion": 1, "organisations": [{"id": "x"}]}'],
			['json', 'not json at all'],
			['graphml', '<graphml><unclosed'],
			['csv', '\u0000\u0001garbage'],
		] as const) {
			const res = await fixture.server.api(`/api/rooms/${room.room}/import?format=${format}`, { token: room.tokens.facilitator, raw: body })
			expect(res.status).toBe(422)
			const answer = (await res.json()) as { ok: boolean; issues: unknown[] }
			expect(answer.ok).toBe(false)
			expect(answer.issues.length).toBeGreaterThan(0)
		}
		expect((await fixture.server.api(`/api/rooms/${room.room}/import?format=docx`, { token: room.tokens.facilitator, raw: '{}' })).status).toBe(400)
		expect((await exported(room, 'format=json')).body).toBe(exportMap(small, 'json').body)
	})

	test('an import into a room nobody has open is stored and survives a crash', async () => {
		const room = await fixture.server.createRoom('Cold import')
		const res = await fixture.server.api(`/api/rooms/${room.room}/import?format=json`, { token: fixture.server.adminToken, raw: exportMap(small, 'json').body })
		expect(res.status).toBe(200)
		await fixture.server.kill('SIGKILL')
		await fixture.restart()
		const { body } = await exported(room, 'format=json')
		expect(body).toBe(exportMap(small, 'json').body)
	})
})
