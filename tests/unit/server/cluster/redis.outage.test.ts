import { rmSync } from 'node:fs'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { ROOM_CHANNEL_PREFIX } from '../../../../server/cluster/redis'
import { openSqliteStore } from '../../../../server/persistence/sqlite'
import type { Store } from '../../../../server/persistence/types'
import type { Room } from '../../../../server/room'
import { RecordingRoom, recordUpdate, startRelayProcess, type RelayProcess } from '../../../support/relayProcess'
import { tempDataDir, waitFor } from '../../../support/server'
import { startRedis, type Service } from '../../../support/services'

/**
 * The Redis relay when its connection to Redis is lost: one process's subscription killed by
 * Redis (CLIENT KILL), or Redis itself killed (SIGKILL) and started again on the same port.
 */

let redis: Service
let dir: string
let store: Store
const started: RelayProcess[] = []

beforeAll(async () => {
	redis = await startRedis()
	dir = tempDataDir()
	store = await openSqliteStore(dir)
	for (const id of ['blip', 'outage', 'loading'])
		await store.createRoom({ id, title: id, createdAt: 1, tokens: { facilitator: 'f', participant: 'p', viewer: 'v' } })
})
afterEach(async () => {
	await Promise.all(started.splice(0).map((p) => p.cluster.close()))
})
afterAll(async () => {
	await store?.close()
	if (dir) rmSync(dir, { recursive: true, force: true })
	await redis?.stop()
})

async function startProcess(subscribeTimeoutMs?: number): Promise<RelayProcess> {
	const p = await startRelayProcess(redis.url, store, subscribeTimeoutMs)
	started.push(p)
	return p
}
/** Kills Redis; SIGKILL closes its sockets, so the relays see it at once. */
const killRedis = () => redis.stop('SIGKILL')
async function restartRedis(): Promise<void> {
	redis = await startRedis(redis.port)
}
async function withRaw<T>(use: (raw: Redis) => Promise<T>): Promise<T> {
	const raw = new Redis(redis.url)
	try {
		return await use(raw)
	} finally {
		raw.disconnect()
	}
}
const subscribers = (room: string) => withRaw(async (raw) => (await raw.pubsub('NUMSUB', ROOM_CHANNEL_PREFIX + room))[1] as number)
/** Closes, on Redis's side, the connection a process receives its rooms' messages on. */
const killSubscription = (p: RelayProcess) =>
	withRaw(async (raw) => {
		const line = ((await raw.client('LIST')) as string).split('\n').find((l) => l.includes(` name=maillage-sub-${p.id} `))
		const id = line?.match(/^id=(\d+) /)?.[1]
		if (!id) throw new Error(`no subscriber connection of ${p.id}`)
		await raw.client('KILL', 'ID', id)
	})
async function resyncs(p: RelayProcess): Promise<number> {
	return (await p.metrics.registry.getSingleMetric('maillage_cluster_resyncs_total')?.get())?.values[0]?.value ?? 0
}

test('a process whose subscription was lost reads its rooms again, and it and the others tell each other their peers', async () => {
	const [a, b] = [await startProcess(), await startProcess()]
	const roomA = await a.join('blip')
	roomA.peers = new Uint8Array([5])
	const roomB = await b.join('blip')
	roomB.peers = new Uint8Array([6])
	await waitFor(() => roomB.awareness.length === 1, { what: 'a’s peers at b' })
	// Stored by a process whose message a missed.
	await store.appendUpdates('blip', [recordUpdate('missed')])
	await store.setLock('blip', { by: { role: 'facilitator' }, at: 3 })
	await killSubscription(a)
	await waitFor(() => roomA.has('missed') && roomA.lastStatus?.locked, { what: 'a to read the room again' })
	await waitFor(() => roomA.awareness.length === 1 && roomB.awareness.length === 2, { what: 'the peers of each at the other' })
	expect([roomA.awareness, roomB.awareness[1]]).toEqual([[new Uint8Array([6])], new Uint8Array([5])])
	expect([await resyncs(a), await resyncs(b), roomB.has('missed')]).toEqual([1, 0, false])
	a.cluster.relay.updates('blip', [recordUpdate('after')])
	b.cluster.relay.updates('blip', [recordUpdate('after-b')])
	await waitFor(() => roomB.has('after') && roomA.has('after-b'), { what: 'the relay both ways again' })
})

test('Redis back: every room is read again from the store, subscriptions come back, a room loading meanwhile is read on attach', async () => {
	const [a, b] = [await startProcess(), await startProcess()]
	const roomA = await a.join('outage')
	const roomB = await b.join('outage')
	await b.join('gone')
	await b.cluster.watch('loading')

	await killRedis()
	// What a third process stored meanwhile, whose messages were lost with Redis.
	await store.appendUpdates('outage', [recordUpdate('missed')])
	await store.setLock('outage', { by: { role: 'facilitator' }, at: 3 })
	await store.appendUpdates('loading', [recordUpdate('missed-while-loading')])
	b.cluster.unwatch('gone')
	await restartRedis()

	await waitFor(() => roomB.has('missed') && roomA.has('missed'), { what: 'both processes to read the room again' })
	await waitFor(() => roomB.lastStatus?.locked && roomA.lastStatus?.locked, { what: 'both processes to read the status again' })
	expect([await resyncs(a), await resyncs(b)]).toEqual([1, 1])
	expect(b.logs.some((line) => line.msg === 'Redis connection back: reading the rooms again')).toBe(true)

	// Loaded before the store had that update, the room gets it from the store when attached.
	const loading = new RecordingRoom('loading')
	b.cluster.attach(loading as unknown as Room)
	await waitFor(() => loading.has('missed-while-loading'), { what: 'the read of the room that was loading' })
	expect(await resyncs(b)).toBe(2)

	a.cluster.relay.updates('outage', [recordUpdate('after')])
	await waitFor(() => roomB.has('after'), { what: 'the subscription to come back' })
	await waitFor(async () => (await subscribers('gone')) === 0, { what: 'the room unwatched during the outage to stay unsubscribed' })
	expect(await subscribers('outage')).toBe(2)
})

test('while Redis is away, a load fails after subscribeTimeoutMs, and close ends at once, for good', async () => {
	const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length
	const before = handles()
	const p = await startProcess(300)
	await p.join('outage')
	await killRedis()
	try {
		const watching = Date.now()
		await expect(p.cluster.watch('late')).rejects.toThrow(new RegExp(`^no subscription from Redis at 127\\.0\\.0\\.1:${redis.port} within 300 ms$`))
		expect(Date.now() - watching).toBeLessThan(1000)
		p.cluster.unwatch('late')
		// Queued for Redis's return, which close does not wait for.
		p.cluster.relay.updates('outage', [recordUpdate('never sent')])
		const closed = await Promise.race([p.cluster.close().then(() => true), new Promise((r) => setTimeout(r, 1000, false))])
		expect(closed).toBe(true)
		await waitFor(() => handles() <= before, { timeout: 2000, what: 'the sockets and reconnection timers to be released' })
	} finally {
		await restartRedis()
	}
})
