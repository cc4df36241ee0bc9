import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startPostgres, startRedis } from '../../tests/support/services'
import type { RoomTicket, ServerKind, Target } from '../clients/target'

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const repoRoot = path.resolve(benchDir, '..')

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef'
const heapProbe = path.join(benchDir, 'servers/heapProbe.mjs')
/** What `npm start` runs once `scripts/ensure-build.mjs` has built it. */
const maillageServer = path.join(repoRoot, 'dist/server/main.js')

let built = false
/** `npm start`'s first step, once per run: the compiled server (and the client) up to date with the sources. */
function ensureBuild(): void {
	if (built) return
	execFileSync(process.execPath, [path.join(repoRoot, 'scripts/ensure-build.mjs')], { cwd: repoRoot, stdio: 'inherit' })
	built = true
}

/** Memory of a server process after a full garbage collection. */
export interface ServerMemory {
	heapMiB: number
	rssMiB: number
}

/** How each server runs in the benchmark; printed under the table. */
export const serverSetups: Record<ServerKind, string> = {
	maillage:
		'Maillage (compiled dist/server/main.js, as npm start runs it): token auth on every socket, durable SQLite (WAL, synchronous=NORMAL, append before relay), metrics on, LOG_LEVEL=warn, ROOM_IDLE_MS=2000, MAX_CONNECTIONS=10000',
	reference: '@y/websocket-server 0.1.1 setupWSConnection: no auth, documents in memory only (no YPERSISTENCE), never unloaded',
	hocuspocus: '@hocuspocus/server 4.7 with defaults (quiet): no auth hook, no persistence extension (in memory), unloads empty documents',
	'maillage-pg':
		'Maillage in scale-out mode, 1 process: PostgreSQL store (DATABASE_URL, fsync off) and Redis relay (REDIS_URL), both throw-away on loopback; otherwise as maillage. CPU and RSS: the Maillage process only',
	'maillage-2p':
		'Maillage in scale-out mode, 2 processes on one PostgreSQL and one Redis as maillage-pg; the clients of every room alternate between the two processes. CPU and RSS: both Maillage processes',
}

export interface LaunchedServer {
	kind: ServerKind
	/** The server's processes (two for maillage-2p), whose CPU and memory are measured. */
	pids: number[]
	target: Target
	/** New rooms with a writer token (Maillage creates them through its admin API). */
	createRooms(count: number): Promise<RoomTicket[]>
	/** Heap and RSS after a full GC of the server process. */
	memory(): Promise<ServerMemory>
	/** Prometheus endpoints of the server's processes (Maillage only). */
	metricsUrls: string[]
	/** Time of a server-side JSON export in ms, or undefined when the server has no export. */
	exportJson(room: RoomTicket): Promise<number | undefined>
	stop(): Promise<void>
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer()
		probe.once('error', reject)
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number }
			probe.close(() => resolve(port))
		})
	})
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 60_000
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited during start:\n${output()}`)
		try {
			if ((await fetch(url)).ok) return
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`server did not answer ${url} within 60 s:\n${output()}`)
		await new Promise((r) => setTimeout(r, 50))
	}
}

/** Runs one server script (plain JavaScript, no TypeScript loader in the measured process) as its own process. */
async function spawnServer(script: string, port: number, env: Record<string, string>, probe: string) {
	// BENCH_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the servers under load.
	const nodeOptions = process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []
	const child = spawn(process.execPath, [...nodeOptions, '--expose-gc', '--import', heapProbe, script], {
		cwd: repoRoot,
		env: { ...process.env, ...env, PORT: String(port) },
		stdio: ['ignore', 'ignore', 'pipe'],
	})
	let stderr = ''
	const readings: ((memory: ServerMemory) => void)[] = []
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString('utf8')).slice(-4000)
		for (const match of stderr.matchAll(/BENCH_MEMORY (\{[^\n]*\})\n/g)) {
			const { heapUsed, rss } = JSON.parse(match[1] as string) as { heapUsed: number; rss: number }
			readings.shift()?.({ heapMiB: heapUsed / 1024 ** 2, rssMiB: rss / 1024 ** 2 })
		}
		stderr = stderr.replace(/BENCH_MEMORY [^\n]*\n/g, '')
	})
	try {
		await waitForHttp(`http://127.0.0.1:${port}${probe}`, child, () => stderr)
	} catch (error) {
		child.kill('SIGKILL')
		throw error
	}
	const memory = () =>
		new Promise<ServerMemory>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('no memory reading within 10 s')), 10_000)
			readings.push((m) => {
				clearTimeout(timer)
				resolve(m)
			})
			child.kill('SIGUSR2')
		})
	return { child, memory }
}

function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
	return new Promise((resolve) => {
		const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
		child.once('exit', () => {
			clearTimeout(force)
			resolve()
		})
		child.kill('SIGTERM')
	})
}

/** Throw-away Redis and PostgreSQL for the scale-out kinds (tests/support/services: Debian binaries). */
async function scaleOutServices() {
	const [redis, postgres] = await Promise.all([startRedis(), startPostgres()])
	return { env: { REDIS_URL: redis.url, DATABASE_URL: postgres.url }, stop: () => Promise.all([redis.stop(), postgres.stop()]).then(() => undefined) }
}

/** Maillage, one process on SQLite, or `processes` processes sharing Redis and PostgreSQL. */
async function launchMaillage(kind: 'maillage' | 'maillage-pg' | 'maillage-2p', port: number): Promise<LaunchedServer> {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'maillage-bench-'))
	const services = kind === 'maillage' ? undefined : await scaleOutServices()
	const ports = kind === 'maillage-2p' ? [port, await freePort()] : [port]
	const processes: Awaited<ReturnType<typeof spawnServer>>[] = []
	const stopAll = async () => {
		await Promise.all(processes.map(({ child }) => stopChild(child)))
		await services?.stop()
		rmSync(dataDir, { recursive: true, force: true })
	}
	try {
		ensureBuild()
		// One after the other: on two cores, parallel start-ups only take longer each.
		for (const [i, p] of ports.entries())
			processes.push(
				await spawnServer(
					maillageServer,
					p,
					{
						HOST: '127.0.0.1',
						DATA_DIR: path.join(dataDir, String(i)),
						MAILLAGE_ADMIN_TOKEN: ADMIN_TOKEN,
						LOG_LEVEL: 'warn',
						ROOM_IDLE_MS: '2000',
						MAX_CONNECTIONS: '10000',
						...services?.env,
					},
					'/healthz',
				),
			)
	} catch (error) {
		await stopAll()
		throw error
	}
	const base = `http://127.0.0.1:${port}`
	const facilitators = new Map<string, string>()
	const createRoom = async (): Promise<RoomTicket> => {
		const res = await fetch(`${base}/api/rooms`, {
			method: 'POST',
			headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify({ title: 'bench' }),
		})
		if (res.status !== 201) throw new Error(`POST /api/rooms answered ${res.status}: ${await res.text()}`)
		const body = (await res.json()) as { room: string; tokens: { facilitator: string; participant: string } }
		facilitators.set(body.room, body.tokens.facilitator)
		return { name: body.room, token: body.tokens.participant }
	}
	const [first, ...others] = ports.map((p) => `ws://127.0.0.1:${p}/sync`)
	return {
		kind,
		pids: processes.map(({ child }) => child.pid as number),
		metricsUrls: ports.map((p) => `http://127.0.0.1:${p}/metrics`),
		memory: async () => {
			const readings = await Promise.all(processes.map(({ memory }) => memory()))
			return { heapMiB: readings.reduce((n, r) => n + r.heapMiB, 0), rssMiB: readings.reduce((n, r) => n + r.rssMiB, 0) }
		},
		target: { kind, flavor: 'y-websocket', wsBase: first as string, ...(others.length > 0 ? { otherBases: others } : {}) },
		createRooms: async (count) => {
			const rooms: RoomTicket[] = []
			for (let i = 0; i < count; i++) rooms.push(await createRoom())
			return rooms
		},
		exportJson: async (room) => {
			const started = performance.now()
			const res = await fetch(`${base}/api/rooms/${room.name}/export?format=json`, {
				headers: { authorization: `Bearer ${facilitators.get(room.name)}` },
			})
			await res.arrayBuffer()
			if (res.status !== 200) throw new Error(`export answered ${res.status}`)
			return performance.now() - started
		},
		stop: stopAll,
	}
}

async function launchOther(kind: 'reference' | 'hocuspocus', port: number): Promise<LaunchedServer> {
	const script = path.join(benchDir, 'servers', kind === 'reference' ? 'referenceServer.mjs' : 'hocuspocusServer.mjs')
	const { child, memory } = await spawnServer(script, port, {}, '/')
	return {
		kind,
		pids: [child.pid as number],
		metricsUrls: [],
		memory,
		target: { kind, flavor: kind === 'hocuspocus' ? 'hocuspocus' : 'y-websocket', wsBase: `ws://127.0.0.1:${port}` },
		createRooms: async (count) =>
			Array.from({ length: count }, () => ({ name: `room-${randomBytes(6).toString('base64url')}`, token: 'unused' })),
		exportJson: async () => undefined,
		stop: () => stopChild(child),
	}
}

export async function launchServer(kind: ServerKind): Promise<LaunchedServer> {
	const port = await freePort()
	return kind === 'reference' || kind === 'hocuspocus' ? launchOther(kind, port) : launchMaillage(kind, port)
}
