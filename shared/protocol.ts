import * as syncProtocol from 'y-protocols/sync'
import { z } from 'zod'

/**
 * The wire contract both sides import: the standard y-websocket protocol (y-protocols sync +
 * awareness), so a stock `WebsocketProvider` connects unchanged to `ws(s)://host/sync/<room>?token=…`,
 * plus the roles, the write rule and the close codes the server uses.
 */
export const SYNC_PATH_PREFIX = '/sync/'

/** Top-level message types of a y-websocket frame (first varUint). */
export const messageType = {
	sync: 0,
	awareness: 1,
	queryAwareness: 3,
} as const

/** Sub-types of a sync message, as y-protocols defines them. */
export const syncMessageType = {
	step1: syncProtocol.messageYjsSyncStep1,
	step2: syncProtocol.messageYjsSyncStep2,
	update: syncProtocol.messageYjsUpdate,
} as const

/**
 * Why the server closes a WebSocket. Private codes mirror HTTP statuses: 44xx means "reconnecting
 * cannot fix this" (a stock provider stops retrying), 45xx "try again later" (it backs off and
 * retries). 1001 and 1009 are the standard codes for shutdown and oversize messages (ws sends
 * 1009 itself). `key` is the stable name the client shows an explanation for.
 */
export const closeReason = {
	goingAway: { code: 1001, reason: 'server shutting down', key: 'going away' },
	messageTooBig: { code: 1009, reason: 'message too big', key: 'too large' },
	malformed: { code: 4400, reason: 'malformed message', key: 'malformed' },
	tokenRevoked: { code: 4401, reason: 'token rotated, ask for a new link', key: 'unauthorized' },
	roomTooLarge: { code: 4413, reason: 'room has reached its maximum size', key: 'room too large' },
	tooManyUpdates: { code: 4420, reason: 'too many updates, slow down', key: 'too many updates' },
	roomFull: { code: 4429, reason: 'room is full', key: 'room full' },
	presenceTooLarge: { code: 4431, reason: 'presence state too large', key: 'presence too large' },
	unavailable: { code: 4503, reason: 'room could not be loaded, try again later', key: 'room unavailable' },
} as const
export type CloseReasonName = keyof typeof closeReason
export type CloseReason = (typeof closeReason)[CloseReasonName]

/** The stable key of a close code, e.g. `unauthorized` for 4401; undefined for codes the server never sends. */
export function closeReasonKey(code: number): string | undefined {
	return Object.values(closeReason).find((entry) => entry.code === code)?.key
}

/** Room ids are short, URL-safe and never reach a file path (rooms live in SQL rows). */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function isRoomId(value: unknown): value is string {
	return typeof value === 'string' && ROOM_ID_PATTERN.test(value)
}

/** The roles a room token can carry. */
export const roles = ['facilitator', 'participant', 'viewer'] as const
export type Role = (typeof roles)[number]
export const roleSchema = z.enum(roles)

/** Who can act on a room: a room role, or the server's administrator. */
export const actorRoleSchema = z.enum(['admin', ...roles])
export type ActorRole = z.infer<typeof actorRoleSchema>

/** The write rule, on both sides: viewers never change the document, participants not while the room is locked. */
export const mayEdit = (role: ActorRole, status: { locked: boolean }) =>
	role === 'admin' || role === 'facilitator' || (role === 'participant' && !status.locked)
