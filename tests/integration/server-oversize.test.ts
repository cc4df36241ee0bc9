import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { RawSocket, stockClient, synced, updateFrame, upgradeStatus, type StockClient } from '../support/syncClient'

const MAX_MESSAGE_BYTES = 64 * 1024
let server: ServerProcess
let room: CreatedRoom
let watcher: StockClient

beforeAll(async () => {
	server = await ServerProcess.start({
		env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES), MAX_JSON_BODY_BYTES: '2048', MAX_IMPORT_BYTES: '4096', MAX_CONNECTIONS_PER_ROOM: '3', MAX_CONNECTIONS: '5' },
	})
	room = await server.createRoom('Oversize')
	watcher = stockClient(server.wsUrl, room.room, room.tokens.participant)
	await synced(watcher)
})
afterAll(async () => {
	watcher?.destroy()
	await server?.stop()
})

test('a message over MAX_MESSAGE_BYTES closes its connection with 1009 and is counted', async () => {
	const socket = RawSocket.to(server.wsUrl, room.room, room.tokens.participant)
	await socket.opened
	const doc = new Y.Doc()
	doc.getMap('records').set('big', 'x'.repeat(MAX_MESSAGE_BYTES))
	socket.send(updateFrame(Y.encodeStateAsUpdate(doc)))
	expect((await socket.waitClosed()).code).toBe(1009)
	await waitFor(async () => (await server.metric('maillage_rejected_frames_total', { reason: 'oversize' })) === 1, { what: 'the metric' })

	// Nothing of it was applied; the room and its other client go on.
	watcher.doc.getMap('records').set('still', 'alive')
	const check = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	await synced(check)
	expect(check.doc.getMap('records').get('still')).toBe('alive')
	expect(check.doc.getMap('records').has('big')).toBe(false)
	check.destroy()
})

test('a message just under the limit is accepted', async () => {
	const socket = RawSocket.to(server.wsUrl, room.room, room.tokens.participant)
	await socket.opened
	const doc = new Y.Doc()
	doc.getMap('records').set('large', 'y'.repeat(MAX_MESSAGE_BYTES - 200))
	socket.send(updateFrame(Y.encodeStateAsUpdate(doc)))
	await waitFor(() => typeof watcher.doc.getMap('records').get('large') === 'string', { what: 'the large update to spread' })
	socket.close()
})

test('a room accepts at most MAX_CONNECTIONS_PER_ROOM connections (4429 beyond)', async () => {
	const sockets = [RawSocket.to(server.wsUrl, room.room, room.tokens.viewer), RawSocket.to(server.wsUrl, room.room, room.tokens.viewer)]
	await Promise.all(sockets.map((s) => s.opened))
	// watcher + 2 = 3: the fourth is refused with a clear reason.
	await waitFor(() => sockets.every((s) => s.messages.length > 0), { what: 'both to be in the room' })
	const extra = RawSocket.to(server.wsUrl, room.room, room.tokens.viewer)
	expect(await extra.waitClosed()).toEqual({ code: 4429, reason: 'room is full' })
	for (const s of sockets) s.close()
})

test('HTTP bodies over their limit get 413', async () => {
	const big = JSON.stringify({ title: 'x'.repeat(4000) })
	const res = await server.api('/api/rooms', { token: server.adminToken, raw: big, headers: { 'content-type': 'application/json' } })
	expect(res.status).toBe(413)
	const imported = await server.api(`/api/rooms/${room.room}/import?format=json`, { token: room.tokens.facilitator, raw: 'z'.repeat(5000) })
	expect(imported.status).toBe(413)
	expect((await fetch(`${server.url}/healthz`)).ok).toBe(true)
})

test('the process accepts at most MAX_CONNECTIONS connections (503 beyond)', async () => {
	const connections = async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { connections: number }).connections
	// The watcher reconnects on its own schedule: leave it out so the count is exact.
	watcher.destroy()
	await waitFor(async () => (await connections()) === 0, { what: 'every connection to be gone' })
	// Five sockets over two rooms, so that no room is full (MAX_CONNECTIONS_PER_ROOM is 3).
	const rooms = [await server.createRoom('Other'), await server.createRoom('Third')]
	const sockets = Array.from({ length: 5 }, (_, i) => {
		const r = rooms[i % 2] as CreatedRoom
		return RawSocket.to(server.wsUrl, r.room, r.tokens.viewer)
	})
	await Promise.all(sockets.map((s) => s.opened))
	await waitFor(() => sockets.every((s) => s.messages.length > 0), { what: 'every socket to be in its room' })
	expect(await connections()).toBe(5)
	const other = rooms[0] as CreatedRoom
	expect(await upgradeStatus(server.wsUrl, other.room, other.tokens.viewer)).toBe(503)
	sockets[0]?.close()
	await waitFor(async () => (await connections()) === 4, { what: 'one socket to be gone' })
	expect(await upgradeStatus(server.wsUrl, other.room, other.tokens.viewer)).toBe(101)
	for (const s of sockets) s.close()
})
