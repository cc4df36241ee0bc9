import type { RoomTokenHashes } from '../auth'
import type { Actor } from '../../shared/roomStatus'

/**
 * What the server persists, as three interfaces, each for the code that needs it: the room core
 * only appends to and reads the update log, a connection also reads its room's record, and
 * facilitation keeps locks and versions. One SQL store (sqlStore.ts) implements them all, over
 * SQLite or PostgreSQL. Calls on one room are never concurrent: the room chains them.
 */

/** A room's document as a log of Yjs updates. */
export interface UpdateLog {
	/** Every stored update of the room, oldest first (the compacted state comes first). */
	loadUpdates(id: string): Promise<Uint8Array[]>
	/** Appends updates durably, all or none: when the promise resolves they survive a crash. */
	appendUpdates(id: string, updates: Uint8Array[]): Promise<void>
	/** Replaces every stored update of the room by one state update, all or none. */
	compact(id: string, state: Uint8Array): Promise<void>
}

/** What the server keeps about a room besides its document. */
export interface RoomRecord {
	id: string
	title: string
	createdAt: number
	tokens: RoomTokenHashes
}

/** The rooms and their tokens (hashed). */
export interface RoomDirectory {
	createRoom(room: RoomRecord): Promise<void>
	getRoom(id: string): Promise<RoomRecord | undefined>
	listRooms(): Promise<Omit<RoomRecord, 'tokens'>[]>
	setTokens(id: string, tokens: RoomTokenHashes): Promise<void>
}

/** Where rooms live: their records and their documents. */
export interface RoomStore extends RoomDirectory, UpdateLog {
	close(): Promise<void>
}

/** A room is locked while it has a lock: participants' edits are then refused. */
export interface RoomLock {
	by: Actor
	at: number
}

/** Why a version was saved: agreed by a facilitator, or kept automatically before a restore. */
export const versionKinds = ['agreed', 'before-restore'] as const
export type VersionKind = (typeof versionKinds)[number]

/** A saved version of a room's map, without its content. */
export interface VersionSummary {
	id: string
	room: string
	/** 1, 2, 3… per room, in saving order. */
	number: number
	label: string
	kind: VersionKind
	/** For a `before-restore` version: the version that was being restored. */
	restoring: string | null
	createdAt: number
	createdBy: Actor
	organisations: number
	partnerships: number
	/** Records the projection reported and skipped when the version was saved. */
	issues: number
}

/** A version with its content: the Yjs state of the document and the validated JSON export. */
export interface StoredVersion extends VersionSummary {
	state: Uint8Array
	json: string
}

/** What facilitation keeps: locks and immutable versions. The room core never needs it. */
export interface FacilitationStore {
	getLock(room: string): Promise<RoomLock | undefined>
	/** Sets (or with undefined, removes) the lock of a room. */
	setLock(room: string, lock: RoomLock | undefined): Promise<void>
	/** Stores a new version, numbered after the room's last one; returns its number. Never updated afterwards. */
	addVersion(version: Omit<StoredVersion, 'number'>): Promise<number>
	/** The room's versions, newest first, without their content. */
	listVersions(room: string): Promise<VersionSummary[]>
	getVersion(room: string, id: string): Promise<StoredVersion | undefined>
	/** The newest version of that kind, if any. */
	latestVersion(room: string, kind: VersionKind): Promise<VersionSummary | undefined>
}

export type Store = RoomStore & FacilitationStore
