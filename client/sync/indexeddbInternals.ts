import type { IndexeddbPersistence } from 'y-indexeddb'

/*
 * The only module that relies on y-indexeddb internals. tests/unit/client/sync/indexeddbInternals.test.ts
 * checks it on the installed y-indexeddb, so that an upgrade that changes it fails there.
 */

/**
 * The opening of the persistence's database. y-indexeddb keeps it as `_db` and exposes no other
 * way to learn that IndexedDB is blocked or missing (`whenSynced` then never settles).
 */
export function databaseOpening(persistence: IndexeddbPersistence): Promise<IDBDatabase> {
	return persistence._db
}
