import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import pg from 'pg'
import * as Y from 'yjs'
import { newRoomTokens } from '../../server/auth'
import { openPostgresStore } from '../../server/persistence/postgres'
import type { SqlStore } from '../../server/persistence/sqlStore'
import type { Store } from '../../server/persistence/types'
import { startPostgres, type PostgresService } from '../support/services'

/**
 * The PostgreSQL store on a real cluster: what several processes sharing it need (two store
 * instances stand for two processes). The contract it shares with SQLite is in
 * tests/unit/server/persistence/sqlStore.contract.test.ts.
 */

let postgres: PostgresService
let url: string
const stores: Store[] = []

async function open(): Promise<Store> {
	const store = await openPostgresStore(url)
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
async function newRoom(store: Store): Promise<string> {
	const id = `room-${++roomCount}`
	await store.createRoom({ id, title: `Room ${roomCount}`, createdAt: Date.now(), tokens: newRoomTokens().hashes })
	return id
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

describe('several processes on one database', () => {
	test('two processes starting at once create the schema once, without error', async () => {
		const fresh = await postgres.createDatabase('concurrent_start')
		const started = await Promise.all([1, 2, 3].map(() => openPostgresStore(fresh)))
		stores.push(...started)
		const [a, b] = started as [SqlStore, SqlStore]
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
	const error = await openPostgresStore(`postgresql://maillage:s3cret-password@127.0.0.1:1/maillage`).catch((e: unknown) => e)
	expect(error).toBeInstanceOf(Error)
	expect((error as Error).message).toMatch(/cannot open the database 127\.0\.0\.1:1\/maillage/)
	expect((error as Error).message).not.toContain('s3cret-password')
})
