import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hashToken, hashTokens } from '../../server/auth'
import { HttpError, sendError, sendJson } from '../../server/http/respond'
import { createRouter, type Route, type RouterOptions } from '../../server/http/router'
import { isRoomId } from '../../shared/protocol'

/** The tokens the router test server knows: the admin's, and one room's. */
export const tokens = { admin: 'admin-token', facilitator: 'f-token', participant: 'p-token', viewer: 'v-token' } as const
export const ROOM = 'room-1'

/** The room store of the access rules: one room, its tokens hashed as the real store keeps them. */
const access: RouterOptions['access'] = {
	adminTokenHash: hashToken(tokens.admin),
	store: {
		getRoom: async (id) => (id === ROOM ? { id, title: 'Room one', createdAt: 0, tokens: hashTokens(tokens) } : undefined),
	},
}

/** What a path no route matches answers here, to tell it from the router's own 404s. */
export const UNROUTED = 599

/**
 * A real HTTP server on a free port running a router over `routes`, the room id checked as the
 * server checks it, errors answered as the server answers them.
 */
export async function routerServer(routes: Route[], limits = { json: 64, text: 128 }): Promise<{ url: string; close(): Promise<void> }> {
	const router = createRouter(routes, {
		access,
		limits,
		params: { room: { valid: isRoomId, refusal: () => new HttpError(400, 'invalid_room', 'invalid room id') } },
	})
	const server: Server = createServer((req, res) => {
		router(req, res, new URL(req.url ?? '/', 'http://localhost'))
			.then((handled) => handled || sendJson(res, UNROUTED, { unrouted: true }))
			.catch((error: unknown) => sendError(res, error instanceof HttpError ? error : new HttpError(500, 'internal', String(error))))
	})
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	}
}

/** A request with a Bearer token (none when undefined); the answer's status, Allow header and JSON body. */
export async function call(url: string, init: { method?: string; token?: string; body?: string } = {}) {
	const res = await fetch(url, {
		method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
		headers: init.token === undefined ? {} : { authorization: `Bearer ${init.token}` },
		body: init.body,
	})
	const text = await res.text()
	return { status: res.status, allow: res.headers.get('allow'), body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined }
}
