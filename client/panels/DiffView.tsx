import type { ReactNode } from 'react'
import type { Editor } from 'tldraw'
import type { ChangedEntity, FieldChange } from '../../shared/diff'
import type { Organisation, Partnership } from '../../shared/model'
import { organisationFieldLabels } from '../../shared/model/organisation'
import { partnershipFieldLabels } from '../../shared/model/partnership'
import { direction, flow, networkLevel, organisationKind, partnershipKind, partnershipStatus, sector, governanceRole, strength, type Label } from '../../shared/model/vocabulary'
import { shapeIdOf } from '../../shared/projection'
import type { OrganisationShape } from '../../shared/tldraw/organisationShape'
import { selectAndShow } from '../canvas/fit'
import { useI18n } from '../i18n'
import type { Comparison } from './diffMarks'

/** Vocabularies by field name, to show "Imposé" rather than "imposed". */
const vocabularies: Record<string, Record<string, Label>> = {
	kind: { ...organisationKind.labels, ...partnershipKind.labels },
	strength: strength.labels,
	direction: direction.labels,
	status: partnershipStatus.labels,
	networkLevel: networkLevel.labels,
	flow: flow.labels,
	sectors: sector.labels,
	governanceRoles: governanceRole.labels,
}

const mapInfoLabels: Record<string, Label> = {
	title: { fr: 'Titre', en: 'Title' },
	territory: { fr: 'Territoire', en: 'Territory' },
	description: { fr: 'Description', en: 'Description' },
	date: { fr: 'Date', en: 'Date' },
}

const MAX_TEXT = 60

/** The list of a diff, grouped; a click on an entry selects it on the map. */
export function DiffView({ editor, comparison, fromName, toName, onClose }: { editor: Editor; comparison: Comparison; fromName: string; toName: string; onClose(): void }) {
	const { t, label, lang } = useI18n()
	const { diff } = comparison.response
	const organisationNames = new Map<string, string>()
	for (const o of [...diff.organisations.removed, ...diff.organisations.changed.map((c) => c.after), ...diff.organisations.added])
		organisationNames.set(o.id, o.shortName || o.name)
	const nameOf = (id: string) => {
		const known = organisationNames.get(id)
		if (known) return known
		const shape = editor.getShape(shapeIdOf(id)) as OrganisationShape | undefined
		return shape ? shape.props.shortName || shape.props.name : id
	}
	const partnershipName = (p: Partnership) => `${nameOf(p.from.organisation)} ${p.direction === 'mutual' ? '↔' : '→'} ${nameOf(p.to.organisation)}${p.label ? ` · ${p.label}` : ''}`

	const value = (key: string | number | undefined, v: unknown): string => {
		if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return t('diffEmptyValue')
		const vocabulary = typeof key === 'string' ? vocabularies[key] : undefined
		if (Array.isArray(v)) return v.map((item) => (typeof item === 'string' && vocabulary?.[item] ? label(vocabulary[item]) : typeof item === 'object' ? (item as { name?: string }).name ?? '…' : String(item))).join(', ')
		if (typeof v === 'string') {
			const text = vocabulary?.[v] ? label(vocabulary[v]) : v
			return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text
		}
		if (typeof v === 'boolean') return v ? '✓' : '✗'
		return typeof v === 'object' ? '…' : String(v)
	}
	const fieldName = (labels: Record<string, Label>, path: FieldChange['path']) =>
		path.map((key, n) => (n === 0 && typeof key === 'string' && labels[key] ? label(labels[key]) : String(key))).join(' › ')
	const changeList = (labels: Record<string, Label>, changes: FieldChange[]) => (
		<ul className="diff__changes">
			{changes.map((c, n) => (
				<li key={n}>
					<span className="diff__field">{fieldName(labels, c.path)}</span> <del>{value(c.path.at(-1) ?? c.path[0], c.before)}</del> → <ins>{value(c.path.at(-1) ?? c.path[0], c.after)}</ins>
				</li>
			))}
		</ul>
	)
	const entry = (key: string, tone: 'added' | 'removed' | 'changed', title: string, id: string | undefined, body?: ReactNode) => (
		<li key={key} className={`diff__entry diff__entry--${tone}`} data-testid={`diff-${tone}`}>
			<button type="button" className="diff__title" disabled={!id} onClick={() => id && selectAndShow(editor, [shapeIdOf(id)])}>
				<span className="diff__sign" aria-hidden>
					{tone === 'added' ? '+' : tone === 'removed' ? '−' : '~'}
				</span>
				{title}
			</button>
			{body}
		</li>
	)
	const section = <T extends { id: string }>(title: string, entities: { added: T[]; removed: T[]; changed: ChangedEntity<T>[] }, name: (e: T) => string, labels: Record<string, Label>) => {
		const total = entities.added.length + entities.removed.length + entities.changed.length
		if (total === 0) return null
		return (
			<div className="diff__section">
				<h3>
					{title} <span className="count">{total}</span>
				</h3>
				<ul>
					{entities.added.map((e) => entry(`a${e.id}`, 'added', name(e), e.id))}
					{entities.removed.map((e) => entry(`r${e.id}`, 'removed', name(e), undefined))}
					{entities.changed.map((c) => entry(`c${c.id}`, 'changed', name(c.after), c.id, changeList(labels, c.changes)))}
				</ul>
			</div>
		)
	}
	const { counts } = diff
	const empty = counts.added + counts.removed + counts.changed + counts.info === 0
	return (
		<section className="diff" data-testid="diff-view" lang={lang}>
			<div className="diff__header">
				<h2 className="panel-title">{t('diffTitle')}</h2>
				<button type="button" className="small-button" onClick={onClose} data-testid="diff-close">
					{t('diffClose')}
				</button>
			</div>
			<p className="diff__sides">
				<strong>{fromName}</strong> → <strong>{toName}</strong>
			</p>
			<p data-testid="diff-summary">{empty ? t('diffNone') : t('diffSummary', { added: counts.added, removed: counts.removed, changed: counts.changed })}</p>
			{diff.info.length > 0 && (
				<div className="diff__section">
					<h3>{t('diffInfo')}</h3>
					{changeList(mapInfoLabels, diff.info)}
				</div>
			)}
			{section(t('listOrganisations'), diff.organisations, (o: Organisation) => o.shortName || o.name, organisationFieldLabels)}
			{section(t('listPartnerships'), diff.partnerships, partnershipName, partnershipFieldLabels)}
			{counts.moved > 0 && <p className="muted">{t('diffMoved', { count: counts.moved })}</p>}
			{!empty && <p className="muted diff__legend">{t('diffCanvasLegend')}</p>}
			{comparison.to !== 'now' && !empty && <p className="muted">{t('diffCanvasNotNow')}</p>}
		</section>
	)
}
