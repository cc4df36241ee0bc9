import Database from 'better-sqlite3'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { analyseMap } from '../../shared/analysis'
import { chimayMap } from '../../shared/demo'
import { isModelUnchanged, sameValue, type MapDiff } from '../../shared/diff'
import { egoMap } from '../../shared/ego'
import { exportFormats, exportMap, importMap } from '../../shared/formats'
import { mapSchema, type MaillageMap } from '../../shared/model'
import { readRoomStatus } from '../../shared/roomStatus'
import { docToMap, writeMapToDoc } from '../../shared/ydoc/mapDoc'
import type { VersionSummary } from '../../server/persistence/types'
import { serverForFile } from '../support/cleanup'
import { waitFor, type CreatedRoom } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'

const fixture = serverForFile()
const client = fixture.client.bind(fixture)

const stateOf = (doc: Y.Doc) => Y.encodeStateVector(doc).toString()
const mapOf = (c: StockClient) => docToMap(c.doc).map
/** Same map, whatever the order of keys (the layout follows the document's order). */
const holds = (c: StockClient, map: MaillageMap) => sameValue(mapOf(c), map)

async function json<T>(pathname: string, token: string | undefined, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
	const res = await fixture.server.api(pathname, { token, ...init })
	return { status: res.status, body: (await res.json()) as T }
}

async function text(pathname: string, token: string): Promise<{ status: number; body: string; headers: Headers }> {
	const res = await fixture.server.api(pathname, { token })
	return { status: res.status, body: Buffer.from(await res.arrayBuffer()).toString('utf8'), headers: res.headers }
}

/** Writes a map from a facilitator's stock client and waits until the server holds it. */
async function drawn(room: CreatedRoom, author: StockClient, map: MaillageMap): Promise<void> {
	writeMapToDoc(author.doc, map)
	const check = stockClient(fixture.server.wsUrl, room.room, room.tokens.viewer)
	try {
		await waitFor(async () => {
			await synced(check)
			return stateOf(check.doc) === stateOf(author.doc)
		}, { what: 'the server to hold the map' })
	} finally {
		check.destroy()
	}
}

describe('versions, diff and restore', () => {
	let room: CreatedRoom
	let author: StockClient
	let participant: StockClient
	let v1: VersionSummary
	/** The map as it was when v1 was saved, as the author's document holds it. */
	let agreed: MaillageMap
	const base = (suffix = '') => `/api/rooms/${room.room}${suffix}`

	beforeAll(async () => {
		room = await fixture.server.createRoom('Réseau ISP')
		author = client(room, 'facilitator')
		participant = client(room, 'participant')
		await Promise.all([synced(author), synced(participant)])
		await drawn(room, author, chimayMap)
	})

	test('saving a version: facilitator or admin only, with a label', async () => {
		for (const token of [room.tokens.participant, room.tokens.viewer]) {
			expect((await json(base('/versions'), token, { body: { label: 'x' } })).status).toBe(403)
		}
		expect((await json(base('/versions'), undefined, { body: { label: 'x' } })).status).toBe(401)
		expect((await json(base('/versions'), room.tokens.facilitator, { body: {} })).status).toBe(400)
		expect((await json(base('/versions'), room.tokens.facilitator, { body: { label: '   ' } })).status).toBe(400)
		const tooLong = await json<{ issues: { path: unknown[] }[] }>(base('/versions'), room.tokens.facilitator, { body: { label: 'x'.repeat(201) } })
		expect(tooLong.status).toBe(400)
		expect(tooLong.body.issues[0]?.path).toEqual(['label'])
		expect((await json(base('/versions'), room.tokens.facilitator, { method: 'DELETE' })).status).toBe(405)
		expect((await json(base('/versions'), room.tokens.viewer)).body).toEqual({ versions: [] })
	})

	test('"Agree this map" saves an immutable labelled version, seen by everyone as the agreed one', async () => {
		const saved = await json<VersionSummary>(base('/versions'), room.tokens.facilitator, { body: { label: 'Réunion du 12 mai', name: 'Anne' } })
		expect(saved.status).toBe(201)
		v1 = saved.body
		agreed = mapOf(author)
		expect(sameValue(agreed, chimayMap)).toBe(true)
		expect(v1).toMatchObject({
			room: room.room,
			number: 1,
			label: 'Réunion du 12 mai',
			kind: 'agreed',
			restoring: null,
			createdBy: { role: 'facilitator', name: 'Anne' },
			organisations: chimayMap.organisations.length,
			partnerships: chimayMap.partnerships.length,
			issues: 0,
		})
		expect(Math.abs(v1.createdAt - Date.now())).toBeLessThan(60_000)
		const agreedVersion = { id: v1.id, number: 1, label: v1.label, at: v1.createdAt, by: v1.createdBy }
		expect((await json(base(), room.tokens.viewer)).body).toMatchObject({ agreedVersion, locked: false })
		await waitFor(() => readRoomStatus(participant.provider.awareness.getStates() as Map<number, Record<string, unknown>>).agreedVersion?.id === v1.id, {
			what: 'the participant to see the agreed version',
		})
		const list = await json<{ versions: VersionSummary[] }>(base('/versions'), room.tokens.participant)
		expect(list.body.versions).toEqual([v1])
		expect((await json(base(`/versions/${v1.id}`), room.tokens.viewer)).body).toEqual(v1)
	})

	test.each(exportFormats)('a version exports in %s like the map it recorded', async (format) => {
		const file = await text(base(`/versions/${v1.id}/export?format=${format}`), room.tokens.viewer)
		expect(file.status).toBe(200)
		expect(file.headers.get('content-disposition')).toMatch(/\(v1\)/)
		expect(file.body).toBe(exportMap(agreed, format).body)
		const back = importMap(file.body, format)
		expect(back.ok && back.map).toEqual(agreed)
	})

	test('unknown versions and bad queries are refused without harm', async () => {
		expect((await text(base('/versions/nope/export?format=json'), room.tokens.viewer)).status).toBe(404)
		expect((await text(base('/versions/..%2F..%2Fx/export'), room.tokens.viewer)).status).toBe(404)
		expect((await text(base(`/versions/${v1.id}/export?format=pdf`), room.tokens.viewer)).status).toBe(400)
		expect((await text(base('/diff?to=now'), room.tokens.viewer)).status).toBe(400)
		expect((await text(base('/diff?from=nope'), room.tokens.viewer)).status).toBe(404)
		expect((await text(base(`/versions/${v1.id}/export/more`), room.tokens.viewer)).status).toBe(404)
		const other = await fixture.server.createRoom('Other')
		// A version of this room is nothing in another one, even for its facilitator.
		expect((await text(`/api/rooms/${other.room}/versions/${v1.id}/export`, other.tokens.facilitator)).status).toBe(404)
		expect((await text(base(`/versions/${v1.id}/export`), other.tokens.facilitator)).status).toBe(403)
		expect((await fetch(`${fixture.server.url}/healthz`)).ok).toBe(true)
	})

	test('diff between a version and now: added, removed, changed field by field, moves apart', async () => {
		const edited = structuredClone(chimayMap)
		edited.organisations = edited.organisations.filter((o) => o.id !== 'repit')
		edited.partnerships = edited.partnerships.filter((p) => p.from.organisation !== 'repit' && p.to.organisation !== 'repit')
		delete edited.layout.repit
		edited.organisations.push({ ...edited.organisations[0]!, id: 'nouvelle', name: 'Nouvelle asbl', units: [] })
		edited.layout.nouvelle = { x: 900, y: 900, w: 200, h: 96 }
		const forem = edited.organisations.find((o) => o.id === 'forem')!
		forem.shortName = 'FOREm'
		edited.layout.cpas = { ...edited.layout.cpas!, x: edited.layout.cpas!.x + 50 }
		await drawn(room, author, mapSchema.parse(edited))

		const { status, body } = await json<{ from: unknown; to: unknown; diff: MapDiff }>(base(`/diff?from=${v1.id}&to=now`), room.tokens.participant)
		expect(status).toBe(200)
		expect(body.from).toEqual({ version: v1 })
		expect(body.to).toEqual({ now: true })
		expect(body.diff.organisations.added.map((o) => o.id)).toEqual(['nouvelle'])
		expect(body.diff.organisations.removed.map((o) => o.id)).toEqual(['repit'])
		expect(body.diff.partnerships.removed.map((p) => p.id).sort()).toEqual(
			chimayMap.partnerships.filter((p) => p.from.organisation === 'repit' || p.to.organisation === 'repit').map((p) => p.id).sort(),
		)
		expect(body.diff.organisations.changed.map((c) => ({ id: c.id, changes: c.changes }))).toEqual([
			{ id: 'forem', changes: [{ path: ['shortName'], before: chimayMap.organisations.find((o) => o.id === 'forem')!.shortName, after: 'FOREm' }] },
		])
		expect(body.diff.moved.map((m) => m.organisation)).toEqual(['cpas'])
		// `to` defaults to now; a version against itself is no change.
		expect((await json<{ diff: MapDiff }>(base(`/diff?from=${v1.id}`), room.tokens.viewer)).body.diff).toEqual(body.diff)
		const same = (await json<{ diff: MapDiff }>(base(`/diff?from=${v1.id}&to=${v1.id}`), room.tokens.viewer)).body.diff
		expect(isModelUnchanged(same) && same.moved.length === 0).toBe(true)
	})

	test('restore: facilitator only; the map comes back for everyone; restoring the automatic version undoes it', async () => {
		for (const token of [room.tokens.participant, room.tokens.viewer])
			expect((await json(base(`/versions/${v1.id}/restore`), token, { method: 'POST' })).status).toBe(403)
		expect((await json(base('/versions/nope/restore'), room.tokens.facilitator, { method: 'POST' })).status).toBe(404)
		const beforeRestore = mapOf(author)

		const restored = await json<{ restored: VersionSummary; backup: VersionSummary }>(base(`/versions/${v1.id}/restore`), room.tokens.facilitator, {
			method: 'POST',
			body: { name: 'Anne' },
		})
		expect(restored.status).toBe(200)
		expect(restored.body.restored).toEqual(v1)
		const backup = restored.body.backup
		expect(backup).toMatchObject({ number: 2, kind: 'before-restore', restoring: v1.id, createdBy: { role: 'facilitator', name: 'Anne' } })
		// Through the room core: every connected client gets the restored map.
		for (const c of [author, participant]) await waitFor(() => holds(c, agreed), { what: 'the restored map' })
		// An automatic version is not an agreed one.
		expect((await json<{ agreedVersion: { id: string } }>(base(), room.tokens.viewer)).body.agreedVersion.id).toBe(v1.id)
		const backupFile = await text(base(`/versions/${backup.id}/export?format=json`), room.tokens.viewer)
		const backupMap = importMap(backupFile.body, 'json')
		expect(backupMap.ok && sameValue(backupMap.map, beforeRestore)).toBe(true)

		const undone = await json<{ backup: VersionSummary }>(base(`/versions/${backup.id}/restore`), fixture.server.adminToken, { method: 'POST' })
		expect(undone.status).toBe(200)
		expect(undone.body.backup).toMatchObject({ number: 3, kind: 'before-restore', restoring: backup.id, createdBy: { role: 'admin' } })
		for (const c of [author, participant]) await waitFor(() => holds(c, beforeRestore), { what: 'the restore to be undone' })
		const versions = (await json<{ versions: VersionSummary[] }>(base('/versions'), room.tokens.viewer)).body.versions
		expect(versions.map((v) => v.number)).toEqual([3, 2, 1])
		// Versions are immutable: the first one still exports the map agreed then.
		const first = await text(base(`/versions/${v1.id}/export?format=json`), room.tokens.viewer)
		expect(first.body).toBe(exportMap(agreed, 'json').body)
	})

	test('a participant can still write after a restore, and a locked room can still be restored', async () => {
		participant.doc.getMap('records').delete('shape:forem')
		await waitFor(() => !mapOf(author).organisations.some((o) => o.id === 'forem'), { what: 'the participant edit' })
		expect((await json(base('/lock'), room.tokens.facilitator, { method: 'POST' })).status).toBe(200)
		expect((await json(base(`/versions/${v1.id}/restore`), room.tokens.facilitator, { method: 'POST' })).status).toBe(200)
		await waitFor(() => holds(participant, agreed), { what: 'the restore under lock' })
		expect((await json(base('/unlock'), room.tokens.facilitator, { method: 'POST' })).status).toBe(200)
	})
})

describe('analysis and ego endpoints', () => {
	let room: CreatedRoom
	let author: StockClient

	beforeAll(async () => {
		room = await fixture.server.createRoom('Analysis')
		author = client(room, 'facilitator')
		await synced(author)
	})

	test('a path of three organisations: figures computed by hand', async () => {
		// a – b – c (and d alone): E = 2, N = 4, density 2/6; b is on the one shortest a–c path among 3 pairs.
		await drawn(
			room,
			author,
			mapSchema.parse({
				schemaVersion: 1,
				organisations: ['a', 'b', 'c', 'd'].map((id) => ({ id, name: id })),
				partnerships: [
					{ id: 'ab', from: { organisation: 'a' }, to: { organisation: 'b' } },
					{ id: 'bc', from: { organisation: 'b' }, to: { organisation: 'c' }, formal: true },
				],
			}),
		)
		const { status, body } = await json<ReturnType<typeof analyseMap>>(`/api/rooms/${room.room}/analysis?today=2024-01-01`, room.tokens.viewer)
		expect(status).toBe(200)
		expect(body.density).toBeCloseTo(2 / 6)
		expect(body.organisations.find((o) => o.organisation === 'b')).toEqual({ organisation: 'b', degree: 2, partnerships: 2, betweenness: 1 / 3 })
		expect(body.isolates).toEqual(['d'])
		expect(body.components).toEqual([['a', 'b', 'c'], ['d']])
		expect(body.informal).toEqual({ partnerships: ['ab'], count: 1, total: 2, share: 0.5 })
	})

	test('the Chimay demo: the endpoint gives what the shared function gives', async () => {
		await drawn(room, author, chimayMap)
		const { body } = await json(`/api/rooms/${room.room}/analysis?today=2024-03-01&horizonDays=30`, room.tokens.participant)
		expect(body).toEqual(analyseMap(chimayMap, { today: '2024-03-01', horizonDays: 30 }))
		const cpas = (body as ReturnType<typeof analyseMap>).organisations.find((o) => o.organisation === 'cpas')!
		expect(cpas.degree).toBe(Math.max(...(body as ReturnType<typeof analyseMap>).organisations.map((o) => o.degree)))
	})

	test('bad analysis queries: 400 with the issues', async () => {
		for (const query of ['today=2024-13-45', 'today=yesterday', 'horizonDays=abc', 'horizonDays=', 'horizonDays=-1', 'horizonDays=1.5']) {
			const { status, body } = await json<{ issues: unknown[] }>(`/api/rooms/${room.room}/analysis?${query}`, room.tokens.viewer)
			expect(status, query).toBe(400)
			expect(body.issues.length, query).toBeGreaterThan(0)
		}
		expect((await json(`/api/rooms/${room.room}/analysis`, undefined)).status).toBe(401)
	})

	test('ego map export: the organisation and its partners, in every format', async () => {
		for (const format of exportFormats) {
			const file = await text(`/api/rooms/${room.room}/ego/cpas/export?format=${format}`, room.tokens.viewer)
			expect(file.status).toBe(200)
			expect(file.body).toBe(exportMap(egoMap(chimayMap, 'cpas')!, format).body)
		}
		const deeper = await text(`/api/rooms/${room.room}/ego/forem/export?format=json&depth=2`, room.tokens.viewer)
		expect(importMap(deeper.body, 'json')).toMatchObject({ ok: true, map: egoMap(chimayMap, 'forem', { depth: 2 }) })
		expect((await text(`/api/rooms/${room.room}/ego/nobody/export`, room.tokens.viewer)).status).toBe(404)
		expect((await text(`/api/rooms/${room.room}/ego/cpas/export?depth=0`, room.tokens.viewer)).status).toBe(400)
		expect((await text(`/api/rooms/${room.room}/ego/cpas/export?depth=x`, room.tokens.viewer)).status).toBe(400)
	})
})

test('lock and versions survive a restart; versions cannot be rewritten', async () => {
	const room = await fixture.server.createRoom('Durable')
	const author = client(room, 'facilitator')
	await synced(author)
	await drawn(room, author, chimayMap)
	const expectedJson = exportMap(mapOf(author), 'json').body
	const saved = (await json<VersionSummary>(`/api/rooms/${room.room}/versions`, room.tokens.facilitator, { body: { label: 'Avant redémarrage' } })).body
	expect((await json(`/api/rooms/${room.room}/lock`, room.tokens.facilitator, { method: 'POST', body: { name: 'Anne' } })).status).toBe(200)
	const before = (await json(`/api/rooms/${room.room}`, room.tokens.participant)).body

	await fixture.server.kill('SIGKILL')
	author.destroy()
	await fixture.restart()

	expect((await json(`/api/rooms/${room.room}`, room.tokens.participant)).body).toEqual(before)
	expect((await json<{ versions: VersionSummary[] }>(`/api/rooms/${room.room}/versions`, room.tokens.viewer)).body.versions).toEqual([saved])
	expect((await text(`/api/rooms/${room.room}/versions/${saved.id}/export?format=json`, room.tokens.viewer)).body).toBe(expectedJson)

	// Still locked once reloaded: a participant's edit does not reach the facilitator.
	const facilitator = client(room, 'facilitator')
	const participant = client(room, 'participant')
	await Promise.all([synced(facilitator), synced(participant)])
	await waitFor(() => readRoomStatus(participant.provider.awareness.getStates() as Map<number, Record<string, unknown>>).locked, { what: 'the lock after restart' })
	participant.doc.getMap('records').set('after-restart', 1)
	facilitator.doc.getMap('records').set('facilitator-after-restart', 1)
	await waitFor(() => participant.doc.getMap('records').get('facilitator-after-restart') === 1, { what: 'the facilitator edit' })
	await waitFor(async () => (await fixture.server.metric('maillage_locked_writes_dropped_total')) > 0, { what: 'the participant write to be dropped' })
	expect(facilitator.doc.getMap('records').has('after-restart')).toBe(false)

	const db = new Database(path.join(fixture.server.dataDir, 'maillage.sqlite'), { fileMustExist: true, timeout: 5000 })
	try {
		expect(() => db.prepare('UPDATE versions SET label = ? WHERE id = ?').run('rewritten', saved.id)).toThrow(/immutable/)
	} finally {
		db.close()
	}
})
