import type { Issue } from '../../shared/issues'
import type { Person } from '../../shared/model/common'
import { useI18n } from '../i18n'
import { issuesAt, ListEditor, TextInput } from './fields'

/** An emptied field is removed: an absent field and an empty one mean the same in the model. */
function withField(person: Person, key: keyof Person, value: string): Person {
	const next = { ...person }
	if (value === '') delete next[key]
	else next[key] = value
	return next
}

export function PersonList({ label, people, onChange, issues, disabled }: { label: string; people: readonly Person[]; onChange(p: Person[]): void; issues: readonly Issue[]; disabled?: boolean }) {
	const { t } = useI18n()
	return (
		<ListEditor<Person>
			label={label}
			items={people}
			onChange={onChange}
			create={() => ({})}
			addLabel={t('addPerson')}
			issues={issues}
			disabled={disabled}
			render={(person, update, index) => (
				<div className="grid-2">
					<TextInput label={t('personName')} value={person.name ?? ''} onChange={(v) => update(withField(person, 'name', v))} issues={issuesAt(issues, [index, 'name'])} />
					<TextInput label={t('personRole')} value={person.role ?? ''} onChange={(v) => update(withField(person, 'role', v))} issues={issuesAt(issues, [index, 'role'])} />
					<TextInput label={t('personEmail')} type="email" value={person.email ?? ''} onChange={(v) => update(withField(person, 'email', v))} issues={issuesAt(issues, [index, 'email'])} />
					<TextInput label={t('personPhone')} type="tel" value={person.phone ?? ''} onChange={(v) => update(withField(person, 'phone', v))} issues={issuesAt(issues, [index, 'phone'])} />
				</div>
			)}
		/>
	)
}
