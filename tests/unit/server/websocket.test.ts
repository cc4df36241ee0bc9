import { afterEach, describe, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { closeReason } from '../../../shared/protocol'
import { readMetric, waitFor } from '../../support/server'
import { RawSocket, updateFrame, upgradeStatus } from '../../support/syncClient'
import { startWebSocketSide } from '../../support/wsServer'

/** server/websocket.ts in this process, with real ws clients: the upgrade, the early frames, the closes. */

const running: Awaited<ReturnType<typeof startWebSocketSide>>[] = []
const sockets: RawSocket[] = []
afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.close()
	for (const side of running.splice(0)) await side.stop()
})

async function start(options: Parameters<typeof startWebSocketSide>[0] = {}) {
	const side = await startWebSocketSide(options)
	running.push(side)
	return side
}

function open(wsUrl: string, room: string, token?: string): RawSocket {
	const socket = RawSocket.to(wsUrl, room, token)
	sockets.push(socket)
	return socket
}

const edit = (key: string) => {
	const doc = new Y.Doc()
	doc.getMap('records').set(key, true)
	return Y.encodeStateAsUpdate(doc)
}

/** The message types (first varUint) a socket received. */
const typesOf = (socket: RawSocket) => socket.messages.map((m) => decoding.readVarUint(decoding.createDecoder(m)))

describe('websocket: the upgrade is checked before any room is touched', () => {
	test('wrong path 404, bad room id 400, no token 401, wrong token or unknown room 403; counted, nothing loaded', async () => {
		const side = await start()
		const tokens = await side.createRoom('r')
		const base = side.wsUrl.replace(/\/sync$/, '')
		expect(await upgradeStatus(`${base}/elsewhere`, 'r', tokens.participant)).toBe(404)
		expect(await upgradeStatus(side.wsUrl, 'bad.id', tokens.participant)).toBe(400)
		expect(await upgradeStatus(side.wsUrl, 'r')).toBe(401)
		expect(await upgradeStatus(side.wsUrl, 'r', 'not-a-token')).toBe(403)
		expect(await upgradeStatus(side.wsUrl, 'unknown', tokens.participant)).toBe(403)
		const text = await side.metrics.registry.metrics()
		for (const [status, count] of [['404', 1], ['400', 1], ['401', 1], ['403', 2]] as const)
			expect(readMetric(text, 'maillage_refused_upgrades_total', { status })).toBe(count)
		expect(side.rooms.loadedCount).toBe(0)
	})

	test('past MAX_CONNECTIONS, or once it stops accepting, an upgrade gets 503', async () => {
		const side = await start({ limits: { maxConnections: 1 } })
		const tokens = await side.createRoom('r')
		const first = open(side.wsUrl, 'r', tokens.viewer)
		await first.opened
		expect(await upgradeStatus(side.wsUrl, 'r', tokens.viewer)).toBe(503)
		first.close()
		await waitFor(() => side.sync.connectionCount === 0, { what: 'the first socket to be gone' })
		expect(await upgradeStatus(side.wsUrl, 'r', tokens.viewer)).toBe(101)
		side.sync.stopAccepting()
		expect(await upgradeStatus(side.wsUrl, 'r', tokens.viewer)).toBe(503)
	})
})

describe('websocket: a socket tied to its room', () => {
	test('an accepted socket gets sync step 1; frames sent before the room loaded are applied in order', async () => {
		const side = await start()
		const tokens = await side.createRoom('r')
		// The room's load waits until both frames have arrived.
		let load = () => {}
		const loadUpdates = side.store.loadUpdates.bind(side.store)
		side.store.loadUpdates = (id) => new Promise((resolve) => (load = () => resolve(loadUpdates(id))))
		const writer = open(side.wsUrl, 'r', tokens.participant)
		await writer.opened
		writer.send(updateFrame(edit('early-1')))
		writer.send(updateFrame(edit('early-2')))
		await waitFor(() => side.metrics.traffic.messagesIn === 2, { what: 'both frames to arrive' })
		expect(writer.messages).toEqual([])
		load()
		await waitFor(() => typesOf(writer).includes(0), { what: 'sync step 1' })
		const keys = await side.rooms.with('r', async (room) => {
			await room.whenDurable()
			return [...room.doc.getMap('records').keys()].sort()
		})
		expect(keys).toEqual(['early-1', 'early-2'])
		expect(side.sync.connectionCount).toBe(1)
	})

	test('more than 256 frames while the room loads close the socket with 4400', async () => {
		const side = await start()
		const tokens = await side.createRoom('r')
		const loadUpdates = side.store.loadUpdates.bind(side.store)
		let load = () => {}
		side.store.loadUpdates = (id) => new Promise((resolve) => (load = () => resolve(loadUpdates(id))))
		const flooder = open(side.wsUrl, 'r', tokens.participant)
		await flooder.opened
		for (let i = 0; i <= 256; i++) flooder.send(updateFrame(edit(`k${i}`)))
		expect((await flooder.waitClosed()).code).toBe(closeReason.malformed.code)
		load()
	})

	test('a text frame is malformed: 4400, counted; the room goes on', async () => {
		const side = await start()
		const tokens = await side.createRoom('r')
		const bad = open(side.wsUrl, 'r', tokens.participant)
		const good = open(side.wsUrl, 'r', tokens.participant)
		await Promise.all([bad.opened, good.opened])
		bad.send('hello')
		expect((await bad.waitClosed()).code).toBe(closeReason.malformed.code)
		expect(readMetric(await side.metrics.registry.metrics(), 'maillage_rejected_frames_total', { reason: 'malformed' })).toBe(1)
		good.send(updateFrame(edit('after')))
		await waitFor(() => side.rooms.loaded('r')?.doc.getMap('records').has('after'), { what: 'the good socket’s edit' })
		expect(good.closed).toBeUndefined()
	})

	test('a room at maxConnectionsPerRoom closes the next socket with 4429', async () => {
		const side = await start({ limits: { maxConnectionsPerRoom: 1 } })
		const tokens = await side.createRoom('r')
		const first = open(side.wsUrl, 'r', tokens.participant)
		await waitFor(() => first.messages.length > 0, { what: 'the first socket to join' })
		const second = open(side.wsUrl, 'r', tokens.participant)
		expect((await second.waitClosed()).code).toBe(closeReason.roomFull.code)
		expect(first.closed).toBeUndefined()
	})

	test('closeRoles closes only the sockets of those roles in that room, with 4401', async () => {
		const side = await start()
		const [r, s] = [await side.createRoom('r'), await side.createRoom('s')]
		const viewer = open(side.wsUrl, 'r', r.viewer)
		const participant = open(side.wsUrl, 'r', r.participant)
		const otherRoomViewer = open(side.wsUrl, 's', s.viewer)
		await Promise.all([viewer.opened, participant.opened, otherRoomViewer.opened])
		side.sync.closeRoles('r', ['viewer'])
		expect((await viewer.waitClosed()).code).toBe(closeReason.tokenRevoked.code)
		await new Promise((resolve) => setTimeout(resolve, 50))
		expect(participant.closed).toBeUndefined()
		expect(otherRoomViewer.closed).toBeUndefined()
	})

	test('a socket that stops answering pings is terminated; one that answers stays', async () => {
		const side = await start({ keepaliveMs: 40 })
		const tokens = await side.createRoom('r')
		const alive = open(side.wsUrl, 'r', tokens.viewer)
		const silent = new WebSocket(`${side.wsUrl}/r?token=${tokens.viewer}`, { autoPong: false })
		const silentClosed = new Promise<number>((resolve) => silent.on('close', resolve))
		await alive.opened
		expect(await silentClosed).toBe(1006)
		expect(alive.closed).toBeUndefined()
	})

	test('close() closes every socket with 1001', async () => {
		const side = await start()
		const tokens = await side.createRoom('r')
		const socket = open(side.wsUrl, 'r', tokens.facilitator)
		await waitFor(() => socket.messages.length > 0, { what: 'the socket to join' })
		await side.sync.close(500)
		expect((await socket.waitClosed()).code).toBe(closeReason.goingAway.code)
		expect(side.sync.connectionCount).toBe(0)
	})
})

describe('websocket: the memory guard', () => {
	test('above MAX_MEMORY_MB a room not in memory is refused (503, counted) while an open room keeps working', async () => {
		const side = await start()
		const open1 = await side.createRoom('open')
		const other = await side.createRoom('other')
		const first = open(side.wsUrl, 'open', open1.participant)
		await first.opened
		await waitFor(() => side.rooms.loaded('open'), { what: 'the room to load' })
		side.limits.maxMemoryMb = 1
		expect(await upgradeStatus(side.wsUrl, 'other', other.participant)).toBe(503)
		expect(side.rooms.loaded('other')).toBeUndefined()
		expect(readMetric(await side.metrics.registry.metrics(), 'maillage_refusals_total', { reason: 'memory' })).toBe(1)
		const second = open(side.wsUrl, 'open', open1.viewer)
		await second.opened
		first.send(updateFrame(edit('still')))
		await waitFor(() => second.messages.length > 0 && side.rooms.loaded('open')?.doc.getMap('records').get('still') === true, { what: 'the edit' })
	})
})
