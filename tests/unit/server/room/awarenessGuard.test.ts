import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import type { CloseReason, Role } from '../../../../shared/protocol'
import { ROOM_STATUS_FIELD, unlockedStatus, type RoomStatus } from '../../../../shared/roomStatus'
import { AwarenessGuard, MAX_PRESENCES_PER_PEER } from '../../../../server/room/awarenessGuard'
import { MalformedMessageError } from '../../../../server/room/messages'
import type { Peer } from '../../../../server/room/types'

const peer = (role: Role = 'viewer'): Peer => ({ role, send() {}, close(_reason: CloseReason) {} })

const lockedStatus: RoomStatus = { locked: true, lockedBy: { role: 'facilitator' }, lockedAt: 1, agreedVersion: null }

/** What the peers of the room would hold after every broadcast. */
function setup() {
	const seen = new awarenessProtocol.Awareness(new Y.Doc())
	const relayed: Uint8Array[] = []
	const guard = new AwarenessGuard(new Y.Doc(), {
		broadcast: (message) => {
			const decoder = decoding.createDecoder(message)
			expect(decoding.readVarUint(decoder)).toBe(1)
			awarenessProtocol.applyAwarenessUpdate(seen, decoding.readVarUint8Array(decoder), 'server')
		},
		relay: (update) => void relayed.push(update),
	})
	return { guard, seen, relayed }
}

/** `count` clients, each with a state, as one awareness update. */
function clients(count: number, state: (i: number) => Record<string, unknown> = (i) => ({ user: `u${i}` })) {
	const list = Array.from({ length: count }, (_, i) => {
		const awareness = new awarenessProtocol.Awareness(new Y.Doc())
		awareness.setLocalState(state(i))
		return awareness
	})
	const merged = new awarenessProtocol.Awareness(new Y.Doc())
	for (const a of list) awarenessProtocol.applyAwarenessUpdate(merged, awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID]), 'test')
	return { ids: list.map((a) => a.clientID), update: awarenessProtocol.encodeAwarenessUpdate(merged, list.map((a) => a.clientID)) }
}

describe('awareness guard: presence limits', () => {
	test('a peer may bring in MAX_PRESENCES_PER_PEER clients; they are broadcast, relayed, and removed when it leaves', () => {
		const { guard, seen, relayed } = setup()
		const viewer = peer()
		guard.addPeer(viewer)
		const { ids, update } = clients(MAX_PRESENCES_PER_PEER)
		guard.receive(viewer, update)
		for (const id of ids) expect(seen.getStates().has(id)).toBe(true)
		expect(relayed).toHaveLength(1)
		const told = new awarenessProtocol.Awareness(new Y.Doc())
		awarenessProtocol.applyAwarenessUpdate(told, guard.peerStates() as Uint8Array, 'test')
		expect([...told.getStates().keys()].filter((id) => id !== told.clientID).sort()).toEqual([...ids].sort())
		guard.removePeer(viewer)
		for (const id of ids) expect(seen.getStates().has(id)).toBe(false)
		expect(guard.peerStates()).toBeUndefined()
		expect(guard.isEmpty).toBe(true)
	})

	test('one client more is malformed', () => {
		const { guard } = setup()
		const viewer = peer()
		guard.addPeer(viewer)
		expect(() => guard.receive(viewer, clients(MAX_PRESENCES_PER_PEER + 1).update)).toThrow(MalformedMessageError)
	})

	test('a frame naming far more clients than the room knows is refused before it is applied', () => {
		const { guard, seen } = setup()
		const viewer = peer()
		guard.addPeer(viewer)
		const { ids, update } = clients(MAX_PRESENCES_PER_PEER + 5)
		expect(() => guard.receive(viewer, update)).toThrow(/naming/)
		expect(ids.some((id) => seen.getStates().has(id))).toBe(false)
	})
})

/** The states the relayed updates leave in another process. */
function statesIn(updates: Uint8Array[]) {
	const elsewhere = new awarenessProtocol.Awareness(new Y.Doc())
	for (const update of updates) awarenessProtocol.applyAwarenessUpdate(elsewhere, update, 'relay')
	return elsewhere.getStates()
}

describe('awareness guard: only the server speaks for the room', () => {
	test('the status is published as the room’s own entry, the default status as none', () => {
		const { guard, seen } = setup()
		guard.publishStatus(lockedStatus)
		expect(seen.getStates().get(guard.awareness.clientID)).toEqual({ [ROOM_STATUS_FIELD]: lockedStatus })
		guard.publishStatus(unlockedStatus)
		expect(seen.getStates().has(guard.awareness.clientID)).toBe(false)
	})

	test('a peer’s entry carrying a room status is dropped before anyone sees it, and not relayed', () => {
		const { guard, seen, relayed } = setup()
		const viewer = peer()
		guard.addPeer(viewer)
		const { ids, update } = clients(1, () => ({ [ROOM_STATUS_FIELD]: unlockedStatus }))
		guard.receive(viewer, update)
		expect(seen.getStates().has(ids[0] as number)).toBe(false)
		expect(guard.awareness.getStates().has(ids[0] as number)).toBe(false)
		// The other processes hear of it at most as removed.
		expect(statesIn(relayed).has(ids[0] as number)).toBe(false)
	})

	test('a forged copy of the room’s own entry is overwritten by the real one', () => {
		const { guard, seen } = setup()
		guard.publishStatus(lockedStatus)
		const forger = new awarenessProtocol.Awareness(new Y.Doc())
		awarenessProtocol.applyAwarenessUpdate(forger, awarenessProtocol.encodeAwarenessUpdate(guard.awareness, [guard.awareness.clientID]), 'test')
		const clock = (guard.awareness.meta.get(guard.awareness.clientID)?.clock ?? 0) + 5
		// The room's client id, a newer clock, and an unlocked status.
		const forged = new awarenessProtocol.Awareness(new Y.Doc())
		forged.clientID = guard.awareness.clientID
		forged.setLocalState({ [ROOM_STATUS_FIELD]: unlockedStatus })
		forged.meta.set(forged.clientID, { clock, lastUpdated: Date.now() })
		const viewer = peer()
		guard.addPeer(viewer)
		guard.receive(viewer, awarenessProtocol.encodeAwarenessUpdate(forged, [forged.clientID]))
		expect(guard.awareness.getLocalState()).toEqual({ [ROOM_STATUS_FIELD]: lockedStatus })
		expect(seen.getStates().get(guard.awareness.clientID)).toEqual({ [ROOM_STATUS_FIELD]: lockedStatus })
	})

	test('the same from another process: dropped, and states from there are never relayed back', () => {
		const { guard, seen, relayed } = setup()
		const forged = clients(1, () => ({ [ROOM_STATUS_FIELD]: unlockedStatus }))
		guard.receiveRemote(forged.update)
		expect(guard.awareness.getStates().has(forged.ids[0] as number)).toBe(false)
		expect(statesIn(relayed).has(forged.ids[0] as number)).toBe(false)
		const before = relayed.length
		const honest = clients(1)
		guard.receiveRemote(honest.update)
		expect(seen.getStates().has(honest.ids[0] as number)).toBe(true)
		expect(relayed).toHaveLength(before)
	})
})
