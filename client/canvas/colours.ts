import { DEFAULT_THEME, getColorValue, type TLDefaultColorStyle } from 'tldraw'
import type { OrganisationKind } from '../../shared/model/vocabulary'

/** The hex value of a tldraw colour in the light theme, so panels match the canvas. */
export function tldrawColour(colour: TLDefaultColorStyle, variant: 'solid' | 'semi' = 'solid'): string {
	return getColorValue(DEFAULT_THEME.colors.light, colour, variant)
}

/** Colour of an organisation card by kind of body; the legend reads the same table. */
export const organisationKindColour: Record<OrganisationKind, TLDefaultColorStyle> = {
	public_institution: 'blue',
	municipal_service: 'light-blue',
	non_profit: 'green',
	political_group: 'light-red',
	company: 'yellow',
	informal_group: 'light-violet',
	unknown: 'grey',
}
