import { createReadStream, existsSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { HttpError } from './respond'

const contentTypes: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.ico': 'image/x-icon',
	'.webp': 'image/webp',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf',
	'.txt': 'text/plain; charset=utf-8',
	'.webmanifest': 'application/manifest+json',
	'.wasm': 'application/wasm',
}

/** Vite puts content-hashed files under /assets/: they never change, cache them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable'

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Maillage</title>
<h1>The client is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds it), then reload.</p>`

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, size: number, cacheControl: string): void {
	res.writeHead(200, {
		'Content-Type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
		'Content-Length': size,
		'Cache-Control': cacheControl,
	})
	if (req.method === 'HEAD') return void res.end()
	createReadStream(file)
		.on('error', () => res.destroy())
		.pipe(res)
}

function fileSize(file: string): number | undefined {
	try {
		const stat = statSync(file)
		return stat.isFile() ? stat.size : undefined
	} catch {
		return undefined
	}
}

/**
 * Serves the built client from `root` with an SPA fallback: client routes (/room/x, /admin) get
 * index.html; a missing file with an extension or under /assets/ is a real 404.
 */
export function serveClient(req: IncomingMessage, res: ServerResponse, pathname: string, root: string): void {
	if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', 'method not allowed', { Allow: 'GET, HEAD' })
	const index = path.join(root, 'index.html')
	if (!existsSync(index)) {
		res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
		return void res.end(notBuiltPage)
	}
	let decoded: string
	try {
		decoded = decodeURIComponent(pathname)
	} catch {
		throw new HttpError(400, 'bad_path', 'malformed path')
	}
	if (decoded.includes('\0')) throw new HttpError(400, 'bad_path', 'malformed path')
	const file = path.resolve(root, '.' + path.posix.normalize(decoded))
	const inside = file === root || file.startsWith(root + path.sep)
	const size = inside ? fileSize(file) : undefined
	if (size !== undefined) return sendFile(req, res, file, size, decoded.startsWith('/assets/') ? IMMUTABLE : 'no-cache')
	if (decoded.startsWith('/assets/') || path.extname(decoded) !== '') throw new HttpError(404, 'not_found', 'no such file')
	sendFile(req, res, index, fileSize(index) ?? 0, 'no-cache')
}
