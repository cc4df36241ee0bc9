import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { RawSocket, stockClient, synced, upgradeStatus, type StockClient } from '../support/syncClient'

let server: ServerProcess
let roomA: CreatedRoom
let roomB: CreatedRoom
const clients: StockClient[] = []

beforeAll(async () => {
	server = await ServerProcess.start()
	roomA = await server.createRoom('Room A')
	roomB = await server.createRoom('Room B')
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	await server?.stop()
})

describe('WebSocket upgrade', () => {
	test('refusals: no token 401, wrong token 403, unknown room 403, bad room id 400, other path 404', async () => {
		expect(await upgradeStatus(server.wsUrl, roomA.room)).toBe(401)
		expect(await upgradeStatus(server.wsUrl, roomA.room, '')).toBe(401)
		expect(await upgradeStatus(server.wsUrl, roomA.room, 'not-a-token')).toBe(403)
		expect(await upgradeStatus(server.wsUrl, roomA.room, roomA.tokens.participant + 'x')).toBe(403)
		expect(await upgradeStatus(server.wsUrl, 'no-such-room', roomA.tokens.participant)).toBe(403)
		expect(await upgradeStatus(server.wsUrl, '..%2F..%2Fetc', roomA.tokens.participant)).toBe(400)
		expect(await upgradeStatus(server.wsUrl, 'x'.repeat(65), roomA.tokens.participant)).toBe(400)
		expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/elsewhere`, roomA.room, roomA.tokens.participant)).toBe(404)
		// The admin token is not a room token.
		expect(await upgradeStatus(server.wsUrl, roomA.room, server.adminToken)).toBe(403)
	})

	test('a token of room A never opens room B, and each of its roles opens room A', async () => {
		for (const role of ['facilitator', 'participant', 'viewer'] as const) {
			expect(await upgradeStatus(server.wsUrl, roomB.room, roomA.tokens[role])).toBe(403)
			expect(await upgradeStatus(server.wsUrl, roomA.room, roomA.tokens[role])).toBe(101)
		}
	})

	test('refused upgrades load no room', async () => {
		const fresh = await server.createRoom('Never opened')
		expect(await upgradeStatus(server.wsUrl, fresh.room, 'wrong')).toBe(403)
		expect(await upgradeStatus(server.wsUrl, fresh.room)).toBe(401)
		const list = (await (await server.api('/api/rooms', { token: server.adminToken })).json()) as { rooms: { room: string; loaded: boolean }[] }
		expect(list.rooms.find((r) => r.room === fresh.room)?.loaded).toBe(false)
		expect(await server.metric('maillage_refused_upgrades_total', { status: '403' })).toBeGreaterThan(0)
	})
})

describe('HTTP API', () => {
	test('room creation needs the admin token', async () => {
		expect((await server.api('/api/rooms', { body: { title: 'x' } })).status).toBe(401)
		expect((await server.api('/api/rooms', { token: 'nope', body: { title: 'x' } })).status).toBe(403)
		expect((await server.api('/api/rooms', { token: roomA.tokens.facilitator, body: { title: 'x' } })).status).toBe(403)
		expect((await server.api('/api/rooms', { token: server.adminToken, body: { title: 42 } })).status).toBe(400)
		expect((await server.api('/api/rooms', { token: server.adminToken, raw: '{not json', headers: { 'content-type': 'application/json' } })).status).toBe(400)
		const created = await server.createRoom('Réseau de Chimay')
		expect(created.room).toMatch(/^[A-Za-z0-9_-]{1,64}$/)
		expect(created.title).toBe('Réseau de Chimay')
		for (const role of ['facilitator', 'participant', 'viewer'] as const) {
			// 32 random bytes, base64url.
			expect(created.tokens[role]).toMatch(/^[A-Za-z0-9_-]{43}$/)
			expect(created.links[role]).toBe(`http://127.0.0.1:${server.port}/room/${created.room}#token=${created.tokens[role]}`)
		}
	})

	test('GET /api/rooms/<room> tells the role; other rooms and bad tokens are refused', async () => {
		for (const role of ['facilitator', 'participant', 'viewer'] as const) {
			const res = await server.api(`/api/rooms/${roomA.room}`, { token: roomA.tokens[role] })
			expect(res.status).toBe(200)
			expect(await res.json()).toEqual({ room: roomA.room, title: 'Room A', role, locked: false, lockedBy: null, lockedAt: null, agreedVersion: null })
		}
		expect((await server.api(`/api/rooms/${roomA.room}`)).status).toBe(401)
		expect((await server.api(`/api/rooms/${roomB.room}`, { token: roomA.tokens.facilitator })).status).toBe(403)
		expect((await server.api(`/api/rooms/unknown`, { token: roomA.tokens.facilitator })).status).toBe(403)
		expect((await server.api(`/api/rooms/unknown`, { token: server.adminToken })).status).toBe(404)
		expect((await server.api(`/api/rooms/${roomA.room}`, { token: server.adminToken })).status).toBe(200)
	})

	test('only a facilitator (or the admin) imports or rotates tokens', async () => {
		for (const role of ['participant', 'viewer'] as const) {
			expect((await server.api(`/api/rooms/${roomA.room}/import?format=json`, { token: roomA.tokens[role], raw: '{}' })).status).toBe(403)
			expect((await server.api(`/api/rooms/${roomA.room}/tokens/rotate`, { token: roomA.tokens[role], body: {} })).status).toBe(403)
		}
		expect((await server.api(`/api/rooms/${roomA.room}/tokens/rotate`, { token: roomB.tokens.facilitator, body: {} })).status).toBe(403)
	})
})

describe('token rotation', () => {
	test('old tokens are refused afterwards and their open connections are closed with 4401', async () => {
		const room = await server.createRoom('Rotation')
		const participant = stockClient(server.wsUrl, room.room, room.tokens.participant)
		const viewer = stockClient(server.wsUrl, room.room, room.tokens.viewer)
		clients.push(participant, viewer)
		await Promise.all([synced(participant), synced(viewer)])
		const closed: { code: number; reason: string }[] = []
		viewer.provider.on('closed', (event) => closed.push(event))

		// Rotate the viewer token only: the viewer is closed, the participant stays.
		const res = await server.api(`/api/rooms/${room.room}/tokens/rotate`, { token: room.tokens.facilitator, body: { roles: ['viewer'] } })
		expect(res.status).toBe(200)
		const rotated = (await res.json()) as { tokens: Record<string, string>; links: Record<string, string> }
		expect(Object.keys(rotated.tokens)).toEqual(['viewer'])
		expect(rotated.tokens.viewer).not.toBe(room.tokens.viewer)
		expect(rotated.links.viewer).toContain(`#token=${rotated.tokens.viewer}`)
		await waitFor(() => closed.length > 0, { what: 'the viewer to be closed' })
		expect(closed[0]?.code).toBe(4401)
		// 44xx: the stock provider stops reconnecting with the revoked token.
		expect(viewer.provider.shouldConnect).toBe(false)
		expect(participant.provider.wsconnected).toBe(true)

		expect(await upgradeStatus(server.wsUrl, room.room, room.tokens.viewer)).toBe(403)
		expect(await upgradeStatus(server.wsUrl, room.room, rotated.tokens.viewer!)).toBe(101)
		expect((await server.api(`/api/rooms/${room.room}`, { token: room.tokens.viewer })).status).toBe(403)

		// The admin rotates everything: every old token is dead, the participant is closed.
		const all = await server.api(`/api/rooms/${room.room}/tokens/rotate`, { token: server.adminToken, method: 'POST' })
		expect(all.status).toBe(200)
		const fresh = (await all.json()) as { tokens: Record<string, string> }
		expect(Object.keys(fresh.tokens).sort()).toEqual(['facilitator', 'participant', 'viewer'])
		await waitFor(() => participant.closes.some((c) => c.code === 4401), { what: 'the participant to be closed' })
		for (const token of [room.tokens.facilitator, room.tokens.participant, rotated.tokens.viewer!])
			expect(await upgradeStatus(server.wsUrl, room.room, token)).toBe(403)
		expect(await upgradeStatus(server.wsUrl, room.room, fresh.tokens.participant)).toBe(101)
		expect((await server.api(`/api/rooms/${room.room}/tokens/rotate`, { token: server.adminToken, body: { roles: ['owner'] } })).status).toBe(400)
	})
})

test('no token ever reaches the logs', async () => {
	// A connection with a token in its URL, and a refused one, both logged.
	const socket = RawSocket.to(server.wsUrl, roomA.room, roomA.tokens.participant)
	await socket.opened
	socket.close()
	await upgradeStatus(server.wsUrl, roomA.room, 'wrong-token-value')
	await waitFor(() => server.logs().some((l) => l.msg === 'connection closed'), { what: 'a closing log line' })
	const logs = server.stdout.filter((line) => line.startsWith('{')).join('\n')
	expect(logs).toContain('"role":"participant"')
	for (const token of [server.adminToken!, ...Object.values(roomA.tokens), ...Object.values(roomB.tokens), 'wrong-token-value'])
		expect(logs).not.toContain(token)
	const closing = server.logs().find((l) => l.msg === 'connection closed')
	expect(closing).toMatchObject({ room: expect.any(String), role: expect.any(String), durationMs: expect.any(Number), bytesIn: expect.any(Number), bytesOut: expect.any(Number) })
})
