import { describe, expect, test } from 'vitest'
import { chimayMap } from '../../../shared/demo'
import { diffMaps, isModelUnchanged, sameValue, type FieldChange, type MapDiff } from '../../../shared/diff'
import { mapSchema, organisationKind, organisationSchema, partnershipSchema, partnershipStatus, sector, strength, type MaillageMap } from '../../../shared/model'
import { randomMap, seededRandom } from '../../support/randomMap'

const clone = (map: MaillageMap): MaillageMap => structuredClone(map)

/** Sets (or, for `undefined`, deletes) the value at `path` inside `target`. */
function setAt(target: Record<string, unknown>, path: FieldChange['path'], value: unknown): void {
	let node = target as Record<string | number, unknown>
	for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
	const last = path[path.length - 1] as string | number
	if (value === undefined) delete node[last]
	else node[last] = structuredClone(value)
}

/**
 * Rebuilds the second map from the first and the diff alone, using only what a reader of the
 * diff sees: added and removed records, field changes at their paths, moves, info changes.
 */
function applyDiff(before: MaillageMap, diff: MapDiff): MaillageMap {
	const map = clone(before)
	for (const change of diff.info) setAt(map as unknown as Record<string, unknown>, change.path, change.after)
	const apply = <T extends { id: string }>(list: T[], d: MapDiff['organisations'] | MapDiff['partnerships']): T[] => {
		const removed = new Set(d.removed.map((e) => e.id))
		const kept = list.filter((e) => !removed.has(e.id))
		for (const { id, changes } of d.changed) {
			const entity = kept.find((e) => e.id === id)
			if (!entity) throw new Error(`changed ${id} is not on the map`)
			for (const change of changes) setAt(entity as unknown as Record<string, unknown>, change.path, change.after)
		}
		return [...kept, ...(structuredClone(d.added) as unknown as T[])]
	}
	map.organisations = apply(map.organisations, diff.organisations)
	map.partnerships = apply(map.partnerships, diff.partnerships)
	for (const o of diff.organisations.removed) delete map.layout[o.id]
	for (const o of diff.organisations.added) if (diff.placements[o.id]) map.layout[o.id] = structuredClone(diff.placements[o.id]!)
	for (const move of diff.moved) {
		if (move.after === undefined) delete map.layout[move.organisation]
		else map.layout[move.organisation] = structuredClone(move.after)
	}
	return map
}

/** The same map whatever the order of its organisations and partnerships. */
function normalised(map: MaillageMap) {
	const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
	return { ...map, organisations: byId(map.organisations), partnerships: byId(map.partnerships) }
}

/** A few seeded random edits of every kind the UI can make; the result is still a valid map. */
function randomlyEdited(map: MaillageMap, seed: number, edits: number): MaillageMap {
	const random = seededRandom(seed)
	const int = (n: number) => Math.floor(random() * n)
	const pick = <T>(items: readonly T[]): T | undefined => items[int(items.length)]
	const next = clone(map)
	let fresh = 0
	const operations: (() => void)[] = [
		() => {
			const o = pick(next.organisations)
			if (o) o.name = `Renamed ${int(1000)}`
		},
		() => {
			const o = pick(next.organisations)
			if (o) o.kind = pick(organisationKind.values)!
		},
		() => {
			const o = pick(next.organisations)
			if (o) o.sectors = sector.values.filter(() => random() < 0.2)
		},
		() => {
			const o = pick(next.organisations)
			if (!o) return
			next.organisations = next.organisations.filter((x) => x !== o)
			next.partnerships = next.partnerships.filter((p) => p.from.organisation !== o.id && p.to.organisation !== o.id)
			delete next.layout[o.id]
		},
		() => {
			const id = `new${seed}-${fresh++}`
			next.organisations.push(organisationSchema.parse({ id, name: `New ${id}` }))
			next.layout[id] = { x: int(1000), y: int(1000), w: 200, h: 96 }
		},
		() => {
			const p = pick(next.partnerships)
			if (p) next.partnerships = next.partnerships.filter((x) => x !== p)
		},
		() => {
			const [a, b] = [pick(next.organisations), pick(next.organisations)]
			if (!a || !b || a === b) return
			next.partnerships.push(
				partnershipSchema.parse({ id: `np${seed}-${fresh++}`, from: { organisation: a.id }, to: { organisation: b.id } }),
			)
		},
		() => {
			const p = pick(next.partnerships)
			if (p) p.strength = pick(strength.values)!
		},
		() => {
			const p = pick(next.partnerships)
			if (p) p.status = pick(partnershipStatus.values)!
		},
		() => {
			const p = pick(next.partnerships)
			if (p) p.convention = p.convention ? (random() < 0.5 ? null : { ...p.convention, end: '2031-01-31' }) : { objectives: 'Objectifs', evaluation: '' }
		},
		() => {
			const p = pick(next.partnerships)
			if (p) p.from = { ...p.from, carriers: [...p.from.carriers, { role: 'AS' }] }
		},
		() => {
			const o = pick(next.organisations)
			const at = o && next.layout[o.id]
			if (at) next.layout[o.id] = { ...at, x: at.x + 10 + int(100) }
		},
		() => {
			next.title = `Title ${int(100)}`
		},
		() => {
			if (next.date === undefined) next.date = '2024-05-01'
			else delete next.date
		},
	]
	for (let i = 0; i < edits; i++) operations[int(operations.length)]!()
	return mapSchema.parse(next)
}

describe('diffMaps', () => {
	test('a map against itself (or a copy) has no difference', () => {
		for (const map of [chimayMap, randomMap(1), randomMap(2, { organisations: 20, partnerships: 40 })]) {
			const diff = diffMaps(map, clone(map))
			expect(diff).toEqual({
				info: [],
				organisations: { added: [], removed: [], changed: [] },
				partnerships: { added: [], removed: [], changed: [] },
				moved: [],
				placements: {},
				counts: { added: 0, removed: 0, changed: 0, info: 0, moved: 0 },
			})
			expect(isModelUnchanged(diff)).toBe(true)
		}
	})

	test('the order of organisations and partnerships is not a change', () => {
		const reversed = { ...chimayMap, organisations: [...chimayMap.organisations].reverse(), partnerships: [...chimayMap.partnerships].reverse() }
		expect(isModelUnchanged(diffMaps(chimayMap, reversed))).toBe(true)
	})

	test('removing an organisation reports it and its partnerships removed, nothing else', () => {
		const gone = chimayMap.organisations.find((o) => o.id === 'forem')!
		const after = clone(chimayMap)
		after.organisations = after.organisations.filter((o) => o.id !== gone.id)
		after.partnerships = after.partnerships.filter((p) => p.from.organisation !== gone.id && p.to.organisation !== gone.id)
		delete after.layout[gone.id]
		const diff = diffMaps(chimayMap, after)
		expect(diff.organisations.removed).toEqual([gone])
		const expected = chimayMap.partnerships.filter((p) => p.from.organisation === gone.id || p.to.organisation === gone.id)
		expect(expected.length).toBeGreaterThan(0)
		expect(diff.partnerships.removed).toEqual(expected)
		expect(diff.counts).toEqual({ added: 0, removed: 1 + expected.length, changed: 0, info: 0, moved: 0 })
		expect(diff.placements).toEqual({ [gone.id]: chimayMap.layout[gone.id] })
	})

	test('a field change is reported at its exact path, with both values', () => {
		const after = clone(chimayMap)
		const p = after.partnerships[3]!
		const q = chimayMap.partnerships[3]!
		p.convention = { objectives: 'x', evaluation: '', end: '2030-06-30' }
		p.from.carriers = [{ role: 'AS' }]
		after.organisations[0]!.shortName = 'CPAS Chimay'
		const diff = diffMaps(chimayMap, after)
		expect(diff.organisations.changed).toEqual([
			{
				id: chimayMap.organisations[0]!.id,
				changes: [{ path: ['shortName'], before: chimayMap.organisations[0]!.shortName, after: 'CPAS Chimay' }],
				before: chimayMap.organisations[0],
				after: after.organisations[0],
			},
		])
		const changes = diff.partnerships.changed.find((c) => c.id === p.id)?.changes
		const convention = q.convention
			? [{ path: ['convention', 'objectives'], before: q.convention.objectives, after: 'x' }, { path: ['convention', 'end'], before: q.convention.end, after: '2030-06-30' }]
			: [{ path: ['convention'], before: null, after: p.convention }]
		expect(changes).toEqual(expect.arrayContaining([...convention, { path: ['from', 'carriers'], before: q.from.carriers, after: [{ role: 'AS' }] }]))
	})

	test('an optional field that appears or disappears is a change from or to undefined', () => {
		const before = mapSchema.parse({ schemaVersion: 1, title: 'T', date: '2024-01-01' })
		const after = mapSchema.parse({ schemaVersion: 1, title: 'T' })
		expect(diffMaps(before, after).info).toEqual([{ path: ['date'], before: '2024-01-01', after: undefined }])
		expect(diffMaps(after, before).info).toEqual([{ path: ['date'], before: undefined, after: '2024-01-01' }])
	})

	test('a drag is a move, not a change of the model', () => {
		const after = clone(chimayMap)
		const id = chimayMap.organisations[2]!.id
		after.layout[id] = { ...after.layout[id]!, x: after.layout[id]!.x + 120 }
		const diff = diffMaps(chimayMap, after)
		expect(isModelUnchanged(diff)).toBe(true)
		expect(diff.moved).toEqual([{ organisation: id, before: chimayMap.layout[id], after: after.layout[id] }])
	})

	test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('seeded random edits (seed %i): the diff explains every difference, and only differences', (seed) => {
		const before = randomMap(seed, { organisations: 10, partnerships: 16 })
		const after = randomlyEdited(before, seed * 7919, 1 + (seed % 6))
		const diff = diffMaps(before, after)
		expect(normalised(applyDiff(before, diff))).toEqual(normalised(after))
		// Nothing reported that did not change.
		for (const entity of [...diff.organisations.changed, ...diff.partnerships.changed]) {
			expect(entity.changes.length).toBeGreaterThan(0)
			for (const change of entity.changes) expect(sameValue(change.before, change.after)).toBe(false)
		}
		// And the diff back undoes it.
		expect(normalised(applyDiff(after, diffMaps(after, before)))).toEqual(normalised(before))
	})
})
