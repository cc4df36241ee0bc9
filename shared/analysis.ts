/**
 * What a coordinator reads from a network map (thesis 5 and 7.2.6): how dense it is, who is
 * central, who is isolated or cut off, how much rests on informal, invisible or single-person
 * links, which conventions end soon, and who is tied to the others only by obligation.
 *
 * Definitions shared by every figure below:
 * - **Live partnership**: a partnership whose status is `active` or `emerging`. Interrupted and
 *   ended partnerships stay on the map as history but are left out of every figure except the counts.
 * - **Network graph**: the undirected simple graph whose nodes are all the organisations of the map
 *   (isolated ones included) and whose edges join two organisations holding at least one live
 *   partnership: several partnerships between the same two organisations (parallel ones, whatever
 *   their direction or units) make a single edge. Partnerships naming an organisation that is not on
 *   the map are ignored.
 * - N = number of organisations, E = number of edges of the network graph.
 */
import Graph from 'graphology'
import { connectedComponents } from 'graphology-components'
import betweennessCentrality from 'graphology-metrics/centrality/betweenness'
import { undirectedDensity } from 'graphology-metrics/graph/density'
import { z } from 'zod'
import { dateSchema, partnershipStatus, type MaillageMap, type Partnership, type PartnershipStatus } from './model'

// ─── Types ─────────────────────────────────────────────────────────────────────────────────────

export const analysisOptionsSchema = z.strictObject({
	/** The day conventions are checked against, `YYYY-MM-DD`; today's UTC date by default. */
	today: dateSchema.optional(),
	/** How many days ahead a convention end is reported; 90 by default. */
	horizonDays: z.number().int().min(0).max(36_500).optional(),
})
export type AnalysisOptions = z.infer<typeof analysisOptionsSchema>

export const DEFAULT_HORIZON_DAYS = 90

export interface AnalysisCounts {
	/** N: organisations on the map. */
	organisations: number
	/** Every partnership on the map, whatever its status. */
	partnerships: number
	/** Live partnerships (status `active` or `emerging`) between two organisations of the map. */
	livePartnerships: number
	/** Partnerships by status. */
	byStatus: Record<PartnershipStatus, number>
	/** E: pairs of organisations joined by at least one live partnership (edges of the network graph). */
	linkedPairs: number
}

/** Figures of one organisation in the network graph. */
export interface OrganisationMetrics {
	organisation: string
	/** Number of distinct partner organisations through live partnerships (its degree in the network graph). */
	degree: number
	/** Live partnerships it takes part in, parallel ones counted separately. */
	partnerships: number
	/**
	 * Normalised betweenness centrality in the network graph: the sum, over every unordered pair
	 * {s, t} of other organisations, of the share of shortest s–t paths that pass through it,
	 * divided by (N−1)(N−2)/2, the number of such pairs. 0 when N < 3. The middle of a path of
	 * three organisations scores 1; an organisation that sits on no shortest path (a leaf, an
	 * isolate, or one whose partners all know each other) scores 0.
	 */
	betweenness: number
}

/** A part of the partnerships that share a property, as a list and as a share of the live ones. */
export interface ShareOfPartnerships {
	/** Ids of the live partnerships that have the property. */
	partnerships: string[]
	count: number
	/** Number of live partnerships. */
	total: number
	/** count / total; 0 when there is no live partnership. */
	share: number
}

/** A side of a partnership carried by exactly one person. */
export interface FragileSide {
	side: 'from' | 'to'
	organisation: string
	unit?: string
}

/**
 * A live partnership of which at least one side lists exactly one carrier: if that person leaves,
 * the link disappears (thesis 3.2.2). A side with no carrier listed is "not known", not fragile.
 */
export interface FragilePartnership {
	partnership: string
	organisations: [from: string, to: string]
	sides: FragileSide[]
}

/** A live partnership whose convention has an end date at most `horizonDays` after `today`, or already past. */
export interface ConventionAlert {
	partnership: string
	organisations: [from: string, to: string]
	/** The convention's end date, `YYYY-MM-DD`. */
	end: string
	/** Days from `today` to `end`: 0 on the last day, negative once ended. */
	daysLeft: number
	/** daysLeft < 0. */
	ended: boolean
}

/** Two organisations whose every live partnership with each other is of kind `imposed`. */
export interface ImposedPair {
	organisations: [string, string]
	partnerships: string[]
}

export interface NetworkAnalysis {
	/** The day used for conventions. */
	today: string
	horizonDays: number
	counts: AnalysisCounts
	/**
	 * Density of the network graph: E / (N(N−1)/2) = 2E / (N(N−1)), the share of all possible pairs of
	 * organisations that are linked. Parallel partnerships count once. 0 when N < 2.
	 */
	density: number
	/** One entry per organisation, in map order. */
	organisations: OrganisationMetrics[]
	/** Organisations without any live partnership (degree 0), in map order. */
	isolates: string[]
	/**
	 * Connected components of the network graph: groups of organisations that reach each other
	 * through live partnerships. Largest first (ties: in map order of their first member); members in
	 * map order. An isolate is a component of its own. More than one component means the network is
	 * cut in parts ("cloisonné").
	 */
	components: string[][]
	/** Live partnerships with `formal` false. */
	informal: ShareOfPartnerships
	/** Live partnerships with `visible` false (invisible from outside). */
	invisible: ShareOfPartnerships
	/** Live partnerships carried by a single person on at least one side. */
	fragile: FragilePartnership[]
	/** Conventions ending within the horizon or already ended, soonest first. */
	conventions: ConventionAlert[]
	imposedOnly: {
		/** Organisations with at least one live partnership, all of kind `imposed`, in map order. */
		organisations: string[]
		/** Pairs of organisations linked, and only linked, by imposed live partnerships. */
		pairs: ImposedPair[]
	}
}

// ─── Analysis ──────────────────────────────────────────────────────────────────────────────────

const LIVE_STATUSES: ReadonlySet<PartnershipStatus> = new Set(['active', 'emerging'])
export const isLive = (p: Pick<Partnership, 'status'>) => LIVE_STATUSES.has(p.status)

const DAY_MS = 86_400_000
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS)
const todayUtc = () => new Date().toISOString().slice(0, 10)

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`)

function shareOf(live: Partnership[], has: (p: Partnership) => boolean): ShareOfPartnerships {
	const partnerships = live.filter(has).map((p) => p.id)
	const total = live.length
	return { partnerships, count: partnerships.length, total, share: total === 0 ? 0 : partnerships.length / total }
}

/**
 * Analyses a map as a network; pure, and safe on any map the schema accepts.
 * @throws a zod error when the options are invalid (e.g. `today` is not `YYYY-MM-DD`).
 */
export function analyseMap(map: MaillageMap, options: AnalysisOptions = {}): NetworkAnalysis {
	const { today = todayUtc(), horizonDays = DEFAULT_HORIZON_DAYS } = analysisOptionsSchema.parse(options)
	const order = new Map<string, number>()
	map.organisations.forEach((o, i) => {
		if (!order.has(o.id)) order.set(o.id, i)
	})
	const ids = [...order.keys()]
	const byMapOrder = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0)

	const live = map.partnerships.filter(
		(p) => isLive(p) && order.has(p.from.organisation) && order.has(p.to.organisation) && p.from.organisation !== p.to.organisation,
	)

	const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false })
	for (const id of ids) graph.addNode(id)
	const livePerOrganisation = new Map<string, number>()
	const byPair = new Map<string, Partnership[]>()
	for (const p of live) {
		const { organisation: a } = p.from
		const { organisation: b } = p.to
		graph.mergeEdge(a, b)
		for (const id of [a, b]) livePerOrganisation.set(id, (livePerOrganisation.get(id) ?? 0) + 1)
		const key = pairKey(a, b)
		byPair.set(key, [...(byPair.get(key) ?? []), p])
	}

	// graphology's Brandes implementation refuses an empty graph.
	const betweenness = graph.order === 0 ? {} : betweennessCentrality(graph, { normalized: true })
	const organisations = ids.map((id) => ({
		organisation: id,
		degree: graph.degree(id),
		partnerships: livePerOrganisation.get(id) ?? 0,
		betweenness: betweenness[id] ?? 0,
	}))

	const components = connectedComponents(graph)
		.map((component) => component.sort(byMapOrder))
		.sort((a, b) => b.length - a.length || byMapOrder(a[0] ?? '', b[0] ?? ''))

	const fragile = live.flatMap((p): FragilePartnership[] => {
		const sides = (['from', 'to'] as const)
			.filter((end) => p[end].carriers.length === 1)
			.map((end): FragileSide => {
				const { organisation, unit } = p[end]
				return unit === undefined ? { side: end, organisation } : { side: end, organisation, unit }
			})
		return sides.length ? [{ partnership: p.id, organisations: [p.from.organisation, p.to.organisation], sides }] : []
	})

	const todayNumber = dayNumber(today)
	const conventions = live
		.flatMap((p): ConventionAlert[] => {
			const end = p.convention?.end
			if (end === undefined) return []
			const daysLeft = dayNumber(end) - todayNumber
			return daysLeft <= horizonDays
				? [{ partnership: p.id, organisations: [p.from.organisation, p.to.organisation], end, daysLeft, ended: daysLeft < 0 }]
				: []
		})
		.sort((a, b) => a.daysLeft - b.daysLeft)

	const imposedOrganisations = ids.filter((id) => {
		const own = live.filter((p) => p.from.organisation === id || p.to.organisation === id)
		return own.length > 0 && own.every((p) => p.kind === 'imposed')
	})
	const imposedPairs = [...byPair.values()]
		.filter((ps) => ps.every((p) => p.kind === 'imposed'))
		.map((ps): ImposedPair => {
			const [a, b] = [ps[0]!.from.organisation, ps[0]!.to.organisation].sort(byMapOrder) as [string, string]
			return { organisations: [a, b], partnerships: ps.map((p) => p.id) }
		})

	const byStatus = Object.fromEntries(partnershipStatus.values.map((s) => [s, 0])) as Record<PartnershipStatus, number>
	for (const p of map.partnerships) byStatus[p.status] += 1

	return {
		today,
		horizonDays,
		counts: {
			organisations: ids.length,
			partnerships: map.partnerships.length,
			livePartnerships: live.length,
			byStatus,
			linkedPairs: graph.size,
		},
		density: undirectedDensity(graph),
		organisations,
		isolates: ids.filter((id) => graph.degree(id) === 0),
		components,
		informal: shareOf(live, (p) => !p.formal),
		invisible: shareOf(live, (p) => !p.visible),
		fragile,
		conventions,
		imposedOnly: { organisations: imposedOrganisations, pairs: imposedPairs },
	}
}
