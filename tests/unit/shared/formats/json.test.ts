import { describe, expect, it } from 'vitest'
import { exportFormats, exportMap, importJson, importMap, MAX_IMPORT_BYTES, migrations, type ImportResult } from '../../../../shared/formats'
import type { Issue } from '../../../../shared/issues'
import { SCHEMA_VERSION } from '../../../../shared/model'
import { randomMap } from '../../../support/randomMap'

const failure = (result: ImportResult): Issue[] => {
	if (result.ok) throw new Error('expected the import to fail')
	return result.issues
}

const valid = {
	schemaVersion: 1,
	organisations: [
		{ id: 'cpas', name: 'CPAS de Chimay', units: [{ id: 'l2', name: '2e ligne' }] },
		{ id: 'forem', name: 'Le Forem' },
	],
	partnerships: [{ id: 'p1', from: { organisation: 'cpas', unit: 'l2' }, to: { organisation: 'forem' } }],
}
const withChange = (change: (doc: typeof valid) => unknown) => JSON.stringify(change(structuredClone(valid)))

describe('JSON export', () => {
	it('is pretty, puts schemaVersion first and parses back', () => {
		const map = randomMap(5)
		const { body, contentType, extension } = exportMap(map, 'json')
		expect(body.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true)
		expect(body.endsWith('}\n')).toBe(true)
		expect(JSON.parse(body)).toEqual(map)
		expect(contentType).toMatch(/^application\/json/)
		expect(extension).toBe('json')
	})
})

describe('JSON import', () => {
	it('fills in every optional field with its default', () => {
		const result = importJson(JSON.stringify(valid))
		expect(result.ok).toBe(true)
		if (!result.ok) return
		expect(result.map.title).toBe('')
		expect(result.map.layout).toEqual({})
		expect(result.map.organisations[1]).toEqual({ id: 'forem', name: 'Le Forem', shortName: '', kind: 'unknown', sectors: [], governanceRoles: [], units: [], contacts: [], notes: '' })
		expect(result.map.partnerships[0]).toMatchObject({ kind: 'unknown', formal: false, visible: true, convention: null, direction: 'mutual', status: 'active', to: { carriers: [] } })
	})

	it('accepts a byte order mark', () => {
		expect(importJson(`\uFEFF${JSON.stringify(valid)}`).ok).toBe(true)
	})

	it('reports a syntax error with its line and column in both languages', () => {
		const [problem, ...others] = failure(importJson('{\n  "schemaVersion": 1,\n  "title": "x",,\n}'))
		expect(others).toEqual([])
		expect(problem?.message.en).toMatch(/^invalid JSON at line 3, column 16: /)
		expect(problem?.message.fr).toMatch(/^JSON invalide à la ligne 3, colonne 16 : /)
	})

	it('reports a truncated file at its end', () => {
		const [problem] = failure(importJson('{\n  "organisations": ['))
		expect(problem?.message.en).toMatch(/line 2, column 21/)
	})

	it.each(['[]', 'null', '"map"', '42', ''])('refuses %j, which is no map', (text) => {
		const [problem] = failure(importJson(text))
		expect(problem?.message.en).toMatch(/JSON/)
		expect(problem?.message.fr).toMatch(/JSON/)
	})

	it('reports every validation problem at its path, in French and English', () => {
		const text = withChange((doc) => {
			const org = doc.organisations[0] as Record<string, unknown>
			org.name = 42
			org.strenght = 'strong'
			;(doc.partnerships[0] as Record<string, unknown>).kind = 'friendly'
			Object.assign(doc.partnerships[0]!.from, { carriers: [{ name: 'A', age: 3 }] })
			return doc
		})
		const issues = failure(importJson(text))
		expect(issues.map((i) => i.path)).toEqual([
			['organisations', 0, 'name'],
			['organisations', 0],
			['partnerships', 0, 'from', 'carriers', 0],
			['partnerships', 0, 'kind'],
		])
		for (const i of issues) {
			expect(i.severity).toBe('error')
			expect(i.message.en).not.toBe('')
			expect(i.message.fr).not.toBe(i.message.en)
		}
	})

	it('reports a partnership to an unknown organisation and a self-loop', () => {
		const issues = failure(
			importJson(
				withChange((doc) => {
					doc.partnerships[0]!.to.organisation = 'nowhere'
					doc.partnerships.push({ id: 'p2', from: { organisation: 'forem' }, to: { organisation: 'forem' } } as never)
					return doc
				}),
			),
		)
		expect(issues).toEqual([
			{ path: ['partnerships', 1, 'to', 'organisation'], severity: 'error', message: { en: 'a partnership links two different organisations', fr: 'un partenariat relie deux organisations différentes' } },
			{ path: ['partnerships', 0, 'to', 'organisation'], severity: 'error', message: { en: 'unknown organisation "nowhere"', fr: 'organisation inconnue « nowhere »' } },
		])
		const unknown = failure(importJson(withChange((doc) => ((doc.partnerships[0]!.to.organisation = 'nowhere'), doc))))
		expect(unknown).toEqual([
			{ path: ['partnerships', 0, 'to', 'organisation'], severity: 'error', message: { en: 'unknown organisation "nowhere"', fr: 'organisation inconnue « nowhere »' } },
		])
	})

	it('lists broken references with malformed records, in one round', () => {
		const issues = failure(
			importJson(
				withChange((doc) => {
					Object.assign(doc.organisations[1]!, { kind: 'castle' })
					doc.partnerships[0]!.to.organisation = 'nowhere'
					doc.organisations.push({ ...doc.organisations[0]!, name: 7 } as never)
					return doc
				}),
			),
		)
		const paths = issues.map((i) => i.path.join('.'))
		expect(paths).toContain('organisations.1.kind')
		expect(paths).toContain('organisations.2.name')
		expect(paths).toContain('partnerships.0.to.organisation')
		// The malformed copy still has an id: that id is a duplicate.
		expect(issues).toContainEqual({
			path: ['organisations', 2, 'id'],
			severity: 'error',
			message: { en: `duplicate organisation id "${valid.organisations[0]!.id}"`, fr: `identifiant d'organisation en double « ${valid.organisations[0]!.id} »` },
		})
	})

	it('is pure: the same text always gives the same answer', () => {
		const text = withChange((doc) => ({ ...doc, title: 7 }))
		expect(importJson(text)).toEqual(importJson(text))
	})
})

describe('JSON versions', () => {
	it('has a migration step for every older version', () => {
		for (let v = 0; v < SCHEMA_VERSION; v++) expect(migrations.some((m) => m.from === v)).toBe(true)
	})

	it('reads a file without schemaVersion as version 0 and says it migrated it', () => {
		const { schemaVersion: _, ...unversioned } = valid
		const result = importJson(JSON.stringify(unversioned))
		expect(result.ok).toBe(true)
		if (!result.ok) return
		expect(result.map.schemaVersion).toBe(SCHEMA_VERSION)
		expect(result.warnings).toEqual([
			{ path: ['schemaVersion'], severity: 'warning', message: { en: 'migrated from schema version 0 to 1: version number added', fr: 'migré de la version de schéma 0 à 1 : numéro de version ajouté' } },
		])
		expect(importJson(JSON.stringify({ ...valid, schemaVersion: 0 }))).toEqual(result)
	})

	it('does not change the document it migrates', () => {
		const document = { organisations: [] }
		const step = migrations[0]
		expect(step?.up(document)).toEqual({ organisations: [], schemaVersion: 1 })
		expect(document).toEqual({ organisations: [] })
	})

	it('refuses a file from a newer Maillage with a clear message', () => {
		const [problem, ...others] = failure(importJson(JSON.stringify({ ...valid, schemaVersion: SCHEMA_VERSION + 1 })))
		expect(others).toEqual([])
		expect(problem?.path).toEqual(['schemaVersion'])
		expect(problem?.message.en).toMatch(/newer Maillage.*update Maillage/)
		expect(problem?.message.fr).toMatch(/plus récent.*mettez Maillage à jour/)
	})

	it.each([['1'], [1.5], [-1], [null]])('refuses schemaVersion %j', (schemaVersion) => {
		const [problem] = failure(importJson(JSON.stringify({ ...valid, schemaVersion })))
		expect(problem?.path).toEqual(['schemaVersion'])
	})
})

describe('every import', () => {
	it.each(exportFormats)('refuses a %s file larger than MAX_IMPORT_BYTES before parsing it', (format) => {
		const huge = ' '.repeat(MAX_IMPORT_BYTES + 1)
		const started = performance.now()
		const [problem, ...others] = failure(importMap(huge, format))
		expect(others).toEqual([])
		expect(problem?.message).toEqual({ en: 'file too large: more than 10 MiB', fr: 'fichier trop volumineux : plus de 10 Mio' })
		expect(performance.now() - started).toBeLessThan(500)
	})

	it('counts bytes, not characters', () => {
		const accents = 'é'.repeat(MAX_IMPORT_BYTES / 2 + 1)
		expect(failure(importJson(accents))[0]?.message.en).toMatch(/too large/)
	})

	it.each(exportFormats)('never throws on garbage in %s', (format) => {
		for (const garbage of ['', '\u0000', '<', '{', '"', '<?xml?>', '\uFEFF', 'a,b\n"c', '<graphml><graph><node/></graph></graphml>']) {
			const result = importMap(garbage, format)
			expect(result.ok).toBe(false)
			if (!result.ok) expect(result.issues.every((i) => !/internal error/.test(i.message.en))).toBe(true)
		}
	})
})
