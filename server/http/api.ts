import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { exportMap, importMap } from '../../shared/formats'
import { writeMapToDoc } from '../../shared/ydoc/mapDoc'
import { hashTokens, newRoomTokens } from '../auth'
import type { Limits } from '../config'
import type { Logger } from '../log'
import type { Store } from '../persistence/types'
import { isRoomId, roles, type Role } from '../../shared/protocol'
import type { Rooms } from '../rooms'
import type { SyncServer } from '../websocket'
import { readRoomStatus } from '../persistence/roomStatus'
import { authenticate, exportFormatOf, isFacilitator, requireAdmin, sendExport, stripPersonsOf } from './access'
import { handleFacilitation } from './facilitation'
import { HttpError, readBody, readJson, sendJson } from './respond'
import {
	type CreatedRoomResponse,
	type ImportResponse,
	type IssuesResponse,
	type RoomInfoResponse,
	type RoomListResponse,
	type RotatedTokensResponse,
} from './types'

export interface ApiContext {
	store: Store
	rooms: Rooms
	sync: SyncServer
	log: Logger
	limits: Limits
	adminTokenHash: string
	/** Base of the links handed out, known once the server listens. */
	publicUrl: () => string
}

const MAX_TITLE_LENGTH = 200

export const roomLink = (base: string, room: string, token: string) => `${base}/room/${room}#token=${token}`
export const adminLink = (base: string, token: string) => `${base}/admin#token=${token}`

function roleLinks<T extends Partial<Record<Role, string>>>(ctx: ApiContext, room: string, tokens: T): T {
	const base = ctx.publicUrl()
	return Object.fromEntries(Object.entries(tokens).map(([role, token]) => [role, roomLink(base, room, token as string)])) as T
}

// ─── Routes ──────────────────────────────────────────────────────────────────────────────────

async function createRoom(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	requireAdmin(ctx, req)
	const body = await readJson(req, ctx.limits.maxJsonBodyBytes)
	const title = (body as { title?: unknown } | null)?.title ?? ''
	if (typeof title !== 'string' || title.length > MAX_TITLE_LENGTH)
		throw new HttpError(400, 'invalid_title', `title must be a string of at most ${MAX_TITLE_LENGTH} characters`)
	const room = randomBytes(9).toString('base64url')
	const { tokens, hashes } = newRoomTokens()
	await ctx.store.createRoom({ id: room, title: title.trim(), createdAt: Date.now(), tokens: hashes })
	ctx.log.info({ room }, 'room created')
	sendJson(res, 201, { room, title: title.trim(), tokens, links: roleLinks(ctx, room, tokens) } satisfies CreatedRoomResponse)
}

async function listRooms(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	requireAdmin(ctx, req)
	const rooms = await ctx.store.listRooms()
	const list: RoomListResponse = {
		rooms: rooms.map((r) => ({ room: r.id, title: r.title, createdAt: r.createdAt, loaded: ctx.rooms.loaded(r.id) !== undefined })),
	}
	sendJson(res, 200, list)
}

async function describeRoom(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
	const { principal, title } = await authenticate(ctx, req, room)
	const status = await readRoomStatus(ctx.store, room)
	sendJson(res, 200, { room, title, role: principal.kind === 'admin' ? 'admin' : principal.role, ...status } satisfies RoomInfoResponse)
}

async function exportRoom(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, room: string, query: URLSearchParams): Promise<void> {
	const { title } = await authenticate(ctx, req, room)
	const format = exportFormatOf(query)
	const { map, issues } = await ctx.rooms.with(room, (r) => {
		r.applyPending()
		return r.mapCache.read()
	})
	sendExport(res, exportMap(map, format, { stripPersons: stripPersonsOf(query) }), map.title || title, room, issues.length)
}

async function roomIssues(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
	await authenticate(ctx, req, room)
	const { issues } = await ctx.rooms.with(room, (r) => {
		r.applyPending()
		return r.mapCache.read()
	})
	sendJson(res, 200, { issues } satisfies IssuesResponse)
}

async function importRoom(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, room: string, query: URLSearchParams): Promise<void> {
	const { principal } = await authenticate(ctx, req, room)
	if (!isFacilitator(principal)) throw new HttpError(403, 'forbidden', 'only a facilitator can import')
	const format = exportFormatOf(query)
	const body = await readBody(req, ctx.limits.maxImportBytes)
	const text = body.toString('utf8')
	const result = importMap(text, format)
	if (!result.ok) return sendJson(res, 422, { ok: false, issues: result.issues } satisfies ImportResponse)
	// Through the room core, so the import is stored before anyone sees it, like any edit.
	await ctx.rooms.with(room, async (r) => {
		r.transact((doc) => writeMapToDoc(doc, result.map))
		await r.whenDurable()
	})
	ctx.log.info({ room, format, organisations: result.map.organisations.length, partnerships: result.map.partnerships.length }, 'map imported')
	sendJson(res, 200, {
		ok: true,
		organisations: result.map.organisations.length,
		partnerships: result.map.partnerships.length,
		warnings: result.warnings,
	} satisfies ImportResponse)
}

async function rotateTokens(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
	const { principal } = await authenticate(ctx, req, room)
	if (!isFacilitator(principal)) throw new HttpError(403, 'forbidden', 'only a facilitator can rotate tokens')
	const body = await readJson(req, ctx.limits.maxJsonBodyBytes)
	const asked = (body as { roles?: unknown } | null)?.roles ?? roles
	if (!Array.isArray(asked) || asked.length === 0 || !asked.every((r) => (roles as readonly unknown[]).includes(r)))
		throw new HttpError(400, 'invalid_roles', `roles must be a non-empty list of ${roles.join(', ')}`)
	const rotated = [...new Set(asked as Role[])]
	const record = await ctx.store.getRoom(room)
	if (!record) throw new HttpError(404, 'no_such_room', 'no such room')
	const fresh = newRoomTokens().tokens
	const tokens: Partial<Record<Role, string>> = {}
	const hashes = { ...record.tokens }
	const freshHashes = hashTokens(fresh)
	for (const role of rotated) {
		tokens[role] = fresh[role]
		hashes[role] = freshHashes[role]
	}
	await ctx.store.setTokens(room, hashes)
	ctx.sync.closeRoles(room, rotated)
	ctx.log.info({ room, roles: rotated }, 'tokens rotated')
	sendJson(res, 200, { room, tokens, links: roleLinks(ctx, room, tokens) } satisfies RotatedTokensResponse)
}

/** Handles /api/...; throws HttpError for every refusal. */
export async function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
	const parts = url.pathname.split('/').slice(2) // ['rooms', room?, action?, ...]
	const method = req.method ?? 'GET'
	const allow = (...methods: string[]) => {
		if (!methods.includes(method)) throw new HttpError(405, 'method_not_allowed', 'method not allowed', { Allow: methods.join(', ') })
	}
	if (parts[0] !== 'rooms') throw new HttpError(404, 'not_found', 'no such endpoint')
	if (parts.length === 1) {
		allow('GET', 'POST')
		return method === 'POST' ? createRoom(ctx, req, res) : listRooms(ctx, req, res)
	}
	const room = parts[1] ?? ''
	if (!isRoomId(room)) throw new HttpError(400, 'invalid_room', 'invalid room id')
	const action = parts.slice(2).join('/')
	switch (action) {
		case '':
			allow('GET')
			return describeRoom(ctx, req, res, room)
		case 'export':
			allow('GET')
			return exportRoom(ctx, req, res, room, url.searchParams)
		case 'issues':
			allow('GET')
			return roomIssues(ctx, req, res, room)
		case 'import':
			allow('POST')
			return importRoom(ctx, req, res, room, url.searchParams)
		case 'tokens/rotate':
			allow('POST')
			return rotateTokens(ctx, req, res, room)
		default:
			return handleFacilitation(ctx, req, res, room, parts.slice(2), url.searchParams)
	}
}
