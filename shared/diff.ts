import type { MaillageMap, MapInfo, Organisation, Partnership, Placement } from './model'
import { isPlainObject } from './json'

/**
 * What changed between two maps (two agreed versions, or a version and the map now).
 *
 * Field by field: plain objects (a partnership's sides, its convention) are compared key by key,
 * down to the leaves; arrays (sectors, units, contacts, carriers, history) are compared as a whole
 * and reported as one change of the field, since their items have no stable identity of their own
 * to say "this one moved". A missing optional field (a date, a unit) is `undefined` (absent in
 * JSON). The order of organisations and partnerships in the map is not a change.
 *
 * Layout is reported apart: dragging a box is not a change of the model, so `moved` lists the
 * organisations present on both sides whose placement (position or size) differs, and nothing
 * else; `placements` says where added organisations are and removed ones were, to draw them.
 */
export type Path = (string | number)[]

export interface FieldChange {
	path: Path
	before: unknown
	after: unknown
}

export interface ChangedEntity<T> {
	id: string
	/** The field changes, paths relative to the organisation or partnership. */
	changes: FieldChange[]
	before: T
	after: T
}

export interface EntityDiff<T> {
	added: T[]
	removed: T[]
	changed: ChangedEntity<T>[]
}

export interface Move {
	organisation: string
	before: Placement | undefined
	after: Placement | undefined
}

export interface MapDiff {
	/** Title, territory, description, date. */
	info: FieldChange[]
	organisations: EntityDiff<Organisation>
	partnerships: EntityDiff<Partnership>
	/** Placements of organisations present on both sides. */
	moved: Move[]
	/** Where added organisations are (in `after`) and removed ones were (in `before`). */
	placements: Record<string, Placement>
	/** Organisations and partnerships added, removed, changed; info fields changed; organisations moved. */
	counts: { added: number; removed: number; changed: number; info: number; moved: number }
}

const infoKeys = ['title', 'territory', 'description', 'date'] as const satisfies readonly (keyof MapInfo)[]

/** Deep equality of JSON-like values; key order does not matter, `undefined` keys are absent. */
export function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
		return a.every((item, i) => sameValue(item, b[i]))
	}
	if (!isPlainObject(a) || !isPlainObject(b)) return false
	const keys = new Set([...Object.keys(a), ...Object.keys(b)])
	for (const key of keys) if (!sameValue(a[key], b[key])) return false
	return true
}

/** The leaf changes from `before` to `after`, recursing into plain objects only. */
export function fieldChanges(before: unknown, after: unknown, path: Path = []): FieldChange[] {
	if (sameValue(before, after)) return []
	if (!isPlainObject(before) || !isPlainObject(after)) return [{ path, before, after }]
	const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
	return keys.flatMap((key) => fieldChanges(before[key], after[key], [...path, key]))
}

function diffEntities<T extends { id: string }>(before: readonly T[], after: readonly T[]): EntityDiff<T> {
	const old = new Map(before.map((e) => [e.id, e]))
	const now = new Map(after.map((e) => [e.id, e]))
	const changed: ChangedEntity<T>[] = []
	for (const [id, next] of now) {
		const previous = old.get(id)
		if (previous === undefined) continue
		const changes = fieldChanges(previous, next)
		if (changes.length > 0) changed.push({ id, changes, before: previous, after: next })
	}
	return {
		added: after.filter((e) => !old.has(e.id)),
		removed: before.filter((e) => !now.has(e.id)),
		changed,
	}
}

/** The difference from `before` to `after`; `diffMaps(m, m)` is empty. Pure, never throws on valid maps. */
export function diffMaps(before: MaillageMap, after: MaillageMap): MapDiff {
	const info = infoKeys.flatMap((key) => fieldChanges(before[key], after[key], [key]))
	const organisations = diffEntities(before.organisations, after.organisations)
	const partnerships = diffEntities(before.partnerships, after.partnerships)
	const remaining = new Set(before.organisations.map((o) => o.id))
	const moved = after.organisations
		.filter((o) => remaining.has(o.id) && !sameValue(before.layout[o.id], after.layout[o.id]))
		.map((o) => ({ organisation: o.id, before: before.layout[o.id], after: after.layout[o.id] }))
	const placements: Record<string, Placement> = {}
	for (const o of organisations.added) if (after.layout[o.id]) placements[o.id] = after.layout[o.id] as Placement
	for (const o of organisations.removed) if (before.layout[o.id]) placements[o.id] = before.layout[o.id] as Placement
	const count = (pick: (d: EntityDiff<unknown>) => unknown[]) =>
		pick(organisations as EntityDiff<unknown>).length + pick(partnerships as EntityDiff<unknown>).length
	return {
		info,
		organisations,
		partnerships,
		moved,
		placements,
		counts: {
			added: count((d) => d.added),
			removed: count((d) => d.removed),
			changed: count((d) => d.changed),
			info: info.length,
			moved: moved.length,
		},
	}
}

/** True when the model is the same on both sides (layout moves aside). */
export const isModelUnchanged = ({ counts }: MapDiff) => counts.added + counts.removed + counts.changed + counts.info === 0
