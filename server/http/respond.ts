import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiErrorBody } from '../../shared/api'
import type { Issue } from '../../shared/issues'

/**
 * Sent with every HTTP response. The CSP allows what the tldraw client needs: inline styles,
 * data:/blob: images and fonts, blob: workers, and WebSockets to this origin.
 */
export const securityHeaders = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'X-Frame-Options': 'DENY',
	'Content-Security-Policy': [
		"default-src 'self'",
		"script-src 'self'",
		"img-src 'self' data: blob:",
		"style-src 'self' 'unsafe-inline'",
		"font-src 'self' data:",
		"connect-src 'self' ws: wss:",
		"worker-src 'self' blob:",
		"frame-ancestors 'none'",
		"base-uri 'self'",
		"form-action 'self'",
	].join('; '),
} as const

/** An error that becomes an HTTP response: status, a machine-readable code, and for a refused input its issues. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {},
		readonly issues?: Issue[],
	) {
		super(message)
	}
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body)
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-store',
		...headers,
	})
	res.end(text)
}

export function sendError(res: ServerResponse, error: HttpError): void {
	if (res.headersSent) return void res.destroy()
	const body: ApiErrorBody = { error: { code: error.code, message: error.message }, ...(error.issues && { issues: error.issues }) }
	sendJson(res, error.status, body, error.headers)
}

/** Reads a request body up to `limit` bytes; beyond, 413 (and the rest is discarded). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	const tooLarge = () => new HttpError(413, 'body_too_large', `request body over ${limit} bytes`)
	const declared = Number(req.headers['content-length'])
	if (Number.isFinite(declared) && declared > limit) {
		discardRest(req, limit)
		return Promise.reject(tooLarge())
	}
	// Events, not `for await`: leaving that loop early destroys the request, and the client then
	// sees a reset (EPIPE) instead of the 413.
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = []
		let size = 0
		const onData = (chunk: Buffer) => {
			size += chunk.length
			if (size <= limit) return void chunks.push(chunk)
			req.off('data', onData).off('end', onEnd)
			discardRest(req, limit)
			reject(tooLarge())
		}
		const onEnd = () => resolve(Buffer.concat(chunks))
		req.on('data', onData).once('end', onEnd).once('error', reject)
	})
}

/**
 * Reads and drops the rest of a refused body so that the client, still sending, gets to read
 * the answer; one that goes on far beyond the limit is cut off rather than read forever.
 */
function discardRest(req: IncomingMessage, limit: number): void {
	let dropped = 0
	req.on('data', (chunk: Buffer) => {
		dropped += chunk.length
		if (dropped > 4 * limit) req.destroy()
	})
	req.resume()
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
	const body = await readBody(req, limit)
	if (body.length === 0) return {}
	try {
		return JSON.parse(body.toString('utf8'))
	} catch {
		throw new HttpError(400, 'invalid_json', 'the body is not valid JSON')
	}
}
