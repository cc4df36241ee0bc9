import type { IncomingMessage, ServerResponse } from 'node:http'
import { ISSUES_HEADER } from '../../shared/api'
import type { ExportedFile } from '../../shared/formats'
import { bearerToken, isAdminToken, roleOf, type Principal } from '../auth'
import type { RoomStore } from '../persistence/types'
import { HttpError } from './respond'

/** Who may do what through the API, and how files are handed out; shared by the route modules. */
export interface AccessContext {
	store: Pick<RoomStore, 'getRoom'>
	adminTokenHash: string
}

/**
 * Who may call a route: anyone; the admin; anyone with a seat in the route's `:room` (any of its
 * tokens, or the admin); or its facilitator (or the admin), refused with "only a facilitator can <to>".
 */
export type Access = 'anyone' | 'admin' | 'seat' | { facilitatorTo: string }

/** What a route learns of its caller: on room routes, who it is and the room's title. */
export type Grant<A extends Access> = A extends 'anyone' | 'admin' ? object : Seat
export interface Seat {
	principal: Principal
	title: string
}

/** Applies a route's access rule: 401, 403 (or 404 for the admin on an unknown room) when refused. */
export async function grant<A extends Access>(ctx: AccessContext, req: IncomingMessage, access: A, room: string | undefined): Promise<Grant<A>> {
	if (access === 'anyone') return {} as Grant<A>
	if (access === 'admin') {
		requireAdmin(ctx, req)
		return {} as Grant<A>
	}
	if (room === undefined) throw new Error('a room route needs a :room parameter')
	const seat = await authenticate(ctx, req, room)
	if (typeof access === 'object' && !isFacilitator(seat.principal)) throw new HttpError(403, 'forbidden', `only a facilitator can ${access.facilitatorTo}`)
	return seat as Grant<A>
}

function requireAdmin(ctx: AccessContext, req: IncomingMessage): void {
	const token = bearerToken(req.headers.authorization)
	if (!token) throw new HttpError(401, 'unauthorized', 'a Bearer token is required', { 'WWW-Authenticate': 'Bearer' })
	if (!isAdminToken(token, ctx.adminTokenHash)) throw new HttpError(403, 'forbidden', 'this token cannot do that')
}

/** The admin, or the role a room token grants in this room. A token of room A is nothing in B. */
async function authenticate(ctx: AccessContext, req: IncomingMessage, room: string): Promise<Seat> {
	const token = bearerToken(req.headers.authorization)
	if (!token) throw new HttpError(401, 'unauthorized', 'a Bearer token is required', { 'WWW-Authenticate': 'Bearer' })
	const record = await ctx.store.getRoom(room)
	if (isAdminToken(token, ctx.adminTokenHash)) {
		if (!record) throw new HttpError(404, 'no_such_room', 'no such room')
		return { principal: { kind: 'admin' }, title: record.title }
	}
	const role = record && roleOf(token, record.tokens)
	// Unknown rooms answer like wrong tokens, so room ids cannot be probed.
	if (!role) throw new HttpError(403, 'forbidden', 'this token does not open this room')
	return { principal: { kind: 'room', room, role }, title: record.title }
}

const isFacilitator = (p: Principal) => p.kind === 'admin' || p.role === 'facilitator'

/** A file name from the title: ASCII for old clients, the exact title in filename* (RFC 6266). */
function contentDisposition(title: string, room: string, extension: string): string {
	const base = title.trim() || room
	const ascii = base.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || room
	return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeURIComponent(`${base}.${extension}`)}`
}

/** Sends an exported map as a download named after `title`, with the count of skipped records. */
export function sendExport(res: ServerResponse, file: ExportedFile, title: string, room: string, issues: number): void {
	res.writeHead(200, {
		'Content-Type': file.contentType,
		'Content-Length': Buffer.byteLength(file.body),
		'Content-Disposition': contentDisposition(title, room, file.extension),
		'Cache-Control': 'no-store',
		[ISSUES_HEADER]: String(issues),
	})
	res.end(file.body)
}
