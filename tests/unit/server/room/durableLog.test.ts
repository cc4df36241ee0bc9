import { afterEach, describe, expect, test } from 'vitest'
import { rmSync } from 'node:fs'
import * as Y from 'yjs'
import { newRoomTokens } from '../../../../server/auth'
import { openSqliteStore } from '../../../../server/persistence/sqlite'
import { DurableLog, type DurableLogOptions, type LoggedUpdate } from '../../../../server/room/durableLog'
import { tempDataDir } from '../../../support/server'
import type { UpdateLog } from '../../../../server/persistence/types'

/**
 * The outbox of a room without a room nor sockets: what is appended is written by `flush`, and
 * nothing (updates, tasks, `whenDurable`) leaves before the updates appended before it are stored.
 */

/** A store whose appends wait for the test to open (or fail) them, one gate per append. */
class GatedStore implements UpdateLog {
	readonly rows: Uint8Array[] = []
	private gates: { open: () => void; fail: (e: Error) => void }[] = []
	compactions = 0
	get waiting(): number {
		return this.gates.length
	}
	release(): void {
		this.gates.shift()?.open()
	}
	failNext(): void {
		this.gates.shift()?.fail(new Error('disk full'))
	}
	async appendUpdates(_id: string, updates: Uint8Array[]): Promise<void> {
		await new Promise<void>((open, fail) => this.gates.push({ open, fail }))
		this.rows.push(...updates)
	}
	async loadUpdates(): Promise<Uint8Array[]> {
		return [...this.rows]
	}
	async compact(_id: string, state: Uint8Array): Promise<void> {
		this.compactions++
		this.rows.splice(0, this.rows.length, state)
	}
}

const update = (key: string) => {
	const doc = new Y.Doc()
	doc.getMap('m').set(key, true)
	return Y.encodeStateAsUpdate(doc)
}

function logOver(store: DurableLogOptions['store'], overrides: Partial<DurableLogOptions> = {}) {
	const delivered: LoggedUpdate[][] = []
	const stored: Uint8Array[][] = []
	const failures: unknown[] = []
	const state = new Y.Doc()
	const log = new DurableLog({
		name: 'r',
		store,
		storedCount: 0,
		compactEvery: 1000,
		fullState: () => Y.encodeStateAsUpdate(state),
		deliver: (updates) => void delivered.push([...updates]),
		onStored: (updates) => void stored.push(updates),
		onFailed: (error) => void failures.push(error),
		...overrides,
	})
	/** Appends to the log and to the document its compactions encode. */
	const append = (u: Uint8Array, origin: unknown = 'peer') => {
		Y.applyUpdate(state, u)
		log.append(u, origin)
	}
	return { log, append, delivered, stored, failures }
}

const tick = () => new Promise((r) => setImmediate(r))

describe('durable log over SQLite', () => {
	const dirs: string[] = []
	afterEach(() => {
		for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
	})

	async function openStore(dir = tempDataDir()) {
		dirs.push(dir)
		return { dir, store: await openSqliteStore(dir) }
	}

	test('a flush writes every update appended since as one batch, then delivers them, then hands them to the relay', async () => {
		const { dir, store } = await openStore()
		await store.createRoom({ id: 'r', title: 'R', createdAt: 1, tokens: newRoomTokens().hashes })
		const { log, append, delivered, stored } = logOver(store)
		append(update('a'), 'alice')
		append(update('b'), 'alice')
		expect(log.isDurable).toBe(false)
		expect(delivered).toEqual([])
		await log.flush()
		expect(log.isDurable).toBe(true)
		expect(delivered).toHaveLength(1)
		expect(delivered[0]?.map((d) => d.origin)).toEqual(['alice', 'alice'])
		expect(stored).toHaveLength(1)
		await store.close()
		// Durable means in the file: a new store on the same directory reads both.
		const reopened = await openSqliteStore(dir)
		const doc = new Y.Doc()
		for (const row of await reopened.loadUpdates('r')) Y.applyUpdate(doc, row)
		expect(doc.getMap('m').toJSON()).toEqual({ a: true, b: true })
		await reopened.close()
	})

	test('compacts into one row once the log holds compactEvery rows, and on close when fragmented', async () => {
		const { store } = await openStore()
		await store.createRoom({ id: 'r', title: 'R', createdAt: 1, tokens: newRoomTokens().hashes })
		const { log, append } = logOver(store, { compactEvery: 3 })
		for (const key of ['a', 'b', 'c']) {
			append(update(key))
			await log.flush()
		}
		await log.settle()
		expect(await store.loadUpdates('r')).toHaveLength(1)
		append(update('d'))
		await log.flush()
		expect(await store.loadUpdates('r')).toHaveLength(2)
		await log.compactIfFragmented()
		const rows = await store.loadUpdates('r')
		expect(rows).toHaveLength(1)
		const doc = new Y.Doc()
		Y.applyUpdate(doc, rows[0] as Uint8Array)
		expect(doc.getMap('m').toJSON()).toEqual({ a: true, b: true, c: true, d: true })
		await store.close()
	})
})

describe('durable log: nothing leaves before what was appended before it is stored', () => {
	test('tasks and whenDurable wait for the updates appended before them, not for later ones', async () => {
		const store = new GatedStore()
		const { log, append } = logOver(store)
		const ran: string[] = []
		log.afterDurable(() => ran.push('at once'))
		expect(ran).toEqual(['at once'])
		append(update('a'))
		log.afterDurable(() => ran.push('after a'))
		const durable = log.whenDurable().then(() => ran.push('whenDurable'))
		void log.flush()
		append(update('b'))
		log.afterDurable(() => ran.push('after b'))
		await tick()
		expect(ran).toEqual(['at once'])
		store.release()
		await durable
		expect(ran).toEqual(['at once', 'after a', 'whenDurable'])
		// The running flush picks up b by itself.
		await tick()
		store.release()
		await log.settle()
		expect(ran).toEqual(['at once', 'after a', 'whenDurable', 'after b'])
	})

	test('an update stored by another process is delivered behind the local updates applied before it', async () => {
		const store = new GatedStore()
		const { log, append, delivered } = logOver(store)
		log.appendStored(update('r1'), 'remote')
		expect(delivered.map((batch) => batch.map((d) => d.origin))).toEqual([['remote']])
		append(update('local'), 'alice')
		log.appendStored(update('r2'), 'remote')
		void log.flush()
		await tick()
		expect(delivered).toHaveLength(1)
		store.release()
		await log.settle()
		// Consecutive updates leave together, in the order they were applied; the remote one is not stored here.
		expect(delivered.map((batch) => batch.map((d) => d.origin))).toEqual([['remote'], ['alice', 'remote']])
		expect(store.rows).toHaveLength(1)
	})

	test('a task between two runs of updates splits them', async () => {
		const store = new GatedStore()
		const { log, append, delivered } = logOver(store)
		const seen: number[] = []
		append(update('a'), 'alice')
		log.afterDurable(() => seen.push(delivered.length))
		append(update('b'), 'bob')
		void log.flush()
		await tick()
		store.release()
		await log.settle()
		expect(seen).toEqual([1])
		expect(delivered.map((batch) => batch.map((d) => d.origin))).toEqual([['alice'], ['bob']])
	})

	test('a failed append fails the waiting tasks, reports once, and nothing is delivered', async () => {
		const store = new GatedStore()
		const { log, append, delivered, stored, failures } = logOver(store)
		append(update('a'))
		const durable = log.whenDurable()
		void log.flush()
		await tick()
		store.failNext()
		await expect(durable).rejects.toThrow('disk full')
		expect(failures).toHaveLength(1)
		expect(log.failed).toBe(true)
		expect(delivered).toEqual([])
		expect(stored).toEqual([])
		await expect(log.whenDurable()).rejects.toThrow('room r failed')
		append(update('b'))
		await log.flush()
		expect(store.waiting).toBe(0)
	})

	test('a compaction runs beside the appends that follow it', async () => {
		let finishCompaction = () => {}
		const store = new GatedStore()
		store.compact = async (_id, state) => {
			store.compactions++
			await new Promise<void>((r) => (finishCompaction = r))
			store.rows.splice(0, 2, state)
		}
		const { log, append, delivered } = logOver(store, { compactEvery: 2 })
		for (const key of ['a', 'b']) {
			append(update(key))
			void log.flush()
			await tick()
			store.release()
			await log.flush()
		}
		expect(store.compactions).toBe(1)
		append(update('c'))
		void log.flush()
		await tick()
		store.release()
		await log.flush()
		expect(delivered).toHaveLength(3)
		finishCompaction()
		await log.settle()
		expect(store.rows).toHaveLength(2)
	})
})
