import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../log'
import type { Metrics } from '../metrics'
import { SYNC_PATH_PREFIX } from '../../shared/protocol'
import { RoomLoadError } from '../room'
import { ShuttingDownError } from '../rooms'
import { handleApi, type ApiContext } from './api'
import { HttpError, securityHeaders, sendError, sendJson } from './respond'
import { serveClient } from './static'
import type { HealthResponse } from './types'

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

/** The one HTTP entry point: health, metrics, API, then the client (SPA). */
export function createHttpHandler(ctx: HttpContext) {
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
		route(ctx, req, res, url).catch((error: unknown) => {
			const httpError = toHttpError(error)
			if (httpError.status >= 500) ctx.log.error({ method: req.method, path: url.pathname, err: String(error) }, 'request failed')
			sendError(res, httpError)
		})
	}
}

async function route(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
	const path = url.pathname
	if (path === '/healthz') return sendJson(res, 200, { ok: true, rooms: ctx.rooms.loadedCount, connections: ctx.sync.connectionCount } satisfies HealthResponse)
	if (path === '/metrics') {
		const text = await ctx.metrics.registry.metrics()
		res.writeHead(200, { 'Content-Type': ctx.metrics.registry.contentType, 'Cache-Control': 'no-store' })
		return void res.end(text)
	}
	if (path === '/api' || path.startsWith('/api/')) return handleApi(ctx, req, res, url)
	if (path.startsWith(SYNC_PATH_PREFIX)) throw new HttpError(426, 'upgrade_required', 'this endpoint speaks WebSocket', { Upgrade: 'websocket' })
	serveClient(req, res, path, ctx.clientDist)
}
