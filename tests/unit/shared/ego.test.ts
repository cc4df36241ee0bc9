import { describe, expect, test } from 'vitest'
import { chimayMap } from '../../../shared/demo'
import { egoMap } from '../../../shared/ego'
import { exportFormats, exportMap, importMap } from '../../../shared/formats'
import { mapSchema, type Placement } from '../../../shared/model'
import { randomMap } from '../../support/randomMap'

const centreOf = (p: Placement) => ({ x: p.x + p.w / 2, y: p.y + p.h / 2 })
const overlap = (a: Placement, b: Placement) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

// a–b, a–c, b–c (between partners), c–d (second degree), d–e (third), f–g apart.
const map = mapSchema.parse({
	schemaVersion: 1,
	title: 'Réseau',
	territory: 'Chimay',
	organisations: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id, name: `Org ${id}` })),
	partnerships: [
		['ab', 'a', 'b'],
		['ca', 'c', 'a'],
		['bc', 'b', 'c'],
		['cd', 'c', 'd'],
		['de', 'd', 'e'],
		['fg', 'f', 'g'],
		['ab2', 'b', 'a'],
	].map(([id, from, to]) => ({ id, from: { organisation: from }, to: { organisation: to }, status: id === 'ab2' ? 'ended' : 'active' })),
})

describe('egoMap', () => {
	test('depth 1: the organisation, its partners and every partnership among them, whatever its status', () => {
		const ego = egoMap(map, 'a')!
		expect(ego.organisations.map((o) => o.id)).toEqual(['a', 'b', 'c'])
		expect(ego.partnerships.map((p) => p.id)).toEqual(['ab', 'ca', 'bc', 'ab2'])
		expect(ego.title).toBe('Org a — Réseau')
		expect(ego.territory).toBe('Chimay')
		expect(mapSchema.safeParse(ego).success).toBe(true)
	})

	test('depth 2 and 3 reach further; depth is bounded and rounded', () => {
		expect(egoMap(map, 'a', { depth: 2 })!.organisations.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd'])
		expect(egoMap(map, 'a', { depth: 3 })!.organisations.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd', 'e'])
		expect(egoMap(map, 'a', { depth: 0 })!.organisations.map((o) => o.id)).toEqual(['a', 'b', 'c'])
		expect(egoMap(map, 'a', { depth: 1.7 })!.organisations.map((o) => o.id)).toEqual(['a', 'b', 'c'])
	})

	test('an organisation without partners is alone on its ego map; an unknown one has none', () => {
		const lonely = mapSchema.parse({ ...map, organisations: [...map.organisations, { id: 'z', name: 'Seule' }] })
		expect(egoMap(lonely, 'z')).toMatchObject({ organisations: [{ id: 'z' }], partnerships: [] })
		expect(egoMap(map, 'nobody')).toBeUndefined()
	})

	test('radial layout: the organisation at the origin, its partners around it at one distance, no overlap', () => {
		const ego = egoMap(chimayMap, 'cpas')!
		const partners = new Set(
			chimayMap.partnerships.flatMap((p) => (p.from.organisation === 'cpas' ? [p.to.organisation] : p.to.organisation === 'cpas' ? [p.from.organisation] : [])),
		)
		expect(new Set(ego.organisations.map((o) => o.id))).toEqual(new Set(['cpas', ...partners]))
		expect(Object.keys(ego.layout).sort()).toEqual(ego.organisations.map((o) => o.id).sort())
		expect(centreOf(ego.layout.cpas!)).toEqual({ x: 0, y: 0 })
		const radii = [...partners].map((id) => Math.hypot(centreOf(ego.layout[id]!).x, centreOf(ego.layout[id]!).y))
		expect(Math.max(...radii) - Math.min(...radii)).toBeLessThan(2)
		const boxes = Object.values(ego.layout)
		for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!)).toBe(false)
		// Sizes are the ones drawn on the whole map.
		for (const id of partners) expect(ego.layout[id]!.w).toBe(chimayMap.layout[id]!.w)
	})

	test.each(exportFormats)('exports and imports back like a whole map (%s)', (format) => {
		const ego = egoMap(chimayMap, 'forem', { depth: 2 })!
		const back = importMap(exportMap(ego, format).body, format)
		expect(back.ok && back.map).toEqual(ego)
	})

	test.each([1, 2, 3, 4, 5, 6])('random map %i: every ego map is a valid map', (seed) => {
		const random = randomMap(seed)
		for (const o of random.organisations) {
			const ego = egoMap(random, o.id, { depth: 1 + (seed % 2) })!
			expect(mapSchema.safeParse(ego).success).toBe(true)
			expect(ego.organisations.some((x) => x.id === o.id)).toBe(true)
		}
	})
})
