import type { Editor } from 'tldraw'
import { organisationFieldLabels, organisationFieldsSchema, type OrganisationFields } from '../../shared/model/organisation'
import { governanceRole, organisationKind, sector } from '../../shared/model/vocabulary'
import type { OrganisationShape } from '../../shared/tldraw/organisationShape'
import { useI18n } from '../i18n'
import { newId } from '../lib/ids'
import { Choice, issuesAt, ListEditor, MultiChoice, TextInput } from './fields'
import { PersonList } from './PersonFields'
import { useEditSteps } from './useEditSteps'
import { useValidatedDraft } from './useValidatedDraft'

function fieldsOf(shape: OrganisationShape): OrganisationFields {
	const { w: _w, h: _h, ...fields } = shape.props
	return fields
}

export function OrganisationForm({ editor, shape, readOnly }: { editor: Editor; shape: OrganisationShape; readOnly: boolean }) {
	const { t, label } = useI18n()
	const steps = useEditSteps(editor)
	const { draft, issues, update } = useValidatedDraft(organisationFieldsSchema, fieldsOf(shape), (props) => {
		steps.beforeWrite()
		editor.updateShape<OrganisationShape>({ id: shape.id, type: 'organisation', props })
	})
	const set = <K extends keyof OrganisationFields>(key: K, value: OrganisationFields[K]) => update({ ...draft, [key]: value })
	const l = organisationFieldLabels
	return (
		<fieldset className="form" disabled={readOnly} onFocus={steps.onFocus} data-testid="organisation-form">
			<TextInput name="name" label={label(l.name)} value={draft.name} onChange={(v) => set('name', v)} issues={issuesAt(issues, ['name'])} />
			<TextInput name="shortName" label={label(l.shortName)} value={draft.shortName} onChange={(v) => set('shortName', v)} issues={issuesAt(issues, ['shortName'])} />
			<Choice name="kind" label={label(l.kind)} value={draft.kind} values={organisationKind.values} labels={organisationKind.labels} onChange={(v) => set('kind', v)} issues={issuesAt(issues, ['kind'])} />
			<MultiChoice label={label(l.sectors)} value={draft.sectors} values={sector.values} labels={sector.labels} onChange={(v) => set('sectors', v)} issues={issuesAt(issues, ['sectors'])} />
			<MultiChoice label={label(l.governanceRoles)} value={draft.governanceRoles} values={governanceRole.values} labels={governanceRole.labels} onChange={(v) => set('governanceRoles', v)} issues={issuesAt(issues, ['governanceRoles'])} />
			<ListEditor
				label={label(l.units)}
				items={draft.units}
				onChange={(v) => set('units', v)}
				create={() => ({ id: newId('unit'), name: t('newUnitName'), notes: '' })}
				addLabel={t('addUnit')}
				issues={issuesAt(issues, ['units']).map((i) => ({ ...i, path: i.path.slice(1) }))}
				render={(unit, updateUnit, index) => (
					<>
						<TextInput label={t('unitName')} value={unit.name} onChange={(v) => updateUnit({ ...unit, name: v })} issues={issuesAt(issues, ['units', index, 'name'])} />
						<TextInput label={t('unitNotes')} value={unit.notes} onChange={(v) => updateUnit({ ...unit, notes: v })} issues={issuesAt(issues, ['units', index, 'notes'])} />
					</>
				)}
			/>
			<PersonList label={label(l.contacts)} people={draft.contacts} onChange={(v) => set('contacts', v)} issues={issuesAt(issues, ['contacts']).map((i) => ({ ...i, path: i.path.slice(1) }))} />
			<TextInput name="notes" multiline label={label(l.notes)} value={draft.notes} onChange={(v) => set('notes', v)} issues={issuesAt(issues, ['notes'])} />
		</fieldset>
	)
}
