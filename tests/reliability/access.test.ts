import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { exportMap } from '../../shared/formats'
import { randomMap } from '../support/randomMap'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { RawSocket, stockClient, synced, syncStep1Frame, updateFrame, type StockClient } from '../support/syncClient'
import { ACCESS_TABLE_END, ACCESS_TABLE_START, accessCaseCount, accessRoutes, accessTableMarkdown, credentialNames, type AccessRoute, type Credential } from '../support/accessMatrix'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

let server: ServerProcess
let shared: Fixture
const clients: StockClient[] = []

beforeAll(async () => {
	server = await ServerProcess.start()
	shared = await fixture()
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	await server?.stop()
})

/** A room holding a map and a saved version, whose facilitator token was rotated (the old one is kept), and another room. */
interface Fixture {
	room: string
	tokens: CreatedRoom['tokens']
	rotated: string
	otherRoom: CreatedRoom
	version: string
	organisation: string
}

const fixtureMap = randomMap(11, { organisations: 3, partnerships: 2 })
const importBody = exportMap(fixtureMap, 'json').body

async function fixture(): Promise<Fixture> {
	const room = await server.createRoom('Access')
	const rotation = await server.api(`/api/rooms/${room.room}/tokens/rotate`, { token: server.adminToken, body: { roles: ['facilitator'] } })
	expect(rotation.status).toBe(200)
	const { tokens } = (await rotation.json()) as { tokens: { facilitator: string } }
	const imported = await server.api(`/api/rooms/${room.room}/import?format=json`, { token: tokens.facilitator, raw: importBody })
	expect(imported.status).toBe(200)
	const saved = await server.api(`/api/rooms/${room.room}/versions`, { token: tokens.facilitator, body: { label: 'Fixture' } })
	expect(saved.status).toBe(201)
	const { id: version } = (await saved.json()) as { id: string }
	return {
		room: room.room,
		tokens: { ...room.tokens, facilitator: tokens.facilitator },
		rotated: room.tokens.facilitator,
		otherRoom: await server.createRoom('Other'),
		version,
		organisation: (fixtureMap.organisations[0] as { id: string }).id,
	}
}

const UNKNOWN_TOKEN = 'Zm9yZ2VkLXRva2VuLW5vYm9keS1pc3N1ZWQtdGhpcy0x'

/** The token a credential stands for (undefined: none or malformed, handled apart). */
function tokenOf(f: Fixture, credential: Credential): string | undefined {
	switch (credential) {
		case 'none':
		case 'malformed':
			return undefined
		case 'unknown':
			return UNKNOWN_TOKEN
		case 'otherRoom':
			return f.otherRoom.tokens.facilitator
		case 'rotated':
			return f.rotated
		case 'admin':
			return server.adminToken
		default:
			return f.tokens[credential]
	}
}

/** Authorization headers that carry no usable Bearer token, one of them with a valid token. */
const malformedHeaders = (f: Fixture) => ['Basic Zm9vOmJhcg==', 'Bearer', 'Bearer ', 'Bearer two words', `Token ${f.tokens.facilitator}`, `${f.tokens.facilitator}`]

/** What each POST needs to succeed when allowed (the others take `{}`). */
const postBodies: Record<string, unknown> = { '/api/rooms': { title: 'x' }, '/api/rooms/:room/versions': { label: 'Agreed map' } }

async function httpStatus(route: AccessRoute, f: Fixture, headers: Record<string, string>): Promise<number> {
	const url = `${server.url}${route.path.replace(':room', f.room).replace(':version', f.version).replace(':organisation', f.organisation)}`
	const body = route.method !== 'POST' ? undefined : route.path.includes('/import') ? importBody : JSON.stringify(postBodies[route.path] ?? {})
	const res = await fetch(url, { method: route.method, headers: { 'content-type': 'application/json', ...headers }, body })
	await res.arrayBuffer()
	return res.status
}

/** 101 then whether an update sent on the socket reaches the document; else the refusal status. */
async function wsOutcome(f: Fixture, query: string): Promise<number | 'write' | 'read'> {
	const socket = new RawSocket(`${server.wsUrl}/${f.room}${query}`)
	try {
		await socket.opened
	} catch {
		return socket.unexpectedStatus ?? -1
	}
	const witness = stockClient(server.wsUrl, f.room, f.tokens.facilitator)
	clients.push(witness)
	await synced(witness)
	const key = `try-${Math.random()}`
	const doc = new Y.Doc()
	doc.getMap('records').set(key, true)
	socket.send(updateFrame(Y.encodeStateAsUpdate(doc)))
	// Its answer to a state request means the server has handled the update before it.
	const answered = socket.messages.length
	socket.send(syncStep1Frame(new Y.Doc()))
	await waitFor(() => socket.messages.slice(answered).some((m) => m[0] === 0 && m[1] === 1), { what: 'the sync step 2 answer' })
	const marker = `marker-${key}`
	const writer = stockClient(server.wsUrl, f.room, f.tokens.participant)
	clients.push(writer)
	await synced(writer)
	writer.doc.getMap('records').set(marker, true)
	await waitFor(() => witness.doc.getMap('records').has(marker), { what: 'the marker' })
	const applied = witness.doc.getMap('records').has(key)
	socket.close()
	witness.destroy()
	writer.destroy()
	return applied ? 'write' : 'read'
}

async function tryCell(route: AccessRoute, credential: Credential, f: Fixture): Promise<(number | string)[]> {
	const token = tokenOf(f, credential)
	if (route.method === 'WS') {
		if (credential === 'none') return [await wsOutcome(f, '')]
		// No `?token=` value, and a Bearer header (a WebSocket from a browser cannot send one; not accepted).
		if (credential === 'malformed') return Promise.all(['?token=', '?token', '?access_token=' + f.tokens.facilitator].map((q) => wsOutcome(f, q)))
		return [await wsOutcome(f, `?token=${encodeURIComponent(token as string)}`)]
	}
	if (credential === 'none') return [await httpStatus(route, f, {}), await httpStatus(route, f, { cookie: `token=${f.tokens.facilitator}` })]
	if (credential === 'malformed') {
		const statuses: number[] = []
		for (const header of malformedHeaders(f)) statuses.push(await httpStatus(route, f, { authorization: header }))
		// A token in the query string is not a way in for HTTP routes (it would end up in logs and Referer).
		const inQuery = { ...route, path: `${route.path}${route.path.includes('?') ? '&' : '?'}token=${f.tokens.facilitator}` }
		statuses.push(await httpStatus(inQuery, f, {}))
		return statuses
	}
	return [await httpStatus(route, f, { authorization: `Bearer ${token}` })]
}

describe.each(accessRoutes)('$method $path', (route) => {
	test.each(credentialNames)('%s', async (credential) => {
		const f = route.mutates ? await fixture() : shared
		const outcomes = await tryCell(route, credential, f)
		const expected = route.outcomes[credential]
		expect(outcomes, `${route.method} ${route.path} with ${credential}`).toEqual(outcomes.map(() => expected))
	})
})

test("the README's access table is the one the cases above come from", () => {
	const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
	const start = readme.indexOf(ACCESS_TABLE_START)
	const end = readme.indexOf(ACCESS_TABLE_END)
	expect(start, 'README.md has the access table markers').toBeGreaterThan(-1)
	expect(readme.slice(start + ACCESS_TABLE_START.length, end).trim()).toBe(accessTableMarkdown())
	expect(accessCaseCount).toBe(accessRoutes.length * credentialNames.length)
})
