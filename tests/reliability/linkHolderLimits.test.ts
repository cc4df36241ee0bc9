import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { randomBytes } from 'node:crypto'
import { closeReason } from '../../shared/protocol'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { frame, RawSocket, stockClient, synced, updateFrame, type StockClient } from '../support/syncClient'
import { residentBytes } from '../support/seeded'

/**
 * Issue #16 as a link holder tries it, with raw and stock clients against the real server: a
 * viewer announcing a 4 MiB presence, a participant bloating the room with 8 MiB updates.
 */

const MiB = 1024 * 1024
let server: ServerProcess
const clients: StockClient[] = []
const sockets: RawSocket[] = []
beforeAll(async () => {
	server = await ServerProcess.start({ env: { MAX_ROOM_BYTES: String(20 * MiB) } })
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	for (const s of sockets) s.close()
	await server?.stop()
})

function presenceFrame(clientId: number, clock: number, state: string): Uint8Array {
	const update = encoding.createEncoder()
	encoding.writeVarUint(update, 1)
	encoding.writeVarUint(update, clientId)
	encoding.writeVarUint(update, clock)
	encoding.writeVarString(update, state)
	return frame((e) => {
		encoding.writeVarUint(e, 1)
		encoding.writeVarUint8Array(e, encoding.toUint8Array(update))
	})
}

const presenceBytes = (socket: RawSocket) => socket.messages.filter((m) => m[0] === 1).reduce((sum, m) => sum + m.length, 0)

test('a viewer announcing a 4 MiB presence 10 times reaches no listener, and is closed with 4431', async () => {
	const room: CreatedRoom = await server.createRoom('Presence flood')
	const listeners = Array.from({ length: 10 }, () => RawSocket.to(server.wsUrl, room.room, room.tokens.participant))
	sockets.push(...listeners)
	await Promise.all(listeners.map((l) => l.opened))
	const viewer = RawSocket.to(server.wsUrl, room.room, room.tokens.viewer)
	sockets.push(viewer)
	await viewer.opened
	const huge = JSON.stringify({ user: { name: 'x'.repeat(4 * MiB) } })
	for (let clock = 1; clock <= 10 && !viewer.closed; clock++) viewer.send(presenceFrame(424242, clock, huge))
	expect((await viewer.waitClosed()).code).toBe(closeReason.presenceTooLarge.code)
	// A small presence from an honest participant still goes through to everyone.
	listeners[0]!.send(presenceFrame(777, 1, JSON.stringify({ user: { name: 'Alice' } })))
	await waitFor(() => listeners.every((l) => Buffer.concat(l.messages.filter((m) => m[0] === 1)).toString().includes('Alice')), { what: 'the honest presence' })
	for (const listener of listeners) expect(presenceBytes(listener)).toBeLessThan(8 * 1024)
	await waitFor(async () => (await server.metric('maillage_refusals_total', { reason: 'presence too large' })) >= 1, { what: 'the counter' })
	expect(server.stdout.join('')).toContain('presence too large')
	expect(server.stdout.join('')).not.toContain(room.tokens.viewer)
})

test('8 MiB updates past MAX_ROOM_BYTES are refused with 4413; RSS bounded, newcomers sync, others edit', async () => {
	const room = await server.createRoom('Bloat')
	const watcher = stockClient(server.wsUrl, room.room, room.tokens.participant)
	clients.push(watcher)
	await synced(watcher)
	const rssBefore = residentBytes(server.child.pid as number)
	const attacker = RawSocket.to(server.wsUrl, room.room, room.tokens.participant)
	sockets.push(attacker)
	await attacker.opened
	let sent = 0
	for (; sent < 24 && !attacker.closed; sent++) {
		const doc = new Y.Doc()
		doc.getMap('records').set(`bloat${sent}`, randomBytes(6 * MiB).toString('base64'))
		attacker.send(updateFrame(Y.encodeStateAsUpdate(doc)))
		doc.destroy()
		await new Promise((r) => setTimeout(r, 200))
	}
	expect((await attacker.waitClosed(20_000)).code).toBe(closeReason.roomTooLarge.code)
	expect(sent).toBeLessThanOrEqual(4)
	expect(residentBytes(server.child.pid as number) - rssBefore).toBeLessThan(150 * MiB)
	expect(await server.metric('maillage_refusals_total', { reason: 'room too large' })).toBe(1)

	watcher.doc.getMap('records').set('still', 'editable')
	const started = performance.now()
	const newcomer = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	clients.push(newcomer)
	await waitFor(() => newcomer.provider.synced && newcomer.doc.getMap('records').get('still') === 'editable', { timeout: 5000, what: 'the newcomer to sync' })
	expect(performance.now() - started).toBeLessThan(5000)
	expect(newcomer.doc.getMap('records').size).toBe(3)
	expect(watcher.provider.wsconnected).toBe(true)
}, 60_000)
