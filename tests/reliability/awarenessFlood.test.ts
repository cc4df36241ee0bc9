import { afterAll, beforeAll, expect, test } from 'vitest'
import * as encoding from 'lib0/encoding'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { frame, RawSocket, stockClient, synced, type StockClient } from '../support/syncClient'
import { residentBytes } from '../support/seeded'

/**
 * Presence (awareness) is open to every role, viewers included, whose links travel widest. One
 * connection announcing thousands of made-up clients must not make the server keep them all and
 * hand them to everyone who joins: it is closed (4400) and its states dropped.
 */

let server: ServerProcess
let room: CreatedRoom
const clients: StockClient[] = []
beforeAll(async () => {
	server = await ServerProcess.start()
	room = await server.createRoom('Awareness flood')
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	await server?.stop()
})

/** An awareness frame declaring `count` clients from `first` on, each with a small state. */
function flood(first: number, count: number): Uint8Array {
	const update = encoding.createEncoder()
	encoding.writeVarUint(update, count)
	for (let id = first; id < first + count; id++) {
		encoding.writeVarUint(update, id)
		encoding.writeVarUint(update, 1)
		encoding.writeVarString(update, JSON.stringify({ user: { name: `ghost ${id}`, color: '#000000' }, cursor: { x: id, y: id } }))
	}
	return frame((e) => {
		encoding.writeVarUint(e, 1)
		encoding.writeVarUint8Array(e, encoding.toUint8Array(update))
	})
}

test('a viewer announcing 100,000 presences is cut off; newcomers get a small presence list', async () => {
	const honest = stockClient(server.wsUrl, room.room, room.tokens.participant)
	clients.push(honest)
	await synced(honest)
	honest.provider.awareness.setLocalStateField('user', { name: 'Alice', color: '#2f80ed' })
	const rssBefore = residentBytes(server.child.pid as number)
	const attacker = RawSocket.to(server.wsUrl, room.room, room.tokens.viewer)
	await attacker.opened
	for (let i = 0; i < 100 && !attacker.closed; i++) attacker.send(flood(1_000_000 + i * 1000, 1000))
	const closed = await attacker.waitClosed()
	expect(closed.code).toBe(4400)

	const newcomer = RawSocket.to(server.wsUrl, room.room, room.tokens.viewer)
	await newcomer.opened
	await waitFor(() => newcomer.messages.some((m) => m[0] === 1), { what: 'the presence list' })
	const presence = newcomer.messages.filter((m) => m[0] === 1)
	expect(presence.reduce((sum, m) => sum + m.length, 0)).toBeLessThan(64 * 1024)
	expect(Buffer.concat(presence).toString()).toContain('Alice')
	expect(Buffer.concat(presence).toString()).not.toContain('ghost')
	expect(residentBytes(server.child.pid as number) - rssBefore).toBeLessThan(64 * 1024 * 1024)
	newcomer.close()
	// The honest client's presence is unaffected.
	expect(honest.provider.wsconnected).toBe(true)
})
