import { describe, expect, test } from 'vitest'
import { chimayMap } from '../../../shared/demo'
import { autoLayout, LAYOUT_GAP, radialLayout, reachableRings, removeOverlaps, type Placements } from '../../../shared/layout'
import { mapSchema, type MaillageMap, type Placement } from '../../../shared/model'
import { randomMap, seededRandom } from '../../support/randomMap'

const overlap = (a: Placement, b: Placement) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/** Pairs of boxes closer than `gap`, at least one of which the layout was free to move. */
function crowded(placements: Placements, pinned: readonly string[] = [], gap = LAYOUT_GAP - 1): [string, string][] {
	const entries = Object.entries(placements)
	const grown = (p: Placement): Placement => ({ x: p.x - gap / 2, y: p.y - gap / 2, w: p.w + gap, h: p.h + gap })
	const pairs: [string, string][] = []
	for (let i = 0; i < entries.length; i++)
		for (let j = i + 1; j < entries.length; j++) {
			const [a, pa] = entries[i]!
			const [b, pb] = entries[j]!
			if (pinned.includes(a) && pinned.includes(b)) continue
			if (overlap(grown(pa), grown(pb))) pairs.push([a, b])
		}
	return pairs
}

const finite = (placements: Placements) => Object.values(placements).every((p) => [p.x, p.y, p.w, p.h].every(Number.isFinite))

const small = (links: [string, string][], ids = [...new Set(links.flat())]): MaillageMap =>
	mapSchema.parse({
		schemaVersion: 1,
		organisations: ids.map((id) => ({ id, name: id.toUpperCase() })),
		partnerships: links.map(([a, b], i) => ({ id: `p${i}`, from: { organisation: a }, to: { organisation: b } })),
	})

describe('autoLayout', () => {
	test('places every organisation of the Chimay map, sizes kept, none overlapping', async () => {
		const placements = await autoLayout(chimayMap)
		expect(Object.keys(placements).sort()).toEqual(chimayMap.organisations.map((o) => o.id).sort())
		for (const [id, p] of Object.entries(placements)) expect({ w: p.w, h: p.h }).toEqual({ w: chimayMap.layout[id]!.w, h: chimayMap.layout[id]!.h })
		expect(finite(placements)).toBe(true)
		expect(crowded(placements)).toEqual([])
	})

	test('pinned organisations keep their exact placement; the others avoid them', async () => {
		const pinned = ['cpas', 'forem', 'article27']
		const placements = await autoLayout(chimayMap, { pinned })
		for (const id of pinned) expect(placements[id]).toEqual(chimayMap.layout[id])
		expect(crowded(placements, pinned)).toEqual([])
	})

	test('linked organisations end up nearer to each other than unlinked ones, on average', async () => {
		const map = small([
			['a', 'b'],
			['b', 'c'],
			['c', 'a'],
			['x', 'y'],
			['y', 'z'],
			['z', 'x'],
			['c', 'x'],
		])
		const p = await autoLayout(map)
		const d = (a: string, b: string) => Math.hypot(p[a]!.x - p[b]!.x, p[a]!.y - p[b]!.y)
		const linked = (d('a', 'b') + d('b', 'c') + d('x', 'y') + d('y', 'z')) / 4
		const unlinked = (d('a', 'y') + d('b', 'z') + d('a', 'z') + d('b', 'y')) / 4
		expect(linked).toBeLessThan(unlinked)
	})

	test('maps without layout, with isolated organisations, or empty, are laid out too', async () => {
		const map = { ...small([['a', 'b']], ['a', 'b', 'lonely', 'alone']), layout: {} }
		const placements = await autoLayout(map)
		expect(Object.keys(placements).sort()).toEqual(['a', 'alone', 'b', 'lonely'])
		expect(finite(placements)).toBe(true)
		expect(crowded(placements)).toEqual([])
		expect(await autoLayout(mapSchema.parse({ schemaVersion: 1 }))).toEqual({})
		// Unknown pinned ids are ignored.
		expect(Object.keys(await autoLayout(map, { pinned: ['nobody', 'a'] }))).toHaveLength(4)
	})

	test.each([1, 2, 3, 4, 5])('random map %i with random pins: pins unchanged, no overlap, same result twice', async (seed) => {
		const map = randomMap(seed, { organisations: 12, partnerships: 18 })
		const random = seededRandom(seed)
		const pinned = map.organisations.map((o) => o.id).filter(() => random() < 0.3)
		const placements = await autoLayout(map, { pinned })
		for (const id of pinned) expect(placements[id]).toEqual(map.layout[id])
		expect(crowded(placements, pinned)).toEqual([])
		expect(await autoLayout(map, { pinned })).toEqual(placements)
	})
})

describe('radialLayout', () => {
	// a is linked to b, c, d; c to e; e to f; g is not reachable from a.
	const map = small(
		[
			['a', 'b'],
			['a', 'c'],
			['d', 'a'],
			['b', 'c'],
			['c', 'e'],
			['e', 'f'],
			['g', 'h'],
		],
		['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
	)
	const centre = (p: Placement) => ({ x: p.x + p.w / 2, y: p.y + p.h / 2 })

	test('rings by distance from the centre, unreachable ones outside', () => {
		expect(reachableRings(map, 'a')).toEqual([['a'], ['b', 'c', 'd'], ['e'], ['f']])
		expect(reachableRings(map, 'nobody')).toEqual([])
		const placements = radialLayout(map, 'a', { origin: { x: 0, y: 0 } })
		const distance = (id: string) => Math.hypot(centre(placements[id]!).x, centre(placements[id]!).y)
		expect(distance('a')).toBeLessThan(1)
		for (const id of ['c', 'd']) expect(distance(id)).toBeCloseTo(distance('b'), -1)
		expect(distance('e')).toBeGreaterThan(distance('b'))
		expect(distance('f')).toBeGreaterThan(distance('e'))
		expect(Math.min(distance('g'), distance('h'))).toBeGreaterThan(distance('f'))
		// The first partner is straight above the centre.
		expect(Math.abs(centre(placements.b!).x)).toBeLessThan(1)
		expect(centre(placements.b!).y).toBeLessThan(0)
		expect(crowded(placements)).toEqual([])
	})

	test('the centre stays where it is by default; pinned organisations stay too; unknown centre gives nothing', () => {
		const placed = { ...map, layout: { a: { x: 500, y: 300, w: 200, h: 96 }, d: { x: 480, y: 180, w: 100, h: 50 } } }
		const placements = radialLayout(placed, 'a', { pinned: ['d'] })
		expect(centre(placements.a!)).toEqual({ x: 600, y: 348 })
		expect(placements.d).toEqual(placed.layout.d)
		expect(crowded(placements, ['d'])).toEqual([])
		expect(radialLayout(map, 'nobody')).toEqual({})
	})

	test('many partners of different sizes around one organisation do not overlap', () => {
		const ids = Array.from({ length: 40 }, (_, i) => `o${i}`)
		const star = small(ids.slice(1).map((id) => ['o0', id] as [string, string]), ids)
		star.layout = Object.fromEntries(ids.map((id, i) => [id, { x: 0, y: 0, w: 80 + (i % 5) * 60, h: 40 + (i % 3) * 50 }]))
		expect(crowded(radialLayout(star, 'o0'))).toEqual([])
	})
})

test('removeOverlaps moves only free boxes, to the nearest free spot', () => {
	const box = (x: number, y: number): Placement => ({ x, y, w: 100, h: 100 })
	const placed = removeOverlaps({ pin: box(0, 0), free: box(10, 10), far: box(1000, 1000) }, new Set(['pin']))
	expect(placed.pin).toEqual(box(0, 0))
	expect(placed.far).toEqual(box(1000, 1000))
	expect(crowded(placed)).toEqual([])
	// Not thrown far away: within a box and two gaps of where it was wanted.
	expect(Math.hypot(placed.free!.x - 10, placed.free!.y - 10)).toBeLessThan(100 + 2 * LAYOUT_GAP + 1)
})
