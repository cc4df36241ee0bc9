// Builds the client when `client/dist` is missing, older than its sources, or built with another
// TLDRAW_LICENSE_KEY (it is baked in at build time), so that `npm start` alone serves an
// up-to-date client without rebuilding on every start.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const built = join(root, 'client/dist/index.html')
// Kept outside client/dist, which the server serves as it is.
const stamp = join(root, 'node_modules/.cache/maillage/client-build-stamp')
// Only a digest of the key is written down, never the key.
const wanted = createHash('sha256').update(process.env.TLDRAW_LICENSE_KEY ?? '').digest('hex')

function newestMtime(path) {
	const stat = statSync(path)
	if (!stat.isDirectory()) return stat.mtimeMs
	let newest = stat.mtimeMs
	for (const entry of readdirSync(path)) {
		if (entry === 'dist' || entry === 'node_modules') continue
		newest = Math.max(newest, newestMtime(join(path, entry)))
	}
	return newest
}

const sources = ['client', 'shared', 'vite.config.ts', 'package-lock.json'].map((p) => join(root, p)).filter(existsSync)
const stale =
	!existsSync(built) ||
	Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs ||
	!existsSync(stamp) ||
	readFileSync(stamp, 'utf8') !== wanted
if (stale) {
	console.log('Building the client (vite build)…')
	execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit',
		// Always a production build, even when called from the tests (vitest sets NODE_ENV=test,
		// which would build a client without its production-only parts, the service worker).
		env: { ...process.env, NODE_ENV: 'production' },
	})
	mkdirSync(dirname(stamp), { recursive: true })
	writeFileSync(stamp, wanted)
}
