import * as Y from 'yjs'
import { baseRecords, mapToRecords } from '../shared/projection'
import { flattenRecord } from '../shared/ydoc/recordCodec'
import { randomMap } from '../tests/support/randomMap'

/**
 * `npx tsx bench/docSize.ts`: what the large map's document is made of (leaf paths, values, Yjs
 * overhead) and what a new client pays to integrate it, for the current layout (one Y.Map entry
 * per leaf, shared/ydoc/recordCodec) and two coarser ones, for comparison only.
 */
const records = [...baseRecords(), ...mapToRecords(randomMap(1, { organisations: 1000, partnerships: 3000 }))] as unknown as Record<string, unknown>[]

let leaves = 0
let pathBytes = 0
let valueBytes = 0
for (const record of records)
	for (const [path, value] of flattenRecord(record)) {
		leaves++
		pathBytes += Buffer.byteLength(path)
		valueBytes += Buffer.byteLength(JSON.stringify(value))
	}
console.log(`${records.length} records, ${leaves} leaves, paths ${pathBytes} bytes, values ${valueBytes} bytes`)

function measure(label: string, fill: (yRecords: Y.Map<unknown>) => void): void {
	const doc = new Y.Doc()
	doc.transact(() => fill(doc.getMap('records')))
	const update = Y.encodeStateAsUpdate(doc)
	const times = [0, 1, 2].map(() => {
		const started = performance.now()
		Y.applyUpdate(new Y.Doc(), update)
		return Math.round(performance.now() - started)
	})
	console.log(`${label}: ${update.byteLength} bytes, applyUpdate ${times.join(' / ')} ms`)
}

measure('one entry per leaf (current)', (yRecords) => {
	for (const record of records) {
		const yRecord = new Y.Map<unknown>()
		for (const [path, value] of flattenRecord(record)) yRecord.set(path, value)
		yRecords.set(record.id as string, yRecord)
	}
})
measure('one entry per top-level field', (yRecords) => {
	for (const record of records) {
		const yRecord = new Y.Map<unknown>()
		for (const [key, value] of Object.entries(record)) yRecord.set(key, value)
		yRecords.set(record.id as string, yRecord)
	}
})
measure('one entry per record', (yRecords) => {
	for (const record of records) yRecords.set(record.id as string, record)
})
