import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { ServerProcess, tempDataDir, waitFor } from '../support/server'
import { RawSocket, stockClient, synced } from '../support/syncClient'
import { random, reportFigures, testSeed } from '../support/seeded'

/**
 * A DATA_DIR the server cannot use, or a database it cannot read, must stop it with a clear
 * message and a non-zero exit (or make the room refuse with a reason): never an empty document
 * served, and never the damaged file overwritten.
 */

const DATABASE = 'maillage.sqlite'
let cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup()
	cleanups = []
})

/** Starts the server expecting it to fail; its exit and what it printed. */
async function failedStart(dataDir: string, env: Record<string, string | undefined> = {}) {
	let started: ServerProcess | undefined
	const error = await ServerProcess.start({ dataDir, env }).then(
		(s) => {
			started = s
			return undefined
		},
		(e: unknown) => String(e),
	)
	if (started) {
		await started.stop({ keepData: true })
		throw new Error('the server started')
	}
	return error ?? ''
}

/**
 * A directory nobody may write to. As root, permissions do not stop writes: the directory is
 * made immutable instead (chattr +i, ext4 and others); undefined when neither is possible here.
 */
function readOnlyDir(fill?: (dir: string) => void): string | undefined {
	const dir = tempDataDir()
	fill?.(dir)
	chmodSync(dir, 0o555)
	const writable = () => {
		try {
			writeFileSync(path.join(dir, 'probe'), '')
			rmSync(path.join(dir, 'probe'))
			return true
		} catch {
			return false
		}
	}
	if (writable()) {
		try {
			execFileSync('chattr', ['+i', dir], { stdio: 'ignore' })
		} catch {
			// Not supported on this file system.
		}
	}
	cleanups.push(() => {
		try {
			execFileSync('chattr', ['-i', dir], { stdio: 'ignore' })
		} catch {
			// Was not immutable.
		}
		chmodSync(dir, 0o755)
		rmSync(dir, { recursive: true, force: true })
	})
	return writable() ? undefined : dir
}

test('DATA_DIR under a regular file: a clear error naming it, exit non-zero', async () => {
	const parent = tempDataDir()
	cleanups.push(() => rmSync(parent, { recursive: true, force: true }))
	writeFileSync(path.join(parent, 'file'), 'not a directory')
	const dataDir = path.join(parent, 'file', 'data')
	const error = await failedStart(dataDir)
	expect(error).toMatch(/server exited during start/)
	expect(error).toContain(dataDir)
	expect(error).toMatch(/ENOTDIR|not a directory/i)
})

test.each([
	['with MAILLAGE_ADMIN_TOKEN (the database cannot be created)', {}],
	['without it (the admin token cannot be stored)', { MAILLAGE_ADMIN_TOKEN: undefined }],
])('DATA_DIR read-only, %s: a clear error naming it, exit non-zero', async (_name, env) => {
	const dataDir = readOnlyDir()
	if (!dataDir) return console.warn('cannot make a read-only directory here: case not run')
	const error = await failedStart(dataDir, env)
	expect(error).toContain(dataDir)
	expect(error).toMatch(/read-only|permission|not permitted|EACCES|EPERM|EROFS|unable to open/i)
})

test('DATA_DIR read-only with a database in it: refused at start, the database untouched', async () => {
	const source = await ServerProcess.start()
	const room = await source.createRoom('Read-only')
	const writer = stockClient(source.wsUrl, room.room, room.tokens.participant)
	await synced(writer)
	writer.doc.getMap('records').set('kept', 1)
	await waitFor(async () => (await source.api(`/api/rooms/${room.room}/issues`, { token: room.tokens.viewer })).ok)
	writer.destroy()
	expect((await source.kill('SIGTERM')).code).toBe(0)
	const database = readFileSync(path.join(source.dataDir, DATABASE))
	const dataDir = readOnlyDir((dir) => writeFileSync(path.join(dir, DATABASE), database))
	rmSync(source.dataDir, { recursive: true, force: true })
	if (!dataDir) return console.warn('cannot make a read-only directory here: case not run')
	const error = await failedStart(dataDir)
	expect(error).toContain(dataDir)
	expect(readFileSync(path.join(dataDir, DATABASE)).equals(database)).toBe(true)
})

test('a database file that is not SQLite: a clear error naming it, exit non-zero, the file untouched', async () => {
	const dataDir = tempDataDir()
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
	const junk = Buffer.from('this is not a database '.repeat(500))
	writeFileSync(path.join(dataDir, DATABASE), junk)
	const error = await failedStart(dataDir)
	expect(error).toContain(path.join(dataDir, DATABASE))
	expect(error).toMatch(/not a database/)
	expect(readFileSync(path.join(dataDir, DATABASE)).equals(junk)).toBe(true)
})

/**
 * Damaged pages (a disk error, a bad copy): whatever page is hit, the server either refuses to
 * start, or the room refuses with a reason, or it serves the room exactly as it was. Never a
 * smaller or empty document.
 */
test('seeded page corruption of the database: refused, or served whole, never served partly', async () => {
	const seed = testSeed('page corruption', 7303)
	const rnd = random(seed)
	const source = await ServerProcess.start()
	cleanups.push(() => source.stop())
	const room = await source.createRoom('Corruption')
	const writer = stockClient(source.wsUrl, room.room, room.tokens.participant)
	await synced(writer)
	// Many small rows (no compaction) and some large ones: the log spans many pages.
	for (let i = 0; i < 300; i++) writer.doc.getMap('records').set(`k${i}`, { i, text: 'y'.repeat(i % 7 === 0 ? 3000 : 40) })
	const expected = writer.doc.getMap('records').toJSON()
	const check = stockClient(source.wsUrl, room.room, room.tokens.viewer)
	await synced(check)
	await waitFor(() => check.doc.getMap('records').size === 300, { what: 'every edit stored' })
	check.destroy()
	writer.destroy()
	expect((await source.kill('SIGTERM')).code).toBe(0)
	const pristine = readFileSync(path.join(source.dataDir, DATABASE))
	const PAGE = 4096
	const pages = pristine.length / PAGE
	const outcomes = { refusedAtStart: 0, roomRefused: 0, servedWhole: 0 }

	for (let round = 0; round < 5; round++) {
		// Page 1 holds the header and the schema: hit the others, where rooms and updates live.
		const page = 1 + rnd.int(pages - 1)
		const damaged = Buffer.from(pristine)
		damaged.set(randomBytes(rnd, PAGE), page * PAGE)
		const dataDir = tempDataDir()
		cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
		mkdirSync(dataDir, { recursive: true })
		writeFileSync(path.join(dataDir, DATABASE), damaged)
		const where = `round ${round}, page ${page} of ${pages}`

		let server: ServerProcess
		try {
			server = await ServerProcess.start({ dataDir })
		} catch (error) {
			expect(String(error), where).toMatch(/malformed|corrupt|not a database/i)
			outcomes.refusedAtStart++
			continue
		}
		cleanups.push(() => server.stop({ keepData: true }))
		const socket = RawSocket.to(server.wsUrl, room.room, room.tokens.viewer)
		const outcome = await Promise.race([
			socket.waitClosed().then((closed) => ({ closed })),
			socket.opened.then(async () => {
				const reader = stockClient(server.wsUrl, room.room, room.tokens.viewer)
				try {
					await synced(reader)
					return { served: reader.doc.getMap('records').toJSON() }
				} catch {
					return { closed: reader.closes[0] ?? { code: 0, reason: 'no sync' } }
				} finally {
					reader.destroy()
				}
			}),
		])
		socket.close()
		if ('served' in outcome) {
			expect(outcome.served, where).toEqual(expected)
			outcomes.servedWhole++
		} else {
			// 4503 "could not be loaded", or 503 at the upgrade when the room's own row cannot be read.
			const refusal = outcome.closed.code === -1 ? `HTTP ${socket.unexpectedStatus}` : outcome.closed.code
			expect([4503, 'HTTP 503'], `${where}: ${JSON.stringify(outcome.closed)}`).toContain(refusal)
			outcomes.roomRefused++
		}
		await server.stop({ keepData: true })
	}
	reportFigures('page corruption', { seed, ...outcomes })
})

function randomBytes(rnd: ReturnType<typeof random>, n: number): Buffer {
	return Buffer.from(rnd.bytes(n))
}
