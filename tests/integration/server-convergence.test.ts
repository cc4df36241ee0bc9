import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'

let server: ServerProcess
let room: CreatedRoom
const clients: StockClient[] = []

beforeAll(async () => {
	server = await ServerProcess.start()
	room = await server.createRoom('Convergence')
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	await server?.stop()
})

const client = (token: string) => {
	const c = stockClient(server.wsUrl, room.room, token)
	clients.push(c)
	return c
}

test('two stock participants converge, including concurrent edits of one map', async () => {
	const a = client(room.tokens.participant)
	const b = client(room.tokens.facilitator)
	await Promise.all([synced(a), synced(b)])

	a.doc.getMap('records').set('shape:a', 'from a')
	await waitFor(() => b.doc.getMap('records').get('shape:a') === 'from a', { what: 'b to receive a' })

	// Concurrent: both write before seeing each other.
	a.doc.transact(() => {
		for (let i = 0; i < 20; i++) a.doc.getMap('records').set(`a${i}`, i)
	})
	b.doc.transact(() => {
		for (let i = 0; i < 20; i++) b.doc.getMap('records').set(`b${i}`, i)
		b.doc.getArray('list').push(['b'])
	})
	a.doc.getArray('list').push(['a'])

	await waitFor(() => a.doc.getMap('records').size === 41 && b.doc.getMap('records').size === 41, { what: 'both to hold 41 keys' })
	await waitFor(() => Y.encodeStateVector(a.doc).toString() === Y.encodeStateVector(b.doc).toString(), { what: 'equal state vectors' })
	expect(a.doc.getMap('records').toJSON()).toEqual(b.doc.getMap('records').toJSON())
	expect(a.doc.getArray('list').toJSON()).toEqual(b.doc.getArray('list').toJSON())
	expect(a.doc.getArray('list').length).toBe(2)
})

test('a client joining later receives the whole document', async () => {
	const late = client(room.tokens.viewer)
	await synced(late)
	expect(late.doc.getMap('records').get('shape:a')).toBe('from a')
	expect(late.doc.getMap('records').size).toBe(41)
})

test('awareness flows between clients and disappears when a client leaves', async () => {
	const a = client(room.tokens.participant)
	const b = client(room.tokens.viewer)
	await Promise.all([synced(a), synced(b)])
	a.provider.awareness.setLocalStateField('user', { name: 'Alice', colour: '#f00' })
	b.provider.awareness.setLocalStateField('user', { name: 'Projector' })
	await waitFor(() => (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } })?.user?.name === 'Alice', {
		what: 'b to see a',
	})
	// The viewer's presence is relayed too (the projector shows who is there).
	await waitFor(() => (a.provider.awareness.getStates().get(b.doc.clientID) as { user?: { name: string } })?.user?.name === 'Projector', {
		what: 'a to see b',
	})
	const aId = a.doc.clientID
	a.destroy()
	clients.splice(clients.indexOf(a), 1)
	await waitFor(() => !b.provider.awareness.getStates().has(aId), { what: 'a to leave b’s awareness' })
})
