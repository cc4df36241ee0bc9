import { issue, type Issue, type IssuePath } from '../issues'
import type { Label } from '../model/vocabulary'
import { xmlSafeJson } from './xml'

/**
 * The flat view of a map that GraphML, GEXF and CSV share: one named column per field, every
 * value written as text. Scalars stay readable in spreadsheets and graph tools; nested lists of
 * objects (units, contacts, carriers, history) are JSON. Decoding is forgiving about what a
 * spreadsheet does to a file (blank cells, TRUE/FALSE, decimal commas) and precise about the rest.
 */

/** How a typed format (GraphML, GEXF) declares a column. */
export type ColumnType = 'string' | 'boolean' | 'double' | 'int'

type Decoded = { ok: true; value: unknown } | { ok: false; reason: Label }

interface Codec {
	type: ColumnType
	/** Free text that may hold characters XML cannot carry (see xml.ts `exactTexts`). */
	freeText?: boolean
	encode(value: unknown): string | undefined
	/** A blank cell decodes to undefined: the field then takes its default. */
	decode(cell: string): Decoded
}

const ok = (value: unknown): Decoded => ({ ok: true, value })
const fail = (en: string, fr: string): Decoded => ({ ok: false, reason: { en, fr } })

const text: Codec = { type: 'string', freeText: true, encode: (v) => v as string, decode: ok }

/** Identifiers, enumeration values and dates: blank means absent; spaces around are typos. */
const token: Codec = {
	type: 'string',
	encode: (v) => v as string | undefined,
	decode: (cell) => ok(cell.trim() === '' ? undefined : cell.trim()),
}

/** An identifier that must be there: blank stays blank so that validation names the field. */
const requiredToken: Codec = { ...token, decode: (cell) => ok(cell.trim()) }

/** Enumeration values separated by ";" (they never contain one). */
const list: Codec = {
	type: 'string',
	encode: (v) => (v as string[]).join(';'),
	decode: (cell) =>
		ok(
			cell
				.split(';')
				.map((s) => s.trim())
				.filter((s) => s !== ''),
		),
}

const json: Codec = {
	type: 'string',
	encode: (v) => (v === undefined ? undefined : xmlSafeJson(v)),
	decode: (cell) => {
		if (cell.trim() === '') return ok(undefined)
		try {
			return ok(JSON.parse(cell))
		} catch (e) {
			const reason = e instanceof Error ? e.message : String(e)
			return fail(`invalid JSON: ${reason}`, `JSON invalide : ${reason}`)
		}
	},
}

const truthy = new Set(['true', '1', 'yes', 'oui', 'vrai'])
const falsy = new Set(['false', '0', 'no', 'non', 'faux'])

const boolean: Codec = {
	type: 'boolean',
	encode: (v) => (v === undefined ? undefined : String(v)),
	decode: (cell) => {
		const value = cell.trim().toLowerCase()
		if (value === '') return ok(undefined)
		if (truthy.has(value)) return ok(true)
		if (falsy.has(value)) return ok(false)
		return fail(`expected true or false, got "${cell}"`, `vrai ou faux (true/false) attendu, reçu « ${cell} »`)
	},
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i

function numberCodec(type: 'double' | 'int'): Codec {
	return {
		type,
		encode: (v) => (v === undefined ? undefined : String(v)),
		decode: (cell) => {
			// Spreadsheets in French write decimal commas.
			const value = cell.trim().replace(/^([-+]?\d+),(\d+)$/, '$1.$2')
			if (value === '') return ok(undefined)
			if (!NUMBER.test(value)) return fail(`expected a number, got "${cell}"`, `nombre attendu, reçu « ${cell} »`)
			return ok(Number(value))
		},
	}
}

export interface Field {
	/** Column, attribute or key name: a stable English identifier. */
	name: string
	/** Where the value lives in the model record. */
	path: string[]
	codec: Codec
}

const field = (name: string, codec: Codec, path: string[] = [name]): Field => ({ name, path, codec })

export const organisationFields: readonly Field[] = [
	field('id', requiredToken),
	field('name', text),
	field('shortName', text),
	field('kind', token),
	field('sectors', list),
	field('governanceRoles', list),
	field('units', json),
	field('contacts', json),
	field('notes', text),
]

/** Where an organisation is drawn, on the organisation's own row or node. */
export const placementFields: readonly Field[] = [
	...['x', 'y', 'w', 'h'].map((name) => field(name, numberCodec('double'))),
	field('pinned', boolean),
]

/** Whether a partnership has a convention; its details are the `convention*` columns. */
export const CONVENTION_FLAG = 'convention'

export const partnershipFields: readonly Field[] = [
	field('id', requiredToken),
	field('from', requiredToken, ['from', 'organisation']),
	field('fromUnit', token, ['from', 'unit']),
	field('fromCarriers', json, ['from', 'carriers']),
	field('to', requiredToken, ['to', 'organisation']),
	field('toUnit', token, ['to', 'unit']),
	field('toCarriers', json, ['to', 'carriers']),
	field('label', text),
	field('kind', token),
	field('formal', boolean),
	field('visible', boolean),
	field(CONVENTION_FLAG, boolean),
	field('conventionObjectives', text, ['convention', 'objectives']),
	field('conventionStart', token, ['convention', 'start']),
	field('conventionEnd', token, ['convention', 'end']),
	field('conventionEvaluation', text, ['convention', 'evaluation']),
	field('strength', token),
	field('networkLevel', token),
	field('flow', token),
	field('direction', token),
	field('status', token),
	field('history', json),
	field('notes', text),
]

export const infoFields: readonly Field[] = [
	field('schemaVersion', numberCodec('int')),
	field('title', text),
	field('territory', text),
	field('description', text),
	field('date', token),
]

// ─── Encoding ──────────────────────────────────────────────────────────────────────────────────

export type Cells = Record<string, string | undefined>

function valueAt(record: unknown, path: readonly string[]): unknown {
	let value = record
	for (const key of path) value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key]
	return value
}

/** A record's cells; undefined for what the record does not have (no unit, no convention...). */
export function encodeFields(fields: readonly Field[], record: unknown): Cells {
	const cells: Cells = {}
	for (const f of fields) {
		const value = valueAt(record, f.path)
		cells[f.name] = f.name === CONVENTION_FLAG ? String(value !== null && value !== undefined) : f.codec.encode(value)
	}
	return cells
}

/** The free-text cells of a record, which XML writers check for characters XML cannot carry. */
export function freeTextCells(fields: readonly Field[], cells: Cells): Cells {
	return Object.fromEntries(fields.filter((f) => f.codec.freeText).map((f) => [f.name, cells[f.name]]))
}

// ─── Decoding ──────────────────────────────────────────────────────────────────────────────────

function setAt(record: Record<string, unknown>, path: readonly string[], value: unknown): void {
	let target = record
	path.slice(0, -1).forEach((key) => {
		target = (target[key] ??= {}) as Record<string, unknown>
	})
	target[path[path.length - 1] as string] = value
}

export interface DecodedRecord {
	record: Record<string, unknown>
	/** Cells that could not be decoded, at their place in the file. */
	issues: Issue[]
}

/**
 * A model record (still unvalidated) from cells; a missing cell (undefined) is left out so the
 * field takes its default. `locate` says where a column of this record is in the file.
 */
export function decodeFields(fields: readonly Field[], cells: Cells, locate: (name: string) => IssuePath): DecodedRecord {
	const record: Record<string, unknown> = {}
	const issues: Issue[] = []
	let conventionFlag: boolean | undefined
	for (const f of fields) {
		const cell = cells[f.name]
		if (cell === undefined) continue
		const decoded = f.codec.decode(cell)
		if (!decoded.ok) {
			issues.push(issue(locate(f.name), decoded.reason.en, decoded.reason.fr))
			continue
		}
		if (f.name === CONVENTION_FLAG) conventionFlag = decoded.value as boolean | undefined
		else if (decoded.value !== undefined) setAt(record, f.path, decoded.value)
	}
	if (fields.some((f) => f.name === CONVENTION_FLAG)) {
		const details = record.convention as Record<string, unknown> | undefined
		const hasDetails = details !== undefined && Object.values(details).some((v) => v !== '')
		if (conventionFlag === false && hasDetails)
			issues.push(
				issue(
					locate(CONVENTION_FLAG),
					'convention is "false" but convention details are filled in',
					'convention vaut « false » mais des détails de convention sont remplis',
				),
			)
		// The details alone imply a convention: a spreadsheet user may fill them and forget the flag.
		record.convention = conventionFlag === true || hasDetails ? (details ?? {}) : null
	}
	return { record, issues }
}

/** A placement from its cells, or undefined when none is filled in. */
export function decodePlacement(cells: Cells, locate: (name: string) => IssuePath): DecodedRecord | undefined {
	if (placementFields.every((f) => (cells[f.name] ?? '').trim() === '')) return undefined
	return decodeFields(placementFields, cells, locate)
}

// ─── Locating validation issues in the file ────────────────────────────────────────────────────

/** The column of a record that holds a model path, and what remains of the path inside it. */
export function columnOf(fields: readonly Field[], path: IssuePath): { name: string; rest: IssuePath } | undefined {
	let best: Field | undefined
	for (const f of fields)
		if (f.path.every((key, i) => path[i] === key) && f.path.length <= path.length && (!best || f.path.length > best.path.length)) best = f
	return best && { name: best.name, rest: path.slice(best.path.length) }
}

/** Where the records of a flat file are: rows of a CSV, nodes and edges of a graph. */
export interface FlatLocator {
	info(name: string): IssuePath
	organisation(index: number, name?: string): IssuePath
	partnership(index: number, name?: string): IssuePath
}

/**
 * Translates a path in the map (as validation reports it) to a place in the flat file:
 * `partnerships.3.from.carriers.0.name` becomes e.g. `row.12.fromCarriers.0.name`.
 */
export function locateInFlatFile(path: IssuePath, organisationIds: readonly unknown[], locator: FlatLocator): IssuePath {
	const [head, index, ...sub] = path
	const within = (fields: readonly Field[], at: (name?: string) => IssuePath, rest: IssuePath) => {
		const column = columnOf(fields, rest)
		return column ? [...at(column.name), ...column.rest] : [...at(), ...rest]
	}
	if (head === 'organisations' && typeof index === 'number') return within(organisationFields, (n) => locator.organisation(index, n), sub)
	if (head === 'partnerships' && typeof index === 'number') return within(partnershipFields, (n) => locator.partnership(index, n), sub)
	if (head === 'layout' && index !== undefined) {
		const row = organisationIds.indexOf(index)
		if (row >= 0) return within(placementFields, (n) => locator.organisation(row, n), sub)
	}
	if (typeof head === 'string' && infoFields.some((f) => f.name === head)) return [...locator.info(head), ...path.slice(1)]
	return path
}
