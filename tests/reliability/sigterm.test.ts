import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { stopAfterEach } from '../support/cleanup'
import { ServerProcess, waitFor } from '../support/server'
import { stockClient, synced } from '../support/syncClient'
import { random, reportFigures, testSeed, wouldAdd } from '../support/seeded'

/**
 * SIGTERM in the middle of a busy session (three rooms, writers editing without pause, edits
 * in flight): exit 0, every client closed with 1001, everything applied is on disk (a fresh
 * client after the restart has all that any peer had seen), and once the writers reconnect
 * not one edit is missing.
 */

const { servers, clients } = stopAfterEach()

test('SIGTERM under load: 1001 for all, exit 0, nothing seen is lost, nothing written is lost', async () => {
	const seed = testSeed('sigterm', 7606)
	const rnd = random(seed)
	const server = await ServerProcess.start()
	servers.push(server)
	const rooms = await Promise.all([1, 2, 3].map((i) => server.createRoom(`Room ${i}`)))
	const sessions = rooms.map((room) => ({
		room,
		writers: [stockClient(server.wsUrl, room.room, room.tokens.participant), stockClient(server.wsUrl, room.room, room.tokens.facilitator)],
		observer: stockClient(server.wsUrl, room.room, room.tokens.viewer),
	}))
	for (const s of sessions) clients.push(...s.writers, s.observer)
	await Promise.all(sessions.flatMap((s) => [...s.writers, s.observer].map((c) => synced(c))))

	let written = 0
	const writing = setInterval(() => {
		for (const s of sessions) for (const w of s.writers) for (let b = 1 + rnd.int(4); b > 0; b--) w.doc.getMap('records').set(`k${++written}`, { n: written })
	}, 1)
	await waitFor(() => sessions.every((s) => s.observer.doc.getMap('records').size > 100), { what: 'a busy session' })
	// The observers' states at the moment of the signal, then the writers stop at once.
	const exiting = server.kill('SIGTERM')
	const seen = sessions.map((s) => Y.encodeStateAsUpdate(s.observer.doc))
	const exit = await exiting
	clearInterval(writing)
	expect(exit).toEqual({ code: 0, signal: null })
	for (const s of sessions) {
		for (const c of [...s.writers, s.observer]) {
			expect(c.closes[0], 'every client is told the server is going away').toEqual({ code: 1001, reason: 'server shutting down' })
			c.provider.disconnect()
		}
	}

	const restarted = await server.restart()
	servers.push(restarted)
	for (const [i, s] of sessions.entries()) {
		const check = stockClient(restarted.wsUrl, s.room.room, s.room.tokens.viewer)
		clients.push(check)
		await synced(check)
		expect(wouldAdd(check.doc, seen[i] as Uint8Array), `room ${i}: what the observer had seen`).toBe(false)
	}
	// Edits the server never got are still in their writers: they come back on reconnection.
	for (const s of sessions) for (const w of s.writers) w.provider.connect()
	for (const [i, s] of sessions.entries()) {
		const final = stockClient(restarted.wsUrl, s.room.room, s.room.tokens.viewer)
		clients.push(final)
		await synced(final)
		await waitFor(() => s.writers.every((w) => !wouldAdd(final.doc, Y.encodeStateAsUpdate(w.doc))), { what: `room ${i} to have every edit` })
	}
	reportFigures('sigterm', { seed, rooms: sessions.length, editsWritten: written, closedWith1001: sessions.length * 3, lost: 0 })
}, 120_000)
