import { z } from 'zod'
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
	.superRefine((map, ctx) => {
		const report = (path: (string | number)[], en: string, fr: string) =>
			ctx.addIssue({ code: 'custom', path, message: en, params: { fr } })
		const organisationIndex = new Map<string, number>()
		map.organisations.forEach((o, i) => {
			if (organisationIndex.has(o.id))
				report(['organisations', i, 'id'], `duplicate organisation id "${o.id}"`, `identifiant d'organisation en double « ${o.id} »`)
			organisationIndex.set(o.id, i)
		})
		const partnershipIds = new Set<string>()
		map.partnerships.forEach((p, i) => {
			if (partnershipIds.has(p.id))
				report(['partnerships', i, 'id'], `duplicate partnership id "${p.id}"`, `identifiant de partenariat en double « ${p.id} »`)
			partnershipIds.add(p.id)
			for (const end of ['from', 'to'] as const) {
				const { organisation, unit } = p[end]
				const index = organisationIndex.get(organisation)
				if (index === undefined) {
					report(['partnerships', i, end, 'organisation'], `unknown organisation "${organisation}"`, `organisation inconnue « ${organisation} »`)
				} else if (unit !== undefined && !map.organisations[index]?.units.some((u) => u.id === unit)) {
					report(
						['partnerships', i, end, 'unit'],
						`unknown unit "${unit}" of organisation "${organisation}"`,
						`service « ${unit} » inconnu pour l'organisation « ${organisation} »`,
					)
				}
			}
		})
		for (const id of Object.keys(map.layout))
			if (!organisationIndex.has(id))
				report(['layout', id], `layout of unknown organisation "${id}"`, `position d'une organisation inconnue « ${id} »`)
	})
export type MaillageMap = z.infer<typeof mapSchema>
