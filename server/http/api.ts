import { randomBytes } from 'node:crypto'
import {
	createRoomBodySchema,
	exportQuerySchema,
	importQuerySchema,
	rotateTokensBodySchema,
	type CreatedRoomResponse,
	type ImportResponse,
	type IssuesResponse,
	type RoomInfoResponse,
	type RoomListResponse,
	type RotatedTokensResponse,
} from '../../shared/api'
import { exportMap, importMap } from '../../shared/formats'
import { roles, type Role } from '../../shared/protocol'
import { writeMapToDoc } from '../../shared/ydoc/mapDoc'
import { hashTokens, newRoomTokens } from '../auth'
import type { Limits } from '../config'
import { readRoomStatus } from '../persistence/roomStatus'
import type { Logger } from '../log'
import type { Store } from '../persistence/types'
import type { Rooms } from '../rooms'
import type { SyncServer } from '../websocket'
import { sendExport } from './access'
import { HttpError, sendJson } from './respond'
import { route, type Route } from './router'

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

const roomLink = (base: string, room: string, token: string) => `${base}/room/${room}#token=${token}`
export const adminLink = (base: string, token: string) => `${base}/admin#token=${token}`

function roleLinks<T extends Partial<Record<Role, string>>>(ctx: ApiContext, room: string, tokens: T): T {
	const base = ctx.publicUrl()
	return Object.fromEntries(Object.entries(tokens).map(([role, token]) => [role, roomLink(base, room, token as string)])) as T
}

/** The routes of rooms and their tokens, export and import (README, "HTTP and WebSocket API"). */
export const roomRoutes = (ctx: ApiContext): Route[] => [
	route({
		method: 'GET',
		path: '/api/rooms',
		access: 'admin',
		async handle({ res }) {
			const rooms = await ctx.store.listRooms()
			sendJson(res, 200, {
				rooms: rooms.map((r) => ({ room: r.id, title: r.title, createdAt: r.createdAt, loaded: ctx.rooms.loaded(r.id) !== undefined })),
			} satisfies RoomListResponse)
		},
	}),
	route({
		method: 'POST',
		path: '/api/rooms',
		access: 'admin',
		body: createRoomBodySchema,
		async handle({ res, body }) {
			const title = body.title ?? ''
			const room = randomBytes(9).toString('base64url')
			const { tokens, hashes } = newRoomTokens()
			await ctx.store.createRoom({ id: room, title, createdAt: Date.now(), tokens: hashes })
			ctx.log.info({ room }, 'room created')
			sendJson(res, 201, { room, title, tokens, links: roleLinks(ctx, room, tokens) } satisfies CreatedRoomResponse)
		},
	}),
	route({
		method: 'GET',
		path: '/api/rooms/:room',
		access: 'seat',
		async handle({ res, params: { room }, principal, title }) {
			const status = await readRoomStatus(ctx.store, room)
			sendJson(res, 200, { room, title, role: principal.kind === 'admin' ? 'admin' : principal.role, ...status } satisfies RoomInfoResponse)
		},
	}),
	route({
		method: 'GET',
		path: '/api/rooms/:room/export',
		access: 'seat',
		query: exportQuerySchema,
		async handle({ res, params: { room }, query, title }) {
			const { map, issues } = await ctx.rooms.with(room, (r) => {
				r.applyPending()
				return r.mapCache.read()
			})
			sendExport(res, exportMap(map, query.format, { stripPersons: query.strip }), map.title || title, room, issues.length)
		},
	}),
	route({
		method: 'GET',
		path: '/api/rooms/:room/issues',
		access: 'seat',
		async handle({ res, params: { room } }) {
			const { issues } = await ctx.rooms.with(room, (r) => {
				r.applyPending()
				return r.mapCache.read()
			})
			sendJson(res, 200, { issues } satisfies IssuesResponse)
		},
	}),
	route({
		method: 'POST',
		path: '/api/rooms/:room/import',
		access: { facilitatorTo: 'import' },
		query: importQuerySchema,
		body: 'text',
		async handle({ res, params: { room }, query: { format }, body }) {
			const result = importMap(body, format)
			if (!result.ok) return sendJson(res, 422, { ok: false, issues: result.issues } satisfies ImportResponse)
			// Through the room core, so the import is stored before anyone sees it, like any edit.
			await ctx.rooms.with(room, async (r) => {
				r.transact((doc) => writeMapToDoc(doc, result.map))
				await r.whenDurable()
			})
			const { organisations, partnerships } = result.map
			ctx.log.info({ room, format, organisations: organisations.length, partnerships: partnerships.length }, 'map imported')
			sendJson(res, 200, {
				ok: true,
				organisations: organisations.length,
				partnerships: partnerships.length,
				warnings: result.warnings,
			} satisfies ImportResponse)
		},
	}),
	route({
		method: 'POST',
		path: '/api/rooms/:room/tokens/rotate',
		access: { facilitatorTo: 'rotate tokens' },
		body: rotateTokensBodySchema,
		async handle({ res, params: { room }, body }) {
			const rotated = [...new Set(body.roles ?? roles)]
			const record = await ctx.store.getRoom(room)
			if (!record) throw new HttpError(404, 'no_such_room', 'no such room')
			const fresh = newRoomTokens().tokens
			const freshHashes = hashTokens(fresh)
			const tokens: Partial<Record<Role, string>> = {}
			const hashes = { ...record.tokens }
			for (const role of rotated) {
				tokens[role] = fresh[role]
				hashes[role] = freshHashes[role]
			}
			await ctx.store.setTokens(room, hashes)
			ctx.sync.closeRoles(room, rotated)
			ctx.log.info({ room, roles: rotated }, 'tokens rotated')
			sendJson(res, 200, { room, tokens, links: roleLinks(ctx, room, tokens) } satisfies RotatedTokensResponse)
		},
	}),
]
