import { useId, type ReactNode } from 'react'
import type { Issue, IssuePath } from '../../shared/issues'
import type { Label } from '../../shared/model/vocabulary'
import { useI18n } from '../i18n'

/** Issues whose path starts with `prefix`. */
export function issuesAt(issues: readonly Issue[], prefix: IssuePath): Issue[] {
	return issues.filter((i) => prefix.every((key, n) => i.path[n] === key))
}

function IssueMessages({ issues }: { issues: readonly Issue[] }) {
	const { lang } = useI18n()
	if (issues.length === 0) return null
	return (
		<ul className="field__issues" role="alert">
			{issues.map((i, n) => (
				<li key={n}>{i.message[lang]}</li>
			))}
		</ul>
	)
}

interface FieldProps {
	label: string
	issues?: readonly Issue[]
	children: (id: string) => ReactNode
	hint?: string
}

export function Field({ label, issues = [], children, hint }: FieldProps) {
	const id = useId()
	return (
		<div className={issues.length ? 'field field--invalid' : 'field'}>
			<label className="field__label" htmlFor={id}>
				{label}
			</label>
			{children(id)}
			{hint && <div className="field__hint">{hint}</div>}
			<IssueMessages issues={issues} />
		</div>
	)
}

interface TextInputProps {
	label: string
	value: string
	onChange(value: string): void
	issues?: readonly Issue[]
	multiline?: boolean
	type?: 'text' | 'date' | 'email' | 'tel'
	name?: string
	readOnly?: boolean
}

export function TextInput({ label, value, onChange, issues, multiline, type = 'text', name, readOnly }: TextInputProps) {
	return (
		<Field label={label} issues={issues}>
			{(id) =>
				multiline ? (
					<textarea id={id} name={name} value={value} rows={3} readOnly={readOnly} onChange={(e) => onChange(e.target.value)} />
				) : (
					<input id={id} name={name} type={type} value={value} readOnly={readOnly} onChange={(e) => onChange(e.target.value)} />
				)
			}
		</Field>
	)
}

interface ChoiceProps<K extends string> {
	label: string
	value: K
	values: readonly K[]
	labels: Record<K, Label>
	onChange(value: K): void
	issues?: readonly Issue[]
	name?: string
	disabled?: boolean
}

export function Choice<K extends string>({ label, value, values, labels, onChange, issues, name, disabled }: ChoiceProps<K>) {
	const { label: text } = useI18n()
	return (
		<Field label={label} issues={issues}>
			{(id) => (
				<select id={id} name={name} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as K)}>
					{values.map((v) => (
						<option key={v} value={v}>
							{text(labels[v])}
						</option>
					))}
				</select>
			)}
		</Field>
	)
}

interface MultiChoiceProps<K extends string> {
	label: string
	value: readonly K[]
	values: readonly K[]
	labels: Record<K, Label>
	onChange(value: K[]): void
	issues?: readonly Issue[]
	disabled?: boolean
}

/** A set of toggles, kept in vocabulary order whatever the order of clicks. */
export function MultiChoice<K extends string>({ label, value, values, labels, onChange, issues, disabled }: MultiChoiceProps<K>) {
	const { label: text } = useI18n()
	const toggle = (v: K) => {
		const next = value.includes(v) ? value.filter((x) => x !== v) : [...value, v]
		onChange(values.filter((x) => next.includes(x)))
	}
	return (
		<div className={issues?.length ? 'field field--invalid' : 'field'}>
			<div className="field__label">{label}</div>
			<div className="chips" role="group" aria-label={label}>
				{values.map((v) => (
					<button
						key={v}
						type="button"
						className={value.includes(v) ? 'chip chip--on' : 'chip'}
						aria-pressed={value.includes(v)}
						disabled={disabled}
						onClick={() => toggle(v)}
					>
						{text(labels[v])}
					</button>
				))}
			</div>
			<IssueMessages issues={issues ?? []} />
		</div>
	)
}

export function Toggle({ label, value, onChange, name, disabled }: { label: string; value: boolean; onChange(value: boolean): void; name?: string; disabled?: boolean }) {
	return (
		<label className="toggle">
			<input type="checkbox" name={name} checked={value} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
			<span>{label}</span>
		</label>
	)
}

interface ListEditorProps<T> {
	label: string
	items: readonly T[]
	onChange(items: T[]): void
	create(): T
	render(item: T, update: (item: T) => void, index: number): ReactNode
	addLabel: string
	issues?: readonly Issue[]
	disabled?: boolean
}

/** Edits an array of records: each one in a small card with a remove button, and an add button. */
export function ListEditor<T>({ label, items, onChange, create, render, addLabel, issues = [], disabled }: ListEditorProps<T>) {
	const { t } = useI18n()
	const own = issues.filter((i) => i.path.length <= 1)
	return (
		<fieldset className="list-editor" disabled={disabled}>
			<legend className="field__label">{label}</legend>
			{items.map((item, index) => (
				<div className="list-editor__item" key={index}>
					{render(item, (next) => onChange(items.map((x, n) => (n === index ? next : x))), index)}
					<button type="button" className="link-button link-button--danger" onClick={() => onChange(items.filter((_, n) => n !== index))}>
						{t('remove')}
					</button>
				</div>
			))}
			<button type="button" className="link-button" onClick={() => onChange([...items, create()])}>
				+ {addLabel}
			</button>
			<IssueMessages issues={own} />
		</fieldset>
	)
}
