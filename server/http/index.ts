import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HealthResponse } from '../../shared/api'
import { isRoomId, SYNC_PATH_PREFIX } from '../../shared/protocol'
import type { Logger } from '../log'
import type { Metrics } from '../metrics'
import { RoomLoadError } from '../room'
import { ShuttingDownError } from '../rooms'
import { roomRoutes, type ApiContext } from './api'
import { facilitationRoutes } from './facilitation'
import { HttpError, securityHeaders, sendError, sendJson } from './respond'
import { createRouter, route, type Route, type Router } from './router'
import { serveClient } from './static'

export interface HttpContext extends ApiContext {
	metrics: Metrics
	clientDist: string
	log: Logger
}

function toHttpError(error: unknown): HttpError {
	if (error instanceof HttpError) return error
	if (error instanceof RoomLoadError) return new HttpError(503, 'room_unavailable', 'the room could not be loaded, try again later')
	if (error instanceof ShuttingDownError) return new HttpError(503, 'shutting_down', 'the server is shutting down')
	return new HttpError(500, 'internal', 'internal error')
}

const serviceRoutes = (ctx: HttpContext): Route[] => [
	route({
		method: '*',
		path: '/healthz',
		access: 'anyone',
		handle({ res }) {
			sendJson(res, 200, { ok: true, rooms: ctx.rooms.loadedCount, connections: ctx.sync.connectionCount } satisfies HealthResponse)
		},
	}),
	route({
		method: '*',
		path: '/metrics',
		access: 'anyone',
		async handle({ res }) {
			const text = await ctx.metrics.registry.metrics()
			res.writeHead(200, { 'Content-Type': ctx.metrics.registry.contentType, 'Cache-Control': 'no-store' })
			res.end(text)
		},
	}),
]

/** Every route of the server, in one table; the room id is checked wherever a path holds one. */
function routerOf(ctx: HttpContext): Router {
	return createRouter([...serviceRoutes(ctx), ...roomRoutes(ctx), ...facilitationRoutes(ctx)], {
		access: ctx,
		limits: { json: ctx.limits.maxJsonBodyBytes, text: ctx.limits.maxImportBytes },
		params: { room: { valid: isRoomId, refusal: () => new HttpError(400, 'invalid_room', 'invalid room id') } },
	})
}

/** The one HTTP entry point: the route table, then what no route matches: the rest of /api, the WebSocket path, the client (SPA). */
export function createHttpHandler(ctx: HttpContext) {
	const router = routerOf(ctx)
	const otherwise = (req: IncomingMessage, res: ServerResponse, path: string): void => {
		if (path === '/api' || path.startsWith('/api/')) throw new HttpError(404, 'not_found', 'no such endpoint')
		if (path.startsWith(SYNC_PATH_PREFIX)) throw new HttpError(426, 'upgrade_required', 'this endpoint speaks WebSocket', { Upgrade: 'websocket' })
		serveClient(req, res, path, ctx.clientDist)
	}
	return (req: IncomingMessage, res: ServerResponse): void => {
		for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value)
		const started = performance.now()
		let url: URL
		try {
			url = new URL(req.url ?? '/', 'http://localhost')
		} catch {
			return sendError(res, new HttpError(400, 'bad_url', 'malformed URL'))
		}
		res.on('finish', () =>
			ctx.log.debug({ method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'http'),
		)
		router(req, res, url)
			.then((handled) => handled || otherwise(req, res, url.pathname))
			.catch((error: unknown) => {
				const httpError = toHttpError(error)
				if (httpError.status >= 500) ctx.log.error({ method: req.method, path: url.pathname, err: String(error) }, 'request failed')
				sendError(res, httpError)
			})
	}
}
