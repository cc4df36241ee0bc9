import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { exportMap } from '../../../../shared/formats'
import { MAP_JSON_SCHEMA_PATH, mapJsonSchema, mapJsonSchemaText } from '../../../../shared/formats/jsonSchema'
import { randomMap } from '../../../support/randomMap'

const committed = readFileSync(new URL(`../../../../${MAP_JSON_SCHEMA_PATH}`, import.meta.url), 'utf8')

const ajv = new Ajv2020({ strict: true, allErrors: true })
addFormats(ajv)
const validateMap = ajv.compile(JSON.parse(committed) as object)

const exported = (seed: number, stripPersons = false) =>
	JSON.parse(exportMap(randomMap(seed, { organisations: 3 + (seed % 10), partnerships: seed % 18 }), 'json', { stripPersons }).body) as Record<string, unknown>

describe('published JSON Schema', () => {
	it('is up to date with the zod model (run `npm run schema` if not)', () => {
		expect(committed).toBe(mapJsonSchemaText())
	})

	it('names itself', () => {
		const schema = mapJsonSchema()
		expect(Object.keys(schema).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'description'])
		expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
		expect(schema.required).toContain('schemaVersion')
	})

	it('validates exported maps', () => {
		for (let seed = 1; seed <= 25; seed++) {
			for (const strip of [false, true]) {
				const valid = validateMap(exported(seed, strip))
				expect(valid ? [] : validateMap.errors).toEqual([])
			}
		}
	})

	it('rejects what Maillage would not export', () => {
		const broken = [
			(m: Record<string, any>) => (m.schemaVersion = 2),
			(m: Record<string, any>) => delete m.partnerships,
			(m: Record<string, any>) => (m.organisations[0].kind = 'club'),
			(m: Record<string, any>) => (m.organisations[0].id = 'a b'),
			(m: Record<string, any>) => (m.organisations[0].extra = 1),
			(m: Record<string, any>) => (m.layout[m.organisations[0].id].w = 0),
			(m: Record<string, any>) => (m.date = '2023-02-30'),
		]
		for (const breakIt of broken) {
			const map = exported(4)
			breakIt(map)
			expect(validateMap(map), breakIt.toString()).toBe(false)
		}
	})
})
