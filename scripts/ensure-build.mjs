// Builds what `npm start` runs when it is missing or older than its sources: the client
// (client/dist, also rebuilt when TLDRAW_LICENSE_KEY changed: it is baked in at build time) and
// the compiled server (dist/server). Each part is rebuilt only when its own sources changed, so
// `npm start` alone runs up-to-date code without rebuilding on every start.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
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

const olderThan = (built, sources) =>
	!existsSync(built) || Math.max(...sources.map((p) => join(root, p)).filter(existsSync).map(newestMtime)) > statSync(built).mtimeMs

function viteBuild(what, args) {
	console.log(`Building the ${what} (vite build${args.length ? ` ${args.join(' ')}` : ''})…`)
	execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', ...args, '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit',
		// Always a production build, even when called from the tests (vitest sets NODE_ENV=test,
		// which would build a client without its production-only parts, the service worker).
		env: { ...process.env, NODE_ENV: 'production' },
	})
}

const clientStale =
	olderThan(join(root, 'client/dist/index.html'), ['client', 'shared', 'vite.config.ts', 'package-lock.json']) ||
	!existsSync(stamp) ||
	readFileSync(stamp, 'utf8') !== wanted
if (clientStale) {
	viteBuild('client', [])
	mkdirSync(dirname(stamp), { recursive: true })
	writeFileSync(stamp, wanted)
}
if (olderThan(join(root, 'dist/server/main.js'), ['server', 'shared', 'vite.server.config.ts', 'package-lock.json']))
	viteBuild('server', ['--config', 'vite.server.config.ts'])
