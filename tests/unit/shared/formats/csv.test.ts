import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { csvColumns, exportMap, importCsv, type ImportResult } from '../../../../shared/formats'
import type { Issue } from '../../../../shared/issues'
import { mapSchema } from '../../../../shared/model'
import { randomMap } from '../../../support/randomMap'

const failure = (result: ImportResult): Issue[] => {
	if (result.ok) throw new Error('expected the import to fail')
	return result.issues
}
const rows = (body: string) => Papa.parse<string[]>(body.replace(/^\uFEFF/, ''), { delimiter: ',' }).data.filter((r) => r.join('') !== '')

const header = csvColumns.join(',')
/** A CSV made by hand: only the given columns, in that order. */
const sheet = (...lines: string[]) => lines.join('\r\n')

describe('CSV export', () => {
	const map = randomMap(6, { organisations: 10, partnerships: 15 })
	const { body, contentType, extension } = exportMap(map, 'csv')

	it('is UTF-8 with a BOM, CRLF rows and stable English headers', () => {
		expect(contentType).toBe('text/csv; charset=utf-8')
		expect(extension).toBe('csv')
		expect(body.startsWith(`\uFEFF${header}\r\n`)).toBe(true)
		expect(csvColumns.slice(0, 5)).toEqual(['record', 'id', 'name', 'shortName', 'kind'])
		const data = rows(body)
		expect(data.map((r) => r[0])).toEqual(['record', 'map', ...map.organisations.map(() => 'organisation'), ...map.partnerships.map(() => 'partnership')])
		expect(data.every((r) => r.length === csvColumns.length)).toBe(true)
	})

	it('neutralises every cell a spreadsheet would run as a formula', () => {
		const numeric = new Set(['x', 'y', 'w', 'h', 'schemaVersion'])
		let neutralised = 0
		for (const row of rows(body).slice(1))
			row.forEach((cell, i) => {
				const column = csvColumns[i] as string
				if (numeric.has(column)) expect(cell === '' || Number.isFinite(Number(cell)), `${column}: ${cell}`).toBe(true)
				else {
					expect(cell, column).not.toMatch(/^[=+\-@\t\r]/)
					if (cell.startsWith("'")) neutralised++
				}
			})
		expect(neutralised).toBeGreaterThan(5)
	})

	it('writes readable lists and flags', () => {
		const m = mapSchema.parse({
			schemaVersion: 1,
			organisations: [
				{ id: '-a', name: '=1+1', sectors: ['housing', 'debt'] },
				{ id: 'b', name: "'quoted" },
			],
			partnerships: [{ id: 'p', from: { organisation: '-a' }, to: { organisation: 'b' }, formal: true, convention: { end: '2025-06-30' } }],
			layout: { '-a': { x: -12.5, y: 0, w: 10, h: 10 } },
		})
		const [, , a, b, p] = rows(exportMap(m, 'csv').body)
		const cell = (row: string[] | undefined, column: string) => row?.[csvColumns.indexOf(column)]
		expect([cell(a, 'id'), cell(a, 'name'), cell(a, 'sectors'), cell(a, 'x')]).toEqual(["'-a", "'=1+1", 'housing;debt', '-12.5'])
		expect(cell(b, 'name')).toBe("''quoted")
		expect([cell(p, 'from'), cell(p, 'formal'), cell(p, 'convention'), cell(p, 'conventionEnd')]).toEqual(["'-a", 'true', 'true', '2025-06-30'])
	})
})

describe('CSV import', () => {
	it('reads a sheet typed by hand: few columns, no map row, spreadsheet habits', () => {
		const result = importCsv(
			sheet(
				'record;id;name;sectors;formal;x;y;w;h;from;to;conventionEnd',
				'organisation;cpas;CPAS;housing; debt;;;;;;;;',
				'Organisation;forem;Forem;;;12,5;-3;200;96;;;',
				'partnership;p1;;;TRUE;;;;;cpas;forem;2026-01-31',
				';;;;;;;;;;;',
			).replace('housing; debt', '"housing; debt"'),
		)
		expect(result.ok ? result.warnings : result.issues).toEqual([])
		if (!result.ok) return
		expect(result.map.organisations.map((o) => [o.id, o.sectors])).toEqual([
			['cpas', ['housing', 'debt']],
			['forem', []],
		])
		expect(result.map.layout).toEqual({ forem: { x: 12.5, y: -3, w: 200, h: 96 } })
		expect(result.map.partnerships[0]).toMatchObject({ formal: true, convention: { objectives: '', end: '2026-01-31', evaluation: '' } })
	})

	it('warns about columns it does not know', () => {
		const result = importCsv(sheet('record,id,name,comment', 'organisation,a,A,hello'))
		expect(result.ok && result.warnings.map((w) => [w.path, w.message.en])).toEqual([[['columns', 'comment'], 'column "comment" is not a Maillage field: ignored']])
	})

	it('refuses a file without the record column', () => {
		const issues = failure(importCsv(sheet('id,name', 'a,A')))
		expect(issues.map((i) => i.path)).toEqual([['columns', 'record']])
		expect(issues[0]?.message.fr).toMatch(/colonne « record » manquante/)
	})

	it('refuses missing columns that present rows need', () => {
		const issues = failure(importCsv(sheet('record,id,from', 'organisation,a,', 'partnership,p,a')))
		expect(issues.map((i) => i.path)).toEqual([
			['columns', 'name'],
			['columns', 'to'],
		])
		expect(issues[0]?.message).toEqual({ en: 'missing column "name", needed by organisation rows', fr: 'colonne « name » manquante, nécessaire aux lignes organisation' })
	})

	it('reports each bad cell at its row and column, in both languages', () => {
		const issues = failure(
			importCsv(
				sheet(
					'record,id,name,kind,units,x,y,w,h,from,to,formal,strength',
					'organisation,a,A,club,,,,,,,,,',
					'organisation,b,B,,"[{""id"":",1,2,,4,,,,',
					'partnership,p1,,,,,,,,a,ghost,maybe,',
					'partnership,p2,,,,,,,,a,b,,huge',
					'friendship,f,,,,,,,,,,,',
				),
			),
		)
		expect(issues.map((i) => i.path)).toEqual([
			['row', 2, 'kind'],
			['row', 3, 'units'],
			['row', 3, 'w'],
			['row', 4, 'formal'],
			// Checked with the malformed cells, not after them.
			['row', 4, 'to'],
			['row', 5, 'strength'],
			['row', 6, 'record'],
		])
		for (const i of issues) expect(i.message.fr).not.toBe(i.message.en)
	})

	it('reports a partnership to an unknown organisation at its row', () => {
		const issues = failure(importCsv(sheet('record,id,name,from,to', 'organisation,a,A,,', 'partnership,p1,,a,ghost')))
		expect(issues).toEqual([{ path: ['row', 3, 'to'], severity: 'error', message: { en: 'unknown organisation "ghost"', fr: 'organisation inconnue « ghost »' } }])
	})

	it('reports bad nested values inside their JSON cell', () => {
		const issues = failure(importCsv(sheet('record,id,name,contacts', 'organisation,a,A,"[{""name"":1}]"')))
		expect(issues.map((i) => i.path)).toEqual([['row', 2, 'contacts', 0, 'name']])
	})

	it('refuses contradictory convention cells', () => {
		const issues = failure(importCsv(sheet('record,id,name,from,to,convention,conventionObjectives', 'organisation,a,A,,,,', 'organisation,b,B,,,,', 'partnership,p,,a,b,false,jobs')))
		expect(issues.map((i) => i.path)).toEqual([['row', 4, 'convention']])
	})

	it('refuses broken quoting, extra cells and a second map row', () => {
		expect(failure(importCsv(sheet('record,id,name', 'organisation,a,"A')))[0]?.path).toEqual(['row', 2])
		expect(failure(importCsv(sheet('record,id,name', 'organisation,a,A,extra')))[0]?.path).toEqual(['row', 2])
		expect(failure(importCsv(sheet('record,title', 'map,One', 'map,Two')))[0]?.path).toEqual(['row', 3, 'record'])
	})

	it('refuses a duplicated column', () => {
		expect(failure(importCsv(sheet('record,id,name,name', 'organisation,a,A,B')))[0]?.path).toEqual(['columns', 'name'])
	})

	it('refuses a map from a newer Maillage', () => {
		const issues = failure(importCsv(sheet('record,schemaVersion', 'map,99')))
		expect(issues.map((i) => i.path)).toEqual([['row', 2, 'schemaVersion']])
	})
})
