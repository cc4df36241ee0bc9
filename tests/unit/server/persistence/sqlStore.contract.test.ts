import { afterAll, afterEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { hashTokens, newRoomTokens } from '../../../../server/auth'
import type { Store, StoredVersion } from '../../../../server/persistence/types'
import { legacyLock, legacyRoom, legacyUpdates, legacyVersions } from '../../../support/legacyStore'
import { postgresBackend, sqliteBackend, type Engine, type TestDatabase } from '../../../support/sqlBackends'

/**
 * The contract of the SQL store, the same on both engines: SQLite on a temp file, PostgreSQL on
 * a throw-away cluster. What only several processes on one PostgreSQL database need is in
 * tests/scaleout/postgresStore.test.ts.
 */

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

function version(room: string, id: string, kind: StoredVersion['kind']): Omit<StoredVersion, 'number'> {
	return {
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
	}
}

const MARKER = new Uint8Array([0xff, 0x00, 0xff])

/** Makes the database refuse, from now on, every update row that is MARKER or belongs to room `frozen`. */
async function refuseInserts(engine: Engine, db: TestDatabase, frozen: string): Promise<void> {
	if (engine === 'sqlite') {
		await db.raw(`CREATE TRIGGER refuse BEFORE INSERT ON updates WHEN NEW.data = X'ff00ff' OR NEW.room = '${frozen}'
			BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
	} else {
		await db.raw(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
				IF NEW.data = '\\xff00ff'::bytea OR NEW.room = '${frozen}' THEN RAISE EXCEPTION 'refused by the test'; END IF;
				RETURN NEW;
			END $$;
			CREATE TRIGGER refuse BEFORE INSERT ON updates FOR EACH ROW EXECUTE FUNCTION refuse();`)
	}
}

const TABLES = ['rooms', 'updates', 'room_locks', 'versions']
async function dump(db: TestDatabase): Promise<Record<string, unknown[]>> {
	const tables: Record<string, unknown[]> = {}
	for (const table of TABLES) tables[table] = await db.raw(`SELECT * FROM ${table} ORDER BY 1`)
	return tables
}

describe.each([sqliteBackend(), postgresBackend()])('the SQL store on $engine', (backend) => {
	afterEach(() => backend.closeStores())
	afterAll(() => backend.stop())

	async function fresh(): Promise<{ db: TestDatabase; store: Store }> {
		const db = await backend.fresh()
		return { db, store: await db.open() }
	}

	let roomCount = 0
	async function newRoom(store: Store): Promise<string> {
		const id = `room-${++roomCount}`
		await store.createRoom({ id, title: `Room ${roomCount}`, createdAt: Date.now(), tokens: newRoomTokens().hashes })
		return id
	}

	test('rooms and their tokens', async () => {
		const { store } = await fresh()
		const tokens = newRoomTokens()
		const createdAt = Date.now()
		await store.createRoom({ id: 'contract', title: 'Réseau d’Avesnes', createdAt, tokens: tokens.hashes })
		expect(await store.getRoom('contract')).toEqual({ id: 'contract', title: 'Réseau d’Avesnes', createdAt, tokens: tokens.hashes })
		expect(await store.getRoom('nope')).toBeUndefined()
		await expect(store.createRoom({ id: 'contract', title: 'again', createdAt, tokens: tokens.hashes })).rejects.toThrow()
		await store.createRoom({ id: 'older', title: 'Older', createdAt: createdAt - 1, tokens: tokens.hashes })
		expect(await store.listRooms()).toEqual([
			{ id: 'older', title: 'Older', createdAt: createdAt - 1 },
			{ id: 'contract', title: 'Réseau d’Avesnes', createdAt },
		])

		const rotated = hashTokens(newRoomTokens().tokens)
		await store.setTokens('contract', rotated)
		expect((await store.getRoom('contract'))?.tokens).toEqual(rotated)
		expect((await store.getRoom('older'))?.tokens).toEqual(tokens.hashes)
	})

	test('the update log: appends in order, compaction into one row', async () => {
		const { store } = await fresh()
		const room = await newRoom(store)
		expect(await store.loadUpdates(room)).toEqual([])
		const updates = [1, 2, 3].map((i) => updateSetting(`k${i}`, i))
		await store.appendUpdates(room, updates.slice(0, 2))
		await store.appendUpdates(room, [])
		await store.appendUpdates(room, updates.slice(2))
		expect(await store.loadUpdates(room)).toEqual(updates)
		// An update for a room that does not exist is refused, not stored.
		await expect(store.appendUpdates('ghost', updates)).rejects.toThrow()
		expect(await store.loadUpdates('ghost')).toEqual([])

		const doc = docOf(updates)
		await store.compact(room, Y.encodeStateAsUpdate(doc))
		const compacted = await store.loadUpdates(room)
		expect(compacted).toHaveLength(1)
		expect(docOf(compacted).getMap('records').toJSON()).toEqual({ k1: 1, k2: 2, k3: 3 })
		const later = updateSetting('k4', 4)
		await store.appendUpdates(room, [later])
		expect((await store.loadUpdates(room)).at(-1)).toEqual(later)
	})

	test('a batch larger than one statement is stored whole, in order', async () => {
		const { store } = await fresh()
		const room = await newRoom(store)
		const updates = Array.from({ length: 1234 }, (_, i) => updateSetting(`k${i}`, i))
		await store.appendUpdates(room, updates)
		expect(await store.loadUpdates(room)).toEqual(updates)
	})

	test('a failed append stores none of its batch, and nothing another room stored meanwhile is lost', async () => {
		const { db, store } = await fresh()
		const [room, other] = [await newRoom(store), await newRoom(store)]
		const before = [updateSetting('kept', 1)]
		await store.appendUpdates(room, before)
		await refuseInserts(backend.engine, db, 'no-room')
		// The refused row comes in the third statement of the batch: the first two are rolled back.
		const batch = Array.from({ length: 1200 }, (_, i) => (i === 1100 ? MARKER : updateSetting(`k${i}`, i)))
		const failing = store.appendUpdates(room, batch)
		// Appends to another room, one per turn of the microtask queue: some arrive while the batch's transaction is open.
		const others: Uint8Array[] = []
		const appending: Promise<void>[] = []
		for (let i = 0; i < 50; i++) {
			await Promise.resolve()
			others.push(updateSetting(`other${i}`, i))
			appending.push(store.appendUpdates(other, [others[i] as Uint8Array]))
		}
		await expect(failing).rejects.toThrow(/refused by the test/)
		await Promise.all(appending)
		expect(await store.loadUpdates(room)).toEqual(before)
		// Not chained (unlike a room's), so in any order, but every one.
		const stored = await store.loadUpdates(other)
		expect(stored).toHaveLength(others.length)
		expect(docOf(stored).getMap('records').toJSON()).toEqual(docOf(others).getMap('records').toJSON())
	})

	test('a failed compaction leaves the log as it was', async () => {
		const { db, store } = await fresh()
		const room = await newRoom(store)
		const updates = [1, 2, 3].map((i) => updateSetting(`k${i}`, i))
		await store.appendUpdates(room, updates)
		await refuseInserts(backend.engine, db, room)
		await expect(store.compact(room, Y.encodeStateAsUpdate(docOf(updates)))).rejects.toThrow(/refused by the test/)
		expect(await store.loadUpdates(room)).toEqual(updates)
	})

	test('locks', async () => {
		const { store } = await fresh()
		const room = await newRoom(store)
		expect(await store.getLock(room)).toBeUndefined()
		await store.setLock(room, { at: 1_700_000_000_000, by: { role: 'facilitator', name: 'Anne' } })
		expect(await store.getLock(room)).toEqual({ at: 1_700_000_000_000, by: { role: 'facilitator', name: 'Anne' } })
		await store.setLock(room, { at: 1_700_000_000_001, by: { role: 'admin' } })
		expect(await store.getLock(room)).toEqual({ at: 1_700_000_000_001, by: { role: 'admin' } })
		await store.setLock(room, undefined)
		expect(await store.getLock(room)).toBeUndefined()
		await expect(store.setLock('ghost', { at: 1, by: { role: 'admin' } })).rejects.toThrow()
	})

	test('versions: numbered per room, listed newest first, immutable', async () => {
		const { db, store } = await fresh()
		const [room, other] = [await newRoom(store), await newRoom(store)]
		expect(await store.listVersions(room)).toEqual([])
		expect(await store.latestVersion(room, 'agreed')).toBeUndefined()
		const agreed = version(room, 'va', 'agreed')
		expect(await store.addVersion(agreed)).toBe(1)
		expect(await store.addVersion({ ...version(room, 'vb', 'before-restore'), restoring: 'va' })).toBe(2)
		expect(await store.addVersion(version(other, 'vc', 'agreed'))).toBe(1)
		expect((await store.listVersions(room)).map((v) => [v.id, v.number])).toEqual([
			['vb', 2],
			['va', 1],
		])
		expect((await store.latestVersion(room, 'agreed'))?.id).toBe('va')
		expect((await store.latestVersion(room, 'before-restore'))?.restoring).toBe('va')
		const { state: _state, json: _json, ...summary } = { ...agreed, number: 1 }
		expect((await store.listVersions(room)).at(-1)).toEqual(summary)
		expect(await store.getVersion(room, 'va')).toEqual({ ...agreed, number: 1 })
		expect(await store.getVersion('other-room', 'va')).toBeUndefined()
		await expect(store.addVersion(agreed)).rejects.toThrow()

		await expect(db.raw("UPDATE versions SET label = 'rewritten' WHERE id = 'va'")).rejects.toThrow(/immutable/)
		expect((await store.getVersion(room, 'va'))?.label).toBe('label va')
	})

	test('a row the code does not expect fails the read, naming the column', async () => {
		const { db, store } = await fresh()
		const room = await newRoom(store)
		await store.addVersion(version(room, 'va', 'agreed'))
		await db.raw("INSERT INTO versions SELECT 'vx', room, 2, label, 'draft', restoring, created_at, by_role, by_name, organisations, partnerships, issues, state, json FROM versions")
		await expect(store.listVersions(room)).rejects.toThrow(/kind/)
	})

	describe('migrations', () => {
		test('a new database gets the schema and its record', async () => {
			const { db } = await fresh()
			expect(await db.raw('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual([{ version: 1, name: 'rooms, update log, locks and versions' }])
			expect(await dump(db)).toEqual({ rooms: [], updates: [], room_locks: [], versions: [] })
		})

		test('opening again applies nothing', async () => {
			const { db, store } = await fresh()
			await newRoom(store)
			const applied = await db.raw('SELECT * FROM schema_migrations')
			const before = await dump(db)
			await store.close()
			await db.open()
			expect(await db.raw('SELECT * FROM schema_migrations')).toEqual(applied)
			expect(await dump(db)).toEqual(before)
		})

		test('a database migrated by a newer Maillage is refused', async () => {
			const { db, store } = await fresh()
			await store.close()
			await db.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 0)")
			await expect(db.open()).rejects.toThrow(/cannot open the database .*its schema is version 99, made by a newer Maillage \(this one knows up to 1\)/)
		})

		test('a database written before migrations existed opens unchanged and keeps working', async () => {
			const db = await backend.fresh()
			await db.restoreLegacy()
			const before = await dump(db)
			expect(before.updates).toHaveLength(3)
			const store = await db.open()
			expect(await dump(db)).toEqual(before)
			expect(await db.raw('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }])

			expect(await store.getRoom(legacyRoom.id)).toEqual(legacyRoom)
			expect((await store.listRooms()).map((r) => r.id)).toEqual([legacyRoom.id, 'legacy-empty'])
			expect(await store.loadUpdates(legacyRoom.id)).toEqual(legacyUpdates)
			expect(await store.getLock(legacyRoom.id)).toEqual(legacyLock)
			expect(await store.listVersions(legacyRoom.id)).toEqual(
				[...legacyVersions].reverse().map(({ state: _state, json: _json, ...summary }) => summary),
			)
			for (const v of legacyVersions) expect(await store.getVersion(legacyRoom.id, v.id)).toEqual(v)

			const next = updateSetting('k4', 4)
			await store.appendUpdates(legacyRoom.id, [next])
			expect(await store.loadUpdates(legacyRoom.id)).toEqual([...legacyUpdates, next])
			expect(await store.addVersion(version(legacyRoom.id, 'v3', 'agreed'))).toBe(3)
			await store.setLock(legacyRoom.id, undefined)
			expect(await store.getLock(legacyRoom.id)).toBeUndefined()
			await store.compact(legacyRoom.id, Y.encodeStateAsUpdate(docOf([...legacyUpdates, next])))
			expect(docOf(await store.loadUpdates(legacyRoom.id)).getMap('records').toJSON()).toEqual({ k1: 1, k2: 2, k3: 3, k4: 4 })
			await expect(db.raw("UPDATE versions SET label = 'rewritten' WHERE id = 'legacy-v1'")).rejects.toThrow(/immutable/)
		})
	})
})
