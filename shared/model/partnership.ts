import { z } from 'zod'
import { dateSchema, idSchema, personSchema, textSchema } from './common'
import {
	direction,
	flow,
	networkLevel,
	partnershipKind,
	partnershipStatus,
	strength,
	type Label,
} from './vocabulary'

/** One end of a partnership: which organisation, which of its units, which people carry it. */
export const sideSchema = z.strictObject({
	organisation: idSchema,
	unit: idSchema.optional(),
	carriers: z.array(personSchema).max(50).default([]),
})
export type Side = z.infer<typeof sideSchema>

/** A convention: a contract with objectives, a defined duration and an evaluation. */
export const conventionSchema = z.strictObject({
	objectives: textSchema().default(''),
	start: dateSchema.optional(),
	end: dateSchema.optional(),
	evaluation: textSchema().default(''),
})
export type Convention = z.infer<typeof conventionSchema>

export const historyEntrySchema = z.strictObject({
	date: dateSchema,
	status: partnershipStatus.schema,
	note: textSchema().default(''),
})
export type HistoryEntry = z.infer<typeof historyEntrySchema>

/**
 * Everything a partnership is, except its identity and which organisations it links; this is
 * what a tldraw arrow carries in `meta.partnership` (the organisations come from its bindings).
 */
export const partnershipFieldsSchema = z.strictObject({
	label: textSchema(200).default(''),
	kind: partnershipKind.schema.default('unknown'),
	formal: z.boolean().default(false),
	visible: z.boolean().default(true),
	convention: conventionSchema.nullable().default(null),
	strength: strength.schema.default('unknown'),
	networkLevel: networkLevel.schema.default('unknown'),
	flow: flow.schema.default('unknown'),
	direction: direction.schema.default('mutual'),
	status: partnershipStatus.schema.default('active'),
	history: z.array(historyEntrySchema).max(200).default([]),
	notes: textSchema(5000).default(''),
})
export type PartnershipFields = z.infer<typeof partnershipFieldsSchema>

/** The side details an arrow keeps in its meta: a side without its organisation. */
export const sideDetailsSchema = sideSchema.omit({ organisation: true })
export type SideDetails = z.infer<typeof sideDetailsSchema>

/** What a partnership arrow stores in `meta.partnership`. */
export const partnershipMetaSchema = z.strictObject({
	...partnershipFieldsSchema.shape,
	from: sideDetailsSchema.default({ carriers: [] }),
	to: sideDetailsSchema.default({ carriers: [] }),
})
export type PartnershipMeta = z.infer<typeof partnershipMetaSchema>

export const partnershipSchema = z
	.strictObject({
		id: idSchema,
		from: sideSchema,
		to: sideSchema,
		...partnershipFieldsSchema.shape,
	})
	.refine((p) => p.from.organisation !== p.to.organisation, {
		message: 'a partnership links two different organisations',
		params: { fr: 'un partenariat relie deux organisations différentes' },
		path: ['to', 'organisation'],
	})
export type Partnership = z.infer<typeof partnershipSchema>

export const partnershipFieldLabels: Record<keyof Partnership, Label> = {
	id: { fr: 'Identifiant', en: 'Identifier' },
	from: { fr: 'De', en: 'From' },
	to: { fr: 'Vers', en: 'To' },
	label: { fr: 'Intitulé', en: 'Label' },
	kind: { fr: 'Type de partenariat', en: 'Kind of partnership' },
	formal: { fr: 'Formel', en: 'Formal' },
	visible: { fr: "Visible de l'extérieur", en: 'Visible from outside' },
	convention: { fr: 'Convention', en: 'Convention' },
	strength: { fr: 'Force du lien', en: 'Strength' },
	networkLevel: { fr: 'Niveau de réseau', en: 'Network level' },
	flow: { fr: 'Flux', en: 'Flow' },
	direction: { fr: 'Sens', en: 'Direction' },
	status: { fr: 'Statut', en: 'Status' },
	history: { fr: 'Historique', en: 'History' },
	notes: { fr: 'Notes', en: 'Notes' },
}
