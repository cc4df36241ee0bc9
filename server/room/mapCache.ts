import * as Y from 'yjs'
import type { SerializedSchema } from '@tldraw/store'
import { projectionMemo, type Projection } from '../../shared/projection'
import { docToMap, metaMap, readDocRecord, type DocRecordReader } from '../../shared/ydoc/mapDoc'
import { recordsMap } from '../../shared/ydoc/recordCodec'
import type { RestoredRecord } from '../../shared/ydoc/restoreRecord'

/**
 * A room's document read as a typed map (`docToMap`), without decoding and validating every
 * record again on each read: the restored records, and what the projection derives from each
 * (see ProjectionMemo), are kept until that record changes. An edit drops its record only, so an
 * export after one edit re-reads one record; the map-level checks still run over all of them.
 * The result is the one `docToMap(doc)` gives (tests/unit/server/room/mapCache.test.ts).
 */
export class MapCache {
	private readonly restored = new Map<string, RestoredRecord>()
	private readonly memo = projectionMemo()
	/** The schema the kept records were migrated from; a change of stamp drops them all. */
	private writtenWith: SerializedSchema | undefined

	constructor(private readonly doc: Y.Doc) {
		recordsMap(doc).observeDeep(this.onRecordsChanged)
		metaMap(doc).observe(this.onMetaChanged)
	}

	/** The typed map and its issues; call `room.applyPending()` first to include this turn's updates. */
	read(): Projection {
		return docToMap(this.doc, this.readEntry, this.memo)
	}

	/** Stops following the document (the room is closed). */
	destroy(): void {
		recordsMap(this.doc).unobserveDeep(this.onRecordsChanged)
		metaMap(this.doc).unobserve(this.onMetaChanged)
		this.restored.clear()
	}

	private readonly readEntry: DocRecordReader = (id, entry, writtenWith) => {
		if (writtenWith !== this.writtenWith) {
			this.restored.clear()
			this.writtenWith = writtenWith
		}
		const kept = this.restored.get(id)
		if (kept) return kept
		const record = readDocRecord(id, entry, writtenWith)
		if (record) this.restored.set(id, record)
		return record
	}

	private readonly onRecordsChanged = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		for (const event of events) {
			// A record added, replaced or deleted is a key of the records map; a field edited, an event below it.
			if (event instanceof Y.YMapEvent && event.path.length === 0) for (const id of event.keysChanged) this.restored.delete(String(id))
			else this.restored.delete(String(event.path[0]))
		}
	}

	private readonly onMetaChanged = () => this.restored.clear()
}
