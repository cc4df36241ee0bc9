import type { MaillageMap } from '../../shared/model'

/**
 * The part of a map a selection stands for: the selected organisations and partnerships, the
 * partnerships between selected organisations, and the organisations a chosen partnership needs
 * (so the result is a valid map on its own).
 */
export function selectionOf(map: MaillageMap, selectedIds: ReadonlySet<string>): MaillageMap {
	const chosenOrganisations = new Set(map.organisations.filter((o) => selectedIds.has(o.id)).map((o) => o.id))
	const partnerships = map.partnerships.filter(
		(p) => selectedIds.has(p.id) || (chosenOrganisations.has(p.from.organisation) && chosenOrganisations.has(p.to.organisation)),
	)
	for (const p of partnerships) {
		chosenOrganisations.add(p.from.organisation)
		chosenOrganisations.add(p.to.organisation)
	}
	const organisations = map.organisations.filter((o) => chosenOrganisations.has(o.id))
	const layout = Object.fromEntries(Object.entries(map.layout).filter(([id]) => chosenOrganisations.has(id)))
	return { ...map, organisations, partnerships, layout }
}
