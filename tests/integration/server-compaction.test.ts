import Database from 'better-sqlite3'
import path from 'node:path'
import { expect, test } from 'vitest'
import { stopAfterEach } from '../support/cleanup'
import { ServerProcess, waitFor } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'

const { servers, clients } = stopAfterEach()

/** Rows of a room's update log, read from the live SQLite file (WAL allows a concurrent reader). */
function storedUpdates(dataDir: string, room: string): number {
	const db = new Database(path.join(dataDir, 'maillage.sqlite'), { readonly: true, fileMustExist: true })
	try {
		return (db.prepare('SELECT count(*) AS n FROM updates WHERE room = ?').get(room) as { n: number }).n
	} finally {
		db.close()
	}
}

async function editOneByOne(client: StockClient, count: number, prefix: string, observer: StockClient): Promise<void> {
	for (let i = 0; i < count; i++) {
		client.doc.getMap('records').set(`${prefix}${i}`, { i, text: 'x'.repeat(20) })
		// Wait for each edit to come back through the server: one stored update per edit.
		await waitFor(() => observer.doc.getMap('records').has(`${prefix}${i}`), { what: `edit ${i}` })
	}
}

test('the update log is merged every COMPACT_EVERY updates and keeps all content', async () => {
	const server = await ServerProcess.start({ env: { COMPACT_EVERY: '10' } })
	servers.push(server)
	const room = await server.createRoom('Compaction')
	const writer = stockClient(server.wsUrl, room.room, room.tokens.participant)
	const observer = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	clients.push(writer, observer)
	await Promise.all([synced(writer), synced(observer)])
	writer.doc.getMap('records').set('deleted-later', 1)
	await editOneByOne(writer, 45, 'k', observer)
	writer.doc.getMap('records').delete('deleted-later')
	await waitFor(() => !observer.doc.getMap('records').has('deleted-later'), { what: 'the deletion' })

	const rows = storedUpdates(server.dataDir, room.room)
	expect(rows).toBeGreaterThanOrEqual(1)
	expect(rows).toBeLessThan(10)
	expect(await server.metric('maillage_persistence_seconds_count', { operation: 'compact' })).toBeGreaterThanOrEqual(4)

	// Content after a crash and a reload from the compacted log.
	await server.kill('SIGKILL')
	writer.provider.disconnect()
	const restarted = await server.restart()
	servers.push(restarted)
	const reader = stockClient(restarted.wsUrl, room.room, room.tokens.viewer)
	clients.push(reader)
	await synced(reader)
	expect(reader.doc.getMap('records').toJSON()).toEqual(writer.doc.getMap('records').toJSON())
	expect(reader.doc.getMap('records').size).toBe(45)
})

test('an idle room is compacted into one update when it is unloaded', async () => {
	const server = await ServerProcess.start({ env: { COMPACT_EVERY: '100000', ROOM_IDLE_MS: '100' } })
	servers.push(server)
	const room = await server.createRoom('Compaction on unload')
	const writer = stockClient(server.wsUrl, room.room, room.tokens.participant)
	const observer = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	clients.push(writer, observer)
	await Promise.all([synced(writer), synced(observer)])
	await editOneByOne(writer, 15, 'u', observer)
	expect(storedUpdates(server.dataDir, room.room)).toBeGreaterThanOrEqual(15)
	writer.provider.disconnect()
	observer.provider.disconnect()
	await waitFor(async () => (await server.metric('maillage_rooms_loaded')) === 0, { what: 'the room to unload' })
	expect(storedUpdates(server.dataDir, room.room)).toBe(1)
})
