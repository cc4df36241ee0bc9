import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { editShape, shapeRecord } from '../../bench/clients/record'
import { recordsMap, writeRecord } from '../../shared/ydoc/recordCodec'

function recorder(clientID: number) {
	const doc = new Y.Doc()
	doc.clientID = clientID
	const updates: Uint8Array[] = []
	doc.on('update', (update: Uint8Array) => updates.push(update))
	return { doc, updates }
}

describe('bench edits', () => {
	test('a move is the very update writeRecord makes of the whole record', () => {
		const fast = recorder(7)
		const reference = recorder(7)
		let now = 1000
		const clock = () => now
		for (let seq = 0; seq < 5; seq++, now += 12.5) {
			editShape(fast.doc, 3, seq, null, clock)
			reference.doc.transact(() => writeRecord(recordsMap(reference.doc), shapeRecord(3, seq, now)))
		}
		expect(fast.updates).toHaveLength(5)
		expect(fast.updates).toEqual(reference.updates)
	})
})
