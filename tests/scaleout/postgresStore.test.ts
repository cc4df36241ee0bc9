import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import pg from 'pg'
import * as Y from 'yjs'
import { hashTokens, newRoomTokens } from '../../server/auth'
import { PostgresStore } from '../../server/persistence/postgres'
import type { StoredVersion } from '../../server/persistence/types'
import { startPostgres, type PostgresService } from '../support/services'

/**
 * The PostgreSQL store on a real cluster: the same contract as SQLite, plus what several
 * processes sharing it need (two store instances stand for two processes).
 */

let postgres: PostgresService
let url: string
const stores: PostgresStore[] = []

async function open(): Promise<PostgresStore> {
	const store = await PostgresStore.connect(url)
	stores.push(store)
	return store
}

beforeAll(async () => {
	postgres = await startPostgres()
	url = await postgres.createDatabase('store_test')
})
afterAll(async () => {
	for (const store of stores) await store.close()
	await postgres?.stop()
})

let roomCount = 0
async function newRoom(store: PostgresStore): Promise<string> {
	const id = `room-${++roomCount}`
	await store.createRoom({ id, title: `Room ${roomCount}`, createdAt: Date.now(), tokens: newRoomTokens().hashes })
	return id
}

/** An update adding `key` to the records map, as a fresh client would send it. */
function updateSetting(key: string, value: unknown): Uint8Array {
	const doc = new Y.Doc()
	doc.getMap('records').set(key, value)
	const update = Y.encodeStateAsUpdate(doc)
	doc.destroy()
	return update
}

function docOf(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc()
	for (const u of updates) Y.applyUpdate(doc, u)
	return doc
}

async function rows(room: string): Promise<number> {
	const client = new pg.Client({ connectionString: url })
	await client.connect()
	try {
		return Number((await client.query('SELECT count(*) AS n FROM updates WHERE room = $1', [room])).rows[0].n)
	} finally {
		await client.end()
	}
}

describe('the contract shared with SQLite', () => {
	test('rooms, tokens, updates in order, compaction', async () => {
		const store = await open()
		const tokens = newRoomTokens()
		const createdAt = Date.now()
		await store.createRoom({ id: 'contract', title: 'Réseau d’Avesnes', createdAt, tokens: tokens.hashes })
		expect(await store.getRoom('contract')).toEqual({ id: 'contract', title: 'Réseau d’Avesnes', createdAt, tokens: tokens.hashes })
		expect(await store.getRoom('nope')).toBeUndefined()
		await expect(store.createRoom({ id: 'contract', title: 'again', createdAt, tokens: tokens.hashes })).rejects.toThrow()
		expect((await store.listRooms()).find((r) => r.id === 'contract')).toEqual({ id: 'contract', title: 'Réseau d’Avesnes', createdAt })

		const rotated = hashTokens(newRoomTokens().tokens)
		await store.setTokens('contract', rotated)
		expect((await store.getRoom('contract'))?.tokens).toEqual(rotated)

		const updates = [1, 2, 3].map((i) => updateSetting(`k${i}`, i))
		await store.appendUpdates('contract', updates.slice(0, 2))
		await store.appendUpdates('contract', [])
		await store.appendUpdates('contract', updates.slice(2))
		expect(await store.loadUpdates('contract')).toEqual(updates)
		// An update for a room that does not exist is refused, not stored.
		await expect(store.appendUpdates('ghost', updates)).rejects.toThrow()

		const doc = docOf(updates)
		await store.compact('contract', Y.encodeStateAsUpdate(doc))
		const compacted = await store.loadUpdates('contract')
		expect(compacted).toHaveLength(1)
		expect(docOf(compacted).getMap('records').toJSON()).toEqual({ k1: 1, k2: 2, k3: 3 })
	})

	test('locks and immutable, numbered versions', async () => {
		const store = await open()
		const room = await newRoom(store)
		expect(await store.getLock(room)).toBeUndefined()
		await store.setLock(room, { at: 1_700_000_000_000, by: { role: 'facilitator', name: 'Anne' } })
		await store.setLock(room, { at: 1_700_000_000_001, by: { role: 'admin' } })
		expect(await store.getLock(room)).toEqual({ at: 1_700_000_000_001, by: { role: 'admin' } })
		await store.setLock(room, undefined)
		expect(await store.getLock(room)).toBeUndefined()

		const version = (id: string, kind: StoredVersion['kind']): Omit<StoredVersion, 'number'> => ({
			id,
			room,
			label: `label ${id}`,
			kind,
			restoring: null,
			createdAt: 1_700_000_000_000,
			createdBy: { role: 'facilitator', name: 'Anne' },
			organisations: 2,
			partnerships: 1,
			issues: 0,
			state: updateSetting('v', id),
			json: `{"id":"${id}"}`,
		})
		const agreed = version('va', 'agreed')
		expect(await store.addVersion(agreed)).toBe(1)
		expect(await store.addVersion(version('vb', 'before-restore'))).toBe(2)
		expect((await store.listVersions(room)).map((v) => [v.id, v.number])).toEqual([
			['vb', 2],
			['va', 1],
		])
		expect((await store.latestVersion(room, 'agreed'))?.id).toBe('va')
		const stored = await store.getVersion(room, 'va')
		expect(stored).toEqual({ ...agreed, number: 1 })
		expect(await store.getVersion('other-room', 'va')).toBeUndefined()

		const client = new pg.Client({ connectionString: url })
		await client.connect()
		try {
			await expect(client.query("UPDATE versions SET label = 'rewritten' WHERE id = 'va'")).rejects.toThrow(/immutable/)
		} finally {
			await client.end()
		}
	})
})

describe('several processes on one database', () => {
	test('two processes starting at once create the schema once, without error', async () => {
		const fresh = await postgres.createDatabase('concurrent_start')
		const started = await Promise.all([1, 2, 3].map(() => PostgresStore.connect(fresh)))
		stores.push(...started)
		const [a, b] = started as [PostgresStore, PostgresStore]
		await a.createRoom({ id: 'shared', title: 'Shared', createdAt: 1, tokens: newRoomTokens().hashes })
		expect((await b.getRoom('shared'))?.title).toBe('Shared')
	})

	test('compactions on two processes at once, with appends going on, lose nothing and duplicate nothing', async () => {
		const [a, b] = [await open(), await open()]
		const room = await newRoom(a)
		const expected: Record<string, number> = {}
		// Each "process" keeps its own document, as a room does, and compacts it while both append.
		const docs = [new Y.Doc(), new Y.Doc()]
		const list = (doc: Y.Doc) => doc.getArray<string>('list')
		const work = [a, b].map(async (store, p) => {
			const doc = docs[p] as Y.Doc
			for (let round = 0; round < 15; round++) {
				const batch: Uint8Array[] = []
				const capture = (update: Uint8Array) => batch.push(update)
				doc.on('update', capture)
				for (let i = 0; i < 4; i++) {
					const key = `p${p}-r${round}-i${i}`
					doc.getMap('records').set(key, round * 10 + i)
					list(doc).push([key])
					expected[key] = round * 10 + i
				}
				doc.off('update', capture)
				await store.appendUpdates(room, batch)
				if (round % 3 === 2) await Promise.all([store.compact(room, Y.encodeStateAsUpdate(doc)), store.compact(room, Y.encodeStateAsUpdate(doc))])
			}
		})
		await Promise.all(work)
		const loaded = docOf(await b.loadUpdates(room))
		expect(loaded.getMap('records').toJSON()).toEqual(expected)
		const items = list(loaded).toArray()
		expect(items).toHaveLength(Object.keys(expected).length)
		expect(new Set(items).size).toBe(items.length)
		await a.compact(room, new Uint8Array([0, 0]))
		expect(await rows(room)).toBe(1)
		expect(docOf(await a.loadUpdates(room)).getMap('records').toJSON()).toEqual(expected)
	})

	test('versions saved by two processes at once get distinct numbers', async () => {
		const [a, b] = [await open(), await open()]
		const room = await newRoom(a)
		const numbers = await Promise.all(
			Array.from({ length: 12 }, (_, i) =>
				(i % 2 === 0 ? a : b).addVersion({
					id: `${room}-v${i}`,
					room,
					label: `v${i}`,
					kind: 'agreed',
					restoring: null,
					createdAt: i,
					createdBy: { role: 'facilitator' },
					organisations: 0,
					partnerships: 0,
					issues: 0,
					state: new Uint8Array([0, 0]),
					json: '{}',
				}),
			),
		)
		expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
	})
})

test('an unreachable database fails with its location and never the password', async () => {
	const error = await PostgresStore.connect(`postgresql://maillage:s3cret-password@127.0.0.1:1/maillage`).catch((e: unknown) => e)
	expect(error).toBeInstanceOf(Error)
	expect((error as Error).message).toMatch(/cannot open the database 127\.0\.0\.1:1\/maillage/)
	expect((error as Error).message).not.toContain('s3cret-password')
})
