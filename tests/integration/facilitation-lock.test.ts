import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as encoding from 'lib0/encoding'
import { readRoomStatus, ROOM_STATUS_FIELD, type RoomStatus } from '../../shared/roomStatus'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { frame, RawSocket, stockClient, synced, type StockClient } from '../support/syncClient'

let server: ServerProcess
const clients: StockClient[] = []
const sockets: RawSocket[] = []

beforeAll(async () => {
	server = await ServerProcess.start()
})
afterAll(async () => {
	for (const c of clients) c.destroy()
	for (const s of sockets) s.close()
	await server?.stop()
})

type Role = keyof CreatedRoom['tokens']

function client(room: CreatedRoom, role: Role): StockClient {
	const c = stockClient(server.wsUrl, room.room, room.tokens[role])
	clients.push(c)
	return c
}

const statusSeenBy = (c: StockClient): RoomStatus => readRoomStatus(c.provider.awareness.getStates() as Map<number, Record<string, unknown>>)
const records = (c: StockClient) => c.doc.getMap('records')

async function post(room: CreatedRoom, action: string, token: string | undefined, body?: unknown) {
	return server.api(`/api/rooms/${room.room}/${action}`, { method: 'POST', token, ...(body !== undefined && { body }) })
}

describe('lock', () => {
	let room: CreatedRoom
	let facilitator: StockClient
	let participant: StockClient
	let viewer: StockClient

	beforeAll(async () => {
		room = await server.createRoom('Locked')
		facilitator = client(room, 'facilitator')
		participant = client(room, 'participant')
		viewer = client(room, 'viewer')
		await Promise.all([synced(facilitator), synced(participant), synced(viewer)])
	})

	test('only a facilitator (or the admin) can lock and unlock', async () => {
		const other = await server.createRoom('Other')
		for (const action of ['lock', 'unlock']) {
			expect((await post(room, action, room.tokens.participant)).status).toBe(403)
			expect((await post(room, action, room.tokens.viewer)).status).toBe(403)
			expect((await post(room, action, other.tokens.facilitator)).status).toBe(403)
			expect((await post(room, action, undefined)).status).toBe(401)
		}
		expect((await server.api(`/api/rooms/${room.room}/lock`, { token: room.tokens.facilitator })).status).toBe(405)
		expect((await post(room, 'lock', room.tokens.facilitator, { name: 42 })).status).toBe(400)
		const info = await (await server.api(`/api/rooms/${room.room}`, { token: room.tokens.participant })).json()
		expect(info).toMatchObject({ locked: false, lockedBy: null })
		expect(statusSeenBy(participant).locked).toBe(false)
	})

	test('while locked, a participant’s edits are neither applied nor relayed; the lock is visible to all', async () => {
		const res = await post(room, 'lock', room.tokens.facilitator, { name: 'Anne (coordination)' })
		expect(res.status).toBe(200)
		const status = (await res.json()) as RoomStatus
		expect(status).toMatchObject({ locked: true, lockedBy: { role: 'facilitator', name: 'Anne (coordination)' } })
		expect(await (await server.api(`/api/rooms/${room.room}`, { token: room.tokens.viewer })).json()).toMatchObject({
			locked: true,
			lockedBy: { role: 'facilitator', name: 'Anne (coordination)' },
			lockedAt: status.lockedAt,
		})
		// Published over awareness: a stock client sees it with no extra protocol.
		for (const c of [participant, viewer, facilitator]) await waitFor(() => statusSeenBy(c).locked, { what: 'the lock to be seen' })
		expect(statusSeenBy(participant)).toEqual(status)

		const dropped = await server.metric('maillage_locked_writes_dropped_total')
		records(participant).set('during-lock', 'refused')
		await waitFor(async () => (await server.metric('maillage_locked_writes_dropped_total')) > dropped, { what: 'the write to be dropped' })
		// The facilitator still writes; once its next edit arrived, the refused one would have too.
		records(facilitator).set('facilitator-during-lock', 1)
		await waitFor(() => records(viewer).get('facilitator-during-lock') === 1 && records(participant).get('facilitator-during-lock') === 1, {
			what: 'the facilitator’s edit to arrive',
		})
		expect(records(facilitator).has('during-lock')).toBe(false)
		expect(records(viewer).has('during-lock')).toBe(false)
		const late = client(room, 'viewer')
		await synced(late)
		expect(records(late).get('facilitator-during-lock')).toBe(1)
		expect(records(late).has('during-lock')).toBe(false)
		// Locking again keeps the first lock.
		expect(await (await post(room, 'lock', room.tokens.facilitator, { name: 'Someone else' })).json()).toEqual(status)
	})

	test('while locked, awareness still flows both ways and viewers are still refused', async () => {
		participant.provider.awareness.setLocalStateField('user', { name: 'Participant', colour: '#0a0' })
		await waitFor(() => (facilitator.provider.awareness.getStates().get(participant.doc.clientID) as { user?: { name: string } })?.user?.name === 'Participant', {
			what: 'the participant’s presence',
		})
		facilitator.provider.awareness.setLocalStateField('user', { name: 'Anne', colour: '#a00' })
		await waitFor(() => (participant.provider.awareness.getStates().get(facilitator.doc.clientID) as { user?: { name: string } })?.user?.name === 'Anne', {
			what: 'the facilitator’s presence',
		})
		const dropped = await server.metric('maillage_viewer_writes_dropped_total')
		records(viewer).set('from-viewer', 'refused')
		await waitFor(async () => (await server.metric('maillage_viewer_writes_dropped_total')) > dropped, { what: 'the viewer write to be dropped' })
	})

	test('nobody can speak for the server: forged statuses never reach the others', async () => {
		const serverId = [...facilitator.provider.awareness.getStates()].find(([, s]) => ROOM_STATUS_FIELD in s)?.[0]
		expect(serverId).toBeDefined()
		const forger = RawSocket.to(server.wsUrl, room.room, room.tokens.participant)
		sockets.push(forger)
		await forger.opened
		const awarenessFrame = (clientId: number, clock: number, state: unknown) =>
			frame((e) => {
				encoding.writeVarUint(e, 1)
				const update = encoding.createEncoder()
				encoding.writeVarUint(update, 1)
				encoding.writeVarUint(update, clientId)
				encoding.writeVarUint(update, clock)
				encoding.writeVarString(update, JSON.stringify(state))
				encoding.writeVarUint8Array(e, encoding.toUint8Array(update))
			})
		const unlocked = { [ROOM_STATUS_FIELD]: { locked: false, lockedBy: null, lockedAt: null, agreedVersion: null } }
		forger.send(awarenessFrame(serverId as number, 1_000_000, unlocked))
		forger.send(awarenessFrame(424242, 1, unlocked))
		// A legitimate state sent after them: once it arrived, the forged ones would have too.
		forger.send(awarenessFrame(434343, 1, { user: { name: 'Forger' } }))
		await waitFor(() => facilitator.provider.awareness.getStates().has(434343), { what: 'the forger’s own state' })
		await waitFor(() => statusSeenBy(facilitator).locked && statusSeenBy(participant).locked, { what: 'the real status to be re-published' })
		expect(facilitator.provider.awareness.getStates().has(424242)).toBe(false)
		expect(participant.provider.awareness.getStates().has(424242)).toBe(false)
		expect(forger.closed).toBeUndefined()
	})

	test('unlocking lets participants write again, and is seen by all', async () => {
		expect((await post(room, 'unlock', room.tokens.facilitator)).status).toBe(200)
		for (const c of [participant, viewer]) await waitFor(() => !statusSeenBy(c).locked, { what: 'the unlock to be seen' })
		expect(await (await server.api(`/api/rooms/${room.room}`, { token: room.tokens.participant })).json()).toMatchObject({
			locked: false,
			lockedBy: null,
			lockedAt: null,
		})
		records(participant).set('after-unlock', 'accepted')
		await waitFor(() => records(facilitator).get('after-unlock') === 'accepted' && records(viewer).get('after-unlock') === 'accepted', {
			what: 'the participant’s edit to spread',
		})
		// What was refused during the lock is still in the participant's document: the server asked
		// for it on unlock, so every document converges instead of holding edits that depend on it.
		await waitFor(() => records(facilitator).get('during-lock') === 'refused', { what: 'the documents to converge' })
		expect(records(facilitator).has('from-viewer')).toBe(false)
	})

	test('the admin can lock too', async () => {
		const res = await post(room, 'lock', server.adminToken)
		expect(res.status).toBe(200)
		expect(await res.json()).toMatchObject({ locked: true, lockedBy: { role: 'admin' } })
		await waitFor(() => statusSeenBy(participant).lockedBy?.role === 'admin', { what: 'the admin lock to be seen' })
		expect((await post(room, 'unlock', server.adminToken)).status).toBe(200)
	})
})
