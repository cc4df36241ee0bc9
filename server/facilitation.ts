import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { exportMap, importMap } from '../shared/formats'
import type { MaillageMap } from '../shared/model'
import type { Actor, RoomStatus } from '../shared/roomStatus'
import { docToMap, writeMapToDoc } from '../shared/ydoc/mapDoc'
import { readRoomStatus } from './persistence/roomStatus'
import type { FacilitationStore, RoomLock, StoredVersion, VersionKind, VersionSummary } from './persistence/types'
import type { Room } from './room'
import type { Rooms } from './rooms'

/**
 * Facilitation on the server side: the lock, and immutable versions of a map (save, read,
 * restore). The store is the truth; a loaded room gets every change through `setStatus`.
 */

export interface FacilitationContext {
	store: FacilitationStore
	rooms: Rooms
}

/**
 * Locks (or unlocks, with undefined) a room. The room is opened first, so that a load running
 * meanwhile cannot read the old lock after this one is stored.
 */
export function setLock(ctx: FacilitationContext, room: string, lock: RoomLock | undefined): Promise<RoomStatus> {
	return ctx.rooms.with(room, async (r) => {
		await ctx.store.setLock(room, lock)
		const status = await readRoomStatus(ctx.store, room)
		ctx.rooms.setStatus(r, status)
		return status
	})
}

/** What a version records of a room now: read in one go, so it is one state of the document. */
function capture(room: Room): { state: Uint8Array; map: MaillageMap; json: string; issues: number } {
	room.applyPending()
	const { map, issues } = room.mapCache.read()
	const json = exportMap(map, 'json').body
	// The export must be a file the import accepts: never store a version that cannot be read back.
	const check = importMap(json, 'json')
	if (!check.ok) throw new Error(`the map does not validate: ${check.issues.map((i) => i.message.en).join('; ')}`)
	return { state: Y.encodeStateAsUpdate(room.doc), map, json, issues: issues.length }
}

interface NewVersion {
	label: string
	kind: VersionKind
	restoring?: string
	by: Actor
}

async function store(ctx: FacilitationContext, room: string, captured: ReturnType<typeof capture>, meta: NewVersion): Promise<VersionSummary> {
	const version: Omit<StoredVersion, 'number'> = {
		id: randomBytes(9).toString('base64url'),
		room,
		label: meta.label,
		kind: meta.kind,
		restoring: meta.restoring ?? null,
		createdAt: Date.now(),
		createdBy: meta.by,
		organisations: captured.map.organisations.length,
		partnerships: captured.map.partnerships.length,
		issues: captured.issues,
		state: captured.state,
		json: captured.json,
	}
	const number = await ctx.store.addVersion(version)
	return summaryOf({ ...version, number })
}

export function summaryOf(version: StoredVersion): VersionSummary {
	const { state: _state, json: _json, ...summary } = version
	return summary
}

/** Saves the map as it is now (every edit applied so far, once durable) as a labelled version. */
export function saveVersion(ctx: FacilitationContext, room: string, label: string, by: Actor): Promise<VersionSummary> {
	return ctx.rooms.with(room, async (r) => {
		await r.whenDurable()
		const summary = await store(ctx, room, capture(r), { label, kind: 'agreed', by })
		ctx.rooms.setStatus(r, await readRoomStatus(ctx.store, room))
		return summary
	})
}

/** The map a version holds, from its stored document state (migrated like a live document). */
export function versionMap(version: StoredVersion): MaillageMap {
	const doc = new Y.Doc()
	try {
		Y.applyUpdate(doc, version.state)
		return docToMap(doc).map
	} finally {
		doc.destroy()
	}
}

/** The current map of a room. */
export function currentMap(ctx: FacilitationContext, room: string): Promise<MaillageMap> {
	return ctx.rooms.with(room, (r) => {
		r.applyPending()
		return r.mapCache.read().map
	})
}

/**
 * Makes a version the current map, through the room core like any edit (stored, then relayed).
 * The map as it was is saved first as a `before-restore` version, so restoring that one undoes
 * the restore. Both are taken in the same turn, so no edit falls between the backup and the
 * restore; should the backup fail to be stored, the map is put back and the restore fails.
 */
export function restoreVersion(
	ctx: FacilitationContext,
	room: string,
	version: StoredVersion,
	by: Actor,
): Promise<{ restored: VersionSummary; backup: VersionSummary }> {
	const target = versionMap(version)
	return ctx.rooms.with(room, async (r) => {
		await r.whenDurable()
		const before = capture(r)
		r.transact((doc) => writeMapToDoc(doc, target))
		let backup: VersionSummary
		try {
			backup = await store(ctx, room, before, { label: version.label, kind: 'before-restore', restoring: version.id, by })
		} catch (error) {
			r.transact((doc) => writeMapToDoc(doc, before.map))
			throw error
		}
		await r.whenDurable()
		return { restored: summaryOf(version), backup }
	})
}
