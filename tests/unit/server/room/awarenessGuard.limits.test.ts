import { expect, test } from 'vitest'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { closeReason, type CloseReason } from '../../../../shared/protocol'
import { AwarenessGuard } from '../../../../server/room/awarenessGuard'
import { LimitExceeded, type Peer, type RefusalReason } from '../../../../server/room/types'
import { waitFor } from '../../../support/server'

/** The presence limits: one state's size, and a connection's rate of changes. */

const peer = (): Peer => ({ role: 'viewer', send() {}, close(_reason: CloseReason) {} })

function setup(limits = { maxPresenceBytes: 1024, presencePerSecond: 20, presenceBurst: 2 }) {
	const broadcasts: Uint8Array[] = []
	const refused: RefusalReason[] = []
	const guard = new AwarenessGuard(new Y.Doc(), { broadcast: (m) => void broadcasts.push(m), refused: (_p, reason) => void refused.push(reason) }, limits)
	return { guard, broadcasts, refused }
}

const client = new awarenessProtocol.Awareness(new Y.Doc())
const state = (fields: Record<string, unknown>) => {
	client.setLocalState(fields)
	return awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID])
}

test('a state over maxPresenceBytes is refused (4431) and never broadcast', () => {
	const { guard, broadcasts } = setup()
	const viewer = peer()
	guard.addPeer(viewer)
	let thrown: unknown
	try {
		guard.receive(viewer, state({ cursor: 'x'.repeat(2000) }))
	} catch (error) {
		thrown = error
	}
	expect(thrown).toBeInstanceOf(LimitExceeded)
	expect((thrown as LimitExceeded).close).toEqual(closeReason.presenceTooLarge)
	expect(broadcasts).toHaveLength(0)
	expect(guard.awareness.getStates().has(client.clientID)).toBe(false)
})

test('changes beyond the burst are coalesced: the latest one arrives, the ones between are dropped', async () => {
	const { guard, broadcasts, refused } = setup()
	const viewer = peer()
	guard.addPeer(viewer)
	for (let x = 0; x < 10; x++) guard.receive(viewer, state({ x }))
	expect(broadcasts).toHaveLength(2)
	expect(refused).toHaveLength(7)
	await waitFor(() => broadcasts.length === 3, { what: 'the held change' })
	expect(guard.awareness.getStates().get(client.clientID)).toEqual({ x: 9 })
	// An echo of what the room already holds changes nothing and is not charged.
	for (let i = 0; i < 10; i++) guard.receive(viewer, awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]))
	expect(broadcasts).toHaveLength(3)
	guard.destroy()
})
