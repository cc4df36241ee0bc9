import { afterEach, describe, expect, test } from 'vitest'
import { rmSync } from 'node:fs'
import * as Y from 'yjs'
import { newRoomTokens } from '../../../server/auth'
import { createLogger } from '../../../server/log'
import { createMetrics } from '../../../server/metrics'
import { openSqliteStore } from '../../../server/persistence/sqlite'
import type { Peer } from '../../../server/room'
import { RoomLoadError } from '../../../server/room'
import { Rooms, ShuttingDownError } from '../../../server/rooms'
import { closeReason, type CloseReason } from '../../../shared/protocol'
import { readMetric, tempDataDir, waitFor } from '../../support/server'

/** The room registry on a real SQLite file: loads, holds, idle unloads, failures, shutdown. */

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function setup(options: { roomIdleMs?: number; maxPeersPerRoom?: number } = {}) {
	const dataDir = tempDataDir()
	const store = await openSqliteStore(dataDir)
	const metrics = createMetrics()
	const rooms = new Rooms({
		store,
		metrics,
		log: createLogger('silent'),
		roomIdleMs: options.roomIdleMs ?? 60_000,
		compactEvery: 1000,
		maxPeersPerRoom: options.maxPeersPerRoom ?? 10,
	})
	cleanups.push(async () => {
		await rooms.closeAll()
		await store.close()
		rmSync(dataDir, { recursive: true, force: true })
	})
	for (const id of ['r', 's']) await store.createRoom({ id, title: id, createdAt: 1, tokens: newRoomTokens().hashes })
	const loaded = async () => readMetric(await metrics.registry.metrics(), 'maillage_rooms_loaded')
	return { store, metrics, rooms, loaded }
}

const peer = (): Peer & { closedWith?: CloseReason } => ({
	role: 'participant',
	send() {},
	close(reason) {
		this.closedWith = reason
	},
})

const write = (key: string) => (doc: Y.Doc) => doc.getMap('m').set(key, true)

describe('rooms: loaded once, shared, unloaded when idle', () => {
	test('concurrent opens share one load and one room', async () => {
		const { rooms, loaded } = await setup()
		const [a, b] = await Promise.all([rooms.open('r'), rooms.open('r')])
		expect(a).toBe(b)
		expect(rooms.loaded('r')).toBe(a)
		expect(rooms.loaded('s')).toBeUndefined()
		expect(rooms.loadedCount).toBe(1)
		expect(await loaded()).toBe(1)
		rooms.release(a)
		rooms.release(b)
	})

	test('unloaded roomIdleMs after its last hold and peer left, stored and compacted; the next open reloads it', async () => {
		const { store, rooms, loaded } = await setup({ roomIdleMs: 30 })
		const room = await rooms.open('r')
		const member = peer()
		room.join(member)
		room.transact(write('a'))
		await room.whenDurable()
		room.transact(write('b'))
		rooms.release(room)
		await new Promise((resolve) => setTimeout(resolve, 80))
		// A peer still in the room keeps it.
		expect(rooms.loaded('r')).toBe(room)
		room.leave(member)
		await waitFor(() => rooms.loaded('r') === undefined, { what: 'the unload' })
		await waitFor(async () => (await loaded()) === 0, { what: 'the gauge' })
		expect(room.isClosed).toBe(true)
		expect(await store.loadUpdates('r')).toHaveLength(1)
		const again = await rooms.open('r')
		expect(again).not.toBe(room)
		expect(again.doc.getMap('m').toJSON()).toEqual({ a: true, b: true })
		rooms.release(again)
	})

	test('a hold (an HTTP request) keeps the room past roomIdleMs', async () => {
		const { rooms } = await setup({ roomIdleMs: 20 })
		const room = await rooms.open('r')
		rooms.release(room)
		const kept = await rooms.with('r', async (held) => {
			await new Promise((resolve) => setTimeout(resolve, 60))
			return rooms.loaded('r') === held
		})
		expect(kept).toBe(true)
		await waitFor(() => rooms.loaded('r') === undefined, { what: 'the unload after the hold' })
	})

	test('maxPeersPerRoom is the room’s limit: the next peer is refused', async () => {
		const { rooms } = await setup({ maxPeersPerRoom: 2 })
		await rooms.with('r', (room) => {
			expect([room.join(peer()), room.join(peer()), room.join(peer())]).toEqual([true, true, false])
			expect(room.peerCount).toBe(2)
		})
	})

	test('setStatus reaches the loaded room', async () => {
		const { rooms } = await setup()
		const status = { locked: true, lockedBy: { role: 'facilitator' as const }, lockedAt: 1, agreedVersion: null }
		await rooms.with('r', (room) => {
			rooms.setStatus(room, status)
			expect(room.status).toEqual(status)
		})
	})
})

describe('rooms: failures are not kept', () => {
	test('a room whose updates cannot be read is not kept: RoomLoadError, counted, and the next open tries again', async () => {
		const { store, metrics, rooms } = await setup()
		const loadUpdates = store.loadUpdates.bind(store)
		store.loadUpdates = async () => {
			throw new Error('disk unreadable')
		}
		await expect(rooms.open('r')).rejects.toBeInstanceOf(RoomLoadError)
		expect(rooms.loaded('r')).toBeUndefined()
		expect(readMetric(await metrics.registry.metrics(), 'maillage_room_load_failures_total')).toBe(1)
		store.loadUpdates = loadUpdates
		await rooms.with('r', (room) => expect(room.isClosed).toBe(false))
	})

	test('a room whose append failed is dropped with its peers closed (4503); the next open loads it from the store', async () => {
		const { store, rooms } = await setup()
		const room = await rooms.open('r')
		const member = peer()
		room.join(member)
		room.transact(write('kept'))
		await room.whenDurable()
		const appendUpdates = store.appendUpdates.bind(store)
		store.appendUpdates = async () => {
			throw new Error('disk full')
		}
		room.transact(write('lost'))
		await expect(room.whenDurable()).rejects.toThrow('disk full')
		expect(member.closedWith).toEqual(closeReason.unavailable)
		expect(rooms.loaded('r')).toBeUndefined()
		store.appendUpdates = appendUpdates
		const again = await rooms.open('r')
		expect(again.doc.getMap('m').toJSON()).toEqual({ kept: true })
		rooms.release(again)
	})
})

describe('rooms: shutdown', () => {
	test('closeAll closes every room (peers 1001), waits for a load under way, and refuses that open and later ones', async () => {
		const { rooms } = await setup()
		const room = await rooms.open('r')
		const member = peer()
		room.join(member)
		rooms.release(room)
		const loading = rooms.open('s')
		await rooms.closeAll()
		expect(member.closedWith).toEqual(closeReason.goingAway)
		expect(room.isClosed).toBe(true)
		// The load under way finished and was closed; its caller is told the server is going away.
		await expect(loading).rejects.toBeInstanceOf(ShuttingDownError)
		await expect(rooms.open('r')).rejects.toBeInstanceOf(ShuttingDownError)
	})
})
