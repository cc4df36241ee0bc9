import type { IncomingMessage, ServerResponse } from 'node:http'

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

/** An error that becomes an HTTP response: status and a machine-readable code. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {},
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
	sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers)
}

/** Reads a request body up to `limit` bytes; beyond, 413 (and the rest is discarded). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	const tooLarge = () => new HttpError(413, 'body_too_large', `request body over ${limit} bytes`, { Connection: 'close' })
	const declared = Number(req.headers['content-length'])
	if (Number.isFinite(declared) && declared > limit) {
		req.resume()
		throw tooLarge()
	}
	const chunks: Buffer[] = []
	let size = 0
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length
		if (size > limit) {
			req.resume()
			throw tooLarge()
		}
		chunks.push(chunk)
	}
	return Buffer.concat(chunks)
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
