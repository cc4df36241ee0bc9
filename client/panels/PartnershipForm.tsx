import { useValue, type Editor, type JsonObject, type TLArrowShape } from 'tldraw'
import type { Issue } from '../../shared/issues'
import { conventionSchema, partnershipFieldLabels, partnershipMetaSchema, type PartnershipMeta, type SideDetails } from '../../shared/model/partnership'
import { direction, flow, networkLevel, partnershipKind, partnershipStatus, strength } from '../../shared/model/vocabulary'
import type { OrganisationShape } from '../../shared/tldraw/organisationShape'
import { defaultPartnershipMeta, PARTNERSHIP_META_KEY, readPartnershipMeta } from '../../shared/tldraw/partnershipMeta'
import { linkedOrganisations } from '../canvas/partnershipEffects'
import { useI18n } from '../i18n'
import { today } from '../lib/ids'
import { Choice, Field, issuesAt, ListEditor, TextInput, Toggle } from './fields'
import { PersonList } from './PersonFields'
import { useEditSteps } from './useEditSteps'
import { useValidatedDraft } from './useValidatedDraft'

const shift = (issues: Issue[], n: number) => issues.map((i) => ({ ...i, path: i.path.slice(n) }))

/** The arrow's partnership as far as it can be read; problems are shown, not thrown. */
function readMeta(arrow: TLArrowShape): { meta: PartnershipMeta; issues: Issue[] } {
	const checked = readPartnershipMeta(arrow.meta)
	if (checked.ok) return { meta: checked.value, issues: [] }
	// Shown as it is, with its problems, for the user to mend: the draft is validated again on every edit.
	const raw = arrow.meta[PARTNERSHIP_META_KEY]
	return { meta: { ...defaultPartnershipMeta(), ...(raw as Partial<PartnershipMeta>) }, issues: checked.issues }
}

function SideEditor({ title, organisation, side, onChange, issues }: { title: string; organisation: OrganisationShape | undefined; side: SideDetails; onChange(s: SideDetails): void; issues: Issue[] }) {
	const { t } = useI18n()
	const units = organisation?.props.units ?? []
	return (
		<div className="side">
			<div className="side__title">
				{title} <strong>{organisation ? organisation.props.shortName || organisation.props.name : '—'}</strong>
			</div>
			<Field label={t('sideUnit')} issues={issuesAt(issues, ['unit'])}>
				{(id) => (
					<select
						id={id}
						value={side.unit ?? ''}
						onChange={(e) => {
							const { unit: _, ...rest } = side
							onChange(e.target.value ? { ...rest, unit: e.target.value } : rest)
						}}
					>
						<option value="">{t('wholeOrganisation')}</option>
						{units.map((u) => (
							<option key={u.id} value={u.id}>
								{u.name}
							</option>
						))}
					</select>
				)}
			</Field>
			<PersonList label={t('carriers')} people={side.carriers} onChange={(carriers) => onChange({ ...side, carriers })} issues={shift(issuesAt(issues, ['carriers']), 1)} />
			{side.carriers.length === 1 && <div className="field__hint field__hint--warn">{t('singleCarrierWarning')}</div>}
		</div>
	)
}

export function PartnershipForm({ editor, arrow, readOnly }: { editor: Editor; arrow: TLArrowShape; readOnly: boolean }) {
	const { t, label } = useI18n()
	const read = readMeta(arrow)
	const steps = useEditSteps(editor)
	const { draft, issues, update } = useValidatedDraft(
		partnershipMetaSchema,
		read.meta,
		(meta) => {
			steps.beforeWrite()
			editor.updateShape<TLArrowShape>({
				id: arrow.id,
				type: 'arrow',
				meta: { ...arrow.meta, [PARTNERSHIP_META_KEY]: meta as unknown as JsonObject },
			})
		},
		read.issues,
	)
	const ends = useValue(
		'partnership ends',
		() => {
			const linked = linkedOrganisations(editor, arrow)
			return linked && { from: editor.getShape(linked.from) as OrganisationShape, to: editor.getShape(linked.to) as OrganisationShape }
		},
		[editor, arrow],
	)
	const set = <K extends keyof PartnershipMeta>(key: K, value: PartnershipMeta[K]) => update({ ...draft, [key]: value })
	const l = partnershipFieldLabels
	const convention = draft.convention
	return (
		<fieldset className="form" disabled={readOnly} onFocus={steps.onFocus} data-testid="partnership-form">
			<TextInput name="label" label={label(l.label)} value={draft.label} onChange={(v) => set('label', v)} issues={issuesAt(issues, ['label'])} />
			<div className="grid-2">
				<Choice name="kind" label={label(l.kind)} value={draft.kind} values={partnershipKind.values} labels={partnershipKind.labels} onChange={(v) => set('kind', v)} issues={issuesAt(issues, ['kind'])} />
				<Choice name="strength" label={label(l.strength)} value={draft.strength} values={strength.values} labels={strength.labels} onChange={(v) => set('strength', v)} issues={issuesAt(issues, ['strength'])} />
				<Choice name="direction" label={label(l.direction)} value={draft.direction} values={direction.values} labels={direction.labels} onChange={(v) => set('direction', v)} issues={issuesAt(issues, ['direction'])} />
				<Choice name="status" label={label(l.status)} value={draft.status} values={partnershipStatus.values} labels={partnershipStatus.labels} onChange={(v) => set('status', v)} issues={issuesAt(issues, ['status'])} />
				<Choice name="networkLevel" label={label(l.networkLevel)} value={draft.networkLevel} values={networkLevel.values} labels={networkLevel.labels} onChange={(v) => set('networkLevel', v)} issues={issuesAt(issues, ['networkLevel'])} />
				<Choice name="flow" label={label(l.flow)} value={draft.flow} values={flow.values} labels={flow.labels} onChange={(v) => set('flow', v)} issues={issuesAt(issues, ['flow'])} />
			</div>
			<div className="toggles">
				<Toggle name="formal" label={label(l.formal)} value={draft.formal} onChange={(v) => set('formal', v)} />
				<Toggle name="visible" label={label(l.visible)} value={draft.visible} onChange={(v) => set('visible', v)} />
				<Toggle name="convention" label={label(l.convention)} value={convention !== null} onChange={(v) => set('convention', v ? conventionSchema.parse({}) : null)} />
			</div>
			{convention && (
				<div className="subsection">
					<TextInput multiline label={t('conventionObjectives')} value={convention.objectives} onChange={(v) => set('convention', { ...convention, objectives: v })} issues={issuesAt(issues, ['convention', 'objectives'])} />
					<div className="grid-2">
						<TextInput type="date" label={t('conventionStart')} value={convention.start ?? ''} onChange={(v) => set('convention', withDate(convention, 'start', v))} issues={issuesAt(issues, ['convention', 'start'])} />
						<TextInput type="date" label={t('conventionEnd')} value={convention.end ?? ''} onChange={(v) => set('convention', withDate(convention, 'end', v))} issues={issuesAt(issues, ['convention', 'end'])} />
					</div>
					<TextInput multiline label={t('conventionEvaluation')} value={convention.evaluation} onChange={(v) => set('convention', { ...convention, evaluation: v })} issues={issuesAt(issues, ['convention', 'evaluation'])} />
				</div>
			)}
			<SideEditor title={label(l.from)} organisation={ends?.from} side={draft.from} onChange={(v) => set('from', v)} issues={shift(issuesAt(issues, ['from']), 1)} />
			<SideEditor title={label(l.to)} organisation={ends?.to} side={draft.to} onChange={(v) => set('to', v)} issues={shift(issuesAt(issues, ['to']), 1)} />
			<ListEditor
				label={label(l.history)}
				items={draft.history}
				onChange={(v) => set('history', v)}
				create={() => ({ date: today(), status: draft.status, note: '' })}
				addLabel={t('addHistoryEntry')}
				issues={shift(issuesAt(issues, ['history']), 1)}
				render={(entry, updateEntry, index) => (
					<div className="grid-2">
						<TextInput type="date" label={t('historyDate')} value={entry.date} onChange={(v) => updateEntry({ ...entry, date: v })} issues={issuesAt(issues, ['history', index, 'date'])} />
						<Choice label={label(l.status)} value={entry.status} values={partnershipStatus.values} labels={partnershipStatus.labels} onChange={(v) => updateEntry({ ...entry, status: v })} />
						<TextInput label={t('historyNote')} value={entry.note} onChange={(v) => updateEntry({ ...entry, note: v })} issues={issuesAt(issues, ['history', index, 'note'])} />
					</div>
				)}
			/>
			<TextInput name="notes" multiline label={label(l.notes)} value={draft.notes} onChange={(v) => set('notes', v)} issues={issuesAt(issues, ['notes'])} />
		</fieldset>
	)
}

function withDate<C extends { start?: string; end?: string }>(convention: C, key: 'start' | 'end', value: string): C {
	const next = { ...convention }
	if (value === '') delete next[key]
	else next[key] = value
	return next
}
