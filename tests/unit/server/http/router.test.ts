import type { ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sendJson } from '../../../../server/http/respond'
import { route, type Route } from '../../../../server/http/router'
import { call, ROOM, routerServer, tokens, UNROUTED } from '../../../support/routerServer'

/** Each route answers what it was given (on room routes: who called, the room's title), so a test sees what the router passed on. */
const echo =
	(name: string) =>
	({ res, params, ...caller }: { res: ServerResponse; params: object; principal?: unknown; title?: unknown }) =>
		sendJson(res, 200, { route: name, params, principal: caller.principal, title: caller.title })

const routes: Route[] = [
	route({ method: '*', path: '/healthz', access: 'anyone', handle: echo('health') }),
	route({ method: 'GET', path: '/api/rooms', access: 'admin', handle: echo('list') }),
	route({ method: 'POST', path: '/api/rooms', access: 'admin', handle: echo('create') }),
	route({ method: 'GET', path: '/api/rooms/:room', access: 'seat', handle: echo('room') }),
	route({ method: 'POST', path: '/api/rooms/:room/lock', access: { facilitatorTo: 'lock the map' }, handle: echo('lock') }),
	route({ method: 'GET', path: '/api/rooms/:room/versions/:version', access: 'seat', handle: echo('version') }),
]

let server: Awaited<ReturnType<typeof routerServer>>
beforeAll(async () => {
	server = await routerServer(routes)
})
afterAll(() => server.close())

const at = (path: string) => `${server.url}${path}`

describe('matching', () => {
	test('a method and a path pattern pick the route; its parameters are the raw segments', async () => {
		expect((await call(at('/api/rooms'), { token: tokens.admin })).body).toMatchObject({ route: 'list' })
		expect((await call(at('/api/rooms'), { token: tokens.admin, body: '', method: 'POST' })).body).toMatchObject({ route: 'create' })
		const version = await call(at(`/api/rooms/${ROOM}/versions/a%2Fb`), { token: tokens.viewer })
		expect(version.body).toMatchObject({ route: 'version', params: { room: ROOM, version: 'a%2Fb' } })
	})

	test('a path no route matches is left to the caller, trailing slashes and longer paths included', async () => {
		for (const path of ['/', '/api', '/api/roomsx', `/api/rooms/${ROOM}/`, `/api/rooms/${ROOM}/nope`, `/api/rooms/${ROOM}/versions/v/more`, '/healthz/'])
			expect((await call(at(path), { token: tokens.admin })).status, path).toBe(UNROUTED)
	})

	test('an invalid room id is refused as soon as a path reaches it, before the method and whatever follows', async () => {
		for (const [method, path] of [['GET', '/api/rooms/a%20b'], ['DELETE', '/api/rooms/a.b'], ['GET', '/api/rooms/%00/nope'], ['GET', '/api/rooms/'], ['GET', `/api/rooms/${'x'.repeat(65)}/lock`]]) {
			const answer = await call(at(path!), { method, token: tokens.admin })
			expect(answer.status, path).toBe(400)
			expect(answer.body, path).toEqual({ error: { code: 'invalid_room', message: 'invalid room id' } })
		}
	})

	test('another method on a known path is 405, with the methods of that path in table order', async () => {
		expect(await call(at('/api/rooms'), { method: 'DELETE' })).toMatchObject({ status: 405, allow: 'GET, POST', body: { error: { code: 'method_not_allowed' } } })
		expect(await call(at(`/api/rooms/${ROOM}/lock`))).toMatchObject({ status: 405, allow: 'POST' })
		// HEAD is a method of its own: a GET route does not answer it.
		expect(await call(at(`/api/rooms/${ROOM}`), { method: 'HEAD', token: tokens.viewer })).toMatchObject({ status: 405, allow: 'GET' })
	})

	test('a * route answers every method', async () => {
		for (const method of ['GET', 'HEAD', 'POST', 'DELETE']) expect((await call(at('/healthz'), { method })).status, method).toBe(200)
	})
})

describe('access rules', () => {
	test('admin routes: no token 401 with a challenge, any other token 403', async () => {
		const none = await fetch(at('/api/rooms'))
		expect(none.status).toBe(401)
		expect(none.headers.get('www-authenticate')).toBe('Bearer')
		for (const token of [tokens.facilitator, 'nobody']) expect((await call(at('/api/rooms'), { token })).status, token).toBe(403)
	})

	test('seat routes: every role of the room and the admin, with who they are and the title; the rest refused', async () => {
		for (const role of ['facilitator', 'participant', 'viewer'] as const) {
			const answer = await call(at(`/api/rooms/${ROOM}`), { token: tokens[role] })
			expect(answer.body).toMatchObject({ principal: { kind: 'room', room: ROOM, role }, title: 'Room one' })
		}
		expect((await call(at(`/api/rooms/${ROOM}`), { token: tokens.admin })).body).toMatchObject({ principal: { kind: 'admin' } })
		expect((await call(at(`/api/rooms/${ROOM}`))).status).toBe(401)
		expect((await call(at(`/api/rooms/${ROOM}`), { token: 'nobody' })).status).toBe(403)
		// An unknown room answers a room token like a wrong token (ids cannot be probed); the admin learns it is unknown.
		expect((await call(at('/api/rooms/other'), { token: tokens.facilitator })).status).toBe(403)
		expect((await call(at('/api/rooms/other'), { token: tokens.admin })).body).toEqual({ error: { code: 'no_such_room', message: 'no such room' } })
	})

	test('facilitator routes: the facilitator and the admin; other roles refused with what they cannot do', async () => {
		expect((await call(at(`/api/rooms/${ROOM}/lock`), { method: 'POST', token: tokens.facilitator })).status).toBe(200)
		expect((await call(at(`/api/rooms/${ROOM}/lock`), { method: 'POST', token: tokens.admin })).status).toBe(200)
		for (const role of ['participant', 'viewer'] as const) {
			const answer = await call(at(`/api/rooms/${ROOM}/lock`), { method: 'POST', token: tokens[role] })
			expect(answer).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: 'only a facilitator can lock the map' } } })
		}
	})
})
