import { z } from 'zod'
import { isPlainObject } from '../json'
import { dateSchema, idSchema, textSchema } from './common'
import { organisationSchema } from './organisation'
import { partnershipSchema } from './partnership'

/** Bumped on every incompatible change of the exported format; older files are migrated on import. */
export const SCHEMA_VERSION = 1

/** Where an organisation is drawn; kept apart from the model so that layouts can change freely. */
export const placementSchema = z.strictObject({
	x: z.number().finite(),
	y: z.number().finite(),
	w: z.number().finite().positive(),
	h: z.number().finite().positive(),
	/**
	 * The automatic layout leaves it where it is. Optional and absent when not pinned, so that
	 * files written before it existed are read as they are, without a new schema version.
	 */
	pinned: z.boolean().optional(),
})
export type Placement = z.infer<typeof placementSchema>

export const mapInfoSchema = z.strictObject({
	title: textSchema(200).default(''),
	territory: textSchema(200).default(''),
	description: textSchema(5000).default(''),
	/** The day the map describes (a meeting, an agreed version). */
	date: dateSchema.optional(),
})
export type MapInfo = z.infer<typeof mapInfoSchema>

export const mapSchema = z
	.strictObject({
		schemaVersion: z.literal(SCHEMA_VERSION),
		...mapInfoSchema.shape,
		organisations: z.array(organisationSchema).default([]),
		partnerships: z.array(partnershipSchema).default([]),
		layout: z.record(idSchema, placementSchema).default({}),
	})
	// Also when some records are malformed (zod skips refinements after such issues by default): an
	// import then lists the broken references with the broken records, not in a second round.
	.superRefine((map, ctx) => checkReferences(map, ctx), { when: (payload) => isPlainObject(payload.value) })
export type MaillageMap = z.infer<typeof mapSchema>

/** A map as it may be while some of its records are malformed: nothing below is trusted. */
interface LooseMap {
	organisations?: unknown
	partnerships?: unknown
	layout?: unknown
}

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const idOf = (value: unknown): string | undefined => (isPlainObject(value) && typeof value.id === 'string' ? value.id : undefined)

/** Unique ids, and partnerships and layout entries that name organisations (and units) of the map. */
function checkReferences(map: LooseMap, ctx: z.RefinementCtx): void {
	const report = (path: (string | number)[], en: string, fr: string) => ctx.addIssue({ code: 'custom', path, message: en, params: { fr } })
	const organisations = listOf(map.organisations)
	const organisationIndex = new Map<string, number>()
	organisations.forEach((o, i) => {
		const id = idOf(o)
		if (id === undefined) return
		if (organisationIndex.has(id)) report(['organisations', i, 'id'], `duplicate organisation id "${id}"`, `identifiant d'organisation en double « ${id} »`)
		organisationIndex.set(id, i)
	})
	const partnershipIds = new Set<string>()
	listOf(map.partnerships).forEach((p, i) => {
		const id = idOf(p)
		if (id !== undefined) {
			if (partnershipIds.has(id)) report(['partnerships', i, 'id'], `duplicate partnership id "${id}"`, `identifiant de partenariat en double « ${id} »`)
			partnershipIds.add(id)
		}
		for (const end of ['from', 'to'] as const) {
			const side = isPlainObject(p) ? p[end] : undefined
			const organisation = isPlainObject(side) ? side.organisation : undefined
			if (typeof organisation !== 'string') continue
			const index = organisationIndex.get(organisation)
			if (index === undefined) {
				report(['partnerships', i, end, 'organisation'], `unknown organisation "${organisation}"`, `organisation inconnue « ${organisation} »`)
				continue
			}
			const unit = isPlainObject(side) ? side.unit : undefined
			const units = listOf((organisations[index] as Record<string, unknown>).units)
			if (typeof unit === 'string' && !units.some((u) => idOf(u) === unit))
				report(
					['partnerships', i, end, 'unit'],
					`unknown unit "${unit}" of organisation "${organisation}"`,
					`service « ${unit} » inconnu pour l'organisation « ${organisation} »`,
				)
		}
	})
	for (const id of Object.keys(isPlainObject(map.layout) ? map.layout : {}))
		if (!organisationIndex.has(id)) report(['layout', id], `layout of unknown organisation "${id}"`, `position d'une organisation inconnue « ${id} »`)
}
