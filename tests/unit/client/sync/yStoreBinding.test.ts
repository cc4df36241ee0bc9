import 'fake-indexeddb/auto'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'
import { setupWSConnection } from '@y/websocket-server/utils'
import type { TLRecord } from 'tldraw'
import { organisationSchema } from '../../../../shared/model'
import { organisationToShape } from '../../../../shared/projection'
import { connectRoom, type ConnectionState, type RoomConnection } from '../../../../client/sync/roomConnection'
import { bindStoreToDoc } from '../../../../client/sync/yStoreBinding'
import { headlessStore } from '../../../support/syncNetwork'

/**
 * A stand-in for the Maillage server's sync endpoint: stock y-websocket protocol, token
 * "bad" refused with 4401, room "broken" refused with 4503 (room could not be loaded).
 */
function startSyncServer(port = 0): Promise<{ server: Server; url: string; connections: Map<string, number> }> {
	const connections = new Map<string, number>()
	const count = (room: string) => connections.set(room, (connections.get(room) ?? 0) + 1)
	const refusedToken = (token: string | null | undefined) => token === 'refused' || token === 'Bearer refused'
	// The room API, which the client asks when the socket fails without a reason.
	const server = createServer((req, res) => {
		res.statusCode = refusedToken(req.headers.authorization) ? 401 : 200
		res.end('{}')
	})
	const wss = new WebSocketServer({
		server,
		// As the Maillage server does: a wrong token is refused at the upgrade, with a bare HTTP 401.
		verifyClient: ({ req }, done) => {
			const url = new URL(req.url ?? '/', 'http://localhost')
			if (!refusedToken(url.searchParams.get('token'))) return done(true)
			count(url.pathname.replace(/^\/sync\//, ''))
			done(false, 401)
		},
	})
	wss.on('connection', (conn, req) => {
		const url = new URL(req.url ?? '/', 'http://localhost')
		const room = url.pathname.replace(/^\/sync\//, '')
		count(room)
		if (url.searchParams.get('token') === 'bad') return conn.close(4401, 'token rotated')
		if (room === 'broken') return conn.close(4503, 'room could not be loaded')
		setupWSConnection(conn, req, { docName: room })
	})
	return new Promise((resolve) =>
		server.listen(port, '127.0.0.1', () => {
			const { port: actual } = server.address() as AddressInfo
			resolve({ server, url: `ws://127.0.0.1:${actual}/sync`, connections })
		}),
	)
}

function stopServer(server: Server) {
	server.closeAllConnections()
	return new Promise<void>((resolve) => server.close(() => resolve()))
}

const open: RoomConnection[] = []
function join(url: string, roomId: string, token = 'good', persist = false) {
	const connection = connectRoom({
		roomId,
		token,
		serverUrl: url,
		persist,
		shareAcrossTabs: false,
		probeUrl: `${url.replace(/^ws/, 'http').replace(/\/sync$/, '')}/api/rooms/${roomId}`,
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
	})
	open.push(connection)
	return connection
}

function until(connection: RoomConnection, predicate: (s: ConnectionState) => boolean, timeoutMs = 5000): Promise<ConnectionState> {
	return new Promise((resolve, reject) => {
		if (predicate(connection.getState())) return resolve(connection.getState())
		const timer = setTimeout(() => reject(new Error(`timed out in state ${JSON.stringify(connection.getState())}`)), timeoutMs)
		const stop = connection.subscribe((s) => {
			if (!predicate(s)) return
			clearTimeout(timer)
			stop()
			resolve(s)
		})
	})
}

async function eventually(check: () => void, timeoutMs = 5000) {
	const start = Date.now()
	for (;;) {
		try {
			return check()
		} catch (e) {
			if (Date.now() - start > timeoutMs) throw e
			await new Promise((r) => setTimeout(r, 20))
		}
	}
}

const organisation = (id: string, name: string) =>
	organisationToShape(organisationSchema.parse({ id, name }), { x: 0, y: 0, w: 200, h: 96 }, 'a2' as never)

let sync: Awaited<ReturnType<typeof startSyncServer>>
beforeAll(async () => {
	sync = await startSyncServer()
})
afterAll(() => stopServer(sync.server))
afterEach(() => {
	for (const c of open.splice(0)) c.destroy()
})

describe('room connection over y-websocket', () => {
	test('two clients sync through the server, with one page, and report connected', async () => {
		const a = join(sync.url, 'room-a')
		const b = join(sync.url, 'room-a')
		expect(a.getState().status).toBe('connecting')
		await Promise.all([a.whenReady, b.whenReady])
		expect(a.getState()).toMatchObject({ status: 'connected', ready: true })
		const storeA = headlessStore()
		const storeB = headlessStore()
		const bindings = [bindStoreToDoc(storeA, a.doc), bindStoreToDoc(storeB, b.doc)]
		storeA.put([organisation('x', 'CPAS')])
		await eventually(() => expect(storeB.get('shape:x' as TLRecord['id'])).toMatchObject({ props: { name: 'CPAS' } }))
		for (const store of [storeA, storeB]) expect(store.allRecords().filter((r) => r.typeName === 'page').map((r) => r.id)).toEqual(['page:page'])
		for (const binding of bindings) binding.dispose()
	})

	test('a refused token is an error, not retried', async () => {
		const c = join(sync.url, 'room-b', 'bad')
		const state = await until(c, (s) => s.status === 'error')
		expect(state.error).toEqual({ code: 4401, reason: 'unauthorized', detail: 'token rotated' })
		await new Promise((r) => setTimeout(r, 800))
		expect(sync.connections.get('room-b')).toBe(1)
		expect(c.getState().status).toBe('error')
	})

	test('a token refused at the upgrade (which browsers cannot see) is found out through the API, and not retried', async () => {
		const c = join(sync.url, 'room-d', 'refused')
		const state = await until(c, (s) => s.status === 'error')
		expect(state.error).toEqual({ code: 4401, reason: 'unauthorized', detail: 'HTTP 401' })
		const attempts = sync.connections.get('room-d')
		await new Promise((r) => setTimeout(r, 800))
		expect(sync.connections.get('room-d')).toBe(attempts)
		expect(c.getState().status).toBe('error')
	})

	test('a room the server cannot load is an error, retried', async () => {
		const c = join(sync.url, 'broken')
		const state = await until(c, (s) => s.status === 'error')
		expect(state.error).toEqual({ code: 4503, reason: 'room unavailable', detail: 'room could not be loaded' })
		await eventually(() => expect(sync.connections.get('broken')).toBeGreaterThan(1), 3000)
	})

	test('offline edits are kept in IndexedDB and merged on reconnect', async () => {
		// Nothing listens there yet.
		const down = await startSyncServer()
		const url = down.url
		const port = Number(new URL(url).port)
		await stopServer(down.server)

		const offline = join(url, 'room-c', 'good', true)
		await until(offline, (s) => s.ready)
		const offlineStore = headlessStore()
		const binding = bindStoreToDoc(offlineStore, offline.doc)
		offlineStore.put([organisation('o', 'Written offline')])
		await until(offline, (s) => s.status === 'offline', 8000)
		binding.dispose()
		// Let y-indexeddb write, then close the tab.
		await new Promise((r) => setTimeout(r, 100))
		offline.destroy()

		const back = await startSyncServer(port)
		try {
			const reopened = join(url, 'room-c', 'good', true)
			await until(reopened, (s) => s.status === 'connected')
			const other = join(url, 'room-c')
			await other.whenReady
			const otherStore = headlessStore()
			const otherBinding = bindStoreToDoc(otherStore, other.doc)
			await eventually(() => expect(otherStore.get('shape:o' as TLRecord['id'])).toMatchObject({ props: { name: 'Written offline' } }))
			otherBinding.dispose()
		} finally {
			for (const c of open.splice(0)) c.destroy()
			await stopServer(back.server)
		}
	})
})
