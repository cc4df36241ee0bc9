import { afterAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { frame, RawSocket, stockClient, synced, syncStep1Frame, syncStep2Frame, updateFrame, type StockClient } from '../support/syncClient'
import { random, reportFigures, residentBytes, scale, testSeed, type Random } from '../support/seeded'

/**
 * Seeded fuzzing of a live room: 10,000 frames (random bytes, truncated and mutated valid
 * messages, wrong types, huge varints, valid but odd updates and awareness) sent by writers
 * over a few raw sockets, one frame at a time, each followed by an awareness "ack" so that we
 * know the server has handled it before the next one (or closed the socket: then reconnect).
 * The server must stay up with bounded memory, and the room must go on syncing for two
 * well-behaved clients that edit all along, in memory and after a restart.
 */

let server: ServerProcess | undefined
const clients: StockClient[] = []
afterAll(async () => {
	for (const c of clients) c.destroy()
	await server?.stop()
})

/** Valid messages to start from: updates of random documents, state vectors, awareness. */
function templates(rnd: Random): Uint8Array[] {
	const out: Uint8Array[] = []
	const doc = new Y.Doc()
	doc.on('update', (update: Uint8Array) => {
		out.push(updateFrame(update), syncStep2Frame(update))
	})
	for (let i = 0; i < 60; i++) {
		const root = rnd.pick(['records', 'info', 'meta', 'other'])
		doc.transact(() => {
			const roll = rnd.int(5)
			if (roll === 0) doc.getArray(`${root}-a`).insert(0, [rnd.int(1000), 'x'.repeat(rnd.int(20))])
			else if (roll === 1) doc.getText(`${root}-t`).insert(0, 'text'.repeat(rnd.int(5)))
			else if (roll === 2 && doc.getText(`${root}-t`).length > 2) doc.getText(`${root}-t`).delete(0, 2)
			else if (roll === 3) doc.getMap(root).set(`k${rnd.int(20)}`, new Y.Map([['x', rnd.int(100)]]))
			else doc.getMap(root).set(`k${rnd.int(20)}`, { nested: { value: rnd.int(100) }, list: [1, 2, 3] })
		})
	}
	out.push(syncStep1Frame(doc), syncStep1Frame(new Y.Doc()))
	const awareness = new awarenessProtocol.Awareness(new Y.Doc())
	awareness.setLocalState({ user: { name: 'fuzz', color: '#123456' }, cursor: { x: 1, y: 2 } })
	out.push(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID])))
	awareness.destroy()
	out.push(new Uint8Array([3]))
	return out
}

function awarenessFrame(update: Uint8Array): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, 1)
		encoding.writeVarUint8Array(e, update)
	})
}

/** A varint no decoder should trust: up to 2^63 and beyond. */
function hugeVarint(rnd: Random): Uint8Array {
	return Uint8Array.from([...Array.from({ length: 5 + rnd.int(6) }, () => 0x80 | rnd.int(128)), rnd.int(128)])
}

const generators: [string, (rnd: Random, t: Uint8Array[]) => Uint8Array | string][] = [
	['random bytes', (rnd) => rnd.bytes(rnd.chance(0.9) ? rnd.int(64) : rnd.int(4000))],
	['truncated', (rnd, t) => {
		const m = rnd.pick(t)
		return m.slice(0, rnd.int(m.length))
	}],
	['mutated', (rnd, t) => {
		const m = Uint8Array.from(rnd.pick(t))
		for (let n = 1 + rnd.int(4); n > 0 && m.length > 0; n--) m[rnd.int(m.length)] = rnd.int(256)
		return m
	}],
	['bytes inserted or removed', (rnd, t) => {
		const m = [...rnd.pick(t)]
		const at = rnd.int(m.length + 1)
		if (rnd.chance(0.5)) m.splice(at, 0, ...rnd.bytes(1 + rnd.int(8)))
		else m.splice(at, 1 + rnd.int(8))
		return Uint8Array.from(m)
	}],
	['wrong message type', (rnd, t) => Uint8Array.from([rnd.pick([2, 4, 5, 9, 127, 200]), ...rnd.pick(t).slice(1)])],
	['wrong sync type', (rnd, t) => Uint8Array.from([0, 3 + rnd.int(120), ...rnd.pick(t).slice(2)])],
	['huge varint as type', (rnd) => Uint8Array.from([...hugeVarint(rnd), 0, 0])],
	['huge varint as length', (rnd) => Uint8Array.from([rnd.pick([0, 1]), ...(rnd.chance(0.5) ? [rnd.int(3)] : []), ...hugeVarint(rnd), ...rnd.bytes(rnd.int(16))])],
	['valid message', (rnd, t) => rnd.pick(t)],
	['odd awareness', (rnd) => {
		const e = encoding.createEncoder()
		const count = rnd.chance(0.1) ? 200 : 1 + rnd.int(3)
		encoding.writeVarUint(e, count)
		for (let i = 0; i < count; i++) {
			encoding.writeVarUint(e, rnd.chance(0.5) ? rnd.int(2 ** 31) : 2 ** 53 - 1 - rnd.int(10))
			encoding.writeVarUint(e, rnd.chance(0.5) ? rnd.int(10) : 2 ** 40)
			encoding.writeVarString(e, rnd.pick(['null', '{}', '{"a":', '[1,2', '"str"', '{"deep":' + '['.repeat(500) + ']'.repeat(500) + '}', '\u0000', 'x'.repeat(rnd.int(300))]))
		}
		return awarenessFrame(encoding.toUint8Array(e))
	}],
	['text frame', (rnd) => String.fromCharCode(...rnd.bytes(rnd.int(40)))],
]

/** One writer socket sending fuzz frames, acknowledged through its own awareness state. */
class FuzzSocket {
	socket!: RawSocket
	private readonly awareness = new awarenessProtocol.Awareness(new Y.Doc())
	private ack = 0
	constructor(
		private readonly server: ServerProcess,
		private readonly room: CreatedRoom,
	) {}

	async open(): Promise<void> {
		this.socket = RawSocket.to(this.server.wsUrl, this.room.room, this.room.tokens.participant)
		await this.socket.opened
	}

	/** Sends a frame then an ack; resolves to the close code if the server closed the socket. */
	send(payload: Uint8Array | string): Promise<number | undefined> {
		const ack = ++this.ack
		// Every socket's ack is broadcast to all: the marker names this socket's client too.
		const marker = `${this.awareness.clientID}-${ack}`
		this.awareness.setLocalState({ ack: marker })
		const ws = this.socket.ws
		// Event-driven rather than polled: 10,000 round trips must stay cheap for the test process too.
		const handled = new Promise<number | undefined>((resolve, reject) => {
			const timer = setTimeout(() => done(() => reject(new Error(`frame ${ack} was neither handled nor refused within 10 s`))), 10_000)
			const onMessage = (data: Buffer) => {
				if (data[0] === 1 && data.toString('latin1').includes(marker)) done(() => resolve(undefined))
			}
			const onClose = (code: number) => done(() => resolve(code))
			const done = (settle: () => void) => {
				clearTimeout(timer)
				ws.off('message', onMessage)
				ws.off('close', onClose)
				settle()
			}
			ws.on('message', onMessage)
			ws.on('close', onClose)
		})
		this.socket.send(payload)
		this.socket.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.awareness.clientID])))
		return handled.finally(() => this.socket.messages.splice(0))
	}

	close(): void {
		this.socket.close()
		this.awareness.destroy()
	}
}

test('10,000 seeded bad frames against a live room: server up, memory bounded, room still syncing', async () => {
	const seed = testSeed('fuzz frames', 7404)
	const rnd = random(seed)
	const FRAMES = 10_000 * scale
	const SOCKETS = Number(process.env.FUZZ_SOCKETS ?? 4)
	server = await ServerProcess.start({ env: { MAX_MESSAGE_BYTES: String(64 * 1024), LOG_LEVEL: 'error' } })
	const live = server
	const room = await live.createRoom('Fuzz')
	const a = stockClient(live.wsUrl, room.room, room.tokens.participant)
	const b = stockClient(live.wsUrl, room.room, room.tokens.facilitator)
	clients.push(a, b)
	await Promise.all([synced(a), synced(b)])
	const pid = live.child.pid as number
	const rssBefore = residentBytes(pid)

	// The well-behaved clients edit all along.
	let edits = 0
	const editing = setInterval(() => {
		edits++
		a.doc.getMap('good').set(`a${edits}`, edits)
		b.doc.getMap('good').set(`b${edits}`, edits)
	}, 20)

	const pool = templates(rnd)
	const byKind = new Map<string, number>()
	const closes = new Map<number, number>()
	let sent = 0
	const sockets = Array.from({ length: SOCKETS }, () => new FuzzSocket(live, room))
	try {
		await Promise.all(
			sockets.map(async (fuzz, s) => {
				// Each socket has its own sequence, so that the run does not depend on timing.
				const own = random(seed * 31 + s)
				await fuzz.open()
				for (let i = s; i < FRAMES; i += SOCKETS) {
					const [kind, make] = own.pick(generators)
					byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
					const code = await fuzz.send(make(own, pool))
					sent++
					if (code === undefined) continue
					closes.set(code, (closes.get(code) ?? 0) + 1)
					await fuzz.open()
				}
			}),
		)
	} finally {
		clearInterval(editing)
		for (const fuzz of sockets) fuzz.close()
	}

	// Refusals are "malformed" (4400) or "too big" (1009): never a room failure (4503) or 4500.
	expect([...closes.keys()].filter((code) => code !== 4400 && code !== 1009)).toEqual([])
	expect((await fetch(`${live.url}/healthz`)).ok).toBe(true)
	expect(live.child.exitCode).toBeNull()

	// The well-behaved clients converge on each other's edits, made before, during and after.
	a.doc.getMap('good').set('a-final', true)
	b.doc.getMap('good').set('b-final', true)
	await waitFor(() => a.doc.getMap('good').get('b-final') === true && b.doc.getMap('good').get('a-final') === true, { what: 'a and b to converge' })
	expect(a.doc.getMap('good').toJSON()).toEqual(b.doc.getMap('good').toJSON())
	expect(a.doc.getMap('good').size).toBe(2 * edits + 2)

	// Memory: whatever stayed in the room (valid fuzz updates) is small; nothing piles up per frame.
	const rssAfter = residentBytes(pid)
	expect(rssAfter - rssBefore, `RSS ${rssBefore} -> ${rssAfter}`).toBeLessThan(150 * 1024 * 1024)

	// And the stored log still loads: no poison pill was written.
	a.provider.disconnect()
	b.provider.disconnect()
	expect((await live.kill('SIGTERM')).code).toBe(0)
	server = await live.restart()
	const reader = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	clients.push(reader)
	await synced(reader)
	expect(reader.doc.getMap('good').toJSON()).toEqual(a.doc.getMap('good').toJSON())

	reportFigures('fuzz frames', {
		seed,
		framesSent: sent,
		sockets: SOCKETS,
		closedByServer: [...closes.entries()].map(([code, n]) => `${code}x${n}`).join(' '),
		goodEdits: 2 * edits + 2,
		rssBeforeMiB: (rssBefore / 2 ** 20).toFixed(0),
		rssAfterMiB: (rssAfter / 2 ** 20).toFixed(0),
		kinds: [...byKind.entries()].map(([k, n]) => `${k}:${n}`).join(', '),
	})
}, 170_000)
