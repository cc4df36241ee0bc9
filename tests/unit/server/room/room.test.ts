import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { closeReason } from '../../../../shared/protocol'
import { Room } from '../../../../server/room/room'
import type { RoomHooks } from '../../../../server/room/types'
import { syncStep1Frame, updateFrame } from '../../../support/syncClient'
import { waitFor } from '../../../support/server'
import type { UpdateLog } from '../../../../server/persistence/types'
import { edit, TestPeer } from '../../../support/roomDoubles'

/** An in-memory store whose appends wait until the test lets them through (or fail). */
class GatedStore implements UpdateLog {
	readonly log: Uint8Array[] = []
	readonly appendCalls: number[] = []
	private gate: { open: () => void; fail: (e: Error) => void } | undefined
	gated = true

	release(): void {
		this.gate?.open()
	}
	failNext(): void {
		this.gate?.fail(new Error('disk full'))
	}
	get waiting(): boolean {
		return this.gate !== undefined
	}

	async appendUpdates(_id: string, updates: Uint8Array[]): Promise<void> {
		this.appendCalls.push(updates.length)
		if (this.gated)
			await new Promise<void>((open, fail) => {
				this.gate = { open, fail }
			}).finally(() => (this.gate = undefined))
		this.log.push(...updates)
	}
	async loadUpdates(): Promise<Uint8Array[]> {
		return [...this.log]
	}
	async compact(_id: string, state: Uint8Array): Promise<void> {
		this.log.splice(0, this.log.length, state)
	}
}

async function setup(hooks: RoomHooks = {}) {
	const store = new GatedStore()
	const room = await Room.load('r', { store, compactEvery: 1000, maxPeers: 10, hooks })
	const writer = new TestPeer('participant')
	const other = new TestPeer('participant')
	room.join(writer)
	room.join(other)
	return { store, room, writer, other }
}

const turn = () => new Promise((r) => setImmediate(r))

describe('room core: durable before visible', () => {
	test('an update is relayed only after its append committed', async () => {
		const { store, room, writer, other } = await setup()
		const before = other.received.length
		room.receive(writer, updateFrame(edit('a', 1)))
		await waitFor(() => store.waiting, { what: 'the append to start' })
		await turn()
		expect(other.received.length).toBe(before)
		expect(store.log).toHaveLength(0)
		store.release()
		await waitFor(() => other.doc.getMap('m').get('a') === 1, { what: 'the relay' })
		expect(store.log).toHaveLength(1)
		// Not echoed to its sender.
		expect(writer.doc.getMap('m').has('a')).toBe(false)
	})

	test('a state answer that includes an uncommitted update waits for the commit', async () => {
		const { store, room, writer } = await setup()
		room.receive(writer, updateFrame(edit('b', 2)))
		await waitFor(() => store.waiting, { what: 'the append to start' })
		const newcomer = new TestPeer('viewer')
		room.join(newcomer)
		room.receive(newcomer, syncStep1Frame(newcomer.doc))
		await turn()
		expect(newcomer.doc.getMap('m').has('b')).toBe(false)
		store.release()
		await waitFor(() => newcomer.doc.getMap('m').get('b') === 2, { what: 'the answer' })
	})

	test('updates arriving in one turn are applied together: one stored row, one relayed message', async () => {
		const { store, room, writer, other } = await setup()
		store.gated = false
		const before = other.received.length
		for (let i = 0; i < 10; i++) room.receive(writer, updateFrame(edit(`k${i}`, i)))
		await waitFor(() => other.doc.getMap('m').size === 10, { what: 'all relayed' })
		expect(store.appendCalls).toEqual([1])
		expect(other.received.length - before).toBe(1)
		const reloaded = new Y.Doc()
		Y.applyUpdate(reloaded, store.log[0] as Uint8Array)
		expect(reloaded.getMap('m').toJSON()).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i])))
	})

	test('the document read from outside after applyPending holds the updates of the current turn', async () => {
		const { room, writer } = await setup()
		room.receive(writer, updateFrame(edit('now', 1)))
		room.applyPending()
		expect(room.doc.getMap('m').get('now')).toBe(1)
	})

	test('a failed append closes every peer with 4503 and reports the room as failed', async () => {
		const failures: unknown[] = []
		const { store, room, writer, other } = await setup({ onFailed: (_room, error) => failures.push(error) })
		room.receive(writer, updateFrame(edit('c', 3)))
		await waitFor(() => store.waiting, { what: 'the append to start' })
		const durable = room.whenDurable()
		store.failNext()
		await expect(durable).rejects.toThrow('disk full')
		expect(failures).toHaveLength(1)
		expect(writer.closedWith).toEqual(closeReason.unavailable)
		expect(other.closedWith).toEqual(closeReason.unavailable)
		expect(other.doc.getMap('m').has('c')).toBe(false)
		expect(room.isClosed).toBe(true)
	})
})

/** Decodes as a Yjs update header (one client, one struct) and then runs out of bytes. */
const truncatedUpdate = new Uint8Array([1, 1, 7, 0])

describe('room core: a malformed update in a batch', () => {
	test('closes its sender only; the other updates of the batch land, nothing of it is integrated', async () => {
		const rejected: unknown[] = []
		const { store, room, writer, other } = await setup({ onRejectedFrame: (_room, _peer, error) => rejected.push(error) })
		store.gated = false
		const third = new TestPeer('participant')
		room.join(third)
		expect(() => Y.decodeUpdate(truncatedUpdate)).toThrow()
		room.receive(writer, updateFrame(edit('before', 1)))
		room.receive(other, updateFrame(truncatedUpdate))
		room.receive(third, updateFrame(edit('after', 2)))
		await waitFor(() => store.log.length > 0 && room.doc.getMap('m').size === 2, { what: 'the good updates' })
		expect(other.closedWith).toEqual(closeReason.malformed)
		expect(rejected).toHaveLength(1)
		expect(writer.closedWith).toBeUndefined()
		expect(third.closedWith).toBeUndefined()
		await waitFor(() => writer.doc.getMap('m').get('after') === 2, { what: 'the relay to the writer' })
		expect(room.doc.getMap('m').toJSON()).toEqual({ before: 1, after: 2 })
	})

	test('what its sender sent after it in the same turn is dropped, as frames of a closed connection', async () => {
		const { store, room, writer } = await setup()
		store.gated = false
		room.receive(writer, updateFrame(edit('first', 1)))
		room.receive(writer, updateFrame(truncatedUpdate))
		room.receive(writer, updateFrame(edit('last', 2)))
		await waitFor(() => writer.closedWith !== undefined, { what: 'the sender closed' })
		expect(writer.closedWith).toEqual(closeReason.malformed)
		await room.whenDurable()
		expect(room.doc.getMap('m').toJSON()).toEqual({ first: 1 })
	})
})
