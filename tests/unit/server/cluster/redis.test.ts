import { rmSync } from 'node:fs'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { ROOM_CHANNEL_PREFIX } from '../../../../server/cluster/redis'
import { openSqliteStore } from '../../../../server/persistence/sqlite'
import type { Store } from '../../../../server/persistence/types'
import type { Room } from '../../../../server/room'
import { clusterMessage, RecordingRoom, recordUpdate, settle, startRelayProcess, type RelayProcess } from '../../../support/relayProcess'
import { freePort, tempDataDir, waitFor } from '../../../support/server'
import { startRedis, type Service } from '../../../support/services'

/**
 * The Redis relay between server processes, on a real redis-server: each `RelayProcess` is the
 * relay of one process, with rooms that record what reaches them. Redis going away is in
 * redis.outage.test.ts.
 */

let redis: Service
let raw: Redis
let dir: string
let store: Store
const started: RelayProcess[] = []

beforeAll(async () => {
	redis = await startRedis()
	raw = new Redis(redis.url)
	dir = tempDataDir()
	store = await openSqliteStore(dir)
})
afterEach(async () => {
	await Promise.all(started.splice(0).map((p) => p.cluster.close()))
})
afterAll(async () => {
	raw?.disconnect()
	await store?.close()
	if (dir) rmSync(dir, { recursive: true, force: true })
	await redis?.stop()
})

async function processes(n: number): Promise<RelayProcess[]> {
	const list: RelayProcess[] = []
	for (let i = 0; i < n; i++) list.push(await startRelayProcess(redis.url, store))
	started.push(...list)
	return list
}
const subscribers = async (room: string) => (await raw.pubsub('NUMSUB', ROOM_CHANNEL_PREFIX + room))[1]
const maillageConnections = async () => ((await raw.client('LIST')) as string).split('\n').filter((line) => / name=maillage-/.test(line)).length

describe('between two processes', () => {
	test('an update relayed by one process reaches the room of the other, never its own', async () => {
		const [a, b] = (await processes(2)) as [RelayProcess, RelayProcess]
		const [roomA, roomB] = [await a.join('doc'), await b.join('doc')]
		const one = recordUpdate('one', 1)
		a.cluster.relay.updates('doc', [one])
		await waitFor(() => roomB.has('one'), { what: 'the update at b' })
		expect(roomB.updates).toEqual([one])
		// Several updates of one call go as one, merged; none at all publishes nothing.
		a.cluster.relay.updates('doc', [recordUpdate('two'), recordUpdate('three')])
		a.cluster.relay.updates('doc', [])
		await waitFor(() => roomB.has('three'), { what: 'the merged update at b' })
		expect(roomB.updates).toHaveLength(2)
		expect(roomB.has('two')).toBe(true)
		expect([await a.count('out', 'update'), await b.count('in', 'update')]).toEqual([2, 2])
		// b's subscription got the markers of a after a's own messages: a's room had them by then.
		b.cluster.relay.updates('doc', [recordUpdate('from-b')])
		await settle(b, a, 'doc')
		await settle(a, b, 'doc')
		expect(roomA.has('one') || roomA.has('two')).toBe(false)
		expect(roomA.has('from-b')).toBe(true)
		expect(roomB.has('from-b')).toBe(false)
	})

	test('rooms are isolated: a room’s messages reach only the processes holding that very room', async () => {
		const [a, b] = (await processes(2)) as [RelayProcess, RelayProcess]
		await a.join('alpha')
		await a.join('beta')
		const [alphaB, betaB] = [await b.join('alpha'), await b.join('beta')]
		a.cluster.relay.updates('alpha', [recordUpdate('alpha-only')])
		a.cluster.relay.awareness('alpha', new Uint8Array([1, 2, 3]))
		a.cluster.statusChanged('alpha')
		a.cluster.tokensRotated('alpha', ['viewer'])
		// A room b does not hold: its rotations never reach b.
		a.cluster.tokensRotated('gamma', ['viewer'])
		await settle(a, b, 'alpha')
		await settle(a, b, 'beta')
		await waitFor(() => alphaB.statuses.length === 1, { what: 'the status read of alpha' })
		expect(alphaB.has('alpha-only')).toBe(true)
		expect(alphaB.awareness).toEqual([new Uint8Array([1, 2, 3])])
		expect(betaB.has('alpha-only')).toBe(false)
		expect([betaB.awareness, betaB.statuses]).toEqual([[], []])
		expect(b.rotated).toEqual([{ room: 'alpha', roles: ['viewer'] }])
	})

	test('awareness: what one process relays reaches the others, and a newcomer asks for the peers already there', async () => {
		const [a, b, c] = (await processes(3)) as [RelayProcess, RelayProcess, RelayProcess]
		const roomA = await a.join('presence')
		roomA.peers = new Uint8Array([7, 7])
		const roomB = await b.join('presence')
		// b's attach asked; a, which has peers, answered.
		await waitFor(() => roomB.awareness.length === 1, { what: 'a’s peers at b' })
		expect(roomB.awareness).toEqual([new Uint8Array([7, 7])])
		a.cluster.relay.awareness('presence', new Uint8Array([8]))
		await waitFor(() => roomB.awareness.length === 2, { what: 'a’s awareness change at b' })
		expect(roomB.awareness[1]).toEqual(new Uint8Array([8]))
		// b has no peers: asked by c, it answers nothing (a answers again).
		const roomC = await c.join('presence')
		await waitFor(async () => (await b.count('in', 'queryAwareness')) === 1 && roomC.awareness.length === 1, { what: 'c’s question' })
		expect(roomC.awareness).toEqual([new Uint8Array([7, 7])])
		expect(await b.count('out', 'awareness')).toBe(0)
		await settle(b, a, 'presence')
		expect(roomA.awareness).toEqual([])
	})

	test('a status change makes the other processes read the room status from the store', async () => {
		await store.createRoom({ id: 'status', title: 'Status', createdAt: 1, tokens: { facilitator: 'f', participant: 'p', viewer: 'v' } })
		const [a, b] = (await processes(2)) as [RelayProcess, RelayProcess]
		const [roomA, roomB] = [await a.join('status'), await b.join('status')]
		await store.setLock('status', { by: { role: 'facilitator', name: 'Flo' }, at: 5 })
		a.cluster.statusChanged('status')
		await waitFor(() => roomB.lastStatus?.locked, { what: 'the lock at b' })
		expect(roomB.lastStatus).toEqual({ locked: true, lockedBy: { role: 'facilitator', name: 'Flo' }, lockedAt: 5, agreedVersion: null })
		await store.setLock('status', undefined)
		a.cluster.statusChanged('status')
		a.cluster.statusChanged('status')
		await waitFor(() => roomB.statuses.length === 3, { what: 'both reads at b' })
		expect(roomB.statuses.slice(1).map((s) => s.locked)).toEqual([false, false])
		await settle(b, a, 'status')
		expect(roomA.statuses).toEqual([])
	})

	test('rotated tokens reach the other processes at once, even while their room is still loading; unknown roles are dropped', async () => {
		const [a, b] = (await processes(2)) as [RelayProcess, RelayProcess]
		await a.join('tokens')
		await b.cluster.watch('tokens')
		a.cluster.tokensRotated('tokens', ['participant', 'viewer'])
		await waitFor(() => b.rotated.length === 1, { what: 'the rotation at b' })
		expect(b.rotated).toEqual([{ room: 'tokens', roles: ['participant', 'viewer'] }])
		await raw.publish(ROOM_CHANNEL_PREFIX + 'tokens', clusterMessage(3, new TextEncoder().encode('admin,facilitator,root')))
		await waitFor(() => b.rotated.length === 2, { what: 'the foreign rotation at b' })
		expect(b.rotated[1]).toEqual({ room: 'tokens', roles: ['facilitator'] })
		expect(a.rotated).toEqual([{ room: 'tokens', roles: ['facilitator'] }])
	})

	test('what arrives before a room is attached waits for it and applies on attach, the updates as one', async () => {
		await store.createRoom({ id: 'early', title: 'Early', createdAt: 1, tokens: { facilitator: 'f', participant: 'p', viewer: 'v' } })
		await store.setLock('early', { by: { role: 'facilitator' }, at: 9 })
		const [a, b] = (await processes(2)) as [RelayProcess, RelayProcess]
		await a.join('early')
		await b.cluster.watch('early')
		a.cluster.relay.updates('early', [recordUpdate('first')])
		a.cluster.relay.updates('early', [recordUpdate('second')])
		a.cluster.relay.awareness('early', new Uint8Array([4]))
		a.cluster.statusChanged('early')
		a.cluster.tokensRotated('early', ['viewer'])
		await waitFor(() => b.rotated.length === 1, { what: 'the rotation, after the rest' })
		const room = new RecordingRoom('early')
		b.cluster.attach(room as unknown as Room)
		expect(room.updates).toHaveLength(1)
		expect([room.has('first'), room.has('second')]).toEqual([true, true])
		expect(room.awareness).toEqual([new Uint8Array([4])])
		await waitFor(() => room.lastStatus?.locked, { what: 'the status read on attach' })
		// Attaching a room that is not watched (its load outlived an unwatch) does nothing.
		expect(() => b.cluster.attach(new RecordingRoom('never') as unknown as Room)).not.toThrow()
	})
})

test('malformed or foreign messages on a room’s channel are logged and ignored; the next ones still apply', async () => {
	const [a, b] = (await processes(2)) as [RelayProcess, RelayProcess]
	const room = await b.join('garbage')
	const channel = ROOM_CHANNEL_PREFIX + 'garbage'
	const garbage = [
		Buffer.alloc(0),
		Buffer.from('hello, not a cluster message'),
		Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
		clusterMessage(9, new Uint8Array([1])),
		clusterMessage(0, new Uint8Array([1])).subarray(0, -1),
		clusterMessage(0, new Uint8Array([0xff, 0x01, 0x02, 0x03])),
	]
	for (const message of garbage) await raw.publish(channel, message)
	// And one from a process that is gone: a real update, applied like any other.
	await raw.publish(channel, clusterMessage(0, recordUpdate('foreign')))
	await settle(a, b, 'garbage')
	expect(room.has('foreign')).toBe(true)
	const errors = b.logs.filter((line) => line.msg === 'a message from another process could not be applied')
	expect(errors).toHaveLength(garbage.length)
})

test('unwatch stops a room’s messages and its subscription; a room can be watched again', async () => {
	const [a, b] = (await processes(2)) as [RelayProcess, RelayProcess]
	await a.join('leaving')
	const first = await b.join('leaving')
	await b.join('staying')
	expect(await subscribers('leaving')).toBe(2)
	b.cluster.unwatch('leaving')
	await waitFor(async () => (await subscribers('leaving')) === 1, { what: 'b’s unsubscription' })
	a.cluster.relay.updates('leaving', [recordUpdate('after-unwatch')])
	a.cluster.tokensRotated('leaving', ['viewer'])
	a.cluster.statusChanged('leaving')
	await settle(a, b, 'staying')
	expect([first.has('after-unwatch'), first.statuses, b.rotated]).toEqual([false, [], []])
	const again = await b.join('leaving')
	a.cluster.relay.updates('leaving', [recordUpdate('watched-again')])
	await waitFor(() => again.has('watched-again'), { what: 'the update in the room watched again' })
	expect(first.has('watched-again')).toBe(false)
})

test('close releases both connections of a process and its subscriptions, leaving no open handle', async () => {
	const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length
	await waitFor(async () => (await maillageConnections()) === 0, { what: 'the processes of the other tests to be gone' })
	const before = handles()
	const [a] = (await processes(1)) as [RelayProcess]
	await a.join('closing')
	a.cluster.relay.updates('closing', [recordUpdate('queued')])
	expect([await subscribers('closing'), await maillageConnections()]).toEqual([1, 2])
	await a.cluster.close()
	expect([await subscribers('closing'), await maillageConnections()]).toEqual([0, 0])
	await waitFor(() => handles() <= before, { timeout: 2000, what: 'the sockets to be released' })
})

test('a Redis that cannot be reached fails the start with where, never the credentials', async () => {
	const port = await freePort()
	await expect(startRelayProcess(`redis://maillage:s3cret@127.0.0.1:${port}`, store)).rejects.toThrow(
		new RegExp(`^cannot reach Redis at 127\\.0\\.0\\.1:${port}: (?!.*s3cret)`),
	)
})
