import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readMetric, ServerProcess, tempDataDir, waitFor } from '../support/server'
import { RawSocket, stockClient, synced } from '../support/syncClient'

let server: ServerProcess
let dist: string

beforeAll(async () => {
	dist = mkdtempSync(path.join(tmpdir(), 'maillage-dist-'))
	mkdirSync(path.join(dist, 'assets'))
	writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Maillage test client</title>')
	writeFileSync(path.join(dist, 'assets/index-abc123.js'), 'console.log(1)')
	writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>')
	server = await ServerProcess.start({ env: { CLIENT_DIST: dist } })
})
afterAll(async () => {
	await server?.stop()
	rmSync(dist, { recursive: true, force: true })
})

describe('health and metrics', () => {
	test('GET /healthz', async () => {
		const res = await fetch(`${server.url}/healthz`)
		expect(res.status).toBe(200)
		expect(await res.json()).toMatchObject({ ok: true })
	})

	test('GET /metrics counts connections, rooms, messages, bytes, persistence latency, memory', async () => {
		const room = await server.createRoom('Metrics')
		const c = stockClient(server.wsUrl, room.room, room.tokens.participant)
		await synced(c)
		c.doc.getMap('records').set('a', 1)
		const res = await fetch(`${server.url}/metrics`)
		expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
		const text = await res.text()
		expect(readMetric(text, 'maillage_connections', { role: 'participant' })).toBe(1)
		expect(readMetric(text, 'maillage_rooms_loaded')).toBe(1)
		expect(readMetric(text, 'maillage_messages_total', { direction: 'in' })).toBeGreaterThan(0)
		expect(readMetric(text, 'maillage_messages_total', { direction: 'out' })).toBeGreaterThan(0)
		expect(readMetric(text, 'maillage_bytes_total', { direction: 'in' })).toBeGreaterThan(0)
		expect(readMetric(text, 'maillage_persistence_seconds_count', { operation: 'load' })).toBe(1)
		expect(readMetric(text, 'process_resident_memory_bytes')).toBeGreaterThan(0)
		expect(text).toContain('maillage_rejected_frames_total')
		// Totals, not what moved since the last scrape: a second scrape after more traffic counts more.
		const inBefore = readMetric(text, 'maillage_messages_total', { direction: 'in' })
		c.doc.getMap('records').set('b', 2)
		await waitFor(async () => readMetric(await (await fetch(`${server.url}/metrics`)).text(), 'maillage_messages_total', { direction: 'in' }) > inBefore, {
			what: 'the next message counted',
		})
		c.destroy()
	})
})

describe('serving the built client', () => {
	test('hashed assets are immutable, index.html is revalidated, client routes fall back to it', async () => {
		const asset = await fetch(`${server.url}/assets/index-abc123.js`)
		expect(asset.status).toBe(200)
		expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/)
		expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
		for (const route of ['/', '/room/abc', '/admin']) {
			const page = await fetch(`${server.url}${route}`)
			expect(page.status).toBe(200)
			expect(page.headers.get('cache-control')).toBe('no-cache')
			expect(await page.text()).toContain('Maillage test client')
		}
		expect((await fetch(`${server.url}/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml')
	})

	test('missing files are 404, never index.html; nothing outside the client is reachable', async () => {
		expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404)
		expect((await fetch(`${server.url}/nope.css`)).status).toBe(404)
		for (const probe of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json', '/%00', '/%E0%A4%A']) {
			const res = await fetch(`${server.url}${probe}`)
			expect([400, 404]).toContain(res.status)
			expect(await res.text()).not.toContain('"name": "maillage"')
		}
		expect((await fetch(`${server.url}/`, { method: 'DELETE' })).status).toBe(405)
		expect((await fetch(`${server.url}/api/nope`)).status).toBe(404)
		expect((await fetch(`${server.url}/sync/room`)).status).toBe(426)
	})

	test('every response carries the security headers', async () => {
		for (const route of ['/', '/healthz', '/api/rooms', '/assets/missing.js']) {
			const res = await fetch(`${server.url}${route}`)
			expect(res.headers.get('x-content-type-options')).toBe('nosniff')
			expect(res.headers.get('referrer-policy')).toBe('no-referrer')
			expect(res.headers.get('x-frame-options')).toBe('DENY')
			expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
		}
	})
})

describe('start-up', () => {
	test('without a built client, pages answer 503 with a hint; the API still works', async () => {
		const bare = await ServerProcess.start({ env: { CLIENT_DIST: path.join(dist, 'absent') } })
		try {
			const res = await fetch(`${bare.url}/room/x`)
			expect(res.status).toBe(503)
			expect(await res.text()).toContain('npm run build')
			expect((await fetch(`${bare.url}/healthz`)).ok).toBe(true)
		} finally {
			await bare.stop()
		}
	})

	test('without MAILLAGE_ADMIN_TOKEN a token is generated once, stored, and printed with the admin link', async () => {
		const dataDir = tempDataDir()
		const first = await ServerProcess.start({ dataDir, env: { MAILLAGE_ADMIN_TOKEN: undefined } })
		const line = () => first.stdout.find((l) => l.includes('/admin#token='))
		const token = /\/admin#token=([A-Za-z0-9_-]{43})/.exec(line() ?? '')?.[1]
		expect(token).toBeDefined()
		expect(line()).toContain(`http://127.0.0.1:${first.port}/admin#token=${token}`)
		// The token appears in that one line only.
		expect(first.stdout.filter((l) => l.includes(token!))).toHaveLength(1)
		const created = await first.api('/api/rooms', { token, body: { title: 'x' } })
		expect(created.status).toBe(201)
		await first.kill('SIGKILL')
		const second = await ServerProcess.start({ dataDir, port: first.port, env: { MAILLAGE_ADMIN_TOKEN: undefined } })
		try {
			expect((await second.api('/api/rooms', { token })).status).toBe(200)
		} finally {
			await second.stop()
		}
	})

	test('PUBLIC_URL is the base of the links handed out', async () => {
		const behindProxy = await ServerProcess.start({ env: { PUBLIC_URL: 'https://maillage.example.org/' } })
		try {
			const room = await behindProxy.createRoom('Links')
			expect(room.links.viewer).toBe(`https://maillage.example.org/room/${room.room}#token=${room.tokens.viewer}`)
			const socket = RawSocket.to(behindProxy.wsUrl, room.room, room.tokens.viewer)
			await socket.opened
			socket.close()
		} finally {
			await behindProxy.stop()
		}
	})
})
