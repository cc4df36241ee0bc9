import { MAX_EGO_DEPTH } from './api'
import { radialLayout, reachableRings } from './layout'
import type { MaillageMap } from './model'

export interface EgoOptions {
	/** How many partnership steps away from the centre organisations are kept; 1 = its partners. */
	depth?: number
}

/**
 * The ego network of an organisation, as a map of its own (so it exports like a whole map): the
 * organisation, the organisations at most `depth` partnerships away, and every partnership among
 * them (between partners too), whatever its status, laid out radially around the organisation,
 * which sits at the origin. Undefined when the organisation is not on the map.
 */
export function egoMap(map: MaillageMap, organisationId: string, { depth = 1 }: EgoOptions = {}): MaillageMap | undefined {
	const centre = map.organisations.find((o) => o.id === organisationId)
	if (centre === undefined) return undefined
	const levels = Math.max(1, Math.min(MAX_EGO_DEPTH, Math.floor(depth)))
	const kept = new Set(reachableRings(map, organisationId).slice(0, levels + 1).flat())
	const organisations = map.organisations.filter((o) => kept.has(o.id))
	const partnerships = map.partnerships.filter((p) => kept.has(p.from.organisation) && kept.has(p.to.organisation))
	const layoutOfKept = Object.fromEntries(Object.entries(map.layout).filter(([id]) => kept.has(id)))
	const ego: MaillageMap = {
		schemaVersion: map.schemaVersion,
		title: `${centre.name} — ${map.title}`.slice(0, 200),
		territory: map.territory,
		description: map.description,
		...(map.date !== undefined && { date: map.date }),
		organisations,
		partnerships,
		layout: layoutOfKept,
	}
	return { ...ego, layout: radialLayout(ego, organisationId, { origin: { x: 0, y: 0 } }) }
}
