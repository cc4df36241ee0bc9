import { z } from 'zod'
import { idSchema, personSchema, textSchema } from './common'
import { governanceRole, organisationKind, sector, type Label } from './vocabulary'

/** An internal unit (service, "line") of an organisation; partnerships are often carried by one. */
export const unitSchema = z.strictObject({
	id: idSchema,
	name: textSchema(200).min(1),
	notes: textSchema().default(''),
})
export type Unit = z.infer<typeof unitSchema>

/** Everything an organisation is, except its identity; this is what a tldraw shape carries. */
export const organisationFieldsSchema = z.strictObject({
	name: textSchema(200).min(1),
	shortName: textSchema(40).default(''),
	kind: organisationKind.schema.default('unknown'),
	sectors: z.array(sector.schema).default([]),
	governanceRoles: z.array(governanceRole.schema).default([]),
	units: z.array(unitSchema).max(50).default([]),
	contacts: z.array(personSchema).max(50).default([]),
	notes: textSchema(5000).default(''),
})
export type OrganisationFields = z.infer<typeof organisationFieldsSchema>

export const organisationSchema = z.strictObject({ id: idSchema, ...organisationFieldsSchema.shape })
export type Organisation = z.infer<typeof organisationSchema>

export const organisationFieldLabels: Record<keyof Organisation, Label> = {
	id: { fr: 'Identifiant', en: 'Identifier' },
	name: { fr: 'Nom', en: 'Name' },
	shortName: { fr: 'Sigle', en: 'Short name' },
	kind: { fr: 'Type de structure', en: 'Kind of body' },
	sectors: { fr: 'Secteurs', en: 'Sectors' },
	governanceRoles: { fr: 'Rôle de gouvernance', en: 'Governance role' },
	units: { fr: 'Services internes', en: 'Internal units' },
	contacts: { fr: 'Personnes de contact', en: 'Contact persons' },
	notes: { fr: 'Notes', en: 'Notes' },
}
