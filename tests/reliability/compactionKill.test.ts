import Database from 'better-sqlite3'
import path from 'node:path'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { stopAfterEach } from '../support/cleanup'
import { ServerProcess, waitFor } from '../support/server'
import { stockClient, synced, type StockClient } from '../support/syncClient'
import { random, reportFigures, scale, testSeed, wouldAdd } from '../support/seeded'

/**
 * Kill during compaction. With COMPACT_EVERY=2 and a document of a few megabytes, the server
 * merges its whole log after nearly every batch, synchronously, right after relaying the batch:
 * a SIGKILL sent the moment a peer receives an edit lands in a compaction most of the time.
 * Nothing may be lost, and nothing may come back twice (a list of unique ids stays unique).
 */

const { servers, clients } = stopAfterEach()

function storedRows(dataDir: string, room: string): { rows: number; integrity: string } {
	const db = new Database(path.join(dataDir, 'maillage.sqlite'), { readonly: true, fileMustExist: true })
	try {
		const rows = (db.prepare('SELECT count(*) AS n FROM updates WHERE room = ?').get(room) as { n: number }).n
		const integrity = (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check
		return { rows, integrity }
	} finally {
		db.close()
	}
}

const env = { COMPACT_EVERY: '2' }
const BIG_TEXT = 3 * 1024 * 1024

test('SIGKILL during compaction: nothing lost, nothing duplicated', async () => {
	const seed = testSeed('compaction kill', 7202)
	const rnd = random(seed)
	const KILLS = 4 * scale
	let server = await ServerProcess.start({ env })
	servers.push(server)
	const room = await server.createRoom('Compaction kill')
	const writers = [stockClient(server.wsUrl, room.room, room.tokens.participant), stockClient(server.wsUrl, room.room, room.tokens.facilitator)]
	clients.push(...writers)
	await Promise.all(writers.map((w) => synced(w)))
	// A big document makes every compaction long: several milliseconds of encoding and writing.
	;(writers[0] as StockClient).doc.getText('notes').insert(0, 'n'.repeat(BIG_TEXT))
	let written = 0
	const compactShare: number[] = []
	let interrupted = 0

	for (let cycle = 0; cycle < KILLS; cycle++) {
		const observer = stockClient(server.wsUrl, room.room, room.tokens.viewer)
		clients.push(observer)
		await synced(observer)
		await waitFor(() => observer.doc.getText('notes').length === BIG_TEXT, { what: 'the big text' })
		for (const w of writers) {
			if (!w.provider.shouldConnect) w.provider.connect()
			await synced(w)
		}
		const k = written + 20 + rnd.int(120)
		const dead = server
		const startedAt = performance.now()
		const compactSecondsBefore = await dead.metric('maillage_persistence_seconds_sum', { operation: 'compact' })
		let snapshot: Uint8Array | undefined
		let compactSeconds = 0
		const log = observer.doc.getArray<number>('log')
		log.observe(() => {
			if (snapshot || !log.toArray().includes(k)) return
			dead.child.kill('SIGKILL')
			snapshot = Y.encodeStateAsUpdate(observer.doc)
			observer.provider.disconnect()
			for (const w of writers) w.provider.disconnect()
		})
		const writing = setInterval(() => {
			for (const w of writers) for (let b = 1 + rnd.int(3); b > 0 && !snapshot; b--) w.doc.getArray<number>('log').push([++written])
		}, 1)
		// Sampled while the server lives: how much of its time goes into compacting.
		const sampling = setInterval(() => {
			if (!snapshot) void dead.metric('maillage_persistence_seconds_sum', { operation: 'compact' }).then((s) => (compactSeconds = s - compactSecondsBefore), () => undefined)
		}, 25)
		try {
			await waitFor(() => snapshot, { timeout: 30_000, what: `the observer to receive item ${k}` })
		} finally {
			clearInterval(writing)
			clearInterval(sampling)
		}
		expect((await dead.exited).signal).toBe('SIGKILL')
		compactShare.push(compactSeconds / ((performance.now() - startedAt) / 1000))
		const stored = storedRows(dead.dataDir, room.room)
		expect(stored.integrity).toBe('ok')
		// Every committed append is followed at once by a compaction into one row: more rows mean
		// the kill landed between the append and the end of the compaction (which was rolled back).
		if (stored.rows > 1) interrupted++

		server = await dead.restart(env)
		servers.push(server)
		const check = stockClient(server.wsUrl, room.room, room.tokens.viewer)
		clients.push(check)
		await synced(check)
		expect(wouldAdd(check.doc, snapshot as Uint8Array), `kill ${cycle} after item ${k}`).toBe(false)
		const items = check.doc.getArray<number>('log').toArray()
		expect(new Set(items).size, 'no item twice').toBe(items.length)
		expect(check.doc.getText('notes').length).toBe(BIG_TEXT)
		check.destroy()
		observer.destroy()
	}

	for (const w of writers) w.provider.connect()
	await Promise.all(writers.map((w) => synced(w)))
	const final = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	clients.push(final)
	await synced(final)
	await waitFor(() => final.doc.getArray('log').length === written, { what: 'every item after the writers resynced' })
	const items = final.doc.getArray<number>('log').toArray()
	expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: written }, (_, i) => i + 1))
	expect(final.doc.getText('notes').length).toBe(BIG_TEXT)
	// Else the kills missed the compactions and this test proved nothing about them.
	expect(interrupted).toBeGreaterThan(0)
	reportFigures('compaction kill', {
		seed,
		kills: KILLS,
		killsInsideCompaction: interrupted,
		itemsWritten: written,
		compactShareOfServerTime: compactShare.map((s) => s.toFixed(2)).join(' '),
		lost: 0,
		duplicated: 0,
	})
}, 180_000)
