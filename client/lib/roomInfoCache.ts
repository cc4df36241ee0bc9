import { roles } from '../../shared/protocol'
import type { RoomInfo } from './api'

/**
 * The last `GET /api/rooms/<room>` answer, kept in localStorage so that a room opened once can
 * open with no network (the map then comes from IndexedDB). No token is stored, only a short
 * digest of it: the role in the answer belongs to that token, and another link to the same room
 * (another role) must not reuse it.
 */
const keyOf = (room: string) => `maillage:room-info:${room}`

interface Remembered {
	tokenDigest: string
	info: RoomInfo
}

/** 16 hex digits of SHA-256(token); undefined where WebCrypto is missing (insecure contexts, where offline reloads cannot work anyway). */
async function digestOf(token: string): Promise<string | undefined> {
	if (!globalThis.crypto?.subtle) return undefined
	const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))
	return Array.from(bytes.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('')
}

export async function rememberRoomInfo(info: RoomInfo, token: string): Promise<void> {
	const tokenDigest = await digestOf(token)
	if (!tokenDigest) return
	try {
		localStorage.setItem(keyOf(info.room), JSON.stringify({ tokenDigest, info } satisfies Remembered))
	} catch {
		// Storage full or disabled: the room still works online.
	}
}

/** The remembered answer for this room and token, if any. */
export async function recallRoomInfo(room: string, token: string): Promise<RoomInfo | undefined> {
	try {
		const stored = JSON.parse(localStorage.getItem(keyOf(room)) ?? 'null') as Remembered | null
		const tokenDigest = await digestOf(token)
		if (!tokenDigest || stored?.tokenDigest !== tokenDigest) return undefined
		const { info } = stored
		return info?.room === room && roles.includes(info.role) && typeof info.title === 'string' ? info : undefined
	} catch {
		return undefined
	}
}
