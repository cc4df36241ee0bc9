import {
	direction,
	flow,
	governanceRole,
	mapSchema,
	networkLevel,
	organisationKind,
	partnershipKind,
	partnershipStatus,
	sector,
	strength,
	type MaillageMap,
	type Person,
} from '../../shared/model'

/** mulberry32: a tiny seeded generator; the same seed always gives the same map. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0
	return () => {
		state = (state + 0x6d2b79f5) >>> 0
		let t = state
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

/**
 * Texts that break naive exporters: markup, quotes, entities, accents, emoji, control characters
 * (the schema allows them, XML cannot carry some), formula starters for spreadsheets, white space
 * at the ends, numbers that must stay text, and XML/CSV syntax.
 */
export const trickyTexts = [
	'CPAS de Chimay',
	'<script>alert("x")</script>',
	'"Quoted" & \'apostrophes\'',
	'Énergie & Développement, asbl',
	'Maison de l’emploi 🏠👩‍👩‍👧',
	'=HYPERLINK("http://evil","click")',
	'+32 60 21 00 00',
	'-1+1',
	'@SUM(A1)',
	'\tstarts with a tab',
	"'starts with an apostrophe",
	'ctrl\u0001char\u001f and \u007f\u0085',
	'line\nbreak and\r\nCRLF and \rCR',
	'  spaces around  ',
	'007',
	'true',
	']]> --> <!-- &amp; &#13;',
	'semi;colon, comma',
	'nonchar \uFFFE\uFFFF end',
	'ligne\u2028séparateur',
	'',
]

/** Identifiers in every shape idSchema allows, including a leading "-" (a formula starter). */
const idShapes = [(i: number) => `org${i}`, (i: number) => `-o${i}`, (i: number) => `_${i}`, (i: number) => `ORG-${i}_x`, (i: number) => `${i}`]

export interface RandomMapOptions {
	organisations?: number
	partnerships?: number
}

/**
 * A valid map (checked by mapSchema.parse) that exercises the whole model: every vocabulary value
 * (given enough records), units, contacts, carriers, conventions, histories, several partnerships
 * between the same two organisations, a complete layout and tricky texts everywhere.
 */
export function randomMap(seed: number, { organisations = 8, partnerships = 12 }: RandomMapOptions = {}): MaillageMap {
	const random = seededRandom(seed)
	const int = (n: number) => Math.floor(random() * n)
	const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T
	const chance = (p: number) => random() < p
	const text = (max: number) => pick(trickyTexts).slice(0, max)
	const nonEmpty = (max: number) => text(max) || `x${int(1000)}`
	const date = () => `${2000 + int(31)}-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}`
	// Cycling from a random offset uses every value once there are enough records.
	const cycle = <T>(values: readonly T[]) => {
		let next = int(values.length)
		return () => values[next++ % values.length] as T
	}
	const subset = <T>(values: readonly T[]) => values.filter(() => chance(0.3))
	const person = (): Person => ({
		...(chance(0.7) && { name: text(200) }),
		...(chance(0.6) && { role: text(200) }),
		...(chance(0.3) && { email: `${int(100)}@example.org` }),
		...(chance(0.3) && { phone: text(60) }),
	})
	const people = (max: number) => Array.from({ length: int(max + 1) }, person)
	// Coordinates with fractions, as dragging makes them.
	const coordinate = () => random() * 4000 - 2000
	const size = () => 20 + random() * 300

	const nextKind = cycle(organisationKind.values)
	const orgs = Array.from({ length: organisations }, (_, i) => ({
		id: (idShapes[i % idShapes.length] as (i: number) => string)(i),
		name: nonEmpty(200),
		shortName: text(40),
		kind: nextKind(),
		sectors: i < sector.values.length / 3 ? sector.values.slice(i * 3, i * 3 + 3) : subset(sector.values),
		governanceRoles: i === 0 ? [...governanceRole.values] : subset(governanceRole.values),
		units: Array.from({ length: int(4) }, (_, k) => ({ id: `u${k}`, name: nonEmpty(200), notes: text(2000) })),
		contacts: people(2),
		notes: text(5000),
	}))

	const next = {
		kind: cycle(partnershipKind.values),
		strength: cycle(strength.values),
		networkLevel: cycle(networkLevel.values),
		flow: cycle(flow.values),
		direction: cycle(direction.values),
		status: cycle(partnershipStatus.values),
	}
	const side = (o: (typeof orgs)[number]) => ({
		organisation: o.id,
		...(o.units.length > 0 && chance(0.6) && { unit: pick(o.units).id }),
		carriers: people(3),
	})
	let previous: [number, number] | undefined
	const links = organisations < 2 ? [] : Array.from({ length: partnerships }, (_, i) => {
		// One partnership in three doubles the previous pair, sometimes drawn the other way.
		let pair: [number, number]
		if (previous && chance(0.35)) pair = chance(0.5) ? previous : [previous[1], previous[0]]
		else {
			const a = int(organisations)
			pair = [a, (a + 1 + int(organisations - 1)) % organisations]
		}
		previous = pair
		return {
			id: `p${i}${chance(0.3) ? '-x' : ''}`,
			from: side(orgs[pair[0]] as (typeof orgs)[number]),
			to: side(orgs[pair[1]] as (typeof orgs)[number]),
			label: text(200),
			kind: next.kind(),
			formal: chance(0.5),
			visible: chance(0.5),
			convention: chance(0.5)
				? { objectives: text(2000), ...(chance(0.7) && { start: date() }), ...(chance(0.7) && { end: date() }), evaluation: text(2000) }
				: null,
			strength: next.strength(),
			networkLevel: next.networkLevel(),
			flow: next.flow(),
			direction: next.direction(),
			status: next.status(),
			history: Array.from({ length: int(4) }, () => ({ date: date(), status: pick(partnershipStatus.values), note: text(2000) })),
			notes: text(5000),
		}
	})

	return mapSchema.parse({
		schemaVersion: 1,
		title: text(200),
		territory: text(200),
		description: text(5000),
		...(chance(0.7) && { date: date() }),
		organisations: orgs,
		partnerships: links,
		layout: Object.fromEntries(orgs.map((o) => [o.id, { x: coordinate(), y: coordinate(), w: size(), h: size(), ...(chance(0.2) && { pinned: true }) }])),
	})
}
