import type { MapDiff } from '../../shared/diff'
import type { Issue } from '../../shared/issues'
import type { RoomStatus } from '../../shared/roomStatus'
import type { VersionSummary } from '../persistence/types'
import type { Role } from '../../shared/protocol'

/**
 * The JSON bodies of the HTTP API, for the client (`import type` only: nothing of the server
 * reaches the bundle). Errors are `ApiError` with a 4xx/5xx status.
 */
export interface ApiError {
	error: { code: string; message: string }
}

/** POST /api/rooms (admin) -> 201 */
export interface CreatedRoomResponse {
	room: string
	title: string
	tokens: Record<Role, string>
	links: Record<Role, string>
}

/** GET /api/rooms (admin) */
export interface RoomListResponse {
	rooms: { room: string; title: string; createdAt: number; loaded: boolean }[]
}

/**
 * GET /api/rooms/<room> (room token or admin): the role of the token and the room status
 * (`locked`, `lockedBy`, `lockedAt`, `agreedVersion`), also published live over awareness.
 */
export interface RoomInfoResponse extends RoomStatus {
	room: string
	title: string
	role: Role | 'admin'
}

/** POST /api/rooms/<room>/lock and /unlock (facilitator or admin), body `{name?}` -> 200 */
export type LockResponse = RoomStatus

export type { VersionSummary }

/** GET /api/rooms/<room>/versions (room token) -> newest first */
export interface VersionListResponse {
	versions: VersionSummary[]
}

/** POST /api/rooms/<room>/versions/<id>/restore (facilitator or admin) -> 200 */
export interface RestoreResponse {
	restored: VersionSummary
	/** The map as it was just before, saved automatically: restoring it undoes this restore. */
	backup: VersionSummary
}

/** Which side of a diff: a version, or the map now. */
export type DiffSide = { version: VersionSummary } | { now: true }

/** GET /api/rooms/<room>/diff?from=<version id|now>&to=<version id|now> (room token) */
export interface DiffResponse {
	from: DiffSide
	to: DiffSide
	diff: MapDiff
}

/** POST /api/rooms/<room>/tokens/rotate, body `{roles?: Role[]}` (all roles by default) */
export interface RotatedTokensResponse {
	room: string
	tokens: Partial<Record<Role, string>>
	links: Partial<Record<Role, string>>
}

/** POST /api/rooms/<room>/import?format=… -> 200, or 422 with the issues */
export type ImportResponse = { ok: true; organisations: number; partnerships: number; warnings: Issue[] } | { ok: false; issues: Issue[] }

/** GET /api/rooms/<room>/issues */
export interface IssuesResponse {
	issues: Issue[]
}

/** GET /healthz */
export interface HealthResponse {
	ok: true
	rooms: number
	connections: number
}

/** The response header of an export that counts the records the projection reported and skipped. */
export const ISSUES_HEADER = 'X-Maillage-Issues'
