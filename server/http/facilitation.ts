import {
	actorNameBodySchema,
	analysisQuerySchema,
	diffQuerySchema,
	egoExportQuerySchema,
	exportQuerySchema,
	saveVersionBodySchema,
	type AnalysisResponse,
	type DiffResponse,
	type DiffSide,
	type LockResponse,
	type RestoreResponse,
	type VersionListResponse,
	type VersionSummary,
} from '../../shared/api'
import { analyseMap } from '../../shared/analysis'
import { diffMaps } from '../../shared/diff'
import { egoMap } from '../../shared/ego'
import { exportMap } from '../../shared/formats'
import { idSchema, type MaillageMap } from '../../shared/model'
import type { Actor } from '../../shared/roomStatus'
import type { Principal } from '../auth'
import { currentMap, restoreVersion, saveVersion, setLock, summaryOf, versionMap } from '../facilitation'
import type { StoredVersion } from '../persistence/types'
import { sendExport } from './access'
import type { ApiContext } from './api'
import { HttpError, sendJson } from './respond'
import { route, type Route } from './router'

/**
 * The facilitation routes under /api/rooms/<room>/: lock, versions, diff, analysis, ego map.
 * Reading needs any token of the room; changing (lock, save, restore) a facilitator's or the admin's.
 */

function actorOf(principal: Principal, name: string | undefined): Actor {
	const role = principal.kind === 'admin' ? 'admin' : principal.role
	return name ? { role, name } : { role }
}

async function findVersion(ctx: ApiContext, room: string, id: string): Promise<StoredVersion> {
	const version = idSchema.safeParse(id).success ? await ctx.store.getVersion(room, id) : undefined
	if (!version) throw new HttpError(404, 'no_such_version', 'no such version in this room')
	return version
}

/** A side of a diff: `now` (the live map) or a version id. */
async function diffSide(ctx: ApiContext, room: string, ref: string): Promise<{ side: DiffSide; map: MaillageMap }> {
	if (ref === 'now') return { side: { now: true }, map: await currentMap(ctx, room) }
	const version = await findVersion(ctx, room, ref)
	return { side: { version: summaryOf(version) }, map: versionMap(version) }
}

const lockRoute = (ctx: ApiContext, action: 'lock' | 'unlock') =>
	route({
		method: 'POST',
		path: `/api/rooms/:room/${action}`,
		access: { facilitatorTo: `${action} the map` },
		body: actorNameBodySchema,
		async handle({ res, params: { room }, principal, body: { name } }) {
			const lock = action === 'lock' ? { by: actorOf(principal, name), at: Date.now() } : undefined
			// Locking twice keeps the first lock's author and time.
			const current = action === 'lock' ? await ctx.store.getLock(room) : undefined
			const status = await setLock(ctx, room, current ?? lock)
			ctx.log.info({ room, locked: status.locked }, action === 'lock' ? 'room locked' : 'room unlocked')
			sendJson(res, 200, status satisfies LockResponse)
		},
	})

export const facilitationRoutes = (ctx: ApiContext): Route[] => [
	lockRoute(ctx, 'lock'),
	lockRoute(ctx, 'unlock'),
	route({
		method: 'GET',
		path: '/api/rooms/:room/versions',
		access: 'seat',
		async handle({ res, params: { room } }) {
			sendJson(res, 200, { versions: await ctx.store.listVersions(room) } satisfies VersionListResponse)
		},
	}),
	route({
		method: 'POST',
		path: '/api/rooms/:room/versions',
		access: { facilitatorTo: 'save a version' },
		body: saveVersionBodySchema,
		async handle({ res, params: { room }, principal, body: { label, name } }) {
			const version = await saveVersion(ctx, room, label, actorOf(principal, name))
			ctx.log.info({ room, version: version.id, number: version.number }, 'version saved')
			sendJson(res, 201, version satisfies VersionSummary)
		},
	}),
	route({
		method: 'GET',
		path: '/api/rooms/:room/versions/:version',
		access: 'seat',
		async handle({ res, params: { room, version } }) {
			sendJson(res, 200, summaryOf(await findVersion(ctx, room, version)) satisfies VersionSummary)
		},
	}),
	route({
		method: 'GET',
		path: '/api/rooms/:room/versions/:version/export',
		access: 'seat',
		query: exportQuerySchema,
		async handle({ res, params: { room, version: id }, query: { format, strip }, title }) {
			const version = await findVersion(ctx, room, id)
			// JSON as it was validated and stored when saved; the other formats from the stored document.
			const map = versionMap(version)
			const file = format === 'json' && !strip ? { ...exportMap(map, 'json'), body: version.json } : exportMap(map, format, { stripPersons: strip })
			sendExport(res, file, `${map.title || title} (v${version.number})`, room, version.issues)
		},
	}),
	route({
		method: 'POST',
		path: '/api/rooms/:room/versions/:version/restore',
		access: { facilitatorTo: 'restore a version' },
		body: actorNameBodySchema,
		async handle({ res, params: { room, version: id }, principal, body: { name } }) {
			const version = await findVersion(ctx, room, id)
			const result = await restoreVersion(ctx, room, version, actorOf(principal, name))
			ctx.log.info({ room, version: version.id, backup: result.backup.id }, 'version restored')
			sendJson(res, 200, result satisfies RestoreResponse)
		},
	}),
	route({
		method: 'GET',
		path: '/api/rooms/:room/diff',
		access: 'seat',
		query: diffQuerySchema,
		async handle({ res, params: { room }, query }) {
			const from = await diffSide(ctx, room, query.from)
			const to = await diffSide(ctx, room, query.to)
			sendJson(res, 200, { from: from.side, to: to.side, diff: diffMaps(from.map, to.map) } satisfies DiffResponse)
		},
	}),
	route({
		method: 'GET',
		path: '/api/rooms/:room/analysis',
		access: 'seat',
		query: analysisQuerySchema,
		async handle({ res, params: { room }, query }) {
			sendJson(res, 200, analyseMap(await currentMap(ctx, room), query) satisfies AnalysisResponse)
		},
	}),
	route({
		method: 'GET',
		path: '/api/rooms/:room/ego/:organisation/export',
		access: 'seat',
		query: egoExportQuerySchema,
		async handle({ res, params: { room, organisation }, query: { format, strip, depth }, title }) {
			const ego = egoMap(await currentMap(ctx, room), organisation, { depth })
			if (!ego) throw new HttpError(404, 'no_such_organisation', 'no such organisation on the map')
			sendExport(res, exportMap(ego, format, { stripPersons: strip }), ego.title || title, room, 0)
		},
	}),
]
