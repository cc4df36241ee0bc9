import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { readRoomStatus, type RoomStatus } from '../../shared/roomStatus'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { stockClient, synced, upgradeStatus, type StockClient } from '../support/syncClient'
import { startTestCluster, type TestCluster } from '../support/cluster'

/**
 * Three Maillage processes sharing one Redis and one PostgreSQL: stock y-websocket clients of
 * one room, connected to different processes, must behave as if they shared one server.
 */

let cluster: TestCluster
let p1: ServerProcess, p2: ServerProcess, p3: ServerProcess
const clients: StockClient[] = []

beforeAll(async () => {
	cluster = await startTestCluster(3)
	;[p1, p2, p3] = cluster.servers as [ServerProcess, ServerProcess, ServerProcess]
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	await cluster?.stop()
})

type Role = keyof CreatedRoom['tokens']
function client(server: ServerProcess, room: CreatedRoom, role: Role): StockClient {
	const c = stockClient(server.wsUrl, room.room, room.tokens[role])
	clients.push(c)
	return c
}
const records = (c: StockClient) => c.doc.getMap('records')
const statusSeenBy = (c: StockClient): RoomStatus => readRoomStatus(c.provider.awareness.getStates() as Map<number, Record<string, unknown>>)
const userOf = (seen: StockClient, other: StockClient) => (seen.provider.awareness.getStates().get(other.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name

describe('documents', () => {
	test('clients of one room on three processes converge, and a late client anywhere gets everything', async () => {
		const room = await p1.createRoom('Convergence')
		const a = client(p1, room, 'participant')
		const b = client(p2, room, 'facilitator')
		const viewer = client(p3, room, 'viewer')
		await Promise.all([synced(a), synced(b), synced(viewer)])
		// Concurrent bursts on both sides, including edits of the same keys.
		for (let i = 0; i < 60; i++) {
			records(a).set(`a${i}`, { i, by: 'a' })
			records(b).set(`b${i}`, { i, by: 'b' })
			if (i % 10 === 0) {
				records(a).set('shared', `a${i}`)
				records(b).set('shared', `b${i}`)
			}
			if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5))
		}
		// Keys sorted: each client iterates a map in its own insertion order.
		const content = (c: StockClient) => JSON.stringify(Object.entries(records(c).toJSON()).sort(([x], [y]) => x.localeCompare(y)))
		const converged = () => records(a).size === 121 && [b, viewer].every((c) => content(c) === content(a))
		await waitFor(converged, { what: 'the three clients to converge' })
		for (const server of [p3, p2]) {
			const late = client(server, room, 'viewer')
			await synced(late)
			expect(records(late).toJSON()).toEqual(records(a).toJSON())
		}
	})

	test('an import through one process reaches the clients of the others', async () => {
		const room = await p1.createRoom('Import')
		const onP2 = client(p2, room, 'viewer')
		await synced(onP2)
		const exported = await p3.api(`/api/rooms/${room.room}/export?format=json`, { token: room.tokens.viewer })
		const map = { ...(await exported.json()), title: 'Imported on process 3' }
		const res = await p3.api(`/api/rooms/${room.room}/import?format=json`, { token: room.tokens.facilitator, raw: JSON.stringify(map) })
		expect(res.status).toBe(200)
		await waitFor(() => onP2.doc.getMap('info').get('title') === 'Imported on process 3', { what: 'the import to reach process 2' })
	})
})

describe('presence', () => {
	test('awareness crosses processes both ways, joins and leaves included', async () => {
		const room = await p1.createRoom('Presence')
		const a = client(p1, room, 'participant')
		const b = client(p2, room, 'viewer')
		await Promise.all([synced(a), synced(b)])
		a.provider.awareness.setLocalStateField('user', { name: 'Anne' })
		b.provider.awareness.setLocalStateField('user', { name: 'Bruno' })
		await waitFor(() => userOf(b, a) === 'Anne' && userOf(a, b) === 'Bruno', { what: 'presence across processes' })
		// A newcomer on a third process sees the others at once, not at their next renewal (15 s).
		const c = client(p3, room, 'viewer')
		await synced(c)
		await waitFor(() => userOf(c, a) === 'Anne' && userOf(c, b) === 'Bruno', { timeout: 5000, what: 'the newcomer to see everyone' })
		b.provider.disconnect()
		await waitFor(() => !a.provider.awareness.getStates().has(b.doc.clientID) && !c.provider.awareness.getStates().has(b.doc.clientID), {
			timeout: 5000,
			what: 'Bruno’s departure to be seen',
		})
	})
})

describe('roles and tokens', () => {
	test('a viewer’s writes are spread from no process', async () => {
		const room = await p1.createRoom('Viewers')
		const viewer = client(p2, room, 'viewer')
		const writer = client(p1, room, 'participant')
		const observer = client(p3, room, 'viewer')
		await Promise.all([synced(viewer), synced(writer), synced(observer)])
		const dropped = await p2.metric('maillage_viewer_writes_dropped_total')
		records(viewer).set('from-viewer', 'must not spread')
		await waitFor(async () => (await p2.metric('maillage_viewer_writes_dropped_total')) > dropped, { what: 'the viewer write to be dropped' })
		records(writer).set('after', 1)
		await waitFor(() => records(observer).get('after') === 1 && records(viewer).get('after') === 1, { what: 'the writer’s later edit' })
		expect(records(writer).has('from-viewer')).toBe(false)
		expect(records(observer).has('from-viewer')).toBe(false)
		// Nor stored: a process that loads the room now does not have it.
		const fresh = await cluster.startServer()
		const reader = client(fresh, room, 'viewer')
		await synced(reader)
		expect(records(reader).get('after')).toBe(1)
		expect(records(reader).has('from-viewer')).toBe(false)
	})

	test('a token of room A opens nothing of room B on any process', async () => {
		const a = await p1.createRoom('A')
		const b = await p2.createRoom('B')
		for (const server of [p1, p2, p3]) {
			expect(await upgradeStatus(server.wsUrl, b.room, a.tokens.facilitator)).toBe(403)
			expect(await upgradeStatus(server.wsUrl, b.room, b.tokens.participant)).toBe(101)
			expect((await server.api(`/api/rooms/${b.room}/export`, { token: a.tokens.facilitator })).status).toBe(403)
		}
	})

	test('tokens rotated through process 1 are refused by the others, whose connections are closed', async () => {
		const room = await p1.createRoom('Rotation')
		const onP2 = client(p2, room, 'participant')
		const viewerOnP3 = client(p3, room, 'viewer')
		await Promise.all([synced(onP2), synced(viewerOnP3)])
		const res = await p1.api(`/api/rooms/${room.room}/tokens/rotate`, { token: room.tokens.facilitator, body: { roles: ['participant'] } })
		expect(res.status).toBe(200)
		const fresh = ((await res.json()) as { tokens: { participant: string } }).tokens.participant
		await waitFor(() => onP2.closes.some((c) => c.code === 4401), { timeout: 5000, what: 'the rotated participant on process 2 to be closed' })
		onP2.provider.disconnect()
		expect(viewerOnP3.provider.wsconnected).toBe(true)
		for (const server of [p2, p3]) {
			expect(await upgradeStatus(server.wsUrl, room.room, room.tokens.participant)).toBe(403)
			expect(await upgradeStatus(server.wsUrl, room.room, fresh)).toBe(101)
		}
	})
})

describe('facilitation', () => {
	test('a lock taken through process 1 refuses participants’ writes on process 2; unlocking elsewhere lets them through', async () => {
		const room = await p1.createRoom('Lock')
		const participant = client(p2, room, 'participant')
		const facilitator = client(p3, room, 'facilitator')
		const watcher = client(p1, room, 'viewer')
		await Promise.all([synced(participant), synced(facilitator), synced(watcher)])
		const res = await p1.api(`/api/rooms/${room.room}/lock`, { token: room.tokens.facilitator, body: { name: 'Anne' } })
		expect(res.status).toBe(200)
		for (const c of [participant, facilitator, watcher])
			await waitFor(() => statusSeenBy(c).locked && statusSeenBy(c).lockedBy?.name === 'Anne', { timeout: 5000, what: 'the lock to be seen' })

		const dropped = await p2.metric('maillage_locked_writes_dropped_total')
		records(participant).set('during-lock', 'refused')
		await waitFor(async () => (await p2.metric('maillage_locked_writes_dropped_total')) > dropped, { what: 'the locked write to be dropped on process 2' })
		records(facilitator).set('facilitator-during-lock', 1)
		await waitFor(() => records(watcher).get('facilitator-during-lock') === 1 && records(participant).get('facilitator-during-lock') === 1, {
			what: 'the facilitator’s edit',
		})
		expect(records(watcher).has('during-lock')).toBe(false)
		expect(records(facilitator).has('during-lock')).toBe(false)

		// Unlocked through process 3: process 2 asks its participants for what it refused.
		expect((await p3.api(`/api/rooms/${room.room}/unlock`, { token: room.tokens.facilitator, body: {} })).status).toBe(200)
		await waitFor(() => !statusSeenBy(participant).locked, { timeout: 5000, what: 'the unlock on process 2' })
		await waitFor(() => records(watcher).get('during-lock') === 'refused', { what: 'the refused edit to arrive once unlocked' })
	})

	test('a version agreed through one process is the agreed version everywhere', async () => {
		const room = await p1.createRoom('Versions')
		const onP1 = client(p1, room, 'viewer')
		const onP3 = client(p3, room, 'participant')
		await Promise.all([synced(onP1), synced(onP3)])
		records(onP3).set('k', 'v')
		await waitFor(() => records(onP1).get('k') === 'v', { what: 'the edit' })
		const res = await p2.api(`/api/rooms/${room.room}/versions`, { token: room.tokens.facilitator, body: { label: 'Agreed on process 2' } })
		expect(res.status).toBe(201)
		const version = (await res.json()) as { id: string }
		for (const c of [onP1, onP3]) await waitFor(() => statusSeenBy(c).agreedVersion?.id === version.id, { timeout: 5000, what: 'the agreed version' })
		const listed = await (await p1.api(`/api/rooms/${room.room}/versions`, { token: room.tokens.viewer })).json()
		expect(listed.versions.map((v: { id: string }) => v.id)).toEqual([version.id])
	})
})

test('several processes on one room keep one document: the state of every client is the same', async () => {
	const room = await p2.createRoom('Text')
	const writers = [p1, p2, p3].map((server) => client(server, room, 'participant'))
	await Promise.all(writers.map((w) => synced(w)))
	writers.forEach((w, i) => w.doc.getArray<string>('list').push([...Array(20).keys()].map((n) => `w${i}-${n}`)))
	const same = () => {
		const states = writers.map((w) => w.doc.getArray<string>('list').toArray())
		return states.every((s) => s.length === 60 && JSON.stringify(s) === JSON.stringify(states[0]))
	}
	await waitFor(same, { what: 'one list everywhere' })
	expect(new Set(writers[0]?.doc.getArray<string>('list').toArray()).size).toBe(60)
	expect(Y.encodeStateVector(writers[0]!.doc)).toEqual(Y.encodeStateVector(writers[1]!.doc))
})
