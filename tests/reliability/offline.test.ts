import 'fake-indexeddb/auto'
import { afterAll, expect, test } from 'vitest'
import WebSocket from 'ws'
import type { TLRecord } from 'tldraw'
import { organisationSchema } from '../../shared/model'
import { organisationToShape } from '../../shared/projection'
import { connectRoom, type RoomConnection } from '../../client/sync/roomConnection'
import { bindStoreToDoc } from '../../client/sync/yStoreBinding'
import { headlessStore } from '../support/syncNetwork'
import { Cable } from '../support/cable'
import { ServerProcess, waitFor } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'

/**
 * Offline, against the real server (tests/unit/client/sync/yStoreBinding.test.ts covers the client alone
 * against a stand-in): a client loses its network, edits, closes its tab while still offline,
 * and meanwhile another participant edits too. Reopened once the network is back, the room
 * holds both sides' edits: the offline ones from IndexedDB (y-indexeddb), the others' from the
 * server, on the server as well as in both clients. tests/e2e/offline.test.ts does the same in
 * Chromium.
 */

let server: ServerProcess | undefined
let cable: Cable | undefined
const connections: RoomConnection[] = []
const clients: StockClient[] = []
afterAll(async () => {
	for (const c of connections) c.destroy()
	for (const c of clients) c.destroy()
	await cable?.close()
	await server?.stop()
})

const organisation = (id: string, name: string, x = 0) =>
	organisationToShape(organisationSchema.parse({ id, name }), { x, y: 0, w: 200, h: 96 }, `a${id.length}` as never)
const shapeId = (id: string) => `shape:${id}` as TLRecord['id']

test('edits made offline survive a closed tab and merge with the others’ edits once back online', async () => {
	server = await ServerProcess.start()
	const room = await server.createRoom('Offline')
	cable = new Cable(server.port)
	const port = await cable.listen()
	const open = () => {
		const connection = connectRoom({
			roomId: room.room,
			token: room.tokens.participant,
			serverUrl: `ws://127.0.0.1:${port}/sync`,
			probeUrl: false,
			shareAcrossTabs: false,
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		})
		connections.push(connection)
		return connection
	}

	const other = stockClient(server.wsUrl, room.room, room.tokens.facilitator)
	clients.push(other)
	await synced(other)
	const first = open()
	await first.whenReady
	const store = headlessStore()
	const binding = bindStoreToDoc(store, first.doc)
	store.put([organisation('cpas', 'CPAS')])
	await waitFor(() => other.doc.getMap('records').has('shape:cpas'), { what: 'the first edit to reach the other client' })

	// The cable is pulled: the client edits offline; the other participant edits meanwhile.
	cable.set('down')
	await waitFor(() => first.getState().status !== 'connected', { what: 'the client to notice' })
	store.put([organisation('forem', 'Forem (offline)', 300)])
	store.update(shapeId('cpas'), (shape) => ({ ...shape, x: 42 }))
	const otherStore = headlessStore()
	const otherBinding = bindStoreToDoc(otherStore, other.doc)
	otherStore.put([organisation('pcs', 'PCS (online)', 600)])
	const cpas = otherStore.get(shapeId('cpas')) as ReturnType<typeof organisation>
	otherStore.put([{ ...cpas, props: { ...cpas.props, name: 'CPAS de Chimay' } }])
	await waitFor(async () => {
		const res = await server?.api(`/api/rooms/${room.room}/export?format=json`, { token: room.tokens.viewer })
		return ((await res?.json()) as { organisations: { id: string }[] }).organisations.some((o) => o.id === 'pcs')
	}, { what: 'the online edit on the server' })

	// The tab is closed while still offline; y-indexeddb has the offline edits.
	binding.dispose()
	await new Promise((r) => setTimeout(r, 200))
	first.destroy()

	cable.set('up')
	const reopened = open()
	await waitFor(() => reopened.getState().status === 'connected', { what: 'the reopened tab to connect' })
	const reopenedStore = headlessStore()
	const reopenedBinding = bindStoreToDoc(reopenedStore, reopened.doc)
	await waitFor(() => reopenedStore.has(shapeId('pcs')) && otherStore.has(shapeId('forem')), { what: 'both sides to merge' })
	await waitFor(() => (otherStore.get(shapeId('cpas')) as { x: number }).x === 42, { what: 'the offline move to arrive' })

	const res = await server.api(`/api/rooms/${room.room}/export?format=json`, { token: room.tokens.viewer })
	const exported = (await res.json()) as { organisations: { id: string; name: string }[]; layout: Record<string, { x: number }> }
	expect(exported.organisations.map((o) => o.id).sort()).toEqual(['cpas', 'forem', 'pcs'])
	// Both edits of the same organisation survive: different fields, both kept.
	expect(exported.organisations.find((o) => o.id === 'cpas')?.name).toBe('CPAS de Chimay')
	expect(exported.layout.cpas?.x).toBe(42)
	expect((reopenedStore.get(shapeId('cpas')) as ReturnType<typeof organisation>).props.name).toBe('CPAS de Chimay')
	reopenedBinding.dispose()
	otherBinding.dispose()
})
