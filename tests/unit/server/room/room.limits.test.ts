import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { closeReason } from '../../../../shared/protocol'
import { Room } from '../../../../server/room/room'
import { defaultRoomLimits, type RefusalReason, type RoomLimits } from '../../../../server/room/types'
import { waitFor } from '../../../support/server'
import { updateFrame } from '../../../support/syncClient'
import { edit, MemoryUpdateLog, TestPeer } from '../../../support/roomDoubles'

/** The room core's document limits: its size, and each connection's update budget. */

async function setup(limits: Partial<RoomLimits>) {
	const store = new MemoryUpdateLog()
	const refusals: RefusalReason[] = []
	const room = await Room.load('r', {
		store,
		compactEvery: 1000,
		maxPeers: 10,
		limits: { ...defaultRoomLimits, ...limits },
		hooks: { onRefused: (_room, _peer, reason) => void refusals.push(reason) },
	})
	const big = new TestPeer()
	const small = new TestPeer()
	room.join(big)
	room.join(small)
	return { store, room, big, small, refusals }
}

const stored = async (store: MemoryUpdateLog) => {
	const doc = new Y.Doc()
	for (const update of await store.loadUpdates()) Y.applyUpdate(doc, update)
	return doc.getMap('m')
}

test('an update that would take the room over maxRoomBytes is refused whole; others of the same turn land', async () => {
	const { store, room, big, small, refusals } = await setup({ maxRoomBytes: 10_000 })
	room.receive(big, updateFrame(edit('first', 'x'.repeat(6000))))
	room.receive(small, updateFrame(edit('a', 1)))
	room.receive(big, updateFrame(edit('second', 'y'.repeat(6000))))
	room.receive(small, updateFrame(edit('b', 2)))
	await room.whenDurable()
	expect(big.closedWith).toEqual(closeReason.roomTooLarge)
	expect(small.closedWith).toBeUndefined()
	expect(refusals).toEqual(['room too large'])
	const map = await stored(store)
	expect([...map.keys()].sort()).toEqual(['a', 'b', 'first'])
	expect(room.doc.getMap('m').has('second')).toBe(false)
	// The room is still joinable and small edits go on.
	const newcomer = new TestPeer()
	expect(room.join(newcomer)).toBe(true)
	room.receive(newcomer, updateFrame(edit('c', 3)))
	await room.whenDurable()
	expect((await stored(store)).get('c')).toBe(3)
})

test('a compaction brings the counted size back to the document: deleted content frees room', async () => {
	const store = new MemoryUpdateLog()
	const room = await Room.load('r', { store, compactEvery: 2, maxPeers: 10, limits: { ...defaultRoomLimits, maxRoomBytes: 10_000 } })
	const peer = new TestPeer()
	room.join(peer)
	room.receive(peer, updateFrame(edit('big', 'x'.repeat(6000))))
	await room.whenDurable()
	room.transact((doc) => doc.getMap('m').delete('big'))
	await waitFor(() => store.log.length === 1 && store.log[0]!.byteLength < 1000, { what: 'the compaction' })
	room.receive(peer, updateFrame(edit('again', 'y'.repeat(6000))))
	await room.whenDurable()
	expect(peer.closedWith).toBeUndefined()
	expect((await stored(store)).has('again')).toBe(true)
})

test('past its update budget (messages or bytes) a sender is closed with 4420; the others are not', async () => {
	const { store, room, big, small, refusals } = await setup({ updatesBurst: 3, updatesPerSecond: 1, updateBytesBurst: 5000, updateBytesPerSecond: 1 })
	for (let i = 0; i < 5; i++) room.receive(small, updateFrame(edit(`s${i}`, i)))
	room.receive(big, updateFrame(edit('large', 'z'.repeat(6000))))
	await room.whenDurable()
	expect(small.closedWith).toEqual(closeReason.tooManyUpdates)
	expect(big.closedWith).toEqual(closeReason.tooManyUpdates)
	expect(refusals).toEqual(['update budget', 'update budget'])
	expect([...(await stored(store)).keys()].sort()).toEqual(['s0', 's1', 's2'])
})
