import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { Room } from '../../../../server/room/room'
import { syncStep1Frame, updateFrame } from '../../../support/syncClient'
import { waitFor } from '../../../support/server'
import { edit, MemoryUpdateLog, TestPeer } from '../../../support/roomDoubles'

/**
 * Work the room keeps off the path of edits (server/room/room.ts): the whole document stays encoded
 * for new clients and compactions until it changes (`fullState`), so a newcomer must never be
 * served a state older than the room's; and a compaction runs beside the appends.
 */
async function newcomer(room: Room): Promise<Y.Doc> {
	const peer = new TestPeer('viewer')
	room.join(peer)
	room.receive(peer, syncStep1Frame(peer.doc))
	await room.whenDurable()
	await new Promise((r) => setImmediate(r))
	return peer.doc
}

describe('room: the encoded state reused for new clients', () => {
	test('every newcomer gets the current state, also after edits between two of them', async () => {
		const store = new MemoryUpdateLog()
		const room = await Room.load('r', { store, compactEvery: 1000, maxPeers: 10 })
		const writer = new TestPeer('participant')
		room.join(writer)
		room.receive(writer, updateFrame(edit('a', 1)))
		await room.whenDurable()
		expect((await newcomer(room)).getMap('m').toJSON()).toEqual({ a: 1 })
		expect((await newcomer(room)).getMap('m').toJSON()).toEqual({ a: 1 })
		room.receive(writer, updateFrame(edit('b', 2)))
		await waitFor(async () => (await newcomer(room)).getMap('m').get('b') === 2, { what: 'the newcomer to get b' })
		expect((await newcomer(room)).getMap('m').toJSON()).toEqual({ a: 1, b: 2 })
		await room.close()
	})

	test('a compaction after a newcomer stores every edit made since', async () => {
		const store = new MemoryUpdateLog()
		const room = await Room.load('r', { store, compactEvery: 3, maxPeers: 10 })
		const writer = new TestPeer('participant')
		room.join(writer)
		room.receive(writer, updateFrame(edit('a', 1)))
		await room.whenDurable()
		await newcomer(room)
		room.receive(writer, updateFrame(edit('b', 2)))
		await room.whenDurable()
		room.receive(writer, updateFrame(edit('c', 3)))
		await waitFor(() => store.log.length === 1, { what: 'the compaction' })
		const stored = new Y.Doc()
		Y.applyUpdate(stored, store.log[0] as Uint8Array)
		expect(stored.getMap('m').toJSON()).toEqual({ a: 1, b: 2, c: 3 })
		await room.close()
	})
})

describe('room: compaction in the background', () => {
	test('edits are stored and relayed while a slow compaction runs, and nothing is lost', async () => {
		let release = () => {}
		const store = new MemoryUpdateLog()
		const slowCompact = store.compact.bind(store)
		let compactions = 0
		store.compact = async (id, state) => {
			compactions++
			await new Promise<void>((r) => (release = r))
			// As PostgreSQL does: replace only what was there when it started (here: everything before the appends below).
			const appendedMeanwhile = store.log.slice(2)
			await slowCompact(id, state)
			store.log.push(...appendedMeanwhile)
		}
		const room = await Room.load('r', { store, compactEvery: 2, maxPeers: 10 })
		const writer = new TestPeer('participant')
		const reader = new TestPeer('participant')
		room.join(writer)
		room.join(reader)
		room.receive(writer, updateFrame(edit('a', 1)))
		await room.whenDurable()
		room.receive(writer, updateFrame(edit('b', 2)))
		await waitFor(() => compactions === 1, { what: 'the compaction to start' })
		room.receive(writer, updateFrame(edit('c', 3)))
		await waitFor(() => reader.doc.getMap('m').get('c') === 3, { what: 'the edit to be relayed during the compaction' })
		expect(store.log).toHaveLength(3)
		release()
		const closing = room.close()
		await waitFor(() => compactions === 2, { what: 'the compaction on close' })
		release()
		await closing
		const stored = new Y.Doc()
		for (const update of store.log) Y.applyUpdate(stored, update)
		expect(stored.getMap('m').toJSON()).toEqual({ a: 1, b: 2, c: 3 })
	})
})
