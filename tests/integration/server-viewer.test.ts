import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { applyReceived, RawSocket, stockClient, synced, syncStep1Frame, syncStep2Frame, updateFrame, type StockClient } from '../support/syncClient'

let server: ServerProcess
let room: CreatedRoom
const clients: StockClient[] = []

beforeAll(async () => {
	server = await ServerProcess.start()
	room = await server.createRoom('Viewer')
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	await server?.stop()
})

test('a viewer receives everything but its document updates are neither applied nor relayed', async () => {
	const writer = stockClient(server.wsUrl, room.room, room.tokens.participant)
	const viewer = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	clients.push(writer, viewer)
	await Promise.all([synced(writer), synced(viewer)])

	writer.doc.getMap('records').set('from-writer', 1)
	await waitFor(() => viewer.doc.getMap('records').get('from-writer') === 1, { what: 'the viewer to receive' })

	const dropped = await server.metric('maillage_viewer_writes_dropped_total')
	viewer.doc.getMap('records').set('from-viewer', 'should not spread')
	await waitFor(async () => (await server.metric('maillage_viewer_writes_dropped_total')) > dropped, { what: 'the write to be dropped' })

	// A later writer edit still reaches both, and nobody else ever sees the viewer's key.
	writer.doc.getMap('records').set('after', 2)
	await waitFor(() => viewer.doc.getMap('records').get('after') === 2, { what: 'the viewer to receive the next edit' })
	const late = stockClient(server.wsUrl, room.room, room.tokens.facilitator)
	clients.push(late)
	await synced(late)
	expect(late.doc.getMap('records').get('after')).toBe(2)
	expect(late.doc.getMap('records').has('from-viewer')).toBe(false)
	expect(writer.doc.getMap('records').has('from-viewer')).toBe(false)
	// The viewer stays connected: dropping its writes is not an error.
	expect(viewer.provider.wsconnected).toBe(true)
})

test('a viewer cannot write through sync step 2 either (hand-built frames)', async () => {
	const socket = RawSocket.to(server.wsUrl, room.room, room.tokens.viewer)
	await socket.opened
	const forged = new Y.Doc()
	forged.getMap('records').set('forged', true)
	const update = Y.encodeStateAsUpdate(forged)
	// Sync step 2 (type 1) and update (type 2) carrying the same content.
	socket.send(syncStep2Frame(update))
	socket.send(updateFrame(update))
	// Then ask for the server state: it must not contain the forged key.
	socket.send(syncStep1Frame(new Y.Doc()))
	const view = new Y.Doc()
	await waitFor(
		() => {
			applyReceived(view, socket.messages)
			return view.getMap('records').get('after') === 2
		},
		{ what: 'the server state' },
	)
	expect(view.getMap('records').has('forged')).toBe(false)
	expect(socket.closed).toBeUndefined()
	socket.close()
})
