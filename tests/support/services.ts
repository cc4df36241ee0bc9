import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Redis } from 'ioredis'
import pg from 'pg'
import { freePort, waitFor } from './server'

/**
 * Real Redis and PostgreSQL for the scale-out tests, each a child process of the test on a
 * loopback port, with its data in a temp dir removed on stop. The Debian packages provide the
 * binaries (`.ci/run` installs them). A missing binary or a service that does not start fails
 * the test with the reason: nothing is skipped.
 */

export interface Service {
	readonly url: string
	readonly port: number
	readonly child: ChildProcess
	/** Lines the service printed, for error messages. */
	readonly output: string[]
	/** Stops the service (gracefully unless told otherwise) and removes its data. */
	stop(signal?: NodeJS.Signals): Promise<void>
}

function findInPath(binary: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const candidate = path.join(dir, binary)
		if (dir && existsSync(candidate)) return candidate
	}
	return undefined
}

/** PostgreSQL's server binaries: Debian keeps them out of PATH, in /usr/lib/postgresql/<version>/bin. */
function postgresBinDir(): string {
	const fromPath = findInPath('initdb')
	if (fromPath) return path.dirname(fromPath)
	const root = '/usr/lib/postgresql'
	const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin/initdb'))) : []
	const newest = versions.sort((a, b) => Number(b) - Number(a))[0]
	if (!newest) throw new Error('PostgreSQL is not installed (no initdb in PATH nor in /usr/lib/postgresql/*/bin): apt-get install postgresql')
	return path.join(root, newest, 'bin')
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (or `nobody`). */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined
	for (const name of ['postgres', 'nobody']) {
		try {
			const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim())
			const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim())
			if (uid > 0) return { uid, gid }
		} catch {
			// No such user: try the next one.
		}
	}
	throw new Error('running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as')
}

function collect(child: ChildProcess, into: string[]): void {
	const push = (chunk: Buffer) => into.push(...chunk.toString('utf8').split('\n').filter(Boolean))
	child.stdout?.on('data', push)
	child.stderr?.on('data', push)
}

/** Waits for `ready` while failing at once, with the output, if the process exits first. */
async function started(child: ChildProcess, output: string[], what: string, ready: () => Promise<boolean>): Promise<void> {
	const exited = new Promise<never>((_resolve, reject) =>
		child.once('exit', (code, signal) => reject(new Error(`${what} exited during start (code ${code}, signal ${signal}):\n${output.join('\n')}`))),
	)
	exited.catch(() => undefined)
	await Promise.race([waitFor(ready, { timeout: 30_000, interval: 50, what }), exited]).catch((error: unknown) => {
		child.kill('SIGKILL')
		throw error instanceof Error ? new Error(`${error.message}\n${output.join('\n')}`) : error
	})
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
	child.kill(signal)
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
	await exited
	clearTimeout(timer)
}

export async function startRedis(port?: number): Promise<Service> {
	const binary = findInPath('redis-server') ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined)
	if (!binary) throw new Error('redis-server is not installed (not in PATH): apt-get install redis-server')
	const chosen = port ?? (await freePort())
	const child = spawn(binary, ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	const output: string[] = []
	collect(child, output)
	const url = `redis://127.0.0.1:${chosen}`
	await started(child, output, `redis-server on port ${chosen}`, async () => {
		const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
		probe.on('error', () => undefined)
		try {
			await probe.connect()
			return (await probe.ping()) === 'PONG'
		} finally {
			probe.disconnect()
		}
	})
	return { url, port: chosen, child, output, stop: (signal = 'SIGTERM') => stopChild(child, signal) }
}

export interface PostgresService extends Service {
	/** A new empty database of this cluster, as a URL. */
	createDatabase(name: string): Promise<string>
}

/** A throw-away PostgreSQL cluster (initdb in a temp dir), user `maillage` trusted on loopback. */
export async function startPostgres(): Promise<PostgresService> {
	const bin = postgresBinDir()
	const user = unprivilegedUser()
	const dir = mkdtempSync(path.join(tmpdir(), 'maillage-pg-'))
	if (user) chownSync(dir, user.uid, user.gid)
	const data = path.join(dir, 'data')
	const as = user ? { uid: user.uid, gid: user.gid } : {}
	try {
		execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'maillage', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
			...as,
			stdio: 'pipe',
		})
	} catch (error) {
		rmSync(dir, { recursive: true, force: true })
		const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? ''
		throw new Error(`initdb failed: ${error instanceof Error ? error.message : String(error)}\n${stderr}`)
	}
	const port = await freePort()
	// fsync off: the tests kill Maillage processes, never PostgreSQL, whose commits then outlive them anyway.
	const child = spawn(
		path.join(bin, 'postgres'),
		['-D', data, '-k', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
		{ ...as, stdio: ['ignore', 'pipe', 'pipe'] },
	)
	const output: string[] = []
	collect(child, output)
	const admin = `postgresql://maillage@127.0.0.1:${port}/postgres`
	try {
		await started(child, output, `PostgreSQL on port ${port}`, async () => {
			const client = new pg.Client({ connectionString: admin })
			try {
				await client.connect()
				return (await client.query('SELECT 1 AS one')).rows.length === 1
			} finally {
				await client.end().catch(() => undefined)
			}
		})
	} catch (error) {
		rmSync(dir, { recursive: true, force: true })
		throw error
	}
	const createDatabase = async (name: string) => {
		if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`)
		const client = new pg.Client({ connectionString: admin })
		await client.connect()
		try {
			await client.query(`CREATE DATABASE ${name}`)
		} finally {
			await client.end()
		}
		return `postgresql://maillage@127.0.0.1:${port}/${name}`
	}
	return {
		url: await createDatabase('maillage'),
		port,
		child,
		output,
		createDatabase,
		// SIGINT is PostgreSQL's fast shutdown: sessions closed, no waiting for clients.
		stop: async (signal = 'SIGINT') => {
			await stopChild(child, signal)
			rmSync(dir, { recursive: true, force: true })
		},
	}
}
