import type { z } from 'zod'
import {
	apiErrorSchema,
	createdRoomSchema,
	diffResponseSchema,
	importResponseSchema,
	lockResponseSchema,
	restoreResponseSchema,
	roomInfoSchema,
	versionListSchema,
	versionSummarySchema,
	type CreatedRoomResponse,
	type DiffResponse,
	type ImportResponse,
	type LockResponse,
	type RestoreResponse,
	type RoomInfoResponse,
	type VersionSummary,
} from '../../shared/api'
import type { ExportFormat } from '../../shared/formats'
import type { Role } from '../../shared/protocol'

/** The room as a room token sees it: the admin token is no seat in a room. */
export type RoomInfo = RoomInfoResponse & { role: Role }

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

/** A response body checked against the contract: a server that answers something else is an error, not a crash later. */
function parsed<S extends z.ZodType>(schema: S, body: unknown, status: number): z.output<S> {
	const result = schema.safeParse(body)
	if (!result.success) throw new ApiError(status, 'unexpected answer from the server')
	return result.data
}

export async function fetchRoom(room: string, token: string): Promise<RoomInfo> {
	const response = await call(`/api/rooms/${encodeURIComponent(room)}`, token)
	const info = parsed(roomInfoSchema, await response.json(), response.status)
	if (info.role === 'admin') throw new ApiError(403, 'the admin token opens no room: use a room link')
	return { ...info, role: info.role }
}

export async function createRoom(title: string, adminToken: string): Promise<CreatedRoomResponse> {
	const response = await call('/api/rooms', adminToken, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ title }),
	})
	if (!response.ok) throw new ApiError(response.status, await response.text())
	return parsed(createdRoomSchema, await response.json(), response.status)
}

/** Replaces the room's map with a file; the server validates it and changes nothing when invalid. */
export async function importIntoRoom(room: string, token: string, format: ExportFormat, body: string): Promise<ImportResponse> {
	const response = await call(`/api/rooms/${encodeURIComponent(room)}/import?format=${format}`, token, {
		method: 'POST',
		headers: { 'Content-Type': 'text/plain; charset=utf-8' },
		body,
	})
	const answer: unknown = await response.json()
	if (response.ok || response.status === 422) return parsed(importResponseSchema, answer, response.status)
	const refused = apiErrorSchema.safeParse(answer)
	return { ok: false, issues: (refused.success && refused.data.issues) || [] }
}

const roomPath = (room: string, rest: string) => `/api/rooms/${encodeURIComponent(room)}/${rest}`

/** A JSON call that must succeed; the server's own message is kept for the error. */
async function callJson<S extends z.ZodType>(schema: S, path: string, token: string, init: RequestInit = {}): Promise<z.output<S>> {
	const response = await call(path, token, init)
	const body: unknown = await response.json()
	if (!response.ok) {
		const refused = apiErrorSchema.safeParse(body)
		throw new ApiError(response.status, (refused.success && refused.data.error.message) || response.statusText)
	}
	return parsed(schema, body, response.status)
}

const post = (body: unknown): RequestInit => ({
	method: 'POST',
	headers: { 'Content-Type': 'application/json' },
	body: JSON.stringify(body),
})

/** Locks (participants can no longer change the map) or unlocks the room; facilitators only. */
export function setRoomLock(room: string, token: string, locked: boolean, name?: string): Promise<LockResponse> {
	return callJson(lockResponseSchema, roomPath(room, locked ? 'lock' : 'unlock'), token, post({ name }))
}

/** Saves the map as it is now as an immutable, labelled version ("Agree this map"). */
export function agreeVersion(room: string, token: string, label: string, name?: string): Promise<VersionSummary> {
	return callJson(versionSummarySchema, roomPath(room, 'versions'), token, post({ label, name }))
}

export async function listVersions(room: string, token: string): Promise<VersionSummary[]> {
	return (await callJson(versionListSchema, roomPath(room, 'versions'), token)).versions
}

export function restoreVersion(room: string, token: string, id: string, name?: string): Promise<RestoreResponse> {
	return callJson(restoreResponseSchema, roomPath(room, `versions/${encodeURIComponent(id)}/restore`), token, post({ name }))
}

/** A version exported in one of the data formats, as the server writes it. */
export async function exportVersion(room: string, token: string, id: string, format: ExportFormat, stripPersons: boolean): Promise<Blob> {
	const query = `format=${encodeURIComponent(format)}${stripPersons ? '&strip=1' : ''}`
	const response = await call(roomPath(room, `versions/${encodeURIComponent(id)}/export?${query}`), token)
	if (!response.ok) throw new ApiError(response.status, await response.text())
	return response.blob()
}

/** What changed between two versions, or a version and the map now (`now`). */
export function fetchDiff(room: string, token: string, from: string, to: string): Promise<DiffResponse> {
	return callJson(diffResponseSchema, roomPath(room, `diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`), token)
}
