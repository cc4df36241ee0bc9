import { T } from '@tldraw/validate'
import type { JsonObject } from '@tldraw/utils'
import { createShapePropsMigrationSequence, type RecordProps, type TLShape } from '@tldraw/tlschema'
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

/**
 * Migrations of the organisation shape's props, declared with them as tldraw declares its own
 * shapes' (`TLArrowShape.ts`). Version 0 is the props above as first released. A change that
 * older documents do not satisfy adds a version with `createShapePropsMigrationIds` and its
 * step here, never edited afterwards; documents record the version they were written with
 * (shared/ydoc/mapDoc), so older ones are migrated on read.
 */
export const organisationShapeMigrations = createShapePropsMigrationSequence({ sequence: [] })

/**
 * An organisation the automatic layout leaves where it is. Kept in the shape's `meta`, beside its
 * props: pinning is about where it is drawn (the map's `layout`), not about the organisation.
 */
export const PINNED_META_KEY = 'pinned'

export const isPinnedMeta = (meta: JsonObject): boolean => meta[PINNED_META_KEY] === true
