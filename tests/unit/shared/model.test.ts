import { describe, expect, it } from 'vitest'
import { validate, type Issue } from '../../../shared/issues'
import { mapSchema } from '../../../shared/model'
import { randomMap } from '../../support/randomMap'

const base = () => ({
	schemaVersion: 1,
	organisations: [
		{ id: 'cpas', name: 'CPAS', units: [{ id: 'l1', name: '1re ligne' }] },
		{ id: 'pcs', name: 'PCS' },
	],
	partnerships: [{ id: 'p1', from: { organisation: 'cpas', unit: 'l1' }, to: { organisation: 'pcs' }, convention: { start: '2020-01-31' } }],
	layout: { cpas: { x: 0, y: 0, w: 200, h: 96 } },
})
type Doc = ReturnType<typeof base>

/** The issues of a changed copy of a valid map; each must be bilingual and in error. */
function issuesOf(change: (doc: Doc) => void): Issue[] {
	const doc = base()
	change(doc)
	const result = validate(mapSchema, doc)
	if (result.ok) return []
	for (const i of result.issues) {
		expect(i.severity).toBe('error')
		expect(i.message.fr).not.toBe('')
		expect(i.message.fr).not.toBe(i.message.en)
	}
	return result.issues
}
const pathsOf = (change: (doc: Doc) => void) => issuesOf(change).map((i) => i.path.join('.'))

describe('mapSchema', () => {
	it('accepts valid maps', () => {
		expect(issuesOf(() => {})).toEqual([])
		expect(validate(mapSchema, randomMap(2, { organisations: 15, partnerships: 30 })).ok).toBe(true)
		expect(validate(mapSchema, { schemaVersion: 1 }).ok).toBe(true)
	})

	it('refuses duplicate ids', () => {
		const duplicates = issuesOf((d) => {
			d.organisations.push({ id: 'pcs', name: 'PCS bis' })
			d.partnerships.push({ ...d.partnerships[0]! })
		})
		expect(duplicates.map((i) => i.path.join('.'))).toEqual(['organisations.2.id', 'partnerships.1.id'])
		expect(duplicates[0]?.message).toEqual({ en: 'duplicate organisation id "pcs"', fr: "identifiant d'organisation en double « pcs »" })
	})

	it('refuses a partnership to an unknown organisation or unit', () => {
		expect(pathsOf((d) => (d.partnerships[0]!.to.organisation = 'ghost'))).toEqual(['partnerships.0.to.organisation'])
		expect(pathsOf((d) => (d.partnerships[0]!.from.unit = 'l9'))).toEqual(['partnerships.0.from.unit'])
	})

	it('refuses a self-loop', () => {
		expect(pathsOf((d) => (d.partnerships[0]!.to.organisation = 'cpas'))).toEqual(['partnerships.0.to.organisation'])
	})

	it('refuses the layout of an unknown organisation', () => {
		expect(pathsOf((d) => ((d.layout as Record<string, unknown>).ghost = { x: 0, y: 0, w: 1, h: 1 }))).toEqual(['layout.ghost'])
	})

	it.each(['2023-02-30', '2023-13-01', '20230101', '2023-1-5', '2023-01-01T00:00:00Z', ''])('refuses the date %j', (date) => {
		expect(pathsOf((d) => (d.partnerships[0]!.convention.start = date))).toEqual(['partnerships.0.convention.start'])
		expect(pathsOf((d) => Object.assign(d, { date }))).toEqual(['date'])
	})

	it('accepts a leap day', () => {
		expect(pathsOf((d) => (d.partnerships[0]!.convention.start = '2024-02-29'))).toEqual([])
	})

	it.each(['', 'a b', 'é', 'x'.repeat(65), '<script>', 'a/b', 'a.b', '__proto__'])('refuses the id %j', (id) => {
		expect(pathsOf((d) => (d.organisations[1]!.id = id))).toContain('organisations.1.id')
		expect(pathsOf((d) => (d.partnerships[0]!.id = id))).toEqual(['partnerships.0.id'])
	})

	it('refuses wrong types, unknown values and unknown fields, each at its path', () => {
		expect(
			pathsOf((d) => {
				Object.assign(d.organisations[0]!, { kind: 'club', sectors: ['housing', 'gardening'], nmae: 'typo' })
				Object.assign(d.partnerships[0]!, { formal: 'yes', strength: 3 })
				d.layout.cpas.w = -1
			}),
		).toEqual(['organisations.0.kind', 'organisations.0.sectors.1', 'organisations.0', 'partnerships.0.formal', 'partnerships.0.strength', 'layout.cpas.w'])
	})

	it('refuses texts over their limit', () => {
		expect(pathsOf((d) => (d.organisations[0]!.name = 'x'.repeat(201)))).toEqual(['organisations.0.name'])
		expect(pathsOf((d) => (d.organisations[0]!.name = ''))).toEqual(['organisations.0.name'])
	})

	it('refuses another schema version', () => {
		expect(pathsOf((d) => (d.schemaVersion = 2))).toEqual(['schemaVersion'])
	})
})
