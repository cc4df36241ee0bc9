import { z } from 'zod'
import { mapSchema, SCHEMA_VERSION } from '../model'

/** Where the published schema lives in the repository, relative to its root. */
export const MAP_JSON_SCHEMA_PATH = 'schema/maillage-map.schema.json'

/**
 * The JSON Schema of an exported map, generated from the zod model (never written by hand).
 *
 * `io: 'output'` describes what `mapSchema` produces, which is what Maillage exports: every field
 * with a default is written, so the schema lists it as required and consumers can rely on it.
 * (`io: 'input'` would describe what the importer accepts, where defaulted fields may be left out.)
 * Checks zod runs in code (unique ids, partnerships between known organisations, no self-loop)
 * have no JSON Schema form and are stated in the description instead.
 */
export function mapJsonSchema(): Record<string, unknown> {
	const generated = z.toJSONSchema(mapSchema, { io: 'output', target: 'draft-2020-12' })
	const { $schema, ...rest } = generated
	return {
		$schema,
		$id: `urn:maillage:map:${SCHEMA_VERSION}`,
		title: 'Maillage map',
		description:
			`A partner network map exported by Maillage (schema version ${SCHEMA_VERSION}): organisations, the partnerships ` +
			'between them and where each organisation is drawn. Beyond this schema, Maillage also checks that organisation ' +
			'and partnership ids are unique, that both sides of a partnership name a listed organisation (and, when given, ' +
			'one of its units), that a partnership links two different organisations and that the layout only places listed ' +
			'organisations. Text lengths are counted in UTF-16 code units by Maillage and in code points here.',
		...rest,
	}
}

/** The schema file as written to disk: stable formatting so that a stale copy shows in a diff. */
export const mapJsonSchemaText = () => `${JSON.stringify(mapJsonSchema(), null, 2)}\n`
