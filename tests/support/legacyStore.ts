import * as Y from 'yjs'
import { hashTokens } from '../../server/auth'
import type { RoomLock, RoomRecord, Store, StoredVersion } from '../../server/persistence/types'

/**
 * What the fixtures in tests/support/fixtures hold: a store written by Maillage before its
 * schema was versioned (`legacy.sqlite` by the SQLite store, `legacy-postgres.sql` a pg_dump of
 * the PostgreSQL store). Opening them must keep all of it.
 */

/** A deterministic update: `records.<key> = value`, written by client `client`. */
export function legacyUpdate(client: number, key: string, value: unknown): Uint8Array {
	const doc = new Y.Doc()
	doc.clientID = client
	doc.getMap('records').set(key, value)
	const update = Y.encodeStateAsUpdate(doc)
	doc.destroy()
	return update
}

export const legacyRoom: RoomRecord = {
	id: 'legacy-room',
	title: 'Réseau d’Avesnes',
	createdAt: 1_700_000_000_000,
	tokens: hashTokens({ facilitator: 'legacy-facilitator-token', participant: 'legacy-participant-token', viewer: 'legacy-viewer-token' }),
}

export const legacyUpdates = [1, 2, 3].map((i) => legacyUpdate(i, `k${i}`, i))

export const legacyLock: RoomLock = { at: 1_700_000_000_500, by: { role: 'facilitator', name: 'Anne' } }

export const legacyVersions: StoredVersion[] = [
	{
		id: 'legacy-v1',
		room: legacyRoom.id,
		number: 1,
		label: 'Agreed in March',
		kind: 'agreed',
		restoring: null,
		createdAt: 1_700_000_000_100,
		createdBy: { role: 'facilitator', name: 'Anne' },
		organisations: 2,
		partnerships: 1,
		issues: 0,
		state: legacyUpdate(9, 'v', 1),
		json: '{"version":1}',
	},
	{
		id: 'legacy-v2',
		room: legacyRoom.id,
		number: 2,
		label: 'Agreed in March',
		kind: 'before-restore',
		restoring: 'legacy-v1',
		createdAt: 1_700_000_000_200,
		createdBy: { role: 'admin' },
		organisations: 3,
		partnerships: 2,
		issues: 1,
		state: legacyUpdate(9, 'v', 2),
		json: '{"version":2}',
	},
]

/** How the fixtures were written (with the store of that time). */
export async function writeLegacyContent(store: Store): Promise<void> {
	await store.createRoom(legacyRoom)
	await store.createRoom({ ...legacyRoom, id: 'legacy-empty', title: 'Empty', createdAt: legacyRoom.createdAt + 1 })
	await store.appendUpdates(legacyRoom.id, legacyUpdates.slice(0, 2))
	await store.appendUpdates(legacyRoom.id, legacyUpdates.slice(2))
	await store.setLock(legacyRoom.id, legacyLock)
	for (const { number: _number, ...version } of legacyVersions) await store.addVersion(version)
}
