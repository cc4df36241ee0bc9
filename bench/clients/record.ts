import * as Y from 'yjs'
import { recordsMap, writeRecord, type JsonRecord } from '../../shared/ydoc/recordCodec'
import { marker } from './marker'

export const benchShapeId = (client: number) => `shape:bench-${client}`

/** A tldraw geo shape as the board stores it (flattened fields in `records`, see recordCodec). */
export function shapeRecord(client: number, seq: number, sentAtMs: number) {
	return {
		id: benchShapeId(client),
		typeName: 'shape',
		type: 'geo',
		parentId: 'page:page',
		index: `a${client}`,
		x: (client * 37 + seq * 3) % 2000,
		y: (client * 53 + seq * 7) % 1500,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		props: {
			w: 160,
			h: 90,
			geo: 'rectangle',
			color: 'blue',
			labelColor: 'black',
			fill: 'semi',
			dash: 'draw',
			size: 'm',
			font: 'draw',
			align: 'middle',
			verticalAlign: 'middle',
			growY: 0,
			url: '',
			scale: 1,
		},
		meta: { bench: marker(client, seq, sentAtMs) },
	} satisfies JsonRecord
}

/**
 * Moves the client's own shape (a drag step: x, y) and stamps the edit, in one transaction, as
 * the board does; the first call creates the record. A move sets exactly the three leaves that
 * `writeRecord` would find changed, in its order, so the update is the same bytes; the load
 * generators skip flattening and comparing the whole record on every edit, which was a fifth
 * of their CPU, taken from the server under test on the same cores.
 */
export function editShape(doc: Y.Doc, client: number, seq: number, origin: unknown, now = () => performance.now()): void {
	const record = shapeRecord(client, seq, now())
	doc.transact(() => {
		const yRecord = recordsMap(doc).get(record.id)
		if (!(yRecord instanceof Y.Map)) return writeRecord(recordsMap(doc), record)
		yRecord.set('x', record.x)
		yRecord.set('y', record.y)
		yRecord.set('meta/bench', record.meta.bench)
	}, origin)
}

/** The marker of the last edit of `client` that `doc` holds. */
export function lastMarker(doc: Y.Doc, client: number): unknown {
	const record = recordsMap(doc).get(benchShapeId(client))
	return record instanceof Y.Map ? record.get('meta/bench') : undefined
}
