import { useState } from 'react'
import { organisationKind, partnershipKind, strength, direction } from '../../shared/model/vocabulary'
import { INVISIBLE_OPACITY, kindColour, MARK_CONVENTION, MARK_FORMAL, MARK_INVISIBLE, strengthStroke } from '../../shared/tldraw/partnershipStyle'
import { partnershipFieldLabels } from '../../shared/model/partnership'
import { organisationKindColour, tldrawColour } from '../canvas/colours'
import { useI18n } from '../i18n'

const LEGEND_KEY = 'maillage:legend'
const strokeWidth = { s: 1.5, m: 2.5, l: 3.5, xl: 5 } as const
const dashArray = { solid: undefined, dashed: '7 5', dotted: '1.5 4', draw: undefined, none: undefined } as const

function LineSample({ colour, width, dash, opacity = 1, startArrow = false }: { colour: string; width: number; dash?: string; opacity?: number; startArrow?: boolean }) {
	return (
		<svg className="legend__sample" width="44" height="14" viewBox="0 0 44 14" aria-hidden>
			<line x1={startArrow ? 8 : 2} y1="7" x2="36" y2="7" stroke={colour} strokeWidth={width} strokeDasharray={dash} strokeLinecap="round" opacity={opacity} />
			<path d="M34 2 L42 7 L34 12" fill="none" stroke={colour} strokeWidth="2" strokeLinejoin="round" opacity={opacity} />
			{startArrow && <path d="M10 2 L2 7 L10 12" fill="none" stroke={colour} strokeWidth="2" strokeLinejoin="round" />}
		</svg>
	)
}

/** Open unless closed before; closed at first on small screens, where it would cover the map. */
function initiallyOpen(): boolean {
	const stored = localStorage.getItem(LEGEND_KEY)
	return stored ? stored === 'open' : window.matchMedia('(min-width: 1200px) and (min-height: 760px)').matches
}

/** The map's legend, drawn from the same tables that style the canvas; `fixed` keeps it open (projector). */
export function Legend({ fixed = false }: { fixed?: boolean }) {
	const { t, label } = useI18n()
	const [openState, setOpenState] = useState(initiallyOpen)
	const open = fixed || openState
	const setOpen = (next: boolean) => {
		localStorage.setItem(LEGEND_KEY, next ? 'open' : 'closed')
		setOpenState(next)
	}
	const grey = tldrawColour('black')
	return (
		<aside className={open ? 'legend' : 'legend legend--closed'} aria-label={t('legend')} data-testid="legend">
			{fixed ? (
				<h2 className="legend__toggle">{t('legend')}</h2>
			) : (
				<button type="button" className="legend__toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
					{t('legend')} <span aria-hidden>{open ? '▾' : '▸'}</span>
				</button>
			)}
			{open && (
				<div className="legend__body">
					<div className="legend__group">
						<h3>{label(partnershipFieldLabels.strength)}</h3>
						{strength.values.map((s) => (
							<div className="legend__row" key={s}>
								<LineSample colour={grey} width={strokeWidth[strengthStroke[s].size]} dash={dashArray[strengthStroke[s].dash]} />
								{label(strength.labels[s])}
							</div>
						))}
					</div>
					<div className="legend__group">
						<h3>{label(partnershipFieldLabels.kind)}</h3>
						{partnershipKind.values.map((k) => (
							<div className="legend__row" key={k}>
								<LineSample colour={tldrawColour(kindColour[k])} width={3} />
								{label(partnershipKind.labels[k])}
							</div>
						))}
					</div>
					<div className="legend__group">
						<h3>{t('legendMarks')}</h3>
						<div className="legend__row">
							<LineSample colour={grey} width={2.5} startArrow />
							{label(direction.labels.mutual)}
						</div>
						<div className="legend__row">
							<LineSample colour={grey} width={2.5} />
							{label(direction.labels.one_way)}
						</div>
						<div className="legend__row">
							<span className="legend__mark">{MARK_FORMAL}</span>
							{label(partnershipFieldLabels.formal)}
						</div>
						<div className="legend__row">
							<span className="legend__mark">{MARK_CONVENTION}</span>
							{label(partnershipFieldLabels.convention)}
						</div>
						<div className="legend__row">
							<LineSample colour={grey} width={2.5} opacity={INVISIBLE_OPACITY} />
							<span className="legend__mark">{MARK_INVISIBLE}</span>
							{t('legendInvisible')}
						</div>
					</div>
					<div className="legend__group">
						<h3>{t('legendOrganisations')}</h3>
						{organisationKind.values.map((k) => (
							<div className="legend__row" key={k}>
								<span className="legend__swatch" style={{ borderColor: tldrawColour(organisationKindColour[k]) }} />
								{label(organisationKind.labels[k])}
							</div>
						))}
					</div>
				</div>
			)}
		</aside>
	)
}
