import type { ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
	analysisQuerySchema,
	createRoomBodySchema,
	egoExportQuerySchema,
	exportQuerySchema,
	importQuerySchema,
	rotateTokensBodySchema,
	saveVersionBodySchema,
} from '../../../../shared/api'
import { sendJson } from '../../../../server/http/respond'
import { route, type Route } from '../../../../server/http/router'
import { call, ROOM, routerServer, tokens } from '../../../support/routerServer'

/** Each route answers the query and body it was given, as checked. */
const echo = ({ res, query, body }: { res: ServerResponse; query: unknown; body: unknown }) => sendJson(res, 200, { query, body })

const routes: Route[] = [
	route({ method: 'GET', path: '/export', access: 'anyone', query: exportQuerySchema, handle: echo }),
	route({ method: 'GET', path: '/analysis', access: 'anyone', query: analysisQuerySchema, handle: echo }),
	route({ method: 'GET', path: '/ego', access: 'anyone', query: egoExportQuerySchema, handle: echo }),
	route({ method: 'POST', path: '/create', access: 'anyone', body: createRoomBodySchema, handle: echo }),
	route({ method: 'POST', path: '/rotate', access: 'anyone', body: rotateTokensBodySchema, handle: echo }),
	route({ method: 'POST', path: '/import', access: 'anyone', query: importQuerySchema, body: 'text', handle: echo }),
	route({ method: 'POST', path: '/api/rooms/:room/versions', access: { facilitatorTo: 'save a version' }, query: importQuerySchema, body: saveVersionBodySchema, handle: echo }),
]

let server: Awaited<ReturnType<typeof routerServer>>
beforeAll(async () => {
	server = await routerServer(routes, { json: 64, text: 128 })
})
afterAll(() => server.close())

const at = (path: string) => `${server.url}${path}`

describe('the query', () => {
	test('is read as an object of first values, defaults filled in, unknown parameters ignored', async () => {
		expect((await call(at('/export'))).body).toEqual({ query: { format: 'json', strip: false } })
		expect((await call(at('/export?format=csv&format=pdf&strip=1&token=x&__proto__=1'))).body).toEqual({ query: { format: 'csv', strip: true } })
		expect((await call(at('/export?strip=true'))).body).toMatchObject({ query: { strip: true } })
		expect((await call(at('/export?strip=yes'))).body).toMatchObject({ query: { strip: false } })
	})

	test('numbers are read as Number() reads them; an empty one is no number', async () => {
		expect((await call(at('/analysis?horizonDays=%205%20&today=2024-01-01'))).body).toEqual({ query: { horizonDays: 5, today: '2024-01-01' } })
		expect((await call(at('/ego?depth=2'))).body).toMatchObject({ query: { depth: 2 } })
		for (const bad of ['horizonDays=', 'horizonDays=x', 'horizonDays=1.5', 'today=2024-13-01']) {
			const answer = await call(at(`/analysis?${bad}`))
			expect(answer.status, bad).toBe(400)
			expect(answer.body, bad).toMatchObject({ error: { code: 'invalid_query', message: 'invalid analysis options' } })
		}
	})

	test('a refusal names the code of its first field and lists every issue with its path, in both languages', async () => {
		const format = await call(at('/ego?format=pdf&depth=0'))
		expect(format.status).toBe(400)
		expect(format.body?.error).toEqual({ code: 'invalid_format', message: 'format must be one of json, graphml, gexf, csv' })
		expect((format.body?.issues as { path: unknown[] }[]).map((i) => i.path)).toEqual([['format'], ['depth']])
		expect(format.body?.issues).toContainEqual({ path: ['depth'], message: { en: expect.any(String), fr: expect.any(String) }, severity: 'error' })
		expect((await call(at('/ego?depth=x'))).body?.error).toEqual({ code: 'invalid_query', message: 'invalid depth' })
	})
})

describe('the body', () => {
	test('JSON, checked by the schema; an empty body is an empty object', async () => {
		expect((await call(at('/create'), { body: '{"title":"  Réseau  ","extra":1}' })).body).toEqual({ body: { title: 'Réseau' } })
		expect((await call(at('/rotate'), { body: '' })).body).toEqual({ body: {} })
		expect((await call(at('/rotate'), { body: '{"roles":["viewer","viewer"]}' })).body).toEqual({ body: { roles: ['viewer', 'viewer'] } })
	})

	test('a refused body: its own code for titles and roles, invalid_body otherwise, with the issues', async () => {
		expect((await call(at('/create'), { body: '{"title":42}' })).body?.error).toMatchObject({ code: 'invalid_title' })
		expect((await call(at('/rotate'), { body: '{"roles":[]}' })).body?.error).toMatchObject({ code: 'invalid_roles' })
		expect((await call(at('/rotate'), { body: '{"roles":["owner"]}' })).body).toMatchObject({ error: { code: 'invalid_roles' }, issues: [{ path: ['roles', 0] }] })
		const root = await call(at('/rotate'), { body: 'null' })
		expect(root).toMatchObject({ status: 400, body: { error: { code: 'invalid_body', message: 'invalid request body' }, issues: [{ path: [] }] } })
		expect(await call(at('/rotate'), { body: '{not json' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } })
	})

	test('over its limit, 413, and the client still reads the answer: JSON and files have their own limits', async () => {
		expect(await call(at('/create'), { body: JSON.stringify({ title: 'x'.repeat(80) }) })).toMatchObject({ status: 413, body: { error: { code: 'body_too_large' } } })
		expect((await call(at('/import'), { body: 'y'.repeat(100) })).body).toEqual({ query: { format: 'json' }, body: 'y'.repeat(100) })
		expect((await call(at('/import'), { body: 'y'.repeat(200) })).status).toBe(413)
		// Without a Content-Length: counted as it arrives.
		const chunks = new ReadableStream({
			start(controller) {
				for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('z'.repeat(50)))
				controller.close()
			},
		})
		const streamed = await fetch(at('/import'), { method: 'POST', body: chunks, duplex: 'half' } as RequestInit)
		expect(streamed.status).toBe(413)
		expect(await streamed.json()).toMatchObject({ error: { code: 'body_too_large' } })
	})
})

test('the steps run in order: room id, access, query, body (which is not read when the query is refused)', async () => {
	const path = `/api/rooms/${ROOM}/versions`
	const bad = { body: 'x'.repeat(500) }
	expect((await call(at('/api/rooms/a.b/versions?format=pdf'), { ...bad, token: tokens.participant })).body?.error).toMatchObject({ code: 'invalid_room' })
	expect((await call(at(`${path}?format=pdf`), bad)).status).toBe(401)
	expect((await call(at(`${path}?format=pdf`), { ...bad, token: tokens.participant })).body?.error).toEqual({ code: 'forbidden', message: 'only a facilitator can save a version' })
	expect((await call(at(`${path}?format=pdf`), { ...bad, token: tokens.facilitator })).body?.error).toMatchObject({ code: 'invalid_format' })
	expect((await call(at(path), { ...bad, token: tokens.facilitator })).status).toBe(413)
	expect((await call(at(path), { body: '{"label":"  "}', token: tokens.facilitator })).body).toMatchObject({ error: { code: 'invalid_body' }, issues: [{ path: ['label'] }] })
	expect((await call(at(path), { body: '{"label":" v1 ","name":"Anne"}', token: tokens.admin })).body).toEqual({ query: { format: 'json' }, body: { label: 'v1', name: 'Anne' } })
})
