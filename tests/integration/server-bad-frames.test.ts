import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { frame, RawSocket, stockClient, synced, updateFrame, type StockClient } from '../support/syncClient'

let server: ServerProcess
let room: CreatedRoom
let a: StockClient
let b: StockClient

beforeAll(async () => {
	server = await ServerProcess.start()
	room = await server.createRoom('Bad frames')
	a = stockClient(server.wsUrl, room.room, room.tokens.participant)
	b = stockClient(server.wsUrl, room.room, room.tokens.participant)
	await Promise.all([synced(a), synced(b)])
})
afterAll(async () => {
	a?.destroy()
	b?.destroy()
	await server?.stop()
})

function validUpdate(): Uint8Array {
	const doc = new Y.Doc()
	doc.getMap('records').set('k', 'v'.repeat(50))
	return Y.encodeStateAsUpdate(doc)
}

const badFrames: [string, Uint8Array | string][] = [
	['an empty frame', new Uint8Array([])],
	['an unknown message type', new Uint8Array([7, 1, 2, 3])],
	['an unknown sync message type', new Uint8Array([0, 9, 0])],
	['junk bytes', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
	['a sync message cut after its type', new Uint8Array([0])],
	['a truncated update', updateFrame(validUpdate()).slice(0, 20)],
	['an update whose length prefix lies', frame((e) => {
		encoding.writeVarUint(e, 0)
		encoding.writeVarUint(e, 2)
		encoding.writeVarUint(e, 10_000)
		encoding.writeUint8Array(e, new Uint8Array(10))
	})],
	['a well-framed update with junk content', updateFrame(new Uint8Array([1, 1, 200, 3, 4, 5, 6, 7, 8, 9]))],
	['a truncated state vector', new Uint8Array([0, 0, 5, 1, 2])],
	['an awareness update with junk JSON', frame((e) => {
		encoding.writeVarUint(e, 1)
		encoding.writeVarUint8Array(e, frame((inner) => {
			encoding.writeVarUint(inner, 1)
			encoding.writeVarUint(inner, 12345)
			encoding.writeVarUint(inner, 1)
			encoding.writeVarString(inner, '{not json')
		}))
	})],
	['a text frame', 'hello'],
]

test.each(badFrames)('%s closes that connection only (4400), the room goes on', async (_name, bad) => {
	const before = await server.metric('maillage_rejected_frames_total', { reason: 'malformed' })
	const socket = RawSocket.to(server.wsUrl, room.room, room.tokens.participant)
	await socket.opened
	socket.send(bad)
	const closed = await socket.waitClosed()
	expect(closed.code).toBe(4400)
	expect(await server.metric('maillage_rejected_frames_total', { reason: 'malformed' })).toBe(before + 1)

	// The stock clients are untouched and still converge.
	const key = `after-${before}`
	a.doc.getMap('records').set(key, true)
	await waitFor(() => b.doc.getMap('records').get(key) === true, { what: 'b to receive after the bad frame' })
	expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true)
})

test('nothing of a rejected update reaches the document', async () => {
	const late = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	await synced(late)
	expect([...late.doc.getMap('records').keys()].every((k) => k.startsWith('after-'))).toBe(true)
	late.destroy()
	expect((await fetch(`${server.url}/healthz`)).ok).toBe(true)
})
