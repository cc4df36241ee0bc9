/**
 * Automatic placements of a map's organisations: a network layout of the whole map (ELK's stress
 * algorithm, which draws partner networks as they are, without imposing a hierarchy) and a radial
 * ego layout (one organisation in the centre, its partners on a ring, theirs on the next one, as
 * the thesis draws them). Pure results: the caller animates and applies them (undoably).
 *
 * Pinned organisations keep their placement exactly; every other box is then moved, if needed, to
 * the nearest free spot so that no two boxes overlap (pinned boxes may still overlap each other,
 * as the user left them).
 */
import type { ELK, ElkNode } from 'elkjs/lib/elk-api'
import type { MaillageMap, Placement } from './model'
import { DEFAULT_ORGANISATION_SIZE } from './tldraw/organisationSize'

export type Placements = Record<string, Placement>

export interface LayoutOptions {
	/** Organisations that must stay where they are. */
	pinned?: readonly string[]
}

/** Space kept between two boxes. */
export const LAYOUT_GAP = 40
/** How far apart partners are drawn by the network layout. */
const EDGE_LENGTH = 320

const sizeOf = (map: MaillageMap, id: string) => {
	const placement = map.layout[id]
	return placement ? { w: placement.w, h: placement.h } : { ...DEFAULT_ORGANISATION_SIZE }
}

const centreOf = (p: Placement) => ({ x: p.x + p.w / 2, y: p.y + p.h / 2 })

/** Distinct pairs of organisations of the map linked by at least one partnership. */
function linkedPairs(map: MaillageMap): [string, string][] {
	const ids = new Set(map.organisations.map((o) => o.id))
	const seen = new Set<string>()
	const pairs: [string, string][] = []
	for (const p of map.partnerships) {
		const [a, b] = [p.from.organisation, p.to.organisation]
		if (a === b || !ids.has(a) || !ids.has(b)) continue
		const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`
		if (seen.has(key)) continue
		seen.add(key)
		pairs.push([a, b])
	}
	return pairs
}

function neighbours(map: MaillageMap): Map<string, string[]> {
	const adjacency = new Map<string, string[]>(map.organisations.map((o) => [o.id, []]))
	for (const [a, b] of linkedPairs(map)) {
		adjacency.get(a)?.push(b)
		adjacency.get(b)?.push(a)
	}
	return adjacency
}

const overlaps = (a: Placement, b: Placement, gap: number) =>
	a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap

/**
 * Keeps pinned boxes as they are and moves each other box, in the given order, to the free spot
 * nearest to where it was asked to be (searched on growing square rings), so that no box overlaps
 * another by less than `gap`. Always terminates: far enough, every spot is free.
 */
export function removeOverlaps(wanted: Placements, pinned: ReadonlySet<string>, gap = LAYOUT_GAP): Placements {
	const placed: Placements = {}
	const boxes: Placement[] = []
	for (const [id, p] of Object.entries(wanted))
		if (pinned.has(id)) {
			placed[id] = p
			boxes.push(p)
		}
	const step = gap
	for (const [id, p] of Object.entries(wanted)) {
		if (pinned.has(id)) continue
		const free = (candidate: Placement) => !boxes.some((b) => overlaps(candidate, b, gap))
		let spot: Placement | undefined = free(p) ? p : undefined
		for (let ring = 1; spot === undefined; ring++) {
			// The cells of the square ring at distance `ring`, nearest to the wanted spot first.
			const cells: [number, number][] = []
			for (let i = -ring; i <= ring; i++) cells.push([i, -ring], [i, ring], [-ring, i], [ring, i])
			cells.sort((a, b) => Math.hypot(...a) - Math.hypot(...b))
			for (const [dx, dy] of cells) {
				const candidate = { ...p, x: p.x + dx * step, y: p.y + dy * step }
				if (free(candidate)) {
					spot = candidate
					break
				}
			}
		}
		placed[id] = spot
		boxes.push(spot)
	}
	return placed
}

// ELK is a large compiled bundle (~15 MiB of RSS once loaded): loaded on the first network layout
// only. The server imports this module for the radial layout and never runs ELK.
let elk: Promise<ELK> | undefined
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ElkConstructor }) => new ElkConstructor()))

/**
 * A network layout of the whole map: partners near each other, components side by side.
 * Pinned organisations keep their placement; a group of linked organisations holding pinned ones
 * is laid out around them.
 */
export async function autoLayout(map: MaillageMap, { pinned = [] }: LayoutOptions = {}): Promise<Placements> {
	const ids = [...new Set(map.organisations.map((o) => o.id))]
	if (ids.length === 0) return {}
	const fixed = new Set(pinned.filter((id) => ids.includes(id) && map.layout[id] !== undefined))
	const graph: ElkNode = {
		id: '\u0000root',
		layoutOptions: {
			'elk.algorithm': 'stress',
			'org.eclipse.elk.stress.desiredEdgeLength': String(EDGE_LENGTH),
			'elk.spacing.componentComponent': String(EDGE_LENGTH / 2),
		},
		children: ids.map((id) => {
			const { w, h } = sizeOf(map, id)
			const at = map.layout[id]
			return {
				id,
				width: w,
				height: h,
				...(at && { x: at.x, y: at.y }),
				...(fixed.has(id) && { layoutOptions: { 'org.eclipse.elk.stress.fixed': 'true' } }),
			}
		}),
		edges: linkedPairs(map).map(([a, b], i) => ({ id: `e${i}`, sources: [a], targets: [b] })),
	}
	const result = await (await loadElk()).layout(graph)
	const laid: Placements = {}
	for (const node of result.children ?? []) {
		const { w, h } = sizeOf(map, node.id)
		laid[node.id] = { x: Math.round(node.x ?? 0), y: Math.round(node.y ?? 0), w, h }
	}

	// ELK packs components anew, from its own origin: bring each component holding pinned boxes
	// back onto them (stress keeps fixed nodes where they are relative to each other), and put the
	// others where the map was.
	const components = connectedGroups(ids, neighbours(map))
	const mapOrigin = corner(ids.map((id) => map.layout[id]).filter((p): p is Placement => p !== undefined))
	const laidOrigin = corner(Object.values(laid))
	const wanted: Placements = {}
	for (const component of components) {
		const anchor = component.find((id) => fixed.has(id))
		const dx = anchor ? (map.layout[anchor] as Placement).x - (laid[anchor] as Placement).x : mapOrigin.x - laidOrigin.x
		const dy = anchor ? (map.layout[anchor] as Placement).y - (laid[anchor] as Placement).y : mapOrigin.y - laidOrigin.y
		for (const id of component) {
			const p = laid[id] as Placement
			wanted[id] = fixed.has(id) ? (map.layout[id] as Placement) : { ...p, x: Math.round(p.x + dx), y: Math.round(p.y + dy) }
		}
	}
	return removeOverlaps(wanted, fixed)
}

function corner(placements: Placement[]): { x: number; y: number } {
	if (placements.length === 0) return { x: 0, y: 0 }
	return { x: Math.min(...placements.map((p) => p.x)), y: Math.min(...placements.map((p) => p.y)) }
}

function connectedGroups(ids: string[], adjacency: Map<string, string[]>): string[][] {
	const seen = new Set<string>()
	const groups: string[][] = []
	for (const start of ids) {
		if (seen.has(start)) continue
		const group: string[] = []
		const queue = [start]
		seen.add(start)
		while (queue.length > 0) {
			const id = queue.shift() as string
			group.push(id)
			for (const next of adjacency.get(id) ?? [])
				if (!seen.has(next)) {
					seen.add(next)
					queue.push(next)
				}
		}
		groups.push(group)
	}
	return groups
}

/**
 * The organisations reachable from `centreId`, by distance in the partnership graph: itself, its
 * partners, theirs... Each ring is ordered so that an organisation sits near the partner that
 * brought it in, which keeps links short. Empty when the centre is not on the map.
 */
export function reachableRings(map: MaillageMap, centreId: string): string[][] {
	const adjacency = neighbours(map)
	if (!adjacency.has(centreId)) return []
	const seen = new Set([centreId])
	const result: string[][] = [[centreId]]
	let frontier = [centreId]
	for (;;) {
		const next: string[] = []
		// In the order of the frontier: partners of its first organisation first, and so on.
		for (const id of frontier)
			for (const partner of adjacency.get(id) ?? [])
				if (!seen.has(partner)) {
					seen.add(partner)
					next.push(partner)
				}
		if (next.length === 0) return result
		result.push(next)
		frontier = next
	}
}

/** `reachableRings`, then the organisations the centre cannot reach, as an outermost ring. */
export function rings(map: MaillageMap, centreId: string): string[][] {
	const result = reachableRings(map, centreId)
	if (result.length === 0) return result
	const reached = new Set(result.flat())
	const unreachable = [...new Set(map.organisations.map((o) => o.id))].filter((id) => !reached.has(id))
	return unreachable.length > 0 ? [...result, unreachable] : result
}

export interface RadialOptions extends LayoutOptions {
	/** Where the centre organisation's centre goes; where it is now by default (or the origin). */
	origin?: { x: number; y: number }
}

/**
 * The ego layout: `centreId` in the middle, the other organisations on concentric circles by
 * distance (see `rings`), the first of each ring straight above. Radii are chosen so that
 * neighbours on a ring, and consecutive rings, are at least the diagonal of a box grown by the
 * gap apart: then no two boxes come closer than the gap. An unknown centre gives no placement.
 */
export function radialLayout(map: MaillageMap, centreId: string, { pinned = [], origin }: RadialOptions = {}): Placements {
	const levels = rings(map, centreId)
	if (levels.length === 0) return {}
	const all = levels.flat()
	const sizes = all.map((id) => sizeOf(map, id))
	// Two boxes whose centres are this far apart are at least a gap apart (+2: rounding).
	const diagonal = Math.hypot(Math.max(...sizes.map((s) => s.w)) + LAYOUT_GAP, Math.max(...sizes.map((s) => s.h)) + LAYOUT_GAP) + 2
	const at = map.layout[centreId]
	const centre = origin ?? (at ? centreOf(at) : { x: 0, y: 0 })
	const wanted: Placements = {}
	let radius = 0
	levels.forEach((ids, level) => {
		// Far enough from the previous ring, and wide enough for its boxes side by side.
		radius = level === 0 ? 0 : Math.max(radius + diagonal, ids.length > 1 ? diagonal / (2 * Math.sin(Math.PI / ids.length)) : 0)
		ids.forEach((id, i) => {
			const angle = -Math.PI / 2 + (2 * Math.PI * i) / ids.length
			const { w, h } = sizeOf(map, id)
			wanted[id] = {
				x: Math.round(centre.x + radius * Math.cos(angle) - w / 2),
				y: Math.round(centre.y + radius * Math.sin(angle) - h / 2),
				w,
				h,
			}
		})
	})
	const fixed = new Set(pinned.filter((id) => map.layout[id] !== undefined && id in wanted))
	for (const id of fixed) wanted[id] = map.layout[id] as Placement
	return removeOverlaps(wanted, fixed)
}
