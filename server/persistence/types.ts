import type { RoomTokenHashes } from '../auth'
import type { Actor } from '../../shared/roomStatus'

/** What the server keeps about a room besides its document. */
export interface RoomRecord {
	id: string
	title: string
	createdAt: number
	tokens: RoomTokenHashes
}

/**
 * Where rooms live. The room core only sees this interface, so another store (Postgres, S3...)
 * can be added without touching it. Calls on one room are never concurrent: the room chains them.
 */
export interface RoomStore {
	createRoom(room: RoomRecord): Promise<void>
	getRoom(id: string): Promise<RoomRecord | undefined>
	listRooms(): Promise<Omit<RoomRecord, 'tokens'>[]>
	setTokens(id: string, tokens: RoomTokenHashes): Promise<void>
	/** Every stored update of the room, oldest first (the compacted state comes first). */
	loadUpdates(id: string): Promise<Uint8Array[]>
	/** Appends updates durably, all or none: when the promise resolves they survive a crash. */
	appendUpdates(id: string, updates: Uint8Array[]): Promise<void>
	/** Replaces every stored update of the room by one state update, all or none. */
	compact(id: string, state: Uint8Array): Promise<void>
	close(): Promise<void>
}

/** A room is locked while it has a lock: participants' edits are then refused. */
export interface RoomLock {
	by: Actor
	at: number
}

/** Why a version was saved: agreed by a facilitator, or kept automatically before a restore. */
export type VersionKind = 'agreed' | 'before-restore'

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

/**
 * What facilitation keeps: locks and immutable versions. Apart from RoomStore because the room
 * core never needs it; the SQLite store implements both (`Store`).
 */
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
