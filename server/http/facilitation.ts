import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { analyseMap, analysisOptionsSchema } from '../../shared/analysis'
import { diffMaps } from '../../shared/diff'
import { egoMap, MAX_EGO_DEPTH } from '../../shared/ego'
import { exportMap } from '../../shared/formats'
import { validate, type Issue } from '../../shared/issues'
import { idSchema, type MaillageMap } from '../../shared/model'
import type { Actor } from '../../shared/roomStatus'
import type { Principal } from '../auth'
import { currentMap, restoreVersion, saveVersion, setLock, summaryOf, versionMap } from '../facilitation'
import type { StoredVersion } from '../persistence/types'
import { authenticate, exportFormatOf, isFacilitator, sendExport, stripPersonsOf } from './access'
import type { ApiContext } from './api'
import { HttpError, readJson, sendJson } from './respond'
import type { DiffResponse, DiffSide, LockResponse, RestoreResponse, VersionListResponse, VersionSummary } from './types'

/**
 * The facilitation routes under /api/rooms/<room>/: lock, versions, diff, analysis, ego map.
 * Reading needs any token of the room; changing (lock, save, restore) a facilitator's or the admin's.
 */

const nameSchema = z.string().trim().max(100).optional()
const lockBodySchema = z.object({ name: nameSchema })
const versionBodySchema = z.object({ label: z.string().trim().min(1).max(200), name: nameSchema })

function badRequest(res: ServerResponse, code: string, message: string, issues: Issue[]): void {
	sendJson(res, 400, { error: { code, message }, issues })
}

async function readBody<S extends z.ZodType>(ctx: ApiContext, req: IncomingMessage, schema: S): Promise<z.output<S>> {
	const checked = validate(schema, await readJson(req, ctx.limits.maxJsonBodyBytes))
	if (!checked.ok) throw new BodyError(checked.issues)
	return checked.value
}

class BodyError extends Error {
	constructor(readonly issues: Issue[]) {
		super('invalid body')
	}
}

function actorOf(principal: Principal, name: string | undefined): Actor {
	const role = principal.kind === 'admin' ? 'admin' : principal.role
	return name ? { role, name } : { role }
}

function requireFacilitator(principal: Principal, what: string): void {
	if (!isFacilitator(principal)) throw new HttpError(403, 'forbidden', `only a facilitator can ${what}`)
}

async function findVersion(ctx: ApiContext, room: string, id: string): Promise<StoredVersion> {
	const version = idSchema.safeParse(id).success ? await ctx.store.getVersion(room, id) : undefined
	if (!version) throw new HttpError(404, 'no_such_version', 'no such version in this room')
	return version
}

/** A side of a diff: `now` (the live map) or a version id. */
async function diffSide(ctx: ApiContext, room: string, ref: string | null, name: string): Promise<{ side: DiffSide; map: MaillageMap }> {
	if (ref === null || ref === '') throw new HttpError(400, 'invalid_query', `${name} is required: a version id or "now"`)
	if (ref === 'now') return { side: { now: true }, map: await currentMap(ctx, room) }
	const version = await findVersion(ctx, room, ref)
	return { side: { version: summaryOf(version) }, map: versionMap(version) }
}

/** `?horizonDays=` as a number for the schema; an empty or non-numeric value stays invalid. */
function numberParam(query: URLSearchParams, name: string): number | undefined {
	const raw = query.get(name)
	return raw === null ? undefined : raw.trim() === '' ? Number.NaN : Number(raw)
}

async function route(
	ctx: ApiContext,
	req: IncomingMessage,
	res: ServerResponse,
	room: string,
	parts: string[],
	query: URLSearchParams,
): Promise<void> {
	const method = req.method ?? 'GET'
	const allow = (...methods: string[]) => {
		if (!methods.includes(method)) throw new HttpError(405, 'method_not_allowed', 'method not allowed', { Allow: methods.join(', ') })
	}
	const [first, second, third, ...rest] = parts
	if (rest.length > 0) throw new HttpError(404, 'not_found', 'no such endpoint')

	if ((first === 'lock' || first === 'unlock') && second === undefined) {
		allow('POST')
		const { principal } = await authenticate(ctx, req, room)
		requireFacilitator(principal, `${first} the map`)
		const { name } = await readBody(ctx, req, lockBodySchema)
		const lock = first === 'lock' ? { by: actorOf(principal, name), at: Date.now() } : undefined
		// Locking twice keeps the first lock's author and time.
		const current = first === 'lock' ? await ctx.store.getLock(room) : undefined
		const status = await setLock(ctx, room, current ?? lock)
		ctx.log.info({ room, locked: status.locked }, first === 'lock' ? 'room locked' : 'room unlocked')
		return sendJson(res, 200, status satisfies LockResponse)
	}

	if (first === 'versions' && second === undefined) {
		allow('GET', 'POST')
		const { principal } = await authenticate(ctx, req, room)
		if (method === 'GET') return sendJson(res, 200, { versions: await ctx.store.listVersions(room) } satisfies VersionListResponse)
		requireFacilitator(principal, 'save a version')
		const { label, name } = await readBody(ctx, req, versionBodySchema)
		const version = await saveVersion(ctx, room, label, actorOf(principal, name))
		ctx.log.info({ room, version: version.id, number: version.number }, 'version saved')
		return sendJson(res, 201, version satisfies VersionSummary)
	}

	if (first === 'versions' && second !== undefined) {
		if (third === undefined) {
			allow('GET')
			await authenticate(ctx, req, room)
			return sendJson(res, 200, summaryOf(await findVersion(ctx, room, second)) satisfies VersionSummary)
		}
		if (third === 'export') {
			allow('GET')
			const { title } = await authenticate(ctx, req, room)
			const format = exportFormatOf(query)
			const version = await findVersion(ctx, room, second)
			const stripPersons = stripPersonsOf(query)
			// JSON as it was validated and stored when saved; the other formats from the stored document.
			const map = versionMap(version)
			const file = format === 'json' && !stripPersons ? { ...exportMap(map, 'json'), body: version.json } : exportMap(map, format, { stripPersons })
			return sendExport(res, file, `${map.title || title} (v${version.number})`, room, version.issues)
		}
		if (third === 'restore') {
			allow('POST')
			const { principal } = await authenticate(ctx, req, room)
			requireFacilitator(principal, 'restore a version')
			const { name } = await readBody(ctx, req, lockBodySchema)
			const version = await findVersion(ctx, room, second)
			const result = await restoreVersion(ctx, room, version, actorOf(principal, name))
			ctx.log.info({ room, version: version.id, backup: result.backup.id }, 'version restored')
			return sendJson(res, 200, result satisfies RestoreResponse)
		}
	}

	if (first === 'diff' && second === undefined) {
		allow('GET')
		await authenticate(ctx, req, room)
		const from = await diffSide(ctx, room, query.get('from'), 'from')
		const to = await diffSide(ctx, room, query.get('to') ?? 'now', 'to')
		return sendJson(res, 200, { from: from.side, to: to.side, diff: diffMaps(from.map, to.map) } satisfies DiffResponse)
	}

	if (first === 'analysis' && second === undefined) {
		allow('GET')
		await authenticate(ctx, req, room)
		const options = validate(analysisOptionsSchema, {
			today: query.get('today') ?? undefined,
			horizonDays: numberParam(query, 'horizonDays'),
		})
		if (!options.ok) return badRequest(res, 'invalid_query', 'invalid analysis options', options.issues)
		return sendJson(res, 200, analyseMap(await currentMap(ctx, room), options.value))
	}

	if (first === 'ego' && second !== undefined && third === 'export') {
		allow('GET')
		const { title } = await authenticate(ctx, req, room)
		const format = exportFormatOf(query)
		const depth = validate(z.number().int().min(1).max(MAX_EGO_DEPTH).optional(), numberParam(query, 'depth'), ['depth'])
		if (!depth.ok) return badRequest(res, 'invalid_query', 'invalid depth', depth.issues)
		const ego = egoMap(await currentMap(ctx, room), second, { depth: depth.value })
		if (!ego) throw new HttpError(404, 'no_such_organisation', 'no such organisation on the map')
		return sendExport(res, exportMap(ego, format, { stripPersons: stripPersonsOf(query) }), ego.title || title, room, 0)
	}

	throw new HttpError(404, 'not_found', 'no such endpoint')
}

export async function handleFacilitation(
	ctx: ApiContext,
	req: IncomingMessage,
	res: ServerResponse,
	room: string,
	parts: string[],
	query: URLSearchParams,
): Promise<void> {
	try {
		await route(ctx, req, res, room, parts, query)
	} catch (error) {
		if (error instanceof BodyError) return badRequest(res, 'invalid_body', 'invalid request body', error.issues)
		throw error
	}
}
