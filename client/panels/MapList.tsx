import { useMemo, useState } from 'react'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import { organisationKind, partnershipKind, sector, strength } from '../../shared/model/vocabulary'
import { ORGANISATION_SHAPE, type OrganisationShape } from '../../shared/tldraw/organisationShape'
import { kindColour } from '../../shared/tldraw/partnershipStyle'
import { organisationKindColour, tldrawColour } from '../canvas/colours'
import { selectAndShow } from '../canvas/fit'
import { isArrow, linkedOrganisations, partnershipOf } from '../canvas/partnershipEffects'
import { useI18n } from '../i18n'

interface Row {
	id: TLShapeId
	title: string
	detail: string
	colour: string
}

const normalise = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()

/** Every organisation and partnership of the map, searchable; a click selects and zooms to it. */
export function MapList({ editor }: { editor: Editor }) {
	const { t, label } = useI18n()
	const [query, setQuery] = useState('')
	const shapes = useValue('map shapes', () => editor.getCurrentPageShapes(), [editor])
	const selected = useValue('selected ids', () => new Set(editor.getSelectedShapeIds()), [editor])

	const { organisations, partnerships } = useMemo(() => {
		const organisations: Row[] = []
		const partnerships: Row[] = []
		const nameOf = (id: TLShapeId) => {
			const o = editor.getShape(id) as OrganisationShape | undefined
			return o ? o.props.shortName || o.props.name : '?'
		}
		for (const shape of shapes) {
			if (shape.type === ORGANISATION_SHAPE) {
				const { name, shortName, kind, sectors } = (shape as OrganisationShape).props
				organisations.push({
					id: shape.id,
					title: shortName ? `${shortName} — ${name}` : name,
					detail: [label(organisationKind.labels[kind]), ...sectors.map((s) => label(sector.labels[s]))].join(' · '),
					colour: tldrawColour(organisationKindColour[kind]),
				})
			}
			const p = partnershipOf(shape)
			if (isArrow(shape) && p) {
				const ends = linkedOrganisations(editor, shape)
				partnerships.push({
					id: shape.id,
					title: `${ends ? nameOf(ends.from) : '?'} ${p.direction === 'mutual' ? '↔' : '→'} ${ends ? nameOf(ends.to) : '?'}`,
					detail: [p.label, label(partnershipKind.labels[p.kind]), label(strength.labels[p.strength])].filter(Boolean).join(' · '),
					colour: tldrawColour(kindColour[p.kind]),
				})
			}
		}
		const byTitle = (a: Row, b: Row) => a.title.localeCompare(b.title)
		return { organisations: organisations.sort(byTitle), partnerships: partnerships.sort(byTitle) }
	}, [editor, shapes, label])

	const q = normalise(query.trim())
	const matches = (row: Row) => !q || normalise(`${row.title} ${row.detail}`).includes(q)
	// Into view without zooming in past 100 %: a card filling the screen says less than the card among its partners.
	const focus = (id: TLShapeId) => selectAndShow(editor, [id])
	const section = (title: string, rows: Row[], testId: string) => {
		const shown = rows.filter(matches)
		return (
			<div className="map-list__section" data-testid={testId}>
				<h3>
					{title} <span className="count">{shown.length}</span>
				</h3>
				{shown.length === 0 ? (
					<p className="muted">{t('listEmpty')}</p>
				) : (
					<ul>
						{shown.map((row) => (
							<li key={row.id}>
								<button type="button" className={selected.has(row.id) ? 'map-list__row map-list__row--selected' : 'map-list__row'} onClick={() => focus(row.id)}>
									<span className="map-list__dot" style={{ background: row.colour }} />
									<span className="map-list__text">
										<span className="map-list__title">{row.title}</span>
										{row.detail && <span className="map-list__detail">{row.detail}</span>}
									</span>
								</button>
							</li>
						))}
					</ul>
				)}
			</div>
		)
	}
	return (
		<section className="map-list">
			<input type="search" className="search" placeholder={t('listSearch')} value={query} onChange={(e) => setQuery(e.target.value)} aria-label={t('listSearch')} />
			{section(t('listOrganisations'), organisations, 'list-organisations')}
			{section(t('listPartnerships'), partnerships, 'list-partnerships')}
		</section>
	)
}
