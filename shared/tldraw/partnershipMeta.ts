import type { JsonObject } from '@tldraw/utils'
import { validate, type Issue, type IssuePath } from '../issues'
import { partnershipMetaSchema, type PartnershipMeta } from '../model/partnership'

/** The key under which an arrow keeps its typed partnership. */
export const PARTNERSHIP_META_KEY = 'partnership'

export type PartnershipMetaReading = { ok: true; value: PartnershipMeta } | { ok: false; issues: Issue[] }

/** Whether an arrow's meta says it is a partnership at all (valid or not). */
export const hasPartnership = (meta: JsonObject): boolean => meta[PARTNERSHIP_META_KEY] !== undefined

/**
 * The one reading of an arrow's `meta.partnership`, for the projection, the canvas and the
 * inspector alike: validated by the model's schema, missing fields completed with their
 * defaults, every problem located under `basePath` and explained in French and English.
 *
 * The store does not validate it (no tldraw `meta` validator): an arrow whose partnership is
 * invalid stays drawn and editable, so that the inspector can show what is wrong with it.
 */
export function readPartnershipMeta(meta: JsonObject, basePath: IssuePath = []): PartnershipMetaReading {
	return validate(partnershipMetaSchema, meta[PARTNERSHIP_META_KEY] ?? {}, basePath)
}

/** A new partnership's meta: every field at its default. */
export const defaultPartnershipMeta = (): PartnershipMeta => partnershipMetaSchema.parse({})
