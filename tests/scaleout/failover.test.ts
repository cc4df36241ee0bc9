import { afterEach, expect, test } from 'vitest'
import pg from 'pg'
import * as Y from 'yjs'
import { waitFor } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'
import { startTestCluster, wouldAdd, type TestCluster } from '../support/cluster'

/**
 * Processes dying and compacting: a process killed with SIGKILL loses nothing any peer of any
 * process had received, its clients carry on through another process, and two processes
 * compacting one room at once keep all of it.
 */

let cluster: TestCluster | undefined
let clients: StockClient[] = []
afterEach(async () => {
	for (const c of clients) c.destroy()
	clients = []
	await cluster?.stop()
	cluster = undefined
})

function track(c: StockClient): StockClient {
	clients.push(c)
	return c
}

test('SIGKILL of a process: nothing a peer of any process had received is lost, and its clients go on through another', async () => {
	// Compaction runs during the burst on both processes too.
	cluster = await startTestCluster(2, { COMPACT_EVERY: '16' })
	const [p1, p2] = cluster.servers as [NonNullable<TestCluster['servers'][0]>, NonNullable<TestCluster['servers'][0]>]
	const room = await p1.createRoom('SIGKILL')
	const writers = [
		track(stockClient(p1.wsUrl, room.room, room.tokens.participant)),
		track(stockClient(p1.wsUrl, room.room, room.tokens.facilitator)),
		track(stockClient(p2.wsUrl, room.room, room.tokens.participant)),
	]
	const onP1 = track(stockClient(p1.wsUrl, room.room, room.tokens.viewer))
	const onP2 = track(stockClient(p2.wsUrl, room.room, room.tokens.viewer))
	await Promise.all([...writers, onP1, onP2].map((c) => synced(c)))

	// The kill happens in the update handler of the observer on process 2, the instant it has
	// received 300 edits of process 1's writers (through Redis).
	const KILL_AFTER = 300
	let fromP1 = 0
	let killed = false
	onP2.doc.getMap('records').observe((event) => {
		for (const key of event.keysChanged) if (/^w[01]-/.test(key)) fromP1++
		if (killed || fromP1 < KILL_AFTER) return
		killed = true
		p1.child.kill('SIGKILL')
	})
	let written = 0
	const writing = setInterval(() => {
		if (killed) return
		for (const [i, w] of writers.entries()) for (let b = 0; b < 3; b++) w.doc.getMap('records').set(`w${i}-${written++}`, { by: i, text: 'x'.repeat(40) })
	}, 2)
	try {
		await waitFor(() => killed, { timeout: 30_000, what: `the observer to receive ${KILL_AFTER} edits of process 1` })
	} finally {
		clearInterval(writing)
	}
	expect((await p1.exited).signal).toBe('SIGKILL')
	// What the peers had received when process 1 died; nobody sends anything until it is checked.
	for (const c of [...writers.slice(0, 2), onP1]) c.provider.disconnect()
	const seenOnP2 = Y.encodeStateAsUpdate(onP2.doc)
	const seenOnP1 = Y.encodeStateAsUpdate(onP1.doc)
	const writer3 = writers[2] as StockClient
	const seenByWriter3 = Y.encodeStateAsUpdate(writer3.doc)
	writer3.provider.disconnect()

	// A process that never held the room reads it from the shared store alone.
	const p3 = await cluster.startServer({ COMPACT_EVERY: '16' })
	const checker = track(stockClient(p3.wsUrl, room.room, room.tokens.viewer))
	await synced(checker)
	expect(wouldAdd(checker.doc, seenOnP2), 'what the observer on process 2 had received').toBe(false)
	expect(wouldAdd(checker.doc, seenOnP1), 'what the observer on the killed process had received').toBe(false)
	expect(wouldAdd(checker.doc, seenByWriter3), 'what the writer on process 2 had').toBe(false)

	// The clients of process 1 reconnect through process 2 (a proxy would send them there) and
	// bring what process 1 never stored: in the end not one edit is lost.
	for (const c of [...writers.slice(0, 2), onP1]) {
		c.provider.serverUrl = p2.wsUrl
		c.provider.connect()
	}
	writer3.provider.connect()
	await Promise.all([...writers, onP1].map((c) => synced(c)))
	for (const w of writers) await waitFor(() => !wouldAdd(checker.doc, Y.encodeStateAsUpdate(w.doc)), { what: 'every writer’s edits to reach process 3' })
	expect(checker.doc.getMap('records').size).toBe(written)
	await waitFor(() => onP1.doc.getMap('records').size === written, { what: 'the moved observer to catch up' })
}, 120_000)

test('two processes compacting one room at once keep all of it, once', async () => {
	cluster = await startTestCluster(2, { COMPACT_EVERY: '5' })
	const [p1, p2] = cluster.servers as [NonNullable<TestCluster['servers'][0]>, NonNullable<TestCluster['servers'][0]>]
	const room = await p1.createRoom('Compaction')
	const a = track(stockClient(p1.wsUrl, room.room, room.tokens.participant))
	const b = track(stockClient(p2.wsUrl, room.room, room.tokens.participant))
	await Promise.all([synced(a), synced(b)])
	const EDITS = 80
	// Edits one per turn on both sides, so each process appends (and compacts) many times.
	for (let i = 0; i < EDITS; i++) {
		for (const [name, c] of [['a', a], ['b', b]] as const) {
			c.doc.transact(() => {
				c.doc.getMap('records').set(`${name}${i}`, i)
				c.doc.getArray<string>('list').push([`${name}${i}`])
			})
		}
		await new Promise((r) => setTimeout(r, 3))
	}
	await waitFor(() => a.doc.getArray('list').length === 2 * EDITS && b.doc.getArray('list').length === 2 * EDITS, { what: 'both sides to converge' })
	for (const p of [p1, p2])
		expect(await p.metric('maillage_persistence_seconds_count', { operation: 'compact' }), 'compactions on each process').toBeGreaterThan(5)

	const db = new pg.Client({ connectionString: cluster.databaseUrl })
	await db.connect()
	try {
		const rows = Number((await db.query('SELECT count(*) AS n FROM updates WHERE room = $1', [room.room])).rows[0].n)
		expect(rows).toBeLessThan(EDITS)
	} finally {
		await db.end()
	}
	const p3 = await cluster.startServer()
	const reader = track(stockClient(p3.wsUrl, room.room, room.tokens.viewer))
	await synced(reader)
	const list = reader.doc.getArray<string>('list').toArray()
	expect(list).toHaveLength(2 * EDITS)
	expect(new Set(list).size).toBe(2 * EDITS)
	expect(reader.doc.getMap('records').size).toBe(2 * EDITS)
	expect(wouldAdd(reader.doc, Y.encodeStateAsUpdate(a.doc))).toBe(false)
	expect(wouldAdd(reader.doc, Y.encodeStateAsUpdate(b.doc))).toBe(false)
}, 90_000)

test('Redis restarted: every process reads its rooms again and the clients converge', async () => {
	cluster = await startTestCluster(2)
	const [p1, p2] = cluster.servers as [NonNullable<TestCluster['servers'][0]>, NonNullable<TestCluster['servers'][0]>]
	const room = await p1.createRoom('Redis outage')
	const a = track(stockClient(p1.wsUrl, room.room, room.tokens.participant))
	const b = track(stockClient(p2.wsUrl, room.room, room.tokens.participant))
	await Promise.all([synced(a), synced(b)])
	a.doc.getMap('records').set('before', 1)
	await waitFor(() => b.doc.getMap('records').get('before') === 1, { what: 'the first edit' })

	const outage = cluster.restartRedis(1000)
	// Edits while Redis is down or coming back: stored by their process, relayed once it is back.
	for (let i = 0; i < 20; i++) {
		a.doc.getMap('records').set(`a${i}`, i)
		b.doc.getMap('records').set(`b${i}`, i)
		await new Promise((r) => setTimeout(r, 50))
	}
	await outage
	await waitFor(() => a.doc.getMap('records').size === 41 && b.doc.getMap('records').size === 41, { timeout: 20_000, what: 'convergence after the outage' })
	await waitFor(async () => (await p2.metric('maillage_cluster_resyncs_total')) > 0 && (await p1.metric('maillage_cluster_resyncs_total')) > 0, {
		what: 'both processes to read their room again',
	})
	// And the relay works again for new edits.
	b.doc.getMap('records').set('after', 1)
	await waitFor(() => a.doc.getMap('records').get('after') === 1, { what: 'an edit after the outage' })
}, 60_000)
