import { useMemo, type ReactNode } from 'react'
import type { Editor } from 'tldraw'
import type * as Y from 'yjs'
import { analyseMap, type ShareOfPartnerships } from '../../shared/analysis'
import { shapeIdOf } from '../../shared/projection'
import { selectAndShow } from '../canvas/fit'
import { useI18n } from '../i18n'
import { useMapSnapshot } from '../lib/useMapSnapshot'

const TOP = 5
const percent = (share: number, lang: string) => share.toLocaleString(lang, { style: 'percent', maximumFractionDigits: 0 })

/**
 * The network read as the thesis reads it (shared/analysis): computed in the browser from the
 * room's document. Every figure is a button that selects the organisations or partnerships it counts.
 */
export function AnalysisPanel({ editor, doc }: { editor: Editor; doc: Y.Doc }) {
	const { t, lang } = useI18n()
	const map = useMapSnapshot(doc)
	const analysis = useMemo(() => analyseMap(map), [map])
	const names = useMemo(() => new Map(map.organisations.map((o) => [o.id, o.shortName || o.name])), [map])
	const nameOf = (id: string) => names.get(id) ?? id
	const show = (ids: readonly string[]) => selectAndShow(editor, ids.map(shapeIdOf))

	/** A figure; with the ids it counts, a button that selects them. */
	const figure = (testId: string, title: string, value: ReactNode, ids: readonly string[] | undefined, detail?: ReactNode) => {
		const content = (
			<>
				<span className="figure__title">{title}</span>
				<span className="figure__value">{value}</span>
				{detail && <span className="figure__detail">{detail}</span>}
			</>
		)
		return ids ? (
			<button type="button" className="figure" disabled={ids.length === 0} onClick={() => show(ids)} data-testid={`analysis-${testId}`}>
				{content}
			</button>
		) : (
			<div className="figure figure--static" data-testid={`analysis-${testId}`}>
				{content}
			</div>
		)
	}
	const listOf = (ids: readonly string[]) => (ids.length ? ids.map(nameOf).join(', ') : t('analysisNone'))
	const share = (s: ShareOfPartnerships) => (
		<>
			{s.count}
			<small> / {s.total}</small>
			<small className="figure__percent">{percent(s.share, lang)}</small>
		</>
	)
	const central = [...analysis.organisations]
		.filter((o) => o.degree > 0)
		.sort((a, b) => b.betweenness - a.betweenness || b.degree - a.degree)
		.slice(0, TOP)
	const allOrganisations = map.organisations.map((o) => o.id)
	const allPartnerships = map.partnerships.map((p) => p.id)
	const { counts, imposedOnly } = analysis
	const imposedIds = [...imposedOnly.organisations, ...imposedOnly.pairs.flatMap((p) => p.partnerships)]

	return (
		<section className="analysis" data-testid="analysis-panel">
			<p className="muted">{t('analysisHint')}</p>
			<div className="figures figures--tiles">
				{figure('organisations', t('analysisOrganisations'), counts.organisations, allOrganisations)}
				{figure('partnerships', t('analysisPartnerships'), counts.partnerships, allPartnerships, t('analysisLive', { count: counts.livePartnerships }))}
				{figure('density', t('analysisDensity'), percent(analysis.density, lang), undefined, t('analysisDensityHelp'))}
			</div>

			<div className="figures">
				{figure('isolates', t('analysisIsolates'), analysis.isolates.length, analysis.isolates, listOf(analysis.isolates))}
				{figure(
					'components',
					t('analysisComponents'),
					analysis.components.length,
					undefined,
					<span className="figure__chips">
						{analysis.components.map((component, n) => (
							<button key={n} type="button" className="chip chip--small" onClick={() => show(component)} data-testid="analysis-component">
								{t('analysisComponent', { n: n + 1 })} · {component.length}
							</button>
						))}
					</span>,
				)}
			</div>

			<h3 className="analysis__heading">{t('analysisCentrality')}</h3>
			<table className="centrality" data-testid="analysis-centrality">
				<thead>
					<tr>
						<th />
						<th>{t('analysisDegree')}</th>
						<th>{t('analysisBetweenness')}</th>
					</tr>
				</thead>
				<tbody>
					{central.map((o) => (
						<tr key={o.organisation} onClick={() => show([o.organisation])}>
							<td>
								<button type="button" className="link-button">
									{nameOf(o.organisation)}
								</button>
							</td>
							<td>{o.degree}</td>
							<td>{o.betweenness.toLocaleString(lang, { maximumFractionDigits: 2, minimumFractionDigits: 2 })}</td>
						</tr>
					))}
				</tbody>
			</table>

			<h3 className="analysis__heading">{t('analysisPartnerships')}</h3>
			<div className="figures">
				{figure('informal', t('analysisInformal'), share(analysis.informal), analysis.informal.partnerships)}
				{figure('invisible', t('analysisInvisible'), share(analysis.invisible), analysis.invisible.partnerships)}
				{figure(
					'fragile',
					t('analysisFragile'),
					analysis.fragile.length,
					analysis.fragile.map((f) => f.partnership),
					analysis.fragile.map((f) => f.organisations.map(nameOf).join(' – ')).join(' · ') || undefined,
				)}
				{figure(
					'conventions',
					t('analysisConventions', { days: analysis.horizonDays }),
					analysis.conventions.length,
					analysis.conventions.map((c) => c.partnership),
					analysis.conventions.length > 0 && (
						<span className="figure__lines">
							{analysis.conventions.map((c) => (
								<span key={c.partnership} className={c.ended ? 'figure__line figure__line--ended' : 'figure__line'}>
									{c.organisations.map(nameOf).join(' – ')} : {c.ended ? t('analysisEnded', { date: c.end }) : t('analysisEnds', { date: c.end, days: c.daysLeft })}
								</span>
							))}
						</span>
					),
				)}
				{figure('imposed', t('analysisImposedOnly'), imposedOnly.organisations.length, imposedIds, imposedOnly.organisations.length ? listOf(imposedOnly.organisations) : undefined)}
			</div>
			<p className="muted">{t('analysisLiveNote')}</p>
		</section>
	)
}
