import { z } from 'zod'

/** A label in both languages of the UI; French first, as in the field. */
export interface Label {
	fr: string
	en: string
}

/**
 * Declares a closed vocabulary once: its stable English identifiers, their French and English
 * labels, and the zod schema that validates them. Everything else (types, UI, exports) reads it.
 */
function vocabulary<const K extends string>(labels: Record<K, Label>) {
	const values = Object.keys(labels) as [K, ...K[]]
	return { values, labels, schema: z.enum(values) }
}

export const organisationKind = vocabulary({
	public_institution: { fr: 'Institution publique', en: 'Public institution' },
	municipal_service: { fr: 'Service communal', en: 'Municipal service' },
	non_profit: { fr: 'Association (asbl)', en: 'Non-profit (asbl)' },
	political_group: { fr: 'Groupe politique', en: 'Political group' },
	company: { fr: 'Entreprise', en: 'Company' },
	informal_group: { fr: 'Groupe informel', en: 'Informal group' },
	unknown: { fr: 'Non précisé', en: 'Unspecified' },
})

export const sector = vocabulary({
	professional_insertion: { fr: 'Insertion professionnelle', en: 'Professional insertion' },
	social_insertion: { fr: 'Insertion sociale', en: 'Social insertion' },
	social_welfare: { fr: 'Aide sociale', en: 'Social welfare' },
	social_cohesion: { fr: 'Cohésion sociale', en: 'Social cohesion' },
	training: { fr: 'Formation', en: 'Training' },
	employment: { fr: 'Emploi', en: 'Employment' },
	housing: { fr: 'Logement', en: 'Housing' },
	health_addiction: { fr: 'Santé et assuétudes', en: 'Health and addiction' },
	debt: { fr: 'Médiation de dettes', en: 'Debt mediation' },
	mobility: { fr: 'Mobilité', en: 'Mobility' },
	culture: { fr: 'Culture', en: 'Culture' },
	administration: { fr: 'Administration', en: 'Administration' },
	disability: { fr: 'Handicap', en: 'Disability' },
	politics: { fr: 'Politique', en: 'Politics' },
	other: { fr: 'Autre', en: 'Other' },
})

/** Governance roles of thesis 3.1.2. */
export const governanceRole = vocabulary({
	political: { fr: 'Acteur politique', en: 'Political actor' },
	technical: { fr: 'Acteur technique', en: 'Technical actor' },
	front_line: { fr: 'Acteur de terrain (face à face)', en: 'Front-line actor' },
	end_users: { fr: 'Usagers', en: 'End users' },
})

/** Partnership kinds of thesis 3.2. */
export const partnershipKind = vocabulary({
	palliative: { fr: 'Palliatif (spontané)', en: 'Palliative (spontaneous)' },
	ideological: { fr: 'Idéologique', en: 'Ideological' },
	initiative: { fr: "D'initiative", en: 'Initiative' },
	imposed: { fr: 'Imposé', en: 'Imposed' },
	operational: { fr: 'Opératoire', en: 'Operational' },
	unknown: { fr: 'Non précisé', en: 'Unspecified' },
})

/** The legend of every map in the thesis: thick solid, solid, dashed. */
export const strength = vocabulary({
	strong: { fr: 'Lien fort', en: 'Strong link' },
	ordinary: { fr: 'Lien ordinaire', en: 'Ordinary link' },
	weak: { fr: 'Lien faible', en: 'Weak link' },
	unknown: { fr: 'Force inconnue', en: 'Unknown strength' },
})

/** Network levels of thesis 4.1. */
export const networkLevel = vocabulary({
	primary: { fr: 'Réseau primaire', en: 'Primary network' },
	secondary_non_formal: { fr: 'Réseau secondaire non formel', en: 'Secondary non-formal network' },
	secondary_formal: { fr: 'Réseau secondaire formel', en: 'Secondary formal network' },
	professional: { fr: 'Réseau professionnel', en: 'Professional network' },
	internal: { fr: 'Réseau interne', en: 'Internal network' },
	unknown: { fr: 'Non précisé', en: 'Unspecified' },
})

export const flow = vocabulary({
	horizontal: { fr: 'Flux horizontal', en: 'Horizontal flow' },
	top_down: { fr: 'Flux vertical descendant', en: 'Top-down flow' },
	referral: { fr: 'Adressage', en: 'Referral (adressage)' },
	unknown: { fr: 'Non précisé', en: 'Unspecified' },
})

export const direction = vocabulary({
	mutual: { fr: 'Réciproque', en: 'Mutual' },
	one_way: { fr: 'À sens unique', en: 'One-way' },
})

export const partnershipStatus = vocabulary({
	emerging: { fr: 'Émergent', en: 'Emerging' },
	active: { fr: 'Actif', en: 'Active' },
	interrupted: { fr: 'Interrompu', en: 'Interrupted' },
	ended: { fr: 'Terminé', en: 'Ended' },
})

export type OrganisationKind = z.infer<typeof organisationKind.schema>
export type Sector = z.infer<typeof sector.schema>
export type GovernanceRole = z.infer<typeof governanceRole.schema>
export type PartnershipKind = z.infer<typeof partnershipKind.schema>
export type Strength = z.infer<typeof strength.schema>
export type NetworkLevel = z.infer<typeof networkLevel.schema>
export type Flow = z.infer<typeof flow.schema>
export type Direction = z.infer<typeof direction.schema>
export type PartnershipStatus = z.infer<typeof partnershipStatus.schema>
