/**
 * Who may do what: the one table that both the access test (tests/reliability/access.test.ts)
 * and the README's access table (written by `npx tsx scripts/access-table.ts`) come from, so that the
 * documentation cannot say something the server does not do.
 */

/** Ways to present oneself, from nothing to the most powerful token. */
export const credentials = {
	none: 'no token',
	malformed: 'malformed (`Authorization: Basic …`, `Bearer` without a token, empty `?token=`)',
	unknown: 'a well-formed token nobody issued',
	otherRoom: "another room's facilitator token",
	rotated: "this room's facilitator token, rotated since",
	admin: 'the admin token',
	facilitator: 'facilitator token',
	participant: 'participant token',
	viewer: 'viewer token',
} as const
export type Credential = keyof typeof credentials
export const credentialNames = Object.keys(credentials) as Credential[]

/** An HTTP status, or for the WebSocket: `write` (edits applied), `read` (connected, edits dropped). */
export type Outcome = number | 'write' | 'read'

export interface AccessRoute {
	name: string
	method: 'GET' | 'POST' | 'WS'
	/** `:room` is the room the token is tried on; `:version` a version saved in it; `:organisation` one on its map. */
	path: string
	/** Changes the room or its tokens: each try gets its own rooms. */
	mutates?: boolean
	outcomes: Record<Credential, Outcome>
}

/** Refusals every protected route shares: no or malformed token 401, a token that is not one for here 403. */
const refused = { none: 401, malformed: 401, unknown: 403, otherRoom: 403, rotated: 403 } as const
/** Anyone with a seat in the room (and the admin) may read. */
const anyRole = { ...refused, admin: 200, facilitator: 200, participant: 200, viewer: 200 } as const
/** Only the facilitator (and the admin) may change this. */
const facilitatorOnly = (status: number) => ({ ...refused, admin: status, facilitator: status, participant: 403, viewer: 403 })

export const accessRoutes: AccessRoute[] = [
	{ name: 'health', method: 'GET', path: '/healthz', outcomes: all(200) },
	{ name: 'metrics (no room ids, no tokens)', method: 'GET', path: '/metrics', outcomes: all(200) },
	{
		name: 'create a room',
		method: 'POST',
		path: '/api/rooms',
		outcomes: { ...refused, admin: 201, facilitator: 403, participant: 403, viewer: 403 },
	},
	{ name: 'list rooms', method: 'GET', path: '/api/rooms', outcomes: { ...refused, admin: 200, facilitator: 403, participant: 403, viewer: 403 } },
	{ name: 'room info (title, role)', method: 'GET', path: '/api/rooms/:room', outcomes: anyRole },
	{ name: 'export', method: 'GET', path: '/api/rooms/:room/export?format=json', outcomes: anyRole },
	{ name: 'invalid records report', method: 'GET', path: '/api/rooms/:room/issues', outcomes: anyRole },
	{ name: 'import (replaces the map)', method: 'POST', path: '/api/rooms/:room/import?format=json', mutates: true, outcomes: facilitatorOnly(200) },
	{ name: 'rotate tokens', method: 'POST', path: '/api/rooms/:room/tokens/rotate', mutates: true, outcomes: facilitatorOnly(200) },
	{
		name: 'lock the map (participants become read-only)',
		method: 'POST',
		path: '/api/rooms/:room/lock',
		mutates: true,
		outcomes: facilitatorOnly(200),
	},
	{ name: 'unlock the map', method: 'POST', path: '/api/rooms/:room/unlock', mutates: true, outcomes: facilitatorOnly(200) },
	{ name: 'list saved versions', method: 'GET', path: '/api/rooms/:room/versions', outcomes: anyRole },
	{ name: 'save a version', method: 'POST', path: '/api/rooms/:room/versions', mutates: true, outcomes: facilitatorOnly(201) },
	{ name: 'one saved version', method: 'GET', path: '/api/rooms/:room/versions/:version', outcomes: anyRole },
	{ name: 'export a saved version', method: 'GET', path: '/api/rooms/:room/versions/:version/export?format=json', outcomes: anyRole },
	{
		name: 'restore a saved version (replaces the map)',
		method: 'POST',
		path: '/api/rooms/:room/versions/:version/restore',
		mutates: true,
		outcomes: facilitatorOnly(200),
	},
	{ name: 'diff of versions', method: 'GET', path: '/api/rooms/:room/diff?from=now&to=now', outcomes: anyRole },
	{ name: 'network analysis', method: 'GET', path: '/api/rooms/:room/analysis', outcomes: anyRole },
	{
		name: "export one organisation's network (ego map)",
		method: 'GET',
		path: '/api/rooms/:room/ego/:organisation/export?format=json',
		outcomes: anyRole,
	},
	{
		name: 'sync (WebSocket, token in `?token=`)',
		method: 'WS',
		path: '/sync/:room',
		// The admin token administers rooms; it is no seat in one.
		outcomes: { ...refused, admin: 403, facilitator: 'write', participant: 'write', viewer: 'read' },
	},
]

function all(outcome: Outcome): Record<Credential, Outcome> {
	return Object.fromEntries(credentialNames.map((c) => [c, outcome])) as Record<Credential, Outcome>
}

export const accessCaseCount = accessRoutes.length * credentialNames.length

const shown = (outcome: Outcome) => (outcome === 'write' ? 'read + write' : outcome === 'read' ? 'read only' : String(outcome))

/** Where the table stands in README.md: everything between these two lines is generated. */
export const ACCESS_TABLE_START = '<!-- access-table:start (generated by `npx tsx scripts/access-table.ts` from tests/support/accessMatrix.ts) -->'
export const ACCESS_TABLE_END = '<!-- access-table:end -->'

/** The access table of the README, one row per route, one column per credential. */
export function accessTableMarkdown(): string {
	const header = ['Route', 'What', ...credentialNames]
	const rows = accessRoutes.map((r) => [`${r.method} \`${r.path}\``, r.name, ...credentialNames.map((c) => shown(r.outcomes[c]))])
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`
	return [
		`Every route and the WebSocket, tried with every kind of credential: ${accessCaseCount} cases, all tested.`,
		'HTTP routes take the token as `Authorization: Bearer <token>` only; the WebSocket takes it as `?token=` (browsers cannot set headers on it).',
		'401: no usable token; 403: a token that does not open this (room tokens only open their own room; unknown rooms answer 403 too, so room ids cannot be probed).',
		'Viewers connect but their document updates are neither applied nor relayed (sync step 2 and update alike).',
		'',
		line(header),
		line(header.map(() => '---')),
		...rows.map(line),
		'',
		'Credentials:',
		'',
		...credentialNames.map((c) => `- \`${c}\`: ${credentials[c]}`),
	].join('\n')
}
