import { afterAll, beforeAll, expect, test } from 'vitest'
import { ServerProcess, type CreatedRoom } from '../support/server'

/**
 * Every HTTP response, whatever its route and status, carries the security headers: a CSP
 * (scripts from this origin only, no framing), no MIME sniffing, no Referer. Tokens travel in
 * URL fragments, which browsers never send, and API answers are not cached.
 */

let server: ServerProcess
let room: CreatedRoom

beforeAll(async () => {
	server = await ServerProcess.start()
	room = await server.createRoom('Headers')
})
afterAll(async () => {
	await server?.stop()
})

function expectSecurityHeaders(res: Response, what: string): void {
	const h = (name: string) => res.headers.get(name) ?? ''
	expect(h('x-content-type-options'), what).toBe('nosniff')
	expect(h('referrer-policy'), what).toBe('no-referrer')
	expect(h('x-frame-options'), what).toBe('DENY')
	const csp = Object.fromEntries(h('content-security-policy').split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]))
	expect(csp['default-src'], what).toEqual(["'self'"])
	expect(csp['script-src'], what).toEqual(["'self'"])
	expect(csp['frame-ancestors'], what).toEqual(["'none'"])
	expect(csp['object-src'] ?? csp['default-src'], what).toEqual(["'self'"])
	expect(h('content-security-policy'), what).not.toMatch(/unsafe-eval|\*/)
}

test('on every kind of response: pages, assets, API answers and errors, downloads, metrics, upgrades asked over HTTP', async () => {
	const index = await (await fetch(`${server.url}/`)).text()
	const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1]
	const auth = { authorization: `Bearer ${room.tokens.facilitator}` }
	const tries: [string, string, RequestInit?][] = [
		['the client', '/'],
		['a client route', `/room/${room.room}`],
		['a hashed asset', asset ?? '/assets/missing.js'],
		['a missing asset', '/assets/nope.js'],
		['health', '/healthz'],
		['metrics', '/metrics'],
		['room info', `/api/rooms/${room.room}`, { headers: auth }],
		['an export download', `/api/rooms/${room.room}/export?format=graphml`, { headers: auth }],
		['401', `/api/rooms/${room.room}`],
		['403', `/api/rooms/${room.room}`, { headers: { authorization: 'Bearer nope' } }],
		['404', '/api/nothing'],
		['405', '/api/rooms', { method: 'DELETE' }],
		['413', '/api/rooms', { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}` }, body: 'x'.repeat(100_000) }],
		['422', `/api/rooms/${room.room}/import?format=json`, { method: 'POST', headers: auth, body: '{' }],
		['426', `/sync/${room.room}`],
		['400', '/api/rooms/%ZZ'],
	]
	for (const [what, url, init] of tries) {
		const res = await fetch(`${server.url}${url}`, init)
		await res.arrayBuffer()
		expectSecurityHeaders(res, `${what} (${res.status})`)
		if (url.startsWith('/api/')) expect(res.headers.get('cache-control'), what).toBe('no-store')
	}
})

test('tokens travel in URL fragments: never sent by browsers, so never in a Referer or a server log', async () => {
	for (const link of Object.values(room.links)) {
		const url = new URL(link)
		expect(url.search).toBe('')
		expect(url.hash).toMatch(/^#token=[A-Za-z0-9_-]{43}$/)
	}
	const rotated = await server.api(`/api/rooms/${room.room}/tokens/rotate`, { token: room.tokens.facilitator, body: { roles: ['viewer'] } })
	const { links } = (await rotated.json()) as { links: { viewer: string } }
	expect(new URL(links.viewer).search).toBe('')
})
