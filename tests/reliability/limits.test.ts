import { request } from 'node:http'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { RawSocket, stockClient, synced, updateFrame } from '../support/syncClient'

/**
 * Limits hold under pressure and refuse with a clear code that a client can read: bodies
 * streamed without a length, bodies far over the limit, huge headers, oversize WebSocket
 * messages, and connections arriving all at once beyond the per-room and per-process caps.
 */

const LIMITS = { MAX_MESSAGE_BYTES: String(32 * 1024), MAX_JSON_BODY_BYTES: '2048', MAX_IMPORT_BYTES: '8192', MAX_CONNECTIONS_PER_ROOM: '5', MAX_CONNECTIONS: '8' }
let server: ServerProcess
let room: CreatedRoom

beforeAll(async () => {
	server = await ServerProcess.start({ env: LIMITS })
	room = await server.createRoom('Limits')
})
afterAll(async () => {
	await server?.stop()
})

/** A POST whose body is streamed in chunks (no Content-Length); the status and body the client reads. */
function streamedPost(path: string, token: string, chunks: number, chunkSize: number): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' } }, (res) => {
			let body = ''
			res.on('data', (c: Buffer) => (body += c.toString()))
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
		})
		req.on('error', reject)
		let sent = 0
		const pump = () => {
			while (sent < chunks) {
				sent++
				if (!req.write('x'.repeat(chunkSize))) return void req.once('drain', pump)
			}
			req.end()
		}
		pump()
	})
}

test('a body streamed without Content-Length over the limit: 413 the client can read', async () => {
	const json = await streamedPost('/api/rooms', server.adminToken as string, 10, 1024)
	expect(json.status).toBe(413)
	expect(JSON.parse(json.body)).toMatchObject({ error: { code: 'body_too_large' } })
	const imported = await streamedPost(`/api/rooms/${room.room}/import?format=json`, room.tokens.facilitator, 40, 1024)
	expect(imported.status).toBe(413)
})

test('a body far over the limit is cut off, not read forever; the server goes on', async () => {
	// 64 MiB against an 8 KiB limit: the server stops reading well before the end.
	const outcome = await streamedPost(`/api/rooms/${room.room}/import?format=json`, room.tokens.facilitator, 1024, 64 * 1024).then(
		(r) => r.status,
		(e: NodeJS.ErrnoException) => e.code,
	)
	expect([413, 'ECONNRESET', 'EPIPE']).toContain(outcome)
	expect((await fetch(`${server.url}/healthz`)).ok).toBe(true)
})

test('huge request headers: 431, the server goes on', async () => {
	const res = await fetch(`${server.url}/api/rooms/${room.room}`, { headers: { authorization: `Bearer ${room.tokens.viewer}`, 'x-junk': 'j'.repeat(64 * 1024) } }).then(
		(r) => r.status,
		() => 'reset',
	)
	expect([431, 'reset']).toContain(res)
	expect((await server.api(`/api/rooms/${room.room}`, { token: room.tokens.viewer })).status).toBe(200)
})

test('a WebSocket message over MAX_MESSAGE_BYTES: 1009, nothing of it applied', async () => {
	const socket = RawSocket.to(server.wsUrl, room.room, room.tokens.participant)
	await socket.opened
	const doc = new Y.Doc()
	doc.getMap('records').set('huge', 'h'.repeat(40 * 1024))
	socket.send(updateFrame(Y.encodeStateAsUpdate(doc)))
	expect((await socket.waitClosed()).code).toBe(1009)
	const reader = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	await synced(reader)
	expect(reader.doc.getMap('records').has('huge')).toBe(false)
	reader.destroy()
	await waitFor(async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { connections: number }).connections === 0, { what: 'the sockets to close' })
})

test('8 connections at once into one room capped at 5 (the process takes 8): exactly 5 in, 3 refused with 4429', async () => {
	const sockets = Array.from({ length: 8 }, () => RawSocket.to(server.wsUrl, room.room, room.tokens.viewer))
	await Promise.all(sockets.map((s) => s.opened.catch(() => undefined)))
	await waitFor(() => sockets.every((s) => s.closed || s.messages.length > 0), { what: 'every socket to be admitted or refused' })
	await new Promise((r) => setTimeout(r, 200))
	const admitted = sockets.filter((s) => !s.closed)
	const refused = sockets.filter((s) => s.closed).map((s) => s.closed)
	expect(admitted).toHaveLength(5)
	expect(refused).toEqual(refused.map(() => ({ code: 4429, reason: 'room is full' })))
	for (const s of sockets) s.close()
	await waitFor(async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { connections: number }).connections === 0, { what: 'the sockets to close' })
})

test('20 upgrades at once into a process capped at 8: at most 8 connections, the others 503', async () => {
	const rooms = await Promise.all([server.createRoom('A'), server.createRoom('B'), server.createRoom('C'), server.createRoom('D')])
	const sockets = Array.from({ length: 20 }, (_, i) => {
		const r = rooms[i % rooms.length] as CreatedRoom
		return RawSocket.to(server.wsUrl, r.room, r.tokens.viewer)
	})
	await Promise.all(sockets.map((s) => s.opened.catch(() => undefined)))
	const open = sockets.filter((s) => s.ws.readyState === s.ws.OPEN)
	const statuses = sockets.filter((s) => s.unexpectedStatus !== undefined).map((s) => s.unexpectedStatus)
	const connections = ((await (await fetch(`${server.url}/healthz`)).json()) as { connections: number }).connections
	expect(connections).toBeLessThanOrEqual(8)
	expect(open.length).toBeLessThanOrEqual(8)
	expect(statuses).toEqual(statuses.map(() => 503))
	expect(open.length + statuses.length).toBe(20)
	for (const s of sockets) s.close()
})
