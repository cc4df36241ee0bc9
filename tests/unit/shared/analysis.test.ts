import { describe, expect, test } from 'vitest'
import { analyseMap } from '../../../shared/analysis'
import { chimayIds as o, chimayMap } from '../../../shared/demo/chimay'
import { mapSchema, SCHEMA_VERSION, type MaillageMap } from '../../../shared/model'

type LinkInput = { id?: string; from: string; to: string; [field: string]: unknown }

/** A small map: organisations by id, partnerships as `{from, to, ...fields}`. */
function mapOf(organisations: string[], links: LinkInput[]): MaillageMap {
	return mapSchema.parse({
		schemaVersion: SCHEMA_VERSION,
		organisations: organisations.map((id) => ({ id, name: id.toUpperCase() })),
		partnerships: links.map(({ id, from, to, ...fields }, i) => ({
			id: id ?? `p${i + 1}`,
			from: { organisation: from },
			to: { organisation: to },
			...fields,
		})),
	})
}

const betweennessOf = (map: MaillageMap) =>
	Object.fromEntries(analyseMap(map).organisations.map((m) => [m.organisation, m.betweenness]))
const degreeOf = (map: MaillageMap) => Object.fromEntries(analyseMap(map).organisations.map((m) => [m.organisation, m.degree]))

describe('graph figures on hand-computed graphs', () => {
	test('a path of three: the middle one lies on the only shortest path between the ends', () => {
		const map = mapOf(['a', 'b', 'c'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }])
		const analysis = analyseMap(map)
		// E = 2, N = 3: 2·2 / (3·2)
		expect(analysis.density).toBeCloseTo(2 / 3, 12)
		expect(degreeOf(map)).toEqual({ a: 1, b: 2, c: 1 })
		// One pair {a, c}, all its shortest paths through b, divided by (N−1)(N−2)/2 = 1 pair.
		expect(betweennessOf(map)).toEqual({ a: 0, b: 1, c: 0 })
		expect(analysis.components).toEqual([['a', 'b', 'c']])
		expect(analysis.isolates).toEqual([])
		expect(analysis.counts).toMatchObject({ organisations: 3, partnerships: 2, livePartnerships: 2, linkedPairs: 2 })
	})

	test('a path of four: betweenness counts shares of pairs', () => {
		const map = mapOf(['a', 'b', 'c', 'd'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'd' }])
		// b is on the paths of {a, c} and {a, d}: 2 of the (3·2)/2 = 3 pairs of other nodes.
		const b = betweennessOf(map)
		expect(b.a).toBe(0)
		expect(b.b).toBeCloseTo(2 / 3, 12)
		expect(b.c).toBeCloseTo(2 / 3, 12)
		expect(b.d).toBe(0)
	})

	test('two shortest paths share the pair between them', () => {
		// A square a-b-c-d-a: {a, c} has two shortest paths (via b, via d); b also sits on none other.
		const map = mapOf(['a', 'b', 'c', 'd'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'd' }, { from: 'd', to: 'a' }])
		for (const value of Object.values(betweennessOf(map))) expect(value).toBeCloseTo(0.5 / 3, 12)
		expect(analyseMap(map).density).toBeCloseTo(4 / 6, 12)
	})

	test('a triangle with a parallel partnership counts the pair once', () => {
		const map = mapOf(['a', 'b', 'c'], [
			{ from: 'a', to: 'b' },
			{ from: 'b', to: 'a', kind: 'ideological' },
			{ from: 'b', to: 'c' },
			{ from: 'c', to: 'a' },
		])
		const analysis = analyseMap(map)
		expect(analysis.density).toBe(1)
		expect(analysis.counts).toMatchObject({ partnerships: 4, livePartnerships: 4, linkedPairs: 3 })
		expect(analysis.organisations).toEqual([
			{ organisation: 'a', degree: 2, partnerships: 3, betweenness: 0 },
			{ organisation: 'b', degree: 2, partnerships: 3, betweenness: 0 },
			{ organisation: 'c', degree: 2, partnerships: 2, betweenness: 0 },
		])
	})

	test('an isolate and two components', () => {
		const isolate = analyseMap(mapOf(['a', 'b', 'c'], [{ from: 'a', to: 'b' }]))
		expect(isolate.isolates).toEqual(['c'])
		expect(isolate.components).toEqual([['a', 'b'], ['c']])
		expect(isolate.density).toBeCloseTo(1 / 3, 12)

		// Components largest first, then in map order; members in map order whatever the link direction.
		const parts = analyseMap(mapOf(['e', 'a', 'b', 'c', 'd'], [{ from: 'b', to: 'a' }, { from: 'd', to: 'c' }, { from: 'c', to: 'e' }]))
		expect(parts.components).toEqual([['e', 'c', 'd'], ['a', 'b']])
		expect(parts.isolates).toEqual([])
		expect(parts.density).toBeCloseTo(3 / 10, 12)
	})

	test('empty and one-organisation maps give zeros, never NaN', () => {
		for (const map of [mapOf([], []), mapOf(['a'], [])]) {
			const analysis = analyseMap(map)
			expect(analysis.density).toBe(0)
			expect(analysis.informal).toEqual({ partnerships: [], count: 0, total: 0, share: 0 })
			expect(analysis.invisible.share).toBe(0)
			for (const m of analysis.organisations) expect(m).toMatchObject({ degree: 0, betweenness: 0 })
		}
		expect(analyseMap(mapOf(['a'], [])).components).toEqual([['a']])
		expect(analyseMap(mapOf(['a', 'b'], [{ from: 'a', to: 'b' }])).organisations.map((m) => m.betweenness)).toEqual([0, 0])
	})

	test('interrupted and ended partnerships are counted but are not links', () => {
		const map = mapOf(['a', 'b', 'c'], [
			{ from: 'a', to: 'b', status: 'interrupted', formal: true },
			{ from: 'b', to: 'c', status: 'ended' },
			{ from: 'a', to: 'c', status: 'emerging', formal: true, visible: false },
		])
		const analysis = analyseMap(map)
		expect(analysis.counts).toMatchObject({
			partnerships: 3,
			livePartnerships: 1,
			linkedPairs: 1,
			byStatus: { active: 0, emerging: 1, interrupted: 1, ended: 1 },
		})
		expect(analysis.isolates).toEqual(['b'])
		expect(analysis.informal).toEqual({ partnerships: [], count: 0, total: 1, share: 0 })
		expect(analysis.invisible).toEqual({ partnerships: ['p3'], count: 1, total: 1, share: 1 })
	})

	test('partnerships naming an organisation not on the map are ignored, not fatal', () => {
		const map = mapOf(['a', 'b'], [{ from: 'a', to: 'b' }])
		const broken = { ...map, partnerships: [...map.partnerships, { ...map.partnerships[0]!, id: 'ghost', to: { organisation: 'zz', carriers: [] } }] }
		const analysis = analyseMap(broken)
		expect(analysis.counts).toMatchObject({ partnerships: 2, livePartnerships: 1, linkedPairs: 1 })
		expect(analysis.organisations.map((m) => m.organisation)).toEqual(['a', 'b'])
	})
})

describe('partnership figures', () => {
	test('a side with exactly one carrier is fragile; none or two are not', () => {
		const map = mapSchema.parse({
			schemaVersion: SCHEMA_VERSION,
			organisations: [{ id: 'a', name: 'A', units: [{ id: 'u', name: 'U' }] }, { id: 'b', name: 'B' }],
			partnerships: [
				{ id: 'one-side', from: { organisation: 'a', unit: 'u', carriers: [{ role: 'x' }] }, to: { organisation: 'b' } },
				{ id: 'both', from: { organisation: 'a', carriers: [{}] }, to: { organisation: 'b', carriers: [{ role: 'y' }] } },
				{ id: 'two', from: { organisation: 'a', carriers: [{ role: 'x' }, { role: 'z' }] }, to: { organisation: 'b' } },
				{ id: 'gone', status: 'ended', from: { organisation: 'a', carriers: [{ role: 'x' }] }, to: { organisation: 'b' } },
			],
		})
		expect(analyseMap(map).fragile).toEqual([
			{ partnership: 'one-side', organisations: ['a', 'b'], sides: [{ side: 'from', organisation: 'a', unit: 'u' }] },
			{
				partnership: 'both',
				organisations: ['a', 'b'],
				sides: [
					{ side: 'from', organisation: 'a' },
					{ side: 'to', organisation: 'b' },
				],
			},
		])
	})

	test('conventions ending within the horizon or already ended, soonest first', () => {
		const convention = (end?: string) => ({ convention: end ? { end } : { objectives: 'sans fin' } })
		const map = mapOf(['a', 'b', 'c'], [
			{ id: 'in60', from: 'a', to: 'b', ...convention('2024-03-01') }, // 31 days of January + 29 of February
			{ id: 'in90', from: 'b', to: 'c', ...convention('2024-03-31') },
			{ id: 'in91', from: 'a', to: 'c', ...convention('2024-04-01') },
			{ id: 'ended', from: 'c', to: 'a', ...convention('2023-12-25') },
			{ id: 'today', from: 'c', to: 'b', ...convention('2024-01-01') },
			{ id: 'noEnd', from: 'a', to: 'b', ...convention() },
			{ id: 'interrupted', from: 'a', to: 'b', status: 'interrupted', ...convention('2024-01-10') },
		])
		const analysis = analyseMap(map, { today: '2024-01-01' })
		expect(analysis.conventions).toEqual([
			{ partnership: 'ended', organisations: ['c', 'a'], end: '2023-12-25', daysLeft: -7, ended: true },
			{ partnership: 'today', organisations: ['c', 'b'], end: '2024-01-01', daysLeft: 0, ended: false },
			{ partnership: 'in60', organisations: ['a', 'b'], end: '2024-03-01', daysLeft: 60, ended: false },
			{ partnership: 'in90', organisations: ['b', 'c'], end: '2024-03-31', daysLeft: 90, ended: false },
		])
		expect(analyseMap(map, { today: '2024-01-01', horizonDays: 0 }).conventions.map((c) => c.partnership)).toEqual(['ended', 'today'])
	})

	test('organisations and pairs linked only by imposed partnerships', () => {
		const map = mapOf(['a', 'b', 'c', 'd'], [
			{ from: 'b', to: 'a', kind: 'imposed' },
			{ from: 'a', to: 'b', kind: 'imposed' },
			{ from: 'a', to: 'c', kind: 'imposed' },
			{ from: 'a', to: 'c', kind: 'palliative' },
			{ from: 'c', to: 'd', kind: 'imposed' },
			{ from: 'b', to: 'd', kind: 'ideological', status: 'ended' },
		])
		const { imposedOnly } = analyseMap(map)
		expect(imposedOnly.organisations).toEqual(['b', 'd'])
		expect(imposedOnly.pairs).toEqual([
			{ organisations: ['a', 'b'], partnerships: ['p1', 'p2'] },
			{ organisations: ['c', 'd'], partnerships: ['p5'] },
		])
	})

	test('options: today defaults to the current UTC day; a malformed day is refused', () => {
		const map = mapOf(['a'], [])
		expect(analyseMap(map).today).toBe(new Date().toISOString().slice(0, 10))
		expect(analyseMap(map).horizonDays).toBe(90)
		expect(() => analyseMap(map, { today: '01/02/2024' })).toThrow()
		expect(() => analyseMap(map, { horizonDays: -1 })).toThrow()
	})
})

describe('the Chimay demo, figures checked by hand against the thesis data', () => {
	const analysis = analyseMap(chimayMap, { today: '2020-06-01' })
	const metrics = Object.fromEntries(analysis.organisations.map((m) => [m.organisation, m]))

	test('counts and density', () => {
		// 29 partnerships, one interrupted (the CPAS–Miresem convention). Distinct linked pairs:
		// the CPAS with 12 partners; PCS with Commune, Médiation, Forem, Carrefour; Forem with Miresem,
		// Carrefour, ALE; Miresem with Carrefour, Aubligneux, Répit: 12 + 4 + 3 + 3 = 22.
		expect(analysis.counts).toEqual({
			organisations: 15,
			partnerships: 29,
			livePartnerships: 28,
			byStatus: { emerging: 0, active: 28, interrupted: 1, ended: 0 },
			linkedPairs: 22,
		})
		expect(analysis.density).toBeCloseTo((2 * 22) / (15 * 14), 12)
	})

	test('degrees, isolates and components', () => {
		expect(Object.fromEntries(analysis.organisations.map((m) => [m.organisation, m.degree]))).toEqual({
			[o.cpas]: 12,
			[o.commune]: 2,
			[o.mediation]: 2,
			[o.aubligneux]: 2,
			[o.miresem]: 5,
			[o.carrefour]: 4,
			[o.ale]: 2,
			[o.forem]: 5,
			[o.esem]: 1,
			[o.repit]: 2,
			[o.pcs]: 5,
			[o.mobilesem]: 1,
			[o.article27]: 1,
			[o.cle]: 0,
			[o.centreCulturel]: 0,
		})
		// CPAS: 19 partnerships minus the interrupted one; Article 27: two parallel ones.
		expect(metrics[o.cpas]?.partnerships).toBe(18)
		expect(metrics[o.article27]?.partnerships).toBe(2)
		expect(analysis.isolates).toEqual([o.cle, o.centreCulturel])
		expect(analysis.components).toHaveLength(3)
		expect(analysis.components[0]).toHaveLength(13)
		expect(analysis.components.slice(1)).toEqual([[o.cle], [o.centreCulturel]])
	})

	test('betweenness', () => {
		// The CPAS is linked to all 12 others of its component, so every other pair is at distance
		// 1 or 2. Of the 66 pairs among those 12, 10 are linked; of the 56 others, the ones with a
		// second common partner besides the CPAS are: via PCS {Commune, Médiation, Forem, Carrefour}
		// minus the linked Forem–Carrefour: 5 pairs; via Forem: PCS–ALE, Miresem–ALE, Carrefour–ALE and
		// PCS–Miresem; via Miresem {Forem, Carrefour, Aubligneux, Répit} minus Forem–Carrefour: 5 pairs;
		// via Carrefour: PCS–Miresem. PCS–Miresem has three common partners (CPAS, Forem, Carrefour).
		// Raw scores: CPAS 42 + 13/2 + 1/3; PCS 5/2; Miresem 5/2; Forem 3/2 + 1/3; Carrefour 1/3.
		// Normalised by (15−1)(15−2)/2 = 91 pairs (the isolates count in N).
		const expected: Record<string, number> = {
			[o.cpas]: (42 + 13 / 2 + 1 / 3) / 91,
			[o.pcs]: 2.5 / 91,
			[o.miresem]: 2.5 / 91,
			[o.forem]: (1.5 + 1 / 3) / 91,
			[o.carrefour]: 1 / 3 / 91,
		}
		for (const m of analysis.organisations) expect(m.betweenness, m.organisation).toBeCloseTo(expected[m.organisation] ?? 0, 12)
	})

	test('informal, invisible and single-person links', () => {
		// Formal and live: Forem–CPAS, CPAS–Mobilesem, CPAS–Article 27 (operational), Forem–Miresem,
		// Forem–Carrefour, Commune–CPAS (PST): 6 of 28.
		expect(analysis.informal).toMatchObject({ count: 22, total: 28 })
		expect(analysis.informal.share).toBeCloseTo(22 / 28, 12)
		// Invisible: 8 second-line links, 2 worker-to-worker links (Miresem, Article 27), 5 PCS links,
		// Miresem–Aubligneux and Miresem–Répit.
		expect(analysis.invisible).toMatchObject({ count: 17, total: 28 })
		expect(analysis.invisible.partnerships.filter((id) => id.startsWith('cpas2-'))).toHaveLength(8)
		expect(analysis.invisible.partnerships.filter((id) => id.startsWith('pcs-'))).toHaveLength(5)
		expect(analysis.fragile.map((f) => [f.partnership, f.sides.map((s) => s.organisation)])).toEqual([
			['cpas2-miresem', [o.miresem]],
			['cpas2-carrefour', [o.carrefour]],
			['cpas2-ale', [o.ale]],
			['cpas3pro-miresem-travailleurs', [o.cpas, o.miresem]],
			['cpas3soc-article27-valeurs', [o.cpas, o.article27]],
			['pcs-carrefour', [o.pcs, o.carrefour]],
		])
	})

	test('conventions and imposed-only links', () => {
		// The thesis gives no convention dates.
		expect(analysis.conventions).toEqual([])
		// Mobilesem's only link is the imposed convention; Article 27 also has an ideological one.
		expect(analysis.imposedOnly.organisations).toEqual([o.mobilesem])
		expect(analysis.imposedOnly.pairs).toEqual([
			{ organisations: [o.cpas, o.mobilesem], partnerships: ['cpas3pro-mobilesem'] },
			{ organisations: [o.miresem, o.forem], partnerships: ['forem-miresem'] },
			{ organisations: [o.carrefour, o.forem], partnerships: ['forem-carrefour'] },
		])
	})
})
