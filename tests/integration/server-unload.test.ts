import Database from 'better-sqlite3'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { RawSocket, stockClient, synced } from '../support/syncClient'

let server: ServerProcess
let room: CreatedRoom

beforeAll(async () => {
	server = await ServerProcess.start({ env: { ROOM_IDLE_MS: '100' } })
	room = await server.createRoom('Unload')
})
afterAll(async () => {
	await server?.stop()
})

const loadedRooms = () => server.metric('maillage_rooms_loaded')

function withDatabase<T>(use: (db: Database.Database) => T): T {
	const db = new Database(path.join(server.dataDir, 'maillage.sqlite'), { fileMustExist: true, timeout: 5000 })
	try {
		return use(db)
	} finally {
		db.close()
	}
}

test('a room is unloaded after its last connection left, and reloads with its content', async () => {
	const writer = stockClient(server.wsUrl, room.room, room.tokens.participant)
	await synced(writer)
	writer.doc.getMap('records').set('kept', 'across unloads')
	const check = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	await synced(check)
	await waitFor(() => check.doc.getMap('records').get('kept') === 'across unloads', { what: 'the edit to spread' })
	expect(await loadedRooms()).toBe(1)
	writer.destroy()
	check.destroy()
	await waitFor(async () => (await loadedRooms()) === 0, { what: 'the room to unload' })

	const again = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	await synced(again)
	expect(again.doc.getMap('records').get('kept')).toBe('across unloads')
	expect(await loadedRooms()).toBe(1)
	again.destroy()
	await waitFor(async () => (await loadedRooms()) === 0, { what: 'the room to unload again' })
})

test('many rooms opening and closing do not stay in memory', async () => {
	const rooms = await Promise.all(Array.from({ length: 30 }, (_, i) => server.createRoom(`Churn ${i}`)))
	for (const [i, r] of rooms.entries()) {
		const c = stockClient(server.wsUrl, r.room, r.tokens.participant)
		await synced(c)
		c.doc.getMap('records').set('n', i)
		await waitFor(async () => (await server.api(`/api/rooms/${r.room}/issues`, { token: r.tokens.viewer })).ok, { what: 'the room to answer' })
		c.destroy()
	}
	await waitFor(async () => (await loadedRooms()) === 0, { what: 'every room to unload' })
	// Each one kept its content.
	const last = rooms[rooms.length - 1] as CreatedRoom
	const c = stockClient(server.wsUrl, last.room, last.tokens.viewer)
	await synced(c)
	expect(c.doc.getMap('records').get('n')).toBe(rooms.length - 1)
	c.destroy()
})

test('a room whose stored updates cannot be applied refuses connections and is never served empty', async () => {
	const broken = await server.createRoom('Broken')
	const writer = stockClient(server.wsUrl, broken.room, broken.tokens.participant)
	await synced(writer)
	writer.doc.getMap('records').set('precious', 'data')
	await waitFor(() => withDatabase((db) => (db.prepare('SELECT count(*) AS n FROM updates WHERE room = ?').get(broken.room) as { n: number }).n) > 0, {
		what: 'the edit to be stored',
	})
	writer.destroy()
	await waitFor(async () => (await loadedRooms()) === 0, { what: 'the room to unload' })

	const junk = withDatabase((db) =>
		Number(db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)').run(broken.room, Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02])).lastInsertRowid),
	)
	const rowsBefore = withDatabase((db) => db.prepare('SELECT seq, data FROM updates WHERE room = ? ORDER BY seq').all(broken.room))

	const socket = RawSocket.to(server.wsUrl, broken.room, broken.tokens.participant)
	const closed = await socket.waitClosed()
	expect(closed.code).toBe(4503)
	expect(closed.reason).toMatch(/could not be loaded/)
	// Nothing was sent before the close: no sync step, no empty document.
	expect(socket.messages).toEqual([])
	expect((await server.api(`/api/rooms/${broken.room}/issues`, { token: broken.tokens.viewer })).status).toBe(503)
	expect(await server.metric('maillage_room_load_failures_total')).toBeGreaterThanOrEqual(2)
	expect(await loadedRooms()).toBe(0)
	// The stored log is untouched (no compaction of an empty document over it).
	expect(withDatabase((db) => db.prepare('SELECT seq, data FROM updates WHERE room = ? ORDER BY seq').all(broken.room))).toEqual(rowsBefore)

	// Once repaired, the next connection loads it again, with its content.
	withDatabase((db) => db.prepare('DELETE FROM updates WHERE seq = ?').run(junk))
	const again = stockClient(server.wsUrl, broken.room, broken.tokens.viewer)
	await synced(again)
	expect(again.doc.getMap('records').get('precious')).toBe('data')
	again.destroy()
})
