import * as Y from 'yjs'
import { writeMapToDoc } from '../../shared/ydoc/mapDoc'
import { recordsMap } from '../../shared/ydoc/recordCodec'
import { randomMap } from '../../tests/support/randomMap'
import { waitUntil } from '../clients/fanout'
import { LightClient } from '../clients/lightClient'
import { stockClient } from '../clients/stockClient'
import { cpuMeter, rssMiB } from '../procStats'
import { latencySummary, percentile, round, sleep } from '../stats'
import type { Scenario } from './types'

const built = new Map<string, { update: Uint8Array; records: number }>()

/** The map as a document update, generated once per size through the shared projection. */
function largeMapUpdate(organisations: number, partnerships: number) {
	const key = `${organisations}/${partnerships}`
	let entry = built.get(key)
	if (!entry) {
		const doc = new Y.Doc()
		writeMapToDoc(doc, randomMap(1, { organisations, partnerships }))
		entry = { update: Y.encodeStateAsUpdate(doc), records: recordsMap(doc).size }
		built.set(key, entry)
		doc.destroy()
	}
	return entry
}

/**
 * Large map: one client uploads the whole map (and stays, so the room stays loaded); then new
 * stock clients join one after the other, each timed until its replica holds every record; then
 * the server exports the room as JSON (Maillage only: the others have no export).
 */
export const largeMap: Scenario = async (server, config) => {
	const { organisations, partnerships, newClients, exports, settleMs } = config.largeMap
	const { update, records } = largeMapUpdate(organisations, partnerships)
	const [room] = await server.createRooms(1)
	if (!room) throw new Error('no room')
	await sleep(settleMs)
	const base = await server.memory()
	const cpu = cpuMeter(server.pids)
	const uploader = new LightClient(server.target, room)
	await uploader.ready
	uploader.sendUpdate(update)
	const complete = (doc: Y.Doc) => recordsMap(doc).size >= records
	const probe = stockClient(server.target, room)
	await waitUntil(() => probe.synced && complete(probe.doc), 60_000)
	probe.destroy()
	await sleep(settleMs)
	const loaded = await server.memory()

	const syncTimes: number[] = []
	for (let i = 0; i < newClients; i++) {
		const started = performance.now()
		const client = stockClient(server.target, room)
		await waitUntil(() => client.synced && complete(client.doc), 60_000)
		syncTimes.push(performance.now() - started)
		client.destroy()
	}
	// Each export follows an edit (one card moved), as in a meeting: nothing may be reused whole.
	const editor = new Y.Doc()
	Y.applyUpdate(editor, update)
	const cards = [...recordsMap(editor).values()].filter((r) => r.get('typeName') === 'shape' && r.get('type') === 'organisation')
	if (cards.length === 0) throw new Error('the large map has no organisation card to move')
	const exportTimes: number[] = []
	for (let i = 0; i < exports; i++) {
		const before = Y.encodeStateVector(editor)
		const card = cards[i % cards.length]
		if (card) card.set('x', Number(card.get('x')) + 10)
		uploader.sendUpdate(Y.encodeStateAsUpdate(editor, before))
		await sleep(50)
		const ms = await server.exportJson(room)
		if (ms !== undefined) exportTimes.push(ms)
	}
	editor.destroy()
	const cpuSec = cpu.stop()
	const end = rssMiB(server.pids)
	uploader.close()
	const summary = latencySummary(syncTimes)
	return {
		largeMap: {
			updatesPerSec: null,
			p50Ms: round(summary.p50Ms),
			p95Ms: round(summary.p95Ms),
			p99Ms: round(summary.p99Ms),
			rssMiB: round(end, 1),
			cpuSec: round(cpuSec),
			cpuMsPer1kDeliveries: null,
			details: {
				organisations,
				partnerships,
				records,
				updateKiB: round(update.byteLength / 1024, 0),
				roomMiB: round(loaded.rssMiB - base.rssMiB, 1),
				roomHeapMiB: round(loaded.heapMiB - base.heapMiB, 1),
				exportMsP50: round(percentile(exportTimes, 50)),
				exportMsMax: round(percentile(exportTimes, 100)),
				note: 'p50/p95/p99: time for a new stock client to hold every record; export: GET /api/rooms/<room>/export?format=json 50 ms after one card moved (Maillage only)',
			},
		},
	}
}
