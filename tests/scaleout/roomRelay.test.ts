import { expect, test } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { Room, type RoomRelay } from '../../server/room'
import { ROOM_STATUS_FIELD } from '../../shared/roomStatus'
import { waitFor } from '../support/server'
import { frame, updateFrame } from '../support/syncClient'
import type { UpdateLog } from '../../server/persistence/types'
import { TestPeer } from '../support/roomDoubles'

/**
 * The room core's side of scale-out, without Redis: what it hands to the relay (only durable
 * updates of its own peers, and their awareness) and what it does with what comes from the
 * other processes (relayed to its peers, never stored again nor sent back).
 */

/** A store whose appends wait until the test opens the gate. */
class GatedStore implements UpdateLog {
	readonly appended: Uint8Array[] = []
	private opens: (() => void)[] = []
	get waiting(): number {
		return this.opens.length
	}
	release(): void {
		for (const open of this.opens.splice(0)) open()
	}
	async appendUpdates(_id: string, updates: Uint8Array[]): Promise<void> {
		await new Promise<void>((open) => this.opens.push(open))
		this.appended.push(...updates)
	}
	async loadUpdates(): Promise<Uint8Array[]> {
		return []
	}
	async compact(): Promise<void> {}
}

async function setup() {
	const store = new GatedStore()
	const spy = { updates: [] as Uint8Array[], awarenessUpdates: [] as Uint8Array[] }
	const relay: RoomRelay = {
		updates: (_room, updates) => void spy.updates.push(...updates),
		awareness: (_room, update) => void spy.awarenessUpdates.push(update),
	}
	const room = await Room.load('r', { store, compactEvery: 1000, maxPeers: 10, relay })
	return { store, spy, room }
}

function update(change: (doc: Y.Doc) => void): Uint8Array {
	const doc = new Y.Doc()
	change(doc)
	return Y.encodeStateAsUpdate(doc)
}

const awarenessFrame = (update: Uint8Array) =>
	frame((e) => {
		encoding.writeVarUint(e, 1)
		encoding.writeVarUint8Array(e, update)
	})

test('a peer’s update reaches the other processes only once it is stored', async () => {
	const { store, spy, room } = await setup()
	const writer = new TestPeer('participant')
	room.join(writer)
	room.receive(writer, updateFrame(update((d) => d.getMap('records').set('k', 1))))
	await waitFor(() => store.appended.length === 0 && store.waiting === 1, { what: 'the append to start' })
	expect(spy.updates).toHaveLength(0)
	store.release()
	await waitFor(() => spy.updates.length === 1, { what: 'the relay' })
	expect(store.appended).toHaveLength(1)
	const copy = new Y.Doc()
	Y.applyUpdate(copy, spy.updates[0] as Uint8Array)
	expect(copy.getMap('records').get('k')).toBe(1)
})

test('an update of another process is relayed to the peers here, neither stored again nor sent back', async () => {
	const { store, spy, room } = await setup()
	const peer = new TestPeer('viewer')
	room.join(peer)
	room.receiveRemote(update((d) => d.getMap('records').set('remote', true)))
	expect(peer.doc.getMap('records').get('remote')).toBe(true)
	await new Promise((r) => setTimeout(r, 20))
	expect(store.appended).toHaveLength(0)
	expect(spy.updates).toHaveLength(0)
	// Behind a local update still being stored, it waits its turn (order kept for the peers).
	const writer = new TestPeer('facilitator')
	room.join(writer)
	room.receive(writer, updateFrame(update((d) => d.getMap('records').set('local', 1))))
	room.receiveRemote(update((d) => d.getMap('records').set('remote2', 2)))
	expect(peer.doc.getMap('records').has('remote2')).toBe(false)
	await waitFor(() => store.waiting === 1, { what: 'the append to start' })
	store.release()
	await waitFor(() => peer.doc.getMap('records').get('remote2') === 2 && peer.doc.getMap('records').get('local') === 1, { what: 'both, in order' })
	expect(store.appended).toHaveLength(1)
})

test('peers’ awareness goes to the other processes; theirs comes to the peers here, without echo nor forged statuses', async () => {
	const { spy, room } = await setup()
	room.setStatus({ locked: true, lockedBy: { role: 'facilitator' }, lockedAt: 1, agreedVersion: null })
	expect(spy.awarenessUpdates).toHaveLength(0)
	const peer = new TestPeer('participant')
	room.join(peer)
	peer.awareness.setLocalState({ user: { name: 'Anne' } })
	room.receive(peer, awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(peer.awareness, [peer.awareness.clientID])))
	expect(spy.awarenessUpdates).toHaveLength(1)

	const elsewhere = new awarenessProtocol.Awareness(new Y.Doc())
	elsewhere.setLocalState({ user: { name: 'Bruno' } })
	room.receiveRemoteAwareness(awarenessProtocol.encodeAwarenessUpdate(elsewhere, [elsewhere.clientID]))
	expect((peer.awareness.getStates().get(elsewhere.clientID) as { user: { name: string } }).user.name).toBe('Bruno')
	expect(spy.awarenessUpdates).toHaveLength(1)
	// The room state of the peers here is published only by this process.
	const forger = new awarenessProtocol.Awareness(new Y.Doc())
	forger.setLocalState({ [ROOM_STATUS_FIELD]: { locked: false, lockedBy: null, lockedAt: null, agreedVersion: null } })
	room.receiveRemoteAwareness(awarenessProtocol.encodeAwarenessUpdate(forger, [forger.clientID]))
	expect(peer.awareness.getStates().has(forger.clientID)).toBe(false)
	expect(room.awareness.getStates().has(forger.clientID)).toBe(false)

	// What a newcomer process is told: this process's peers only.
	const told = new awarenessProtocol.Awareness(new Y.Doc())
	awarenessProtocol.applyAwarenessUpdate(told, room.peerAwareness() as Uint8Array, 'test')
	expect([...told.getStates().keys()].filter((id) => id !== told.clientID)).toEqual([peer.awareness.clientID])
	// A peer leaving is gone for the other processes too.
	const before = spy.awarenessUpdates.length
	room.leave(peer)
	expect(spy.awarenessUpdates).toHaveLength(before + 1)
	awarenessProtocol.applyAwarenessUpdate(told, spy.awarenessUpdates.at(-1) as Uint8Array, 'test')
	expect(told.getStates().has(peer.awareness.clientID)).toBe(false)
})
