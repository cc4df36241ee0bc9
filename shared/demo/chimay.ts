/**
 * The network of socio-professional insertion partners around the CPAS de Chimay, as the 2020
 * master's thesis in `seed/` describes it (section 7.2, with 6.1, 7.1.4 and 7.1.7 for who the actors
 * are). It is the demo map, and a fixture: every value below comes from the thesis, and where the
 * thesis says nothing the schema's "unknown" value or default stands.
 *
 * Reading rules, applied the same way to every link:
 * - strength: the thesis states one in words, PCS–Carrefour ("lien fort"); the figures that showed
 *   the others did not survive in the text, so every other link stays `unknown`.
 * - formal / visible: as the thesis states them for the link or for a group it belongs to ("tous les
 *   partenariats avec le PCS", the second-line list). A link only named "spontané"/"palliatif", or an
 *   ideological link between two workers, is informal and invisible by the thesis' own definitions
 *   (3.2.1 "n'est pas visible de l'extérieur", 3.2.2 "invisible pour tous"). Otherwise the schema
 *   defaults (informal, visible) stand: the model has no "unknown" for these two booleans.
 * - "réseau (secondaire) professionnel" maps to the `professional` network level.
 * - flow: `referral` where the thesis speaks of "adressage", which it also calls a top-down flow;
 *   such links are one-way, from the referring body. Otherwise `unknown`.
 * - conventions: no dates (the thesis gives none); status history: none (no dated event).
 * - carriers: roles only, never names, and only where the thesis counts the people: a single
 *   person on a side is what makes a link fragile.
 */
import { mapSchema, SCHEMA_VERSION, type MaillageMap, type Placement } from '../model'
import type { z } from 'zod'
import { centred, ringPlacements } from './rings'

type MapInput = z.input<typeof mapSchema>
type OrganisationInput = NonNullable<MapInput['organisations']>[number]
type PartnershipInput = NonNullable<MapInput['partnerships']>[number]

/** Organisation identifiers, reused by the partnerships and the layout. */
export const chimayIds = {
	cpas: 'cpas',
	commune: 'commune',
	mediation: 'mediation-dettes',
	aubligneux: 'ferme-aubligneux',
	miresem: 'miresem',
	carrefour: 'carrefour',
	ale: 'ale',
	forem: 'forem',
	esem: 'esem',
	repit: 'repit',
	pcs: 'pcs',
	mobilesem: 'mobilesem',
	article27: 'article27',
	cle: 'cle',
	centreCulturel: 'centre-culturel',
} as const

/** Units of the CPAS that carry partnerships (7.2.1). */
export const cpasUnits = {
	firstLine: 'ligne1-as',
	secondLine: 'ligne2-referents',
	socialInsertion: 'ligne3-insertion-sociale',
	professionalInsertion: 'ligne3-insertion-pro',
	coupDePouce: 'coup-de-pouce',
} as const

const o = chimayIds
const u = cpasUnits

// ─── Organisations ─────────────────────────────────────────────────────────────────────────────

const organisations: OrganisationInput[] = [
	{
		id: o.cpas,
		name: 'CPAS de Chimay',
		shortName: 'CPAS',
		kind: 'public_institution',
		sectors: ['social_welfare', 'social_insertion', 'professional_insertion', 'housing'],
		// Its direction imposes conventions (technical); its lines work face to face with beneficiaries.
		governanceRoles: ['technical', 'front_line'],
		units: [
			{ id: u.firstLine, name: '1re ligne : assistantes sociales', notes: 'Accompagnent les bénéficiaires du RIS de 18 à 65 ans dans leurs démarches ; les dirigent ensuite vers la deuxième ligne.' },
			{ id: u.secondLine, name: '2e ligne : référents de parcours', notes: "Accompagnent l'élaboration du parcours d'insertion (PIIS) ; orientent vers la troisième ligne ou les partenaires extérieurs." },
			{ id: u.socialInsertion, name: "3e ligne : agent d'insertion sociale", notes: 'Ateliers citoyens et de remobilisation ; aide aux demandes de logement.' },
			{ id: u.professionalInsertion, name: "3e ligne : agent d'insertion professionnelle", notes: 'Parcours professionnel par contrats Art. 60 et Art. 61.' },
			{ id: u.coupDePouce, name: 'Le Coup de Pouce', notes: 'Créé en 2005 : restaurant social, repassage, boutique de seconde main, jardin communautaire, taxi social, permis théorique, informatique PMTIC.' },
		],
		notes: "Réseau interne : services d'abord cloisonnés, puis décloisonnés par les travailleurs, de manière informelle ; l'équipe d'insertion (2e et 3e lignes) partage le même bureau.",
	},
	{
		id: o.commune,
		name: 'Administration communale de Chimay',
		shortName: 'Commune',
		kind: 'municipal_service',
		sectors: ['administration'],
		governanceRoles: ['political'],
		notes: 'Les mandataires politiques ont réalisé le Plan Stratégique Transversal (PST), obligatoire pour les communes et les CPAS (législature 2018-2024).',
	},
	{
		id: o.mediation,
		name: 'Médiation de dettes',
		kind: 'unknown',
		sectors: ['debt'],
		governanceRoles: ['front_line'],
		notes: 'Nombre de bénéficiaires sollicitant une prise en charge « de plus en plus grandissant ».',
	},
	{
		id: o.aubligneux,
		name: "La ferme de l'Aubligneux",
		kind: 'unknown',
		sectors: ['housing'],
		governanceRoles: ['front_line'],
		notes: "Centre d'hébergement pour personnes sans logement.",
	},
	{
		id: o.miresem,
		name: 'Miresem',
		shortName: 'Miresem',
		kind: 'unknown',
		sectors: ['professional_insertion', 'employment'],
		governanceRoles: ['technical', 'front_line'],
		notes: "Mission régionale pour l'emploi, active sur les 5 communes de la Botte du Hainaut ; méthodologie « IOD » ; accompagne surtout des moins de 25 ans.",
	},
	{
		id: o.carrefour,
		name: 'Asbl Carrefour',
		shortName: 'Carrefour',
		kind: 'non_profit',
		sectors: ['training', 'social_insertion', 'professional_insertion'],
		governanceRoles: ['front_line'],
		notes: "Centre de réinsertion sociale et professionnelle et centre de formation (dont aide-ménagère) pour adultes demandeurs d'emploi peu ou pas qualifiés.",
	},
	{
		id: o.ale,
		name: "Agence locale pour l'emploi",
		shortName: 'ALE',
		kind: 'unknown',
		sectors: ['employment', 'professional_insertion'],
		governanceRoles: ['front_line'],
		notes: "Engage des personnes éloignées de l'emploi (chômeurs indemnisés ou bénéficiaires du RIS) pour des activités chez des particuliers ou des organisations publiques.",
	},
	{
		id: o.forem,
		name: "Le Forem – Maison de l'emploi de Chimay",
		shortName: 'Forem',
		kind: 'public_institution',
		sectors: ['employment', 'training'],
		// The direction of the Maison de l'emploi imposes conventions; its advisers work face to face.
		governanceRoles: ['technical', 'front_line'],
		notes: 'Service public wallon de la formation professionnelle et de l\'emploi ; des conseillers aux valeurs différentes au sein d\'une même structure.',
	},
	{
		id: o.esem,
		name: 'Esem',
		shortName: 'Esem',
		kind: 'non_profit',
		sectors: ['disability', 'professional_insertion'],
		governanceRoles: ['front_line'],
		notes: "Accompagnement vers et dans l'emploi des personnes en situation de handicap.",
	},
	{
		id: o.repit,
		name: 'Le Répit',
		kind: 'unknown',
		sectors: ['health_addiction'],
		governanceRoles: ['front_line'],
		notes: "Centre d'assuétudes.",
	},
	{
		id: o.pcs,
		name: 'Plan de Cohésion Sociale de Chimay',
		shortName: 'PCS',
		kind: 'municipal_service',
		sectors: ['social_cohesion'],
		governanceRoles: ['front_line'],
		notes: "Émane de la commune ; « maison de quartier » à la cité Massuette : aide aux devoirs, démarches administratives, demandes de logement, CV. Travail de réseau surtout interne.",
	},
	{
		id: o.mobilesem,
		name: 'Asbl Mobilesem',
		shortName: 'Mobilesem',
		kind: 'non_profit',
		sectors: ['mobility'],
		notes: 'Permis de conduire : « un atout majeur pour l\'insertion professionnelle » dans une région mal desservie par les transports en commun.',
	},
	{
		id: o.article27,
		name: 'Article 27',
		shortName: 'Art. 27',
		kind: 'unknown',
		sectors: ['culture'],
		governanceRoles: ['front_line'],
		notes: 'Cellule Article 27 : ateliers coanimés avec le service insertion sociale du CPAS.',
	},
	{
		id: o.cle,
		name: 'CLE',
		shortName: 'CLE',
		kind: 'political_group',
		sectors: ['politics'],
		governanceRoles: ['political'],
		notes: "Groupe politique majoritaire depuis 2018 ; objectif annoncé : créer de l'emploi. Aucun partenariat décrit dans le mémoire.",
	},
	{
		id: o.centreCulturel,
		name: 'Centre culturel de Chimay',
		kind: 'unknown',
		sectors: ['culture'],
		notes: "Interview prévue mais non réalisée ; aucun partenariat décrit dans le mémoire.",
	},
]

// ─── Partnerships ──────────────────────────────────────────────────────────────────────────────

const side = (organisation: string, unit?: string, ...roles: string[]) => ({
	organisation,
	...(unit ? { unit } : {}),
	carriers: roles.map((role) => ({ role })),
})
const cpas = (unit?: string, ...roles: string[]) => side(o.cpas, unit, ...roles)

/** What "spontané"/"palliatif" means in 3.2.1: informal, not recognised, invisible from outside. */
const spontaneous = { kind: 'palliative', formal: false, visible: false } as const

// Every strength below is `unknown` (the schema default) except PCS–Carrefour: see the file header.
const partnerships: PartnershipInput[] = [
	// 7.2.2, first line: the thesis names the partners and the reason, not the kind of link.
	{
		id: 'cpas1-commune',
		from: cpas(u.firstLine),
		to: side(o.commune),
		label: 'Documents officiels (RIS)',
		notes: '« Principalement pour obtenir les documents officiels nécessaires à l\'introduction de la demande de RIS. »',
	},
	{
		id: 'cpas1-mediation',
		from: cpas(u.firstLine),
		to: side(o.mediation),
		label: 'Surendettement',
		notes: '« Cette problématique spécifique nécessite dès lors un accompagnement particulier. »',
	},
	{
		id: 'cpas1-aubligneux',
		from: cpas(u.firstLine),
		to: side(o.aubligneux),
		label: 'Hébergement',
		notes: "Bénéficiaires sans logement : l'assistante sociale intervient dans les premiers contacts et les modalités financières, « passe ensuite le relais et reste disponible ».",
	},
	// 7.2.2, second line.
	{
		id: 'cpas2-miresem',
		from: cpas(u.secondLine),
		to: side(o.miresem, undefined, "agent d'insertion de la Miresem"),
		...spontaneous,
		notes: '« Collabore avec un seul membre de l\'équipe » ; contact privilégié, relation de confiance ; « palliatif et informel […] invisible à l\'extérieur ».',
	},
	{
		id: 'cpas2-carrefour',
		from: cpas(u.secondLine),
		to: side(o.carrefour, undefined, 'travailleur social de Carrefour'),
		kind: 'ideological',
		formal: false,
		visible: false,
		networkLevel: 'professional',
		notes: 'Personne de contact unique ; palliatif au début, « évolue progressivement vers le partenariat idéologique » ; « réseau professionnel mais informel et invisible à l\'extérieur ».',
	},
	{
		id: 'cpas2-ale',
		from: cpas(u.secondLine),
		to: side(o.ale, undefined, "coordinatrice de l'ALE"),
		...spontaneous,
		notes: '« La coordinatrice de l\'ALE est la seule personne de contact » ; « partenariat spontané et informel de professionnel à professionnel ».',
	},
	{
		id: 'cpas2-forem',
		from: cpas(u.secondLine),
		to: side(o.forem, undefined, 'conseiller du Forem', 'conseiller du Forem'),
		...spontaneous,
		notes: 'Le référent va « tantôt vers l\'un des travailleurs […] tantôt vers l\'autre » selon leurs valeurs ; « partenariat palliatif », informel, « invisible de l\'extérieur ».',
	},
	...[o.esem, o.repit, o.pcs, o.aubligneux].map(
		(partner): PartnershipInput => ({
			id: `cpas2-${partner}`,
			from: cpas(u.secondLine),
			to: side(partner),
			...spontaneous,
			notes:
				partner === o.pcs
					? 'Le CPAS est « presque institutionnellement obligé » de travailler avec le PCS, mais « les deux organisations collaborent très peu ».'
					: '« De manière spontanée et informelle entre professionnels au cours d\'intervention » ; « informels et invisibles de l\'extérieur ».',
		}),
	),
	// 7.2.2, third line, professional insertion agent (and 7.2.4, 7.2.5 seen from the partners).
	{
		id: 'cpas3pro-forem',
		from: side(o.forem),
		to: cpas(u.professionalInsertion),
		label: 'Convention moins de 25 ans',
		kind: 'imposed',
		formal: true,
		visible: true,
		convention: { objectives: 'Accompagner de manière plus active vers le marché de l\'emploi les bénéficiaires du RIS de moins de 25 ans (durée déterminée, dates non précisées).' },
		networkLevel: 'professional',
		flow: 'referral',
		direction: 'one_way',
		notes: 'Imposé par la Direction du CPAS et la Direction de la Maison de l\'emploi ; « lien juridique […] très formel » ; « flux vertical descendant » ; « mode de l\'adressage ».',
	},
	{
		id: 'cpas3pro-miresem-convention',
		from: cpas(u.professionalInsertion),
		to: side(o.miresem),
		kind: 'imposed',
		formal: true,
		visible: true,
		convention: {},
		status: 'interrupted',
		notes: 'Au départ « initiative imposée » par convention, lien formel. Le projet commun contre l\'exclusion a échoué « après plus d\'une année » faute de communication de la responsable du service social : « le partenariat formel a […] été interrompu » (7.2.2). En 7.2.5, la convention est dite toujours existante et c\'est un partenariat formel en projet (transition Art. 60 – emploi durable) qui est « avorté ».',
	},
	{
		id: 'cpas3pro-miresem-travailleurs',
		from: cpas(u.professionalInsertion, "agent d'insertion professionnelle"),
		to: side(o.miresem, undefined, 'travailleur de la Miresem'),
		...spontaneous,
		notes: 'Partenariat parallèle « de type spontané » entre deux travailleurs, « basé sur une même vision de l\'accompagnement » ; téléphone, mail ; « ne se généralise pas » aux autres membres.',
	},
	{
		id: 'cpas3pro-mobilesem',
		from: cpas(u.professionalInsertion),
		to: side(o.mobilesem),
		label: 'Permis de conduire',
		kind: 'imposed',
		formal: true,
		visible: true,
		convention: { objectives: 'Le permis de conduire des bénéficiaires du RIS.' },
		notes: '« Partenariat imposé, convenu par une convention. C\'est un lien formel et visible de l\'extérieur. »',
	},
	// 7.2.2, third line, social insertion agent: two links side by side.
	{
		id: 'cpas3soc-article27',
		from: cpas(u.socialInsertion),
		to: side(o.article27),
		label: 'Ateliers coanimés',
		kind: 'operational',
		formal: true,
		visible: true,
		convention: { objectives: 'Coanimation de tous les ateliers du service insertion sociale.' },
		notes: '« Partenariat opératoire dont l\'initiative est imposée » ; convention signée ; « lien formel avec un programme et des procédures à suivre ».',
	},
	{
		id: 'cpas3soc-article27-valeurs',
		from: cpas(u.socialInsertion, "agent d'insertion sociale"),
		to: side(o.article27, undefined, 'travailleur social Article 27'),
		kind: 'ideological',
		formal: false,
		visible: false,
		notes: 'Les travailleurs « travaillent avec les mêmes valeurs, ce qui crée également un partenariat idéologique entre les deux travailleurs sociaux ».',
	},
	// 7.2.3: "tous les partenariats avec le PCS sont de type spontané […] informels et invisibles".
	{ id: 'pcs-commune', from: side(o.pcs), to: side(o.commune), label: 'Documents (logement)', ...spontaneous, notes: '« Pour obtenir les documents nécessaires à l\'introduction des demandes de logement. »' },
	{ id: 'pcs-mediation', from: side(o.pcs), to: side(o.mediation), ...spontaneous, notes: '« Suite à des difficultés financières rencontrées par les allocataires sociaux. »' },
	{ id: 'pcs-forem', from: side(o.pcs), to: side(o.forem), label: "Recherche d'emploi", ...spontaneous, notes: '« Pour l\'accompagnement des allocataires sociaux dans leurs recherches d\'emploi. »' },
	{ id: 'pcs-cpas', from: side(o.pcs), to: cpas(), label: 'Documents administratifs', ...spontaneous, notes: '« Pour les documents nécessaires à l\'introduction des démarches administratives. » Service du CPAS non précisé.' },
	{
		id: 'pcs-carrefour',
		from: side(o.pcs, undefined, 'travailleur du PCS'),
		to: side(o.carrefour, undefined, 'travailleur de Carrefour'),
		label: 'Stagiaires (logement)',
		...spontaneous,
		strength: 'strong',
		notes: 'Le PCS intervient à la demande de Carrefour (logement des stagiaires) ; « spontané » et « progressivement renforcé » ; « lien de confiance entre deux travailleurs » ; « lien fort » ; « il n\'existe pas de convention signée ».',
	},
	// 7.2.4 and 7.2.5.
	{
		id: 'forem-miresem',
		from: side(o.forem),
		to: side(o.miresem),
		label: 'Convention moins de 25 ans',
		kind: 'imposed',
		formal: true,
		visible: true,
		convention: { objectives: "La mise à l'emploi des jeunes de moins de 25 ans." },
		networkLevel: 'professional',
		flow: 'referral',
		direction: 'one_way',
		notes: 'Valeurs et méthodes différentes, même objectif ; convention entre la direction de la Maison de l\'emploi et la Miresem ; « imposé », stabilisé ; « réseau secondaire professionnel » ; le Forem « fait parvenir des adressages ».',
	},
	{
		id: 'forem-carrefour',
		from: side(o.forem),
		to: side(o.carrefour),
		label: 'Adressage',
		kind: 'imposed',
		formal: true,
		networkLevel: 'professional',
		flow: 'referral',
		direction: 'one_way',
		notes: '« Adressage », document officiel du Forem : Carrefour a « l\'obligation de recevoir le stagiaire » et de justifier son choix ; valeurs différentes ; « imposé par un dispositif légal » ; « réseau secondaire professionnel ». Pas de convention mentionnée.',
	},
	{
		id: 'forem-ale',
		from: side(o.forem),
		to: side(o.ale),
		kind: 'ideological',
		networkLevel: 'professional',
		notes: '« Partenariat idéologique dont le projet et les objectifs des organisations sont partagés. C\'est un réseau professionnel. » Formalité et visibilité non précisées.',
	},
	{
		id: 'miresem-carrefour',
		from: side(o.miresem),
		to: side(o.carrefour),
		label: 'Stagiaires en fin de parcours',
		networkLevel: 'professional',
		notes: '« Donnant-donnant » ; méthodologies similaires ; renforcé par l\'arrivée à Carrefour d\'une directrice venue de la Miresem ; « réseau secondaire professionnel informel ». Type non précisé.',
	},
	...[o.aubligneux, o.repit].map(
		(partner): PartnershipInput => ({
			id: `miresem-${partner}`,
			from: side(o.miresem),
			to: side(partner),
			label: partner === o.repit ? 'Assuétudes' : 'Logement',
			...spontaneous,
			notes: 'Difficultés de logement ou d\'assuétudes des candidats ; partenariats « de type palliatif » sur « un réseau informel entre les professionnels ».',
		}),
	),
	// 7.1.7: the PST, made compulsory for communes and CPAS.
	{
		id: 'commune-cpas-pst',
		from: side(o.commune),
		to: cpas(),
		label: 'Plan Stratégique Transversal',
		kind: 'imposed',
		formal: true,
		visible: true,
		notes: 'PST « rendu obligatoire pour les communes et les C.P.A.S. lors de la législature de 2018-2024 » ; implique la mobilité volontaire du personnel statutaire ; « c\'est un partenariat imposé ».',
	},
]

// ─── Layout ────────────────────────────────────────────────────────────────────────────────────

const BOX = { w: 220, h: 100 }

/**
 * The thesis' own drawing: the CPAS in the centre, its partners on a ring around it, the
 * organisations without any link on an outer ring below. The ring order keeps each hub between
 * the partners it shares only with the CPAS (PCS between Médiation and Commune, Miresem between
 * Répit and Aubligneux, Forem between ALE and Carrefour); among such orders it is one where no
 * straight link crosses a box and links cross each other little (found by an offline search).
 */
function chimayLayout(): Record<string, Placement> {
	const partnersClockwise = [
		o.forem, o.carrefour, o.esem, o.repit, o.miresem, o.aubligneux,
		o.mobilesem, o.article27, o.commune, o.pcs, o.mediation, o.ale,
	]
	return {
		[o.cpas]: centred(260, 120),
		...ringPlacements(partnersClockwise, { rx: 600, ry: 440, start: -Math.PI / 2 }, BOX.w, BOX.h),
		...ringPlacements([o.centreCulturel, o.cle], { rx: 1000, ry: 650, start: Math.PI * 0.28, span: Math.PI * 0.44 }, BOX.w, BOX.h),
	}
}

export const chimayMap: MaillageMap = mapSchema.parse({
	schemaVersion: SCHEMA_VERSION,
	title: "Réseau des partenaires de l'insertion socio-professionnelle",
	territory: 'Chimay (Botte du Hainaut)',
	description:
		"Carte de démonstration tirée d'un mémoire de 2020 (section 7.2), fondé sur des entretiens menés de 2018 à 2020. La force des liens n'est connue que pour le lien PCS – Carrefour (lien fort) ; aucune date de convention n'est donnée.",
	organisations,
	partnerships,
	layout: chimayLayout(),
} satisfies MapInput)
