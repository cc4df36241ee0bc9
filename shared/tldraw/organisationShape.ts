import { T } from '@tldraw/validate'
import type { RecordProps, TLShape } from '@tldraw/tlschema'
import { organisationFieldsSchema, type OrganisationFields } from '../model/organisation'
import { zodValidator } from './zodValidator'

export const ORGANISATION_SHAPE = 'organisation'

export type OrganisationShapeProps = { w: number; h: number } & OrganisationFields

declare module '@tldraw/tlschema' {
	interface TLGlobalShapePropsMap {
		organisation: OrganisationShapeProps
	}
}

export type OrganisationShape = TLShape<'organisation'>

/** tldraw prop validators, one per organisation field, derived from the zod model. */
export const organisationShapeProps: RecordProps<OrganisationShape> = {
	w: T.nonZeroNumber,
	h: T.nonZeroNumber,
	...(Object.fromEntries(
		Object.entries(organisationFieldsSchema.shape).map(([key, schema]) => [key, zodValidator(schema)]),
	) as { [K in keyof OrganisationFields]: T.Validator<OrganisationFields[K]> }),
}
