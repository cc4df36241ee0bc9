import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { exportMap } from '../../shared/formats'
import { randomMap } from '../support/randomMap'
import { ServerProcess } from '../support/server'
import { RawSocket, stockClient, synced, upgradeStatus } from '../support/syncClient'

/**
 * Room ids and other URL parts never reach the file system; tokens never reach the logs (the
 * admin token, when generated, only on its one start-up line), whatever a client sends.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const servers: ServerProcess[] = []
afterAll(async () => {
	for (const s of servers) await s.stop()
})

/** Hostile room ids and path parts, raw (sent as they are, not re-encoded). */
const hostile = [
	'..',
	'.',
	'..%2F..%2F..%2Fetc%2Fpasswd',
	'%2e%2e%2f%2e%2e%2fpackage.json',
	'..%5C..%5Cwindows',
	'%00',
	'a%00b',
	'CON',
	'%2Ftmp%2Fevil',
	'x'.repeat(5000),
	'%E2%80%AE%F0%9F%98%80',
	'room%20with%20space',
	'maillage.sqlite',
	'admin-token',
]

function listing(dir: string): string[] {
	return readdirSync(dir).sort()
}

test('hostile room ids on every route: refused before any storage, nothing created on disk', async () => {
	const server = await ServerProcess.start()
	servers.push(server)
	const room = await server.createRoom('Paths')
	const dataBefore = listing(server.dataDir)
	const repoBefore = listing(repoRoot)
	const parentBefore = listing(path.dirname(server.dataDir)).filter((f) => f.startsWith('maillage-test-') === false)
	const token = room.tokens.facilitator
	for (const id of hostile) {
		for (const [method, suffix] of [['GET', ''], ['GET', '/export?format=json'], ['GET', '/issues'], ['POST', '/import?format=json'], ['POST', '/tokens/rotate']] as const) {
			const res = await fetch(`${server.url}/api/rooms/${id}${suffix}`, { method, headers: { authorization: `Bearer ${token}` }, body: method === 'POST' ? '{}' : undefined })
			expect([400, 403, 404, 405, 413], `${method} ${id}${suffix}`).toContain(res.status)
			await res.arrayBuffer()
		}
		const status = await upgradeStatus(server.wsUrl, id, token)
		expect([400, 403, 404], `/sync/${id}`).toContain(status)
		const page = await fetch(`${server.url}/${id}`)
		expect((await page.text()).includes('"name": "maillage"'), `/${id}`).toBe(false)
	}
	// What DATA_DIR held before (the database, its WAL) and nothing more; nothing next to it nor in the repository.
	expect(listing(server.dataDir)).toEqual(dataBefore)
	expect(listing(repoRoot)).toEqual(repoBefore)
	expect(listing(path.dirname(server.dataDir)).filter((f) => f.startsWith('maillage-test-') === false)).toEqual(parentBefore)
	// And every refused try left the room alone: its tokens still work.
	expect((await server.api(`/api/rooms/${room.room}`, { token })).status).toBe(200)
})

test('no token in the logs, whatever happens; a generated admin token on its start-up line only', async () => {
	// Debug level: every log line the server can write is written.
	const server = await ServerProcess.start({ env: { MAILLAGE_ADMIN_TOKEN: undefined, LOG_LEVEL: 'debug' } })
	servers.push(server)
	const admin = /\/admin#token=([A-Za-z0-9_-]{43})/.exec(server.stdout.join('\n'))?.[1] as string
	expect(admin).toBeDefined()
	expect(statSync(path.join(server.dataDir, 'admin-token')).mode & 0o777).toBe(0o600)
	const created = await server.api('/api/rooms', { token: admin, body: { title: 'Secrets' } })
	const room = (await created.json()) as { room: string; tokens: Record<string, string> }
	const secrets = [admin, ...Object.values(room.tokens)]
	const bogus = ['bogus-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'Zm9yZ2VkLXRva2VuLW5vYm9keS1pc3N1ZWQtdGhpcy0y']

	// Everything a client can do, right and wrong, with tokens in every place one could put them.
	const rotated = await server.api(`/api/rooms/${room.room}/tokens/rotate`, { token: room.tokens.facilitator, body: { roles: ['viewer'] } })
	const fresh = ((await rotated.json()) as { tokens: { viewer: string } }).tokens.viewer
	secrets.push(fresh)
	const viewerClient = stockClient(server.wsUrl, room.room, fresh)
	const writer = stockClient(server.wsUrl, room.room, room.tokens.participant as string)
	await Promise.all([synced(viewerClient), synced(writer)])
	writer.doc.getMap('records').set('x', 1)
	await server.api(`/api/rooms/${room.room}/import?format=json`, { token: room.tokens.facilitator, raw: exportMap(randomMap(3), 'json').body })
	await server.api(`/api/rooms/${room.room}/import?format=json`, { token: room.tokens.facilitator, raw: '{broken' })
	for (const format of ['json', 'csv', 'graphml', 'gexf']) await server.api(`/api/rooms/${room.room}/export?format=${format}`, { token: room.tokens.viewer })
	for (const t of [...secrets, ...bogus]) {
		await fetch(`${server.url}/api/rooms/${room.room}?token=${t}`)
		await fetch(`${server.url}/api/rooms/${room.room}/export`, { headers: { authorization: `Bearer ${t}`, cookie: `token=${t}` } })
		await fetch(`${server.url}/room/${room.room}?token=${t}`)
		await upgradeStatus(server.wsUrl, room.room, t)
	}
	const bad = RawSocket.to(server.wsUrl, room.room, room.tokens.participant)
	await bad.opened
	bad.send(new Uint8Array([0xff, 0xff]))
	await bad.waitClosed()
	viewerClient.destroy()
	writer.destroy()
	expect((await server.kill('SIGTERM')).code).toBe(0)

	const output = [...server.stdout, ...server.stderr]
	expect(output.length).toBeGreaterThan(20)
	for (const secret of [...secrets, ...bogus]) {
		const lines = output.filter((line) => line.includes(secret))
		expect(lines, `a token in ${lines.length} log lines`).toEqual(secret === admin ? [expect.stringContaining('/admin#token=')] : [])
	}
})
