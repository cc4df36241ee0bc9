import { z } from 'zod'
import { analysisOptionsSchema, type NetworkAnalysis } from './analysis'
import type { MapDiff } from './diff'
import { exportFormats } from './formats'
import type { Issue } from './issues'
import { idSchema } from './model'
import { actorRoleSchema, roleSchema, roles } from './protocol'
import { actorSchema, roomStatusSchema } from './roomStatus'

/**
 * The HTTP API, one contract for both sides: every request body, query and JSON response of
 * `/api/...` and `/healthz` as a zod schema with its type. The server validates what it reads
 * with them and checks what it sends against the types; the client parses what it receives.
 * Response objects are not strict, so that a field added later does not break an older client.
 */

// ─── Common ─────────────────────────────────────────────────────────────────────────────────────

/** The wire form of an `Issue` (shared/issues.ts): where something is wrong and why, in both languages. */
export const issueSchema: z.ZodType<Issue> = z.object({
	path: z.array(z.union([z.string(), z.number()])),
	message: z.object({ en: z.string(), fr: z.string() }),
	severity: z.enum(['error', 'warning']),
})

/** Every refusal (4xx, 5xx); a refused body or query also lists its issues, each with its path. */
export const apiErrorSchema = z.object({
	error: z.object({ code: z.string(), message: z.string() }),
	issues: z.array(issueSchema).optional(),
})
export type ApiErrorBody = z.infer<typeof apiErrorSchema>

const tokensByRole = z.record(roleSchema, z.string())
const someTokensByRole = z.partialRecord(roleSchema, z.string())

/** A number in a query string, read as `Number()` reads it; an empty value is not a number. */
const queryNumber = <T extends z.ZodType>(schema: T) =>
	z.preprocess((raw) => (typeof raw !== 'string' ? raw : raw.trim() === '' ? Number.NaN : Number(raw)), schema)

/** `?format=` of exports and imports, JSON by default. */
const formatParam = z.enum(exportFormats).default('json')
/** `?strip=1` (or `true`): leave personal data out of an export. */
const stripParam = z
	.string()
	.optional()
	.transform((value) => value === '1' || value === 'true')

/** The response header of an export that counts the records the projection reported and skipped. */
export const ISSUES_HEADER = 'X-Maillage-Issues'

// ─── Rooms and tokens ───────────────────────────────────────────────────────────────────────────

export const MAX_TITLE_LENGTH = 200

/** POST /api/rooms (admin), body `{title?}` */
export const createRoomBodySchema = z.object({ title: z.string().max(MAX_TITLE_LENGTH).trim().nullish() })

/** POST /api/rooms -> 201, with a link per role opening the client in that role */
export const createdRoomSchema = z.object({ room: z.string(), title: z.string(), tokens: tokensByRole, links: tokensByRole })
export type CreatedRoomResponse = z.infer<typeof createdRoomSchema>

/** GET /api/rooms (admin) */
export const roomListSchema = z.object({
	rooms: z.array(z.object({ room: z.string(), title: z.string(), createdAt: z.number(), loaded: z.boolean() })),
})
export type RoomListResponse = z.infer<typeof roomListSchema>

/**
 * GET /api/rooms/<room> (room token or admin): the role of the token and the room status
 * (`locked`, `lockedBy`, `lockedAt`, `agreedVersion`), also published live over awareness.
 */
export const roomInfoSchema = z.object({ ...roomStatusSchema.shape, room: z.string(), title: z.string(), role: actorRoleSchema })
export type RoomInfoResponse = z.infer<typeof roomInfoSchema>

/** POST /api/rooms/<room>/tokens/rotate (facilitator or admin), body `{roles?}`: all roles by default */
export const rotateTokensBodySchema = z.object({ roles: z.array(roleSchema).min(1).nullish() })

/** POST /api/rooms/<room>/tokens/rotate -> the new tokens and links of the rotated roles */
export const rotatedTokensSchema = z.object({ room: z.string(), tokens: someTokensByRole, links: someTokensByRole })
export type RotatedTokensResponse = z.infer<typeof rotatedTokensSchema>

// ─── Export and import ──────────────────────────────────────────────────────────────────────────

/** GET /api/rooms/<room>/export and /versions/<id>/export: the file, `ISSUES_HEADER` counting skipped records */
export const exportQuerySchema = z.object({ format: formatParam, strip: stripParam })

/** GET /api/rooms/<room>/issues: the records the projection could not read */
export const issuesResponseSchema = z.object({ issues: z.array(issueSchema) })
export type IssuesResponse = z.infer<typeof issuesResponseSchema>

/** POST /api/rooms/<room>/import?format=… (facilitator or admin), the file as body */
export const importQuerySchema = z.object({ format: formatParam })

/** POST /api/rooms/<room>/import -> 200, or 422 with the issues and the room unchanged */
export const importResponseSchema = z.discriminatedUnion('ok', [
	z.object({ ok: z.literal(true), organisations: z.number(), partnerships: z.number(), warnings: z.array(issueSchema) }),
	z.object({ ok: z.literal(false), issues: z.array(issueSchema) }),
])
export type ImportResponse = z.infer<typeof importResponseSchema>

// ─── Facilitation: lock, versions, diff ─────────────────────────────────────────────────────────

const displayName = z.string().trim().max(100).optional()

/** POST /api/rooms/<room>/lock, /unlock and /versions/<id>/restore (facilitator or admin), body `{name?}` */
export const actorNameBodySchema = z.object({ name: displayName })

/** POST /api/rooms/<room>/lock and /unlock -> the room status */
export const lockResponseSchema = roomStatusSchema
export type LockResponse = z.infer<typeof lockResponseSchema>

/** Why a version was saved: agreed by a facilitator, or kept automatically before a restore. */
export const versionKindSchema = z.enum(['agreed', 'before-restore'])
export type VersionKind = z.infer<typeof versionKindSchema>

/** A saved version of a room's map, without its content. */
export const versionSummarySchema = z.object({
	id: idSchema,
	room: z.string(),
	/** 1, 2, 3… per room, in saving order. */
	number: z.number().int().positive(),
	label: z.string(),
	kind: versionKindSchema,
	/** For a `before-restore` version: the version that was being restored. */
	restoring: z.string().nullable(),
	/** Milliseconds since the epoch. */
	createdAt: z.number(),
	createdBy: actorSchema,
	organisations: z.number(),
	partnerships: z.number(),
	/** Records the projection reported and skipped when the version was saved. */
	issues: z.number(),
})
export type VersionSummary = z.infer<typeof versionSummarySchema>

/** POST /api/rooms/<room>/versions (facilitator or admin), body `{label, name?}` -> 201 a `VersionSummary` */
export const saveVersionBodySchema = z.object({ label: z.string().trim().min(1).max(200), name: displayName })

/** GET /api/rooms/<room>/versions (room token) -> newest first; /versions/<id> -> one `VersionSummary` */
export const versionListSchema = z.object({ versions: z.array(versionSummarySchema) })
export type VersionListResponse = z.infer<typeof versionListSchema>

/** POST /api/rooms/<room>/versions/<id>/restore -> 200 */
export const restoreResponseSchema = z.object({
	restored: versionSummarySchema,
	/** The map as it was just before, saved automatically: restoring it undoes this restore. */
	backup: versionSummarySchema,
})
export type RestoreResponse = z.infer<typeof restoreResponseSchema>

/** A side of a diff: a version id, or `now` (the live map). */
const diffRef = z.string().min(1)

/** GET /api/rooms/<room>/diff?from=<version id|now>&to=<version id|now> (room token); `to` is `now` by default */
export const diffQuerySchema = z.object({ from: diffRef, to: diffRef.default('now') })

/** Which side of a diff: a version, or the map now. */
export const diffSideSchema = z.union([z.object({ version: versionSummarySchema }), z.object({ now: z.literal(true) })])
export type DiffSide = z.infer<typeof diffSideSchema>

/** GET /api/rooms/<room>/diff; the diff itself is computed by shared/diff.ts and not re-checked. */
export const diffResponseSchema = z.object({ from: diffSideSchema, to: diffSideSchema, diff: z.custom<MapDiff>() })
export type DiffResponse = z.infer<typeof diffResponseSchema>

// ─── Analysis and ego networks ──────────────────────────────────────────────────────────────────

/** GET /api/rooms/<room>/analysis?today=&horizonDays= (room token) */
export const analysisQuerySchema = z.object({
	today: analysisOptionsSchema.shape.today,
	horizonDays: queryNumber(analysisOptionsSchema.shape.horizonDays),
})

/** GET /api/rooms/<room>/analysis -> the figures of shared/analysis.ts */
export type AnalysisResponse = NetworkAnalysis

/** How many partnership steps an ego network reaches at most; here, not in shared/ego.ts, which would bring the layout code into every page. */
export const MAX_EGO_DEPTH = 5

/** GET /api/rooms/<room>/ego/<organisation>/export?format=…&strip=…&depth= (room token) */
export const egoExportQuerySchema = z.object({
	format: formatParam,
	strip: stripParam,
	depth: queryNumber(z.number().int().min(1).max(MAX_EGO_DEPTH).optional()),
})

// ─── Health ─────────────────────────────────────────────────────────────────────────────────────

/** GET /healthz */
export const healthSchema = z.object({ ok: z.literal(true), rooms: z.number(), connections: z.number() })
export type HealthResponse = z.infer<typeof healthSchema>

// ─── Refusals ───────────────────────────────────────────────────────────────────────────────────

export interface Refusal {
	code: string
	message: string
}

/**
 * The code and message of a 400 whose first issue is on one of these fields; any other refused
 * body is `invalid_body`, any other query `invalid_query`. Scripts read these codes.
 */
const inputRefusals = {
	body: {
		'': { code: 'invalid_body', message: 'invalid request body' },
		title: { code: 'invalid_title', message: `title must be a string of at most ${MAX_TITLE_LENGTH} characters` },
		roles: { code: 'invalid_roles', message: `roles must be a non-empty list of ${roles.join(', ')}` },
	},
	query: {
		'': { code: 'invalid_query', message: 'invalid query' },
		format: { code: 'invalid_format', message: `format must be one of ${exportFormats.join(', ')}` },
		from: { code: 'invalid_query', message: 'from is required: a version id or "now"' },
		to: { code: 'invalid_query', message: 'to is required: a version id or "now"' },
		today: { code: 'invalid_query', message: 'invalid analysis options' },
		horizonDays: { code: 'invalid_query', message: 'invalid analysis options' },
		depth: { code: 'invalid_query', message: 'invalid depth' },
	},
} satisfies Record<'body' | 'query', Record<string, Refusal>>

/** The refusal of a body or query, from its first issue. */
export function refusalOf(where: keyof typeof inputRefusals, issues: readonly Issue[]): Refusal {
	const table: Record<string, Refusal> = inputRefusals[where]
	const field = issues[0]?.path[0]
	return (typeof field === 'string' && Object.hasOwn(table, field) ? table[field] : undefined) ?? table['']!
}
