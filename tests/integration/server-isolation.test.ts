import { afterAll, beforeAll, expect, test } from 'vitest'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'

let server: ServerProcess
let rooms: CreatedRoom[]
const clients: StockClient[] = []

beforeAll(async () => {
	server = await ServerProcess.start()
	rooms = await Promise.all([0, 1, 2].map((i) => server.createRoom(`Room ${i}`)))
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	await server?.stop()
})

test('concurrent rooms never see each other’s edits or presence', async () => {
	const pairs = rooms.map((r) => {
		const a = stockClient(server.wsUrl, r.room, r.tokens.participant)
		const b = stockClient(server.wsUrl, r.room, r.tokens.participant)
		clients.push(a, b)
		return { room: r, a, b }
	})
	await Promise.all(pairs.flatMap((p) => [synced(p.a), synced(p.b)]))
	pairs.forEach((p, i) => {
		for (let k = 0; k < 10; k++) p.a.doc.getMap('records').set(`room${i}-${k}`, i)
		p.a.provider.awareness.setLocalStateField('user', { name: `user of ${i}` })
	})
	for (const [i, p] of pairs.entries()) {
		await waitFor(() => p.b.doc.getMap('records').size === 10, { what: `room ${i} to converge` })
		await waitFor(() => p.b.provider.awareness.getStates().has(p.a.doc.clientID), { what: `presence in room ${i}` })
	}
	for (const [i, p] of pairs.entries()) {
		expect([...p.b.doc.getMap('records').keys()].every((k) => k.startsWith(`room${i}-`))).toBe(true)
		const others = pairs.filter((q) => q !== p).map((q) => q.a.doc.clientID)
		expect(others.some((id) => p.b.provider.awareness.getStates().has(id))).toBe(false)
	}
	expect(await server.metric('maillage_rooms_loaded')).toBe(3)
	expect(await server.metric('maillage_connections', { role: 'participant' })).toBe(6)
})
