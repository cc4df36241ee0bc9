import { afterEach, describe, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import type { TLInstancePresence, TLRecord } from 'tldraw'
import { attachPresence, presenceIdOf, readPeers } from '../../../../client/sync/presence'
import { readRecords } from '../../../../shared/ydoc/recordCodec'
import { bindPeer } from '../../../support/syncNetwork'

/** Relays awareness updates between peers, as the server does. */
function linkAwareness(...awarenesses: Awareness[]) {
	for (const from of awarenesses)
		from.on('update', ({ added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>, origin: unknown) => {
			if (origin === 'relay') return
			const update = encodeAwarenessUpdate(from, [...added, ...updated, ...removed])
			for (const to of awarenesses) if (to !== from) applyAwarenessUpdate(to, update, 'relay')
		})
}

const cleanups: (() => void)[] = []
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup()
	vi.useRealTimers()
})

function setup() {
	const a = bindPeer(new Y.Doc())
	const b = bindPeer(new Y.Doc())
	const awarenessA = new Awareness(a.doc)
	const awarenessB = new Awareness(b.doc)
	cleanups.push(() => awarenessA.destroy(), () => awarenessB.destroy())
	linkAwareness(awarenessA, awarenessB)
	// The session records an editor would create (instance, pointer, camera, page state).
	a.store.mergeRemoteChanges(() => {})
	b.store.mergeRemoteChanges(() => {})
	return { a, b, awarenessA, awarenessB }
}

describe('presence over awareness', () => {
	test('cursors and selections reach the other store, never the document, and leave with the peer', () => {
		vi.useFakeTimers()
		const { a, b, awarenessA, awarenessB } = setup()
		const presenceA = attachPresence(a.store, awarenessA, { id: 'alice', name: 'Alice', colour: '#e03131' })
		const presenceB = attachPresence(b.store, awarenessB, { id: 'bob', name: 'Bob', colour: '#1971c2' })
		cleanups.push(() => presenceB.dispose())

		a.store.update('pointer:pointer' as TLRecord['id'], (p) => ({ ...p, x: 120, y: 45 }) as TLRecord)
		vi.advanceTimersByTime(200)
		const seen = b.store.get(presenceIdOf(awarenessA.clientID)) as TLInstancePresence | undefined
		expect(seen).toMatchObject({ userName: 'Alice', color: '#e03131', cursor: { x: 120, y: 45 }, userId: 'user:alice' })
		expect(a.store.get(presenceIdOf(awarenessA.clientID))).toBeUndefined()

		expect(readPeers(awarenessB)).toEqual([{ id: 'alice', name: 'Alice', colour: '#e03131', clientId: awarenessA.clientID }])
		presenceA.setUser({ id: 'alice', name: 'Alice M.', colour: '#e03131' })
		vi.advanceTimersByTime(200)
		expect(readPeers(awarenessB)[0]?.name).toBe('Alice M.')
		expect((b.store.get(presenceIdOf(awarenessA.clientID)) as TLInstancePresence).userName).toBe('Alice M.')

		for (const peer of [a, b]) expect(readRecords(peer.doc).map((r) => r.typeName).sort()).toEqual(['document', 'page'])

		// Alice leaves (tab closed): her cursor goes.
		removeAwarenessStates(awarenessA, [awarenessA.clientID], 'left')
		expect(b.store.get(presenceIdOf(awarenessA.clientID))).toBeUndefined()
		expect(readPeers(awarenessB)).toEqual([])
		presenceA.dispose()
	})

	test('publishing is throttled', () => {
		vi.useFakeTimers()
		const { a, awarenessA } = setup()
		const presence = attachPresence(a.store, awarenessA, { id: 'alice', name: 'Alice', colour: '#000' })
		cleanups.push(() => presence.dispose())
		vi.advanceTimersByTime(200)
		let updates = 0
		awarenessA.on('change', () => updates++)
		for (let i = 0; i < 50; i++) {
			a.store.update('pointer:pointer' as TLRecord['id'], (p) => ({ ...p, x: i }) as TLRecord)
			vi.advanceTimersByTime(4)
		}
		vi.advanceTimersByTime(200)
		expect(updates).toBeGreaterThan(0)
		expect(updates).toBeLessThanOrEqual(4)
		const published = awarenessA.getLocalState() as { presence?: TLInstancePresence } | null
		expect(published?.presence?.cursor?.x).toBe(49)
	})

	test('a malformed remote presence is ignored, not fatal', () => {
		const { b, awarenessA, awarenessB } = setup()
		const presence = attachPresence(b.store, awarenessB, { id: 'bob', name: 'Bob', colour: '#000' })
		cleanups.push(() => presence.dispose())
		awarenessA.setLocalState({ user: { id: 7 }, presence: { cursor: 'nope' } })
		expect(b.store.get(presenceIdOf(awarenessA.clientID))).toBeUndefined()
		expect(readPeers(awarenessB)).toEqual([])
	})
})
