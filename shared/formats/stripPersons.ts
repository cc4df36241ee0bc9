import type { MaillageMap, Person, Side } from '../model'

/** What an export without personal data keeps of a carrier: that someone carries it, and in which role. */
const anonymous = ({ role }: Person): Person => (role === undefined ? {} : { role })

const stripSide = (side: Side): Side => ({ ...side, carriers: side.carriers.map(anonymous) })

/**
 * The map without personal data: contact persons are removed, carriers keep only their role, so
 * that the number of people a link rests on (its fragility) is still visible.
 * Free-text notes are kept as they are: whoever writes names in them decides.
 */
export function stripPersons(map: MaillageMap): MaillageMap {
	return {
		...map,
		organisations: map.organisations.map((o) => ({ ...o, contacts: [] })),
		partnerships: map.partnerships.map((p) => ({ ...p, from: stripSide(p.from), to: stripSide(p.to) })),
	}
}
