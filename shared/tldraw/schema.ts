import type { SerializedSchema } from '@tldraw/store'
import { isEqual } from '@tldraw/utils'
import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas, type TLSchema } from '@tldraw/tlschema'
import { organisationShapeMigrations, organisationShapeProps } from './organisationShape'

/**
 * The tldraw schema of a Maillage document: tldraw's own shapes plus the organisation shape.
 * Built without a DOM, so the server and the CLI validate records exactly as the client does.
 */
export const maillageTLSchema: TLSchema = createTLSchema({
	shapes: { ...defaultShapeSchemas, organisation: { props: organisationShapeProps, migrations: organisationShapeMigrations } },
	bindings: defaultBindingSchemas,
})

/** Every Maillage document has this one page, created with a fixed id so that clients that start
 * on an empty room at the same time do not create two. */
export const MAP_PAGE_ID = 'page:page'

/** Two serialized schemas hold the same migration versions (key order does not matter). */
export function isSameSchema(a: SerializedSchema, b: SerializedSchema): boolean {
	if (a.schemaVersion !== 2 || b.schemaVersion !== 2) return isEqual(a, b)
	const sequences = Object.keys(a.sequences)
	return sequences.length === Object.keys(b.sequences).length && sequences.every((s) => a.sequences[s] === b.sequences[s])
}
