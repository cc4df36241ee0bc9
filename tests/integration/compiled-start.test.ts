import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { freePort, tempDataDir, waitFor } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'

/**
 * The README's contract, run as a user runs it: `npm start` (ensure-build, then the compiled
 * server, no TypeScript loader) serves the built client and the sync server on PORT/HOST with
 * DATA_DIR, and prints the admin link; stock y-websocket clients sync through it.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dataDir = tempDataDir()
const clients: StockClient[] = []
let npm: ChildProcess | undefined

/** The processes of npm's process group (npm, its shell, the server), with their command lines. */
function processGroup(pgid: number): { pid: number; cmdline: string }[] {
	return readdirSync('/proc').flatMap((entry) => {
		if (!/^\d+$/.test(entry)) return []
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
			if (Number(fields[2]) !== pgid) return []
			return [{ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim() }]
		} catch {
			return []
		}
	})
}

afterAll(async () => {
	for (const c of clients) c.destroy()
	if (npm?.pid !== undefined && processGroup(npm.pid).length > 0) process.kill(-npm.pid, 'SIGKILL')
	rmSync(dataDir, { recursive: true, force: true })
})

test('package.json: npm start builds what is stale, then runs the compiled server', () => {
	const { scripts } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
	expect(scripts.start).toBe('node scripts/ensure-build.mjs && node dist/server/main.js')
})

test('npm start serves the built client and syncs stock clients, with no TypeScript loader', async () => {
	const port = await freePort()
	const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
	delete env.MAILLAGE_ADMIN_TOKEN
	env.npm_config_update_notifier = 'false'
	// Its own process group, so that the shell npm runs and the server in it are stopped together.
	const child = spawn('npm', ['start'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
	npm = child
	let output = ''
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))

	// The first start may build the client and the server.
	const line = (await waitFor(() => /Maillage is running on (\S+) — admin page: (\S+)/.exec(output), {
		timeout: 240_000,
		interval: 100,
		what: 'the start line',
	})) as RegExpExecArray
	const base = `http://127.0.0.1:${port}`
	expect(line[1]).toBe(`http://127.0.0.1:${port}`)
	const adminToken = new URL(line[2] as string).hash.replace(/^#token=/, '')
	expect(adminToken.length).toBeGreaterThanOrEqual(16)
	expect(readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim()).toBe(adminToken)

	const group = processGroup(child.pid as number)
	// The node process in the group (npm's shell names the same file in its command).
	const servers = group.filter((p) => !p.cmdline.startsWith('sh ') && p.cmdline.includes('dist/server/main.js'))
	expect(servers.map((p) => p.cmdline)).toEqual(['node dist/server/main.js'])
	expect(group.filter((p) => /tsx|esbuild/.test(p.cmdline))).toEqual([])

	const page = await fetch(`${base}/`)
	expect(page.status).toBe(200)
	expect(await page.text()).toBe(readFileSync(path.join(repoRoot, 'client/dist/index.html'), 'utf8'))

	const created = await fetch(`${base}/api/rooms`, {
		method: 'POST',
		headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
		body: JSON.stringify({ title: 'Compiled' }),
	})
	expect(created.status).toBe(201)
	const room = (await created.json()) as { room: string; tokens: { facilitator: string; participant: string } }
	const a = stockClient(`ws://127.0.0.1:${port}/sync`, room.room, room.tokens.participant)
	const b = stockClient(`ws://127.0.0.1:${port}/sync`, room.room, room.tokens.facilitator)
	clients.push(a, b)
	await Promise.all([synced(a), synced(b)])
	a.doc.getMap('records').set('shape:a', 'from a')
	await waitFor(() => b.doc.getMap('records').get('shape:a') === 'from a', { what: 'the edit at the second client' })

	// SIGTERM to the group, as a terminal's Ctrl-C or a service manager: the server stops gracefully.
	process.kill(-(child.pid as number), 'SIGTERM')
	await exited
	await waitFor(() => processGroup(child.pid as number).length === 0, { what: 'every process of npm start to end' })
}, 300_000)

test('the compiled entry imports neither pg nor ioredis: they load only when configured', () => {
	const entry = readFileSync(path.join(repoRoot, 'dist/server/main.js'), 'utf8')
	const imported = [...entry.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1])
	expect(imported).toContain('better-sqlite3')
	expect(imported).not.toContain('pg')
	expect(imported).not.toContain('ioredis')
	expect(entry).toMatch(/await import\("\.\/postgres-[\w-]+\.js"\)/)
})
