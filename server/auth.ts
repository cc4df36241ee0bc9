import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { roles, type Role } from '../shared/protocol'

/**
 * Tokens: 32 random bytes (256 bits) in base64url. Only their SHA-256 is stored: a token has
 * enough entropy that a slow password hash adds nothing, and a leaked database opens no room.
 * Comparisons run in constant time on the digests, whatever the presented length.
 */
export function newToken(): string {
	return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('base64url')
}

function sameDigest(a: string, b: string): boolean {
	const x = Buffer.from(a, 'base64url')
	const y = Buffer.from(b, 'base64url')
	return x.length === y.length && timingSafeEqual(x, y)
}

export type RoomTokenHashes = Record<Role, string>

export function newRoomTokens(): { tokens: Record<Role, string>; hashes: RoomTokenHashes } {
	const tokens = { facilitator: newToken(), participant: newToken(), viewer: newToken() }
	return { tokens, hashes: hashTokens(tokens) }
}

export function hashTokens(tokens: Record<Role, string>): RoomTokenHashes {
	return { facilitator: hashToken(tokens.facilitator), participant: hashToken(tokens.participant), viewer: hashToken(tokens.viewer) }
}

/** The role a token grants in a room, or undefined. Every role is compared, so timing says nothing. */
export function roleOf(token: string, hashes: RoomTokenHashes): Role | undefined {
	const digest = hashToken(token)
	let found: Role | undefined
	for (const role of roles) if (sameDigest(digest, hashes[role]) && found === undefined) found = role
	return found
}

export function isAdminToken(token: string, adminHash: string): boolean {
	return sameDigest(hashToken(token), adminHash)
}

/** Who is calling: the administrator (any room) or the holder of one room's token. */
export type Principal = { kind: 'admin' } | { kind: 'room'; room: string; role: Role }

/** `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
	return match?.[1]
}

const ADMIN_TOKEN_FILE = 'admin-token'

/**
 * The admin token: from the environment, else generated once and kept in DATA_DIR (mode 0600)
 * so that the printed link keeps working across restarts.
 */
export function resolveAdminToken(dataDir: string, fromEnv: string | undefined): { token: string; generated: boolean } {
	if (fromEnv) return { token: fromEnv, generated: false }
	const file = path.join(dataDir, ADMIN_TOKEN_FILE)
	if (existsSync(file)) {
		const stored = readFileSync(file, 'utf8').trim()
		if (stored.length >= 16) return { token: stored, generated: true }
	}
	const token = newToken()
	writeFileSync(file, token + '\n', { mode: 0o600 })
	return { token, generated: true }
}
