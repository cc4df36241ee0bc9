import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { databaseOpening } from '../../../../client/sync/indexeddbInternals'

// This relies on the installed y-indexeddb's internals: an upgrade that changes them must fail here.

describe('databaseOpening', () => {
	it('is the opening of the room database, settled before the persistence syncs', async () => {
		const persistence = new IndexeddbPersistence('maillage-internals-test', new Y.Doc())
		const opening = databaseOpening(persistence)
		expect(opening).toBeInstanceOf(Promise)
		const db = await opening
		expect(db.name).toBe('maillage-internals-test')
		expect([...db.objectStoreNames]).toContain('updates')
		await persistence.whenSynced
		await persistence.destroy()
	})

	it('rejects when IndexedDB cannot be opened', async () => {
		const { indexedDB } = globalThis
		const failing = { open: () => { throw new DOMException('blocked', 'SecurityError') } }
		Object.defineProperty(globalThis, 'indexedDB', { value: failing, configurable: true, writable: true })
		try {
			const persistence = new IndexeddbPersistence('maillage-blocked', new Y.Doc())
			// y-indexeddb also chains on it without a catch: that rejection is expected here.
			const unhandled = (reason: unknown) => void reason
			process.on('unhandledRejection', unhandled)
			await expect(databaseOpening(persistence)).rejects.toThrow('blocked')
			await new Promise((resolve) => setTimeout(resolve, 10))
			process.off('unhandledRejection', unhandled)
		} finally {
			Object.defineProperty(globalThis, 'indexedDB', { value: indexedDB, configurable: true, writable: true })
		}
	})
})
