import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { exportFormats, exportMap, importMap, stripPersons } from '../../../../shared/formats'
import { mapSchema, type MaillageMap } from '../../../../shared/model'
import { mapToRecords, recordsToMap } from '../../../../shared/projection'
import { docToMap, writeMapToDoc } from '../../../../shared/ydoc/mapDoc'
import { randomMap, seededRandom, trickyTexts } from '../../../support/randomMap'

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1)
const sizeOf = (seed: number) => ({ organisations: 2 + (seed % 12), partnerships: seed % 20 })

const infoOf = (m: MaillageMap) => ({ title: m.title, territory: m.territory, description: m.description, ...(m.date && { date: m.date }) })

describe('randomMap', () => {
	it('is deterministic and valid', () => {
		expect(randomMap(7)).toStrictEqual(randomMap(7))
		expect(randomMap(7)).not.toStrictEqual(randomMap(8))
		expect(mapSchema.safeParse(randomMap(7, { organisations: 30, partnerships: 60 })).success).toBe(true)
		expect(seededRandom(1)()).toBe(seededRandom(1)())
	})

	it('exercises the model', () => {
		const m = randomMap(3, { organisations: 20, partnerships: 40 })
		const pairs = m.partnerships.map((p) => [p.from.organisation, p.to.organisation].sort().join(' '))
		expect(new Set(pairs).size).toBeLessThan(pairs.length)
		expect(new Set(m.organisations.map((o) => o.kind)).size).toBe(7)
		expect(new Set(m.organisations.flatMap((o) => o.sectors)).size).toBe(15)
		expect(new Set(m.partnerships.map((p) => p.strength)).size).toBe(4)
		expect(new Set(m.partnerships.map((p) => p.direction)).size).toBe(2)
		expect(m.partnerships.some((p) => p.convention?.end)).toBe(true)
		expect(m.partnerships.some((p) => p.history.length > 0 && p.from.unit && p.to.carriers.length > 0)).toBe(true)
		expect(Object.keys(m.layout).sort()).toEqual(m.organisations.map((o) => o.id).sort())
		const texts = JSON.stringify(m)
		for (const probe of ['<script>', '\\u0001', '=HYPERLINK', '🏠']) expect(texts).toContain(probe)
		expect(randomMap(1, { organisations: 1, partnerships: 5 }).partnerships).toEqual([])
	})
})

describe.each(SEEDS)('seed %i', (seed) => {
	const map = randomMap(seed, sizeOf(seed))

	it('projects to tldraw records and back unchanged', () => {
		const { map: back, issues } = recordsToMap(mapToRecords(map), infoOf(map))
		expect(issues).toEqual([])
		expect(back).toStrictEqual(map)
	})

	it.each(exportFormats)('round-trips through %s', (format) => {
		const result = importMap(exportMap(map, format).body, format)
		expect(result.ok ? [] : result.issues).toEqual([])
		expect(result.ok && result.map).toStrictEqual(map)
		expect(result.ok && result.warnings).toEqual([])
	})
})

describe('stripPersons', () => {
	const map = randomMap(11, { organisations: 10, partnerships: 20 })
	const stripped = stripPersons(map)

	it('removes contacts and carriers identities, keeps their number and roles', () => {
		expect(stripped.organisations.every((o) => o.contacts.length === 0)).toBe(true)
		stripped.partnerships.forEach((p, i) => {
			const original = map.partnerships[i] as MaillageMap['partnerships'][number]
			for (const end of ['from', 'to'] as const) {
				expect(p[end].carriers.map((c) => c.role)).toEqual(original[end].carriers.map((c) => c.role))
				expect(p[end].carriers.every((c) => c.name === undefined && c.email === undefined && c.phone === undefined)).toBe(true)
			}
		})
		expect(map.organisations.some((o) => o.contacts.length > 0)).toBe(true)
		expect(mapSchema.safeParse(stripped).success).toBe(true)
	})

	it.each(exportFormats)('applies to %s exports', (format) => {
		const file = exportMap(map, format, { stripPersons: true })
		const result = importMap(file.body, format)
		expect(result.ok && result.map).toStrictEqual(stripped)
		expect(file.body).not.toContain('@example.org')
	})
})

describe('Y.Doc', () => {
	it('stores and reads back random maps', () => {
		for (const seed of [1, 2, 3]) {
			const map = randomMap(seed)
			const doc = new Y.Doc()
			writeMapToDoc(doc, map)
			const { map: back, issues } = docToMap(doc)
			expect(issues).toEqual([])
			expect(back).toEqual(map)
		}
	})
})

it('every tricky text survives every format', () => {
	const map = mapSchema.parse({
		schemaVersion: 1,
		description: trickyTexts.join('|'),
		organisations: trickyTexts.map((t, i) => ({ id: `o${i}`, name: t || 'x', shortName: t.slice(0, 40), notes: t })),
		partnerships: trickyTexts.map((t, i) => ({ id: `p${i}`, from: { organisation: `o${i}` }, to: { organisation: `o${(i + 1) % trickyTexts.length}` }, label: t })),
	})
	for (const format of exportFormats) {
		const result = importMap(exportMap(map, format).body, format)
		expect(result.ok && result.map, format).toStrictEqual(map)
	}
})
