import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { stopAfterEach } from '../support/cleanup'
import { ServerProcess, waitFor } from '../support/server'
import { stockClient, synced } from '../support/syncClient'
import { random, reportFigures, scale, testSeed, wouldAdd, type Random } from '../support/seeded'

/**
 * Durability under SIGKILL: several writers edit without pause; as soon as a second client (a
 * viewer, which can never write anything back) has received edit number k, the server is killed
 * with SIGKILL. Restarted on the same DATA_DIR, a fresh client must find everything the viewer
 * had: nobody may ever have seen an edit that is not durable. The writers then reconnect and
 * resend what the server never stored, so that in the end not one of the edits is lost.
 */

const { servers, clients } = stopAfterEach()

interface Edit {
	n: number
	by: number
}

/** One edit = one transaction: a new key, an overwrite of one of the writer's keys, or a deletion with a marker. */
function edit(doc: Y.Doc, rnd: Random, own: string[], e: Edit): void {
	const map = doc.getMap<Edit & { text: string }>('records')
	const value = { ...e, text: 'x'.repeat(rnd.int(60)) }
	const roll = rnd.next()
	doc.transact(() => {
		if (own.length > 0 && roll < 0.25) map.set(rnd.pick(own), value)
		else if (own.length > 0 && roll < 0.4) {
			const key = own.splice(rnd.int(own.length), 1)[0] as string
			map.delete(key)
			map.set(`d${e.n}`, value)
		} else {
			own.push(`e${e.n}`)
			map.set(`e${e.n}`, value)
		}
	})
}

/** The keys whose values differ once `state` is applied to a copy of `doc`, to say what was lost. */
function lostKeys(doc: Y.Doc, state: Uint8Array): string[] {
	const copy = new Y.Doc()
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
	Y.applyUpdate(copy, state)
	const before = doc.getMap('records').toJSON()
	const after = copy.getMap('records').toJSON()
	copy.destroy()
	return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}

test('SIGKILL as soon as a second client received edit k, at seeded k: every received edit survives, and no edit is lost', async () => {
	const seed = testSeed('sigkill', 7101)
	const rnd = random(seed)
	const TOTAL = 1000 * scale
	const CYCLES = 5 * scale
	// Compaction runs during the bursts too: its merges must not lose anything either.
	let server = await ServerProcess.start({ env: { COMPACT_EVERY: '64' } })
	servers.push(server)
	const room = await server.createRoom('SIGKILL')
	const roles = ['participant', 'participant', 'facilitator'] as const
	const writers = roles.map((role) => stockClient(server.wsUrl, room.room, room.tokens[role]))
	clients.push(...writers)
	const owned: string[][] = writers.map(() => [])
	let written = 0
	const kills: { k: number; written: number; received: number }[] = []

	for (let cycle = 0; cycle < CYCLES; cycle++) {
		const last = cycle === CYCLES - 1
		const k = last ? TOTAL : Math.min(TOTAL - 1, written + Math.round((TOTAL / CYCLES) * (0.5 + rnd.next())))
		const observer = stockClient(server.wsUrl, room.room, room.tokens.viewer)
		clients.push(observer)
		await synced(observer)
		for (const w of writers) {
			if (!w.provider.shouldConnect) w.provider.connect()
			await synced(w)
		}

		// The kill happens inside the observer's update handler: the same instant it sees edit k.
		const received = new Set<number>()
		let snapshot: Uint8Array | undefined
		const dead = server
		observer.doc.getMap<Edit>('records').observe((event) => {
			for (const key of event.keysChanged) {
				const value = observer.doc.getMap<Edit>('records').get(key)
				if (value && typeof value.n === 'number') received.add(value.n)
			}
			if (snapshot || !received.has(k)) return
			dead.child.kill('SIGKILL')
			snapshot = Y.encodeStateAsUpdate(observer.doc)
			// Nobody may resend anything to the next server before it has been checked.
			observer.provider.disconnect()
			for (const w of writers) w.provider.disconnect()
		})

		// Writers edit in bursts of 1 to 5 edits per tick, each, until the kill or edit k. They stop
		// at k: on a slow machine they could otherwise write past it, up to the last edit, before
		// the observer sees k, and the next cycles would have nothing left to kill on.
		const writing = setInterval(() => {
			for (const [i, w] of writers.entries()) {
				for (let b = 1 + rnd.int(5); b > 0 && !snapshot && written < k; b--) edit(w.doc, rnd, owned[i] as string[], { n: ++written, by: i })
			}
		}, 1)
		try {
			await waitFor(() => snapshot, { timeout: 30_000, what: `the observer to receive edit ${k}` })
		} finally {
			clearInterval(writing)
		}
		expect((await dead.exited).signal).toBe('SIGKILL')
		kills.push({ k, written, received: received.size })

		server = await dead.restart({ COMPACT_EVERY: '64' })
		servers.push(server)
		const check = stockClient(server.wsUrl, room.room, room.tokens.viewer)
		clients.push(check)
		await synced(check)
		const where = `cycle ${cycle}: kill after edit ${k}, ${received.size} edits seen by the observer`
		expect(lostKeys(check.doc, snapshot as Uint8Array), where).toEqual([])
		expect(wouldAdd(check.doc, snapshot as Uint8Array), where).toBe(false)
		check.destroy()
		observer.destroy()
	}

	// The writers bring back what the server had not stored when it died: every edit is there.
	for (const w of writers) w.provider.connect()
	await Promise.all(writers.map((w) => synced(w)))
	const final = stockClient(server.wsUrl, room.room, room.tokens.viewer)
	clients.push(final)
	await synced(final)
	await waitFor(() => writers.every((w) => !wouldAdd(final.doc, Y.encodeStateAsUpdate(w.doc))), { what: 'the writers to resync' })
	// Overwritten values are gone by design; every key write that was not overwritten is present.
	for (const [i, w] of writers.entries())
		for (const key of owned[i] as string[]) expect(final.doc.getMap('records').get(key), key).toEqual(w.doc.getMap('records').get(key))
	expect(written).toBe(TOTAL)
	reportFigures('sigkill', {
		seed,
		editsWritten: written,
		kills: kills.length,
		killedAfterEdit: kills.map((x) => x.k).join(' '),
		writtenWhenKilled: kills.map((x) => x.written).join(' '),
		editsSeenByObserverAtKills: kills.reduce((sum, x) => sum + x.received, 0),
		lost: 0,
	})
}, 180_000)
