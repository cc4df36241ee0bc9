import type { TLArrowShapeProps, TLDefaultColorStyle } from '@tldraw/tlschema'
import type { PartnershipKind, Strength } from '../model/vocabulary'
import type { PartnershipFields } from '../model/partnership'
import { printable } from '../text'

/** Colour of a partnership by kind; the legend and the exports use the same table. */
export const kindColour: Record<PartnershipKind, TLDefaultColorStyle> = {
	palliative: 'orange',
	ideological: 'violet',
	initiative: 'green',
	imposed: 'red',
	operational: 'blue',
	unknown: 'grey',
}

/**
 * The thesis' legend: strong = thick solid, ordinary = solid, weak = dashed (unknown = dotted).
 * tldraw sizes the label with the stroke: a strong link is drawn at size xl scaled down, which
 * keeps its stroke about twice as thick as an ordinary one and its label as large.
 */
export const strengthStroke: Record<Strength, Pick<TLArrowShapeProps, 'size' | 'dash' | 'scale'>> = {
	strong: { size: 'xl', dash: 'solid', scale: 0.75 },
	ordinary: { size: 'm', dash: 'solid', scale: 1 },
	weak: { size: 'm', dash: 'dashed', scale: 1 },
	unknown: { size: 's', dash: 'dotted', scale: 1 },
}

/** Marks written on the arrow's label: a convention and an invisible link are seen at a glance. */
export const MARK_CONVENTION = '§'
export const MARK_FORMAL = '⚖'
export const MARK_INVISIBLE = '◌'

/** Invisible partnerships are drawn faded. */
export const INVISIBLE_OPACITY = 0.55

export type PartnershipStyle = Pick<
	TLArrowShapeProps,
	'color' | 'labelColor' | 'size' | 'dash' | 'scale' | 'arrowheadStart' | 'arrowheadEnd'
> & { opacity: number; labelText: string }

/** The arrow style that follows from a partnership; the arrow never carries a style of its own. */
export function partnershipStyle(p: PartnershipFields): PartnershipStyle {
	const marks = [p.formal ? MARK_FORMAL : '', p.convention ? MARK_CONVENTION : '', p.visible ? '' : MARK_INVISIBLE]
		.filter(Boolean)
		.join(' ')
	return {
		color: kindColour[p.kind],
		labelColor: kindColour[p.kind],
		...strengthStroke[p.strength],
		arrowheadStart: p.direction === 'mutual' ? 'arrow' : 'none',
		arrowheadEnd: 'arrow',
		opacity: p.visible ? 1 : INVISIBLE_OPACITY,
		labelText: [marks, printable(p.label)].filter(Boolean).join(' '),
	}
}

/** Bend of the i-th of several partnerships between the same two organisations: 0, +b, -b, +2b... */
export function parallelBend(rank: number, step = 48): number {
	if (rank === 0) return 0
	const magnitude = Math.ceil(rank / 2) * step
	return rank % 2 === 1 ? magnitude : -magnitude
}
