import Papa from 'papaparse'
import { issue, type Issue } from '../issues'
import { SCHEMA_VERSION, type MaillageMap } from '../model'
import {
	decodeFields,
	decodePlacement,
	encodeFields,
	infoFields,
	locateInFlatFile,
	organisationFields,
	partnershipFields,
	placementFields,
	type Cells,
	type FlatLocator,
} from './flat'
import type { ImportResult } from './index'
import { completeImport } from './importing'
import { checkImportSize } from './limits'

/**
 * One CSV file (UTF-8 with BOM so that Excel reads the accents, RFC 4180 quoting, CRLF) for the
 * whole map: a `record` column says what each row is (`map`, `organisation`, `partnership`) and
 * the other columns are the union of their fields, with stable English headers. Lists of
 * vocabulary values are separated by ";", lists of objects (units, contacts, carriers, history)
 * are JSON. The single `map` row carries the title, territory, description, date and version.
 *
 * Formula injection: a cell that a spreadsheet would run (starting with = + - @, tab or carriage
 * return) is written with a leading apostrophe, and so is a cell that starts with an apostrophe;
 * import removes one leading apostrophe, so the round trip is exact. The price: a cell typed by
 * hand that starts with an apostrophe loses it. Numbers are written as they are (-12.5 is no
 * formula). Everything else of the model is carried: import(export(m)) = m.
 */

export const RECORD_COLUMN = 'record'
const recordKinds = ['map', 'organisation', 'partnership'] as const
type RecordKind = (typeof recordKinds)[number]

const numericColumns = new Set([...placementFields, ...infoFields].filter((f) => f.codec.type === 'double' || f.codec.type === 'int').map((f) => f.name))

/** Every column, in a stable order: the record kind, organisations, layout, partnerships, the map. */
export const csvColumns: readonly string[] = [
	...new Set([RECORD_COLUMN, ...[...organisationFields, ...placementFields, ...partnershipFields, ...infoFields].map((f) => f.name)]),
]

const DANGEROUS_START = /^[=+\-@\t\r']/

const neutralise = (cell: string) => (DANGEROUS_START.test(cell) ? `'${cell}` : cell)
const restore = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell)

function row(kind: RecordKind, cells: Cells): string[] {
	return csvColumns.map((column) => {
		if (column === RECORD_COLUMN) return kind
		const cell = cells[column] ?? ''
		return numericColumns.has(column) ? cell : neutralise(cell)
	})
}

export function exportCsv(map: MaillageMap): string {
	const rows = [
		row('map', encodeFields(infoFields, map)),
		...map.organisations.map((o) => {
			const placement = map.layout[o.id]
			return row('organisation', { ...encodeFields(organisationFields, o), ...(placement && encodeFields(placementFields, placement)) })
		}),
		...map.partnerships.map((p) => row('partnership', encodeFields(partnershipFields, p))),
	]
	return `\uFEFF${Papa.unparse({ fields: [...csvColumns], data: rows }, { newline: '\r\n', quotes: false, escapeFormulae: false })}\r\n`
}

// ─── Import ────────────────────────────────────────────────────────────────────────────────────

/** The delimiter of the header line: a spreadsheet set to French writes ";" instead of ",". */
function headerDelimiter(text: string): string {
	const header = text.slice(0, text.search(/\r|\n|$/))
	const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length] as const)
	return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0]
}

/** Row numbers as a spreadsheet shows them: the header is row 1. */
const rowNumber = (index: number) => index + 1

/** Columns each kind of row needs; without them no row of that kind can be read. */
const requiredColumns: Record<RecordKind, string[]> = {
	map: [],
	organisation: ['id', 'name'],
	partnership: ['id', 'from', 'to'],
}

export function importCsv(input: string): ImportResult {
	const tooLarge = checkImportSize(input)
	if (tooLarge) return { ok: false, issues: [tooLarge] }
	const text = input.replace(/^\uFEFF/, '')
	const parsed = Papa.parse<string[]>(text, { delimiter: headerDelimiter(text), skipEmptyLines: false })
	const quoting = parsed.errors.filter((e) => e.type === 'Quotes')
	if (quoting.length)
		return {
			ok: false,
			issues: quoting.map((e) =>
				issue(['row', rowNumber(e.row ?? 0)], `badly quoted cell: ${e.message}`, `cellule mal entourée de guillemets : ${e.message}`),
			),
		}
	const [header = [], ...records] = parsed.data
	const columns = header.map((c) => c.trim())

	const issues: Issue[] = []
	const warnings: Issue[] = []
	columns.forEach((name, i) => {
		if (name === '') return
		if (columns.indexOf(name) !== i) issues.push(issue(['columns', name], `column "${name}" appears twice`, `la colonne « ${name} » apparaît deux fois`))
		else if (!csvColumns.includes(name))
			warnings.push(issue(['columns', name], `column "${name}" is not a Maillage field: ignored`, `colonne « ${name} » inconnue de Maillage : ignorée`, 'warning'))
	})
	if (!columns.includes(RECORD_COLUMN))
		issues.push(issue(['columns', RECORD_COLUMN], `missing column "${RECORD_COLUMN}" (map, organisation or partnership)`, `colonne « ${RECORD_COLUMN} » manquante (map, organisation ou partnership)`))
	if (issues.length) return { ok: false, issues }

	const organisations: Record<string, unknown>[] = []
	const organisationRows: number[] = []
	const partnerships: Record<string, unknown>[] = []
	const partnershipRows: number[] = []
	const layout = new Map<string, unknown>()
	let info: Record<string, unknown> = {}
	let mapRow: number | undefined
	const kindsPresent = new Set<RecordKind>()

	records.forEach((cellsOfRow, index) => {
		const line = rowNumber(index + 1)
		if (cellsOfRow.every((c) => c.trim() === '')) return
		if (cellsOfRow.length > columns.length && cellsOfRow.slice(columns.length).some((c) => c !== ''))
			issues.push(issue(['row', line], `${cellsOfRow.length} cells for ${columns.length} columns`, `${cellsOfRow.length} cellules pour ${columns.length} colonnes`))
		const cells: Cells = Object.fromEntries(columns.map((name, i) => [name, cellsOfRow[i] === undefined ? undefined : restore(cellsOfRow[i] as string)]))
		const at = (name: string) => ['row', line, name]
		const kind = (cells[RECORD_COLUMN] ?? '').trim().toLowerCase() as RecordKind
		if (!recordKinds.includes(kind)) {
			issues.push(issue(at(RECORD_COLUMN), `unknown record "${cells[RECORD_COLUMN]}": expected map, organisation or partnership`, `enregistrement « ${cells[RECORD_COLUMN]} » inconnu : map, organisation ou partnership attendu`))
			return
		}
		kindsPresent.add(kind)
		if (kind === 'map') {
			if (mapRow !== undefined) issues.push(issue(at(RECORD_COLUMN), `a second map row (the first is row ${mapRow})`, `une deuxième ligne map (la première est la ligne ${mapRow})`))
			mapRow = line
			const decoded = decodeFields(infoFields, cells, at)
			issues.push(...decoded.issues)
			info = decoded.record
		} else if (kind === 'organisation') {
			const decoded = decodeFields(organisationFields, cells, at)
			const placement = decodePlacement(cells, at)
			issues.push(...decoded.issues, ...(placement?.issues ?? []))
			organisations.push(decoded.record)
			organisationRows.push(line)
			if (placement && typeof decoded.record.id === 'string') layout.set(decoded.record.id, placement.record)
		} else {
			const decoded = decodeFields(partnershipFields, cells, at)
			issues.push(...decoded.issues)
			partnerships.push(decoded.record)
			partnershipRows.push(line)
		}
	})

	const missing = [...kindsPresent].flatMap((kind) => requiredColumns[kind].filter((c) => !columns.includes(c)).map((c) => [kind, c] as const))
	if (missing.length)
		return {
			ok: false,
			issues: [...new Set(missing.map(([, c]) => c))].map((c) =>
				issue(['columns', c], `missing column "${c}", needed by ${missing.filter(([, m]) => m === c).map(([k]) => k).join(' and ')} rows`, `colonne « ${c} » manquante, nécessaire aux lignes ${missing.filter(([, m]) => m === c).map(([k]) => k).join(' et ')}`),
			),
		}

	const locator: FlatLocator = {
		info: (name) => (mapRow === undefined ? [name] : ['row', mapRow, name]),
		organisation: (index, name) => ['row', organisationRows[index] ?? -1, ...(name ? [name] : [])],
		partnership: (index, name) => ['row', partnershipRows[index] ?? -1, ...(name ? [name] : [])],
	}
	// A sheet typed by hand may have no map row: it is read as today's version.
	const document = { schemaVersion: SCHEMA_VERSION, ...info, organisations, partnerships, layout: Object.fromEntries(layout) }
	const ids = organisations.map((o) => o.id)
	const result = completeImport(document, (path) => locateInFlatFile(path, ids, locator), issues, warnings)
	return result.ok ? result : { ok: false, issues: result.issues.sort(byRow) }
}

/** Issues in the order of the sheet, so that they can be fixed from top to bottom (sort is stable). */
const byRow = (a: Issue, b: Issue) => (a.path[0] === 'row' ? Number(a.path[1]) : 0) - (b.path[0] === 'row' ? Number(b.path[1]) : 0)
