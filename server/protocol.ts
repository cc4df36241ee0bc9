import * as syncProtocol from 'y-protocols/sync'

/**
 * The wire protocol: the standard y-websocket one (y-protocols sync + awareness), so a stock
 * `WebsocketProvider` connects unchanged to `ws(s)://host/sync/<room>?token=…`.
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
 * retries). 1001 and 1009 are the standard codes for shutdown and oversize messages.
 */
export const closeReason = {
	goingAway: { code: 1001, reason: 'server shutting down' },
	messageTooBig: { code: 1009, reason: 'message too big' },
	malformed: { code: 4400, reason: 'malformed message' },
	tokenRevoked: { code: 4401, reason: 'token rotated, ask for a new link' },
	forbidden: { code: 4403, reason: 'forbidden' },
	notFound: { code: 4404, reason: 'no such room' },
	conflict: { code: 4409, reason: 'conflict' },
	tooLarge: { code: 4413, reason: 'message too big' },
	roomFull: { code: 4429, reason: 'room is full' },
	internal: { code: 4500, reason: 'internal error' },
	unavailable: { code: 4503, reason: 'room could not be loaded, try again later' },
} as const
export type CloseReasonName = keyof typeof closeReason
export type CloseReason = (typeof closeReason)[CloseReasonName]

/** Room ids are short, URL-safe and never reach a file path (rooms live in SQLite rows). */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function isRoomId(value: unknown): value is string {
	return typeof value === 'string' && ROOM_ID_PATTERN.test(value)
}

export const roles = ['facilitator', 'participant', 'viewer'] as const
export type Role = (typeof roles)[number]

/** Writers may change the document; viewers only read it (awareness is allowed to everyone). */
export const canWrite = (role: Role) => role !== 'viewer'
