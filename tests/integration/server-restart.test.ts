import { expect, test } from 'vitest'
import { stopAfterEach } from '../support/cleanup'
import { ServerProcess, waitFor } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'

const { servers, clients } = stopAfterEach()

const keysOf = (c: StockClient) => new Set(c.doc.getMap('records').keys())

test('after SIGKILL mid-burst, a restart on the same DATA_DIR has every edit a peer had received', async () => {
	const first = await ServerProcess.start()
	servers.push(first)
	const room = await first.createRoom('Durability')
	const writer = stockClient(first.wsUrl, room.room, room.tokens.participant)
	const peer = stockClient(first.wsUrl, room.room, room.tokens.viewer)
	clients.push(writer, peer)
	await Promise.all([synced(writer), synced(peer)])

	// Edits keep flowing, in bursts (several frames per event-loop turn) and one by one.
	let n = 0
	const writing = setInterval(() => {
		for (let i = 0; i < 5; i++) writer.doc.getMap('records').set(`k${n++}`, n)
	}, 2)
	await waitFor(() => peer.doc.getMap('records').size >= 200, { what: 'the peer to receive 200 edits' })
	const killed = await first.kill('SIGKILL')
	clearInterval(writing)
	expect(killed.signal).toBe('SIGKILL')

	// What the peer holds now is all it ever received from the dead server.
	const seen = keysOf(peer)
	expect(seen.size).toBeGreaterThanOrEqual(200)
	writer.provider.disconnect()
	peer.provider.disconnect()

	const second = await first.restart()
	servers.push(second)
	const reader = stockClient(second.wsUrl, room.room, room.tokens.viewer)
	clients.push(reader)
	await synced(reader)
	const stored = keysOf(reader)
	const lost = [...seen].filter((k) => !stored.has(k))
	expect(lost).toEqual([])

	// And the writer, reconnecting, brings back what no peer had seen yet.
	writer.provider.connect()
	await waitFor(() => reader.doc.getMap('records').size === writer.doc.getMap('records').size, { what: 'the writer to resync' })
})

test('tokens and rooms survive a SIGKILL too', async () => {
	const first = await ServerProcess.start()
	servers.push(first)
	const room = await first.createRoom('Metadata')
	await first.kill('SIGKILL')
	const second = await first.restart()
	servers.push(second)
	const res = await second.api(`/api/rooms/${room.room}`, { token: room.tokens.participant })
	expect(await res.json()).toMatchObject({ room: room.room, title: 'Metadata', role: 'participant' })
})
