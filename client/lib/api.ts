import type { Issue } from '../../shared/issues'
import type { RoomStatus } from '../../shared/roomStatus'
import type { DiffResponse, RestoreResponse, VersionListResponse, VersionSummary } from '../../server/http/types'

export type { DiffResponse, VersionSummary }

export type Role = 'facilitator' | 'participant' | 'viewer'
export const roles: readonly Role[] = ['facilitator', 'participant', 'viewer']

export interface RoomInfo extends RoomStatus {
	room: string
	title: string
	role: Role
}

export interface CreatedRoom {
	room: string
	tokens: Record<Role, string>
	links: Record<Role, string>
}

export type ImportFormat = 'json' | 'csv' | 'graphml' | 'gexf'

/** An HTTP failure with the status, so pages can tell a bad link (401/403/404) from an outage. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message)
	}
}

async function call(path: string, token: string, init: RequestInit = {}): Promise<Response> {
	const response = await fetch(path, {
		...init,
		headers: { ...init.headers, Authorization: `Bearer ${token}` },
	})
	if (!response.ok && response.status !== 400 && response.status !== 422) {
		const text = await response.text().catch(() => '')
		throw new ApiError(response.status, text || response.statusText)
	}
	return response
}

export async function fetchRoom(room: string, token: string): Promise<RoomInfo> {
	const response = await call(`/api/rooms/${encodeURIComponent(room)}`, token)
	return (await response.json()) as RoomInfo
}

export async function createRoom(title: string, adminToken: string): Promise<CreatedRoom> {
	const response = await call('/api/rooms', adminToken, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ title }),
	})
	if (!response.ok) throw new ApiError(response.status, await response.text())
	return (await response.json()) as CreatedRoom
}

export type ImportResponse = { ok: true } | { ok: false; issues: Issue[] }

/** Replaces the room's map with a file; the server validates it and changes nothing when invalid. */
export async function importIntoRoom(room: string, token: string, format: ImportFormat, body: string): Promise<ImportResponse> {
	const response = await call(`/api/rooms/${encodeURIComponent(room)}/import?format=${format}`, token, {
		method: 'POST',
		headers: { 'Content-Type': 'text/plain; charset=utf-8' },
		body,
	})
	const result = (await response.json()) as ImportResponse
	return response.ok ? result : { ok: false, issues: 'issues' in result ? result.issues : [] }
}

const roomPath = (room: string, rest: string) => `/api/rooms/${encodeURIComponent(room)}/${rest}`

/** A JSON call that must succeed; the server's own message is kept for the error. */
async function callJson<T>(path: string, token: string, init: RequestInit = {}): Promise<T> {
	const response = await call(path, token, init)
	const body = (await response.json()) as T | { error?: { message?: string } }
	if (!response.ok) {
		const message = (body as { error?: { message?: string } }).error?.message
		throw new ApiError(response.status, message ?? response.statusText)
	}
	return body as T
}

const post = (body: unknown): RequestInit => ({
	method: 'POST',
	headers: { 'Content-Type': 'application/json' },
	body: JSON.stringify(body),
})

/** Locks (participants can no longer change the map) or unlocks the room; facilitators only. */
export function setRoomLock(room: string, token: string, locked: boolean, name?: string): Promise<RoomStatus> {
	return callJson(roomPath(room, locked ? 'lock' : 'unlock'), token, post({ name }))
}

/** Saves the map as it is now as an immutable, labelled version ("Agree this map"). */
export function agreeVersion(room: string, token: string, label: string, name?: string): Promise<VersionSummary> {
	return callJson(roomPath(room, 'versions'), token, post({ label, name }))
}

export async function listVersions(room: string, token: string): Promise<VersionSummary[]> {
	return (await callJson<VersionListResponse>(roomPath(room, 'versions'), token)).versions
}

export function restoreVersion(room: string, token: string, id: string, name?: string): Promise<RestoreResponse> {
	return callJson(roomPath(room, `versions/${encodeURIComponent(id)}/restore`), token, post({ name }))
}

/** A version exported in one of the data formats, as the server writes it. */
export async function exportVersion(room: string, token: string, id: string, format: string, stripPersons: boolean): Promise<Blob> {
	const query = `format=${encodeURIComponent(format)}${stripPersons ? '&strip=1' : ''}`
	const response = await call(roomPath(room, `versions/${encodeURIComponent(id)}/export?${query}`), token)
	if (!response.ok) throw new ApiError(response.status, await response.text())
	return response.blob()
}

/** What changed between two versions, or a version and the map now (`now`). */
export function fetchDiff(room: string, token: string, from: string, to: string): Promise<DiffResponse> {
	return callJson(roomPath(room, `diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`), token)
}
