import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Polls `condition` until it holds (truthy), instead of sleeping a fixed time. */
export async function waitFor<T>(condition: () => T | Promise<T>, { timeout = 10_000, interval = 20, what = 'condition' } = {}): Promise<T> {
	const deadline = Date.now() + timeout
	let lastError: unknown
	for (;;) {
		try {
			const value = await condition()
			if (value) return value
		} catch (error) {
			lastError = error
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`)
		await new Promise((r) => setTimeout(r, interval))
	}
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

export function tempDataDir(): string {
	return mkdtempSync(path.join(tmpdir(), 'maillage-test-'))
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'

export interface ServerProcessOptions {
	dataDir?: string
	port?: number
	/** Extra environment (limits, ROOM_IDLE_MS...). MAILLAGE_ADMIN_TOKEN defaults to TEST_ADMIN_TOKEN. */
	env?: Record<string, string | undefined>
}

/**
 * The real server (`server/main.ts`) as a child process on 127.0.0.1 and a free port, with its
 * own DATA_DIR. `node --import tsx` (not the tsx CLI, which forks) so that signals, SIGKILL
 * included, reach the server process itself.
 */
export class ServerProcess {
	readonly url: string
	readonly wsUrl: string
	readonly adminToken: string | undefined
	readonly stdout: string[] = []
	readonly stderr: string[] = []
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
	private constructor(
		readonly child: ChildProcess,
		readonly port: number,
		readonly dataDir: string,
		readonly options: ServerProcessOptions,
	) {
		this.url = `http://127.0.0.1:${port}`
		this.wsUrl = `ws://127.0.0.1:${port}/sync`
		this.adminToken = options.env && 'MAILLAGE_ADMIN_TOKEN' in options.env ? options.env.MAILLAGE_ADMIN_TOKEN : TEST_ADMIN_TOKEN
		this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
		const collect = (into: string[]) => {
			let rest = ''
			return (chunk: Buffer) => {
				const lines = (rest + chunk.toString('utf8')).split('\n')
				rest = lines.pop() ?? ''
				into.push(...lines)
			}
		}
		child.stdout?.on('data', collect(this.stdout))
		child.stderr?.on('data', collect(this.stderr))
	}

	static async start(options: ServerProcessOptions = {}): Promise<ServerProcess> {
		const dataDir = options.dataDir ?? tempDataDir()
		const port = options.port ?? (await freePort())
		const env: Record<string, string | undefined> = {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			MAILLAGE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
			LOG_LEVEL: 'info',
			...options.env,
		}
		for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
		const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/main.ts')], {
			cwd: repoRoot,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		})
		const server = new ServerProcess(child, port, dataDir, options)
		// Fails at once when the process ends (its output read to the end), not at the timeout:
		// waitFor would take a thrown error for "not yet" and keep polling a dead server.
		const died = new Promise<never>((_resolve, reject) =>
			child.once('close', (code, signal) =>
				reject(new Error(`server exited during start (code ${code}, signal ${signal}):\n${server.stderr.join('\n')}\n${server.stdout.join('\n')}`)),
			),
		)
		died.catch(() => undefined)
		await Promise.race([
			waitFor(async () => (await fetch(`${server.url}/healthz`)).ok, { timeout: 60_000, interval: 50, what: 'the server to start' }),
			died,
		]).catch((error: unknown) => {
			child.kill('SIGKILL')
			throw error
		})
		return server
	}

	/** The same DATA_DIR and port, after this process is gone. */
	restart(env: Record<string, string | undefined> = {}): Promise<ServerProcess> {
		return ServerProcess.start({ ...this.options, dataDir: this.dataDir, port: this.port, env: { ...this.options.env, ...env } })
	}

	async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal)
		return this.exited
	}

	/** Stops the server and removes its DATA_DIR (unless `keepData`). */
	async stop({ keepData = false } = {}): Promise<void> {
		await this.kill('SIGKILL')
		if (!keepData) rmSync(this.dataDir, { recursive: true, force: true })
	}

	/** Parsed pino lines of stdout. */
	logs(): Record<string, unknown>[] {
		return this.stdout.flatMap((line) => {
			try {
				return [JSON.parse(line) as Record<string, unknown>]
			} catch {
				return []
			}
		})
	}

	async api(pathname: string, init: { method?: string; token?: string; body?: unknown; raw?: string | Blob; headers?: Record<string, string> } = {}) {
		const headers: Record<string, string> = { ...init.headers }
		if (init.token) headers.authorization = `Bearer ${init.token}`
		let body: string | Blob | undefined = init.raw
		if (init.body !== undefined) {
			headers['content-type'] = 'application/json'
			body = JSON.stringify(init.body)
		}
		return fetch(`${this.url}${pathname}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body })
	}

	/** Creates a room through the admin API. */
	async createRoom(title = 'Test room'): Promise<CreatedRoom> {
		const res = await this.api('/api/rooms', { token: this.adminToken, body: { title } })
		if (res.status !== 201) throw new Error(`room creation failed: ${res.status} ${await res.text()}`)
		return (await res.json()) as CreatedRoom
	}

	async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
		const text = await (await fetch(`${this.url}/metrics`)).text()
		return readMetric(text, name, labels)
	}
}

export interface CreatedRoom {
	room: string
	title: string
	tokens: { facilitator: string; participant: string; viewer: string }
	links: { facilitator: string; participant: string; viewer: string }
}

/** The value of one sample of a Prometheus text exposition (0 when absent). */
export function readMetric(text: string, name: string, labels: Record<string, string> = {}): number {
	for (const line of text.split('\n')) {
		if (!line.startsWith(name)) continue
		const match = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line)
		if (!match || match[1] !== name) continue
		const found = Object.fromEntries(
			[...(match[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1] as string, m[2] as string]),
		)
		if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[4])
	}
	return 0
}
