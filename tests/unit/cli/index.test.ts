import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, mapStats } from '../../../cli'
import { exportMap, importMap, stripPersons } from '../../../shared/formats'
import { randomMap } from '../../support/randomMap'

/** The same command in this process, with its output captured. */
function run(...args: string[]): Run {
	const out: string[] = []
	const err: string[] = []
	const code = main(args, { out: (line) => out.push(`${line}\n`), err: (line) => err.push(`${line}\n`) })
	return { code, stdout: out.join(''), stderr: err.join('') }
}

const bin = fileURLToPath(new URL('../../../bin/maillage.mjs', import.meta.url))

interface Run {
	code: number
	stdout: string
	stderr: string
}

/** Runs the real command, as a user would, in a fresh process. */
const maillage = (...args: string[]) =>
	new Promise<Run>((resolve) => {
		execFile(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => {
			resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr })
		})
	})

describe('maillage command', () => {
	const dir = mkdtempSync(join(tmpdir(), 'maillage-cli-'))
	const file = (name: string) => join(dir, name)
	const map = randomMap(4, { organisations: 6, partnerships: 9 })

	beforeAll(() => {
		writeFileSync(file('map.json'), exportMap(map, 'json').body)
		writeFileSync(file('broken.json'), JSON.stringify({ schemaVersion: 1, organisations: [{ id: 'a b', name: 'A' }] }))
		writeFileSync(file('map.txt'), 'hello')
	})
	afterAll(() => rmSync(dir, { recursive: true, force: true }))

	// Spawning costs a second per process: the real command is run for the wiring and exit codes,
	// the other cases call the same `main` in this process.
	it('runs as a real command with its exit codes', async () => {
		const [valid, invalid, none, converted, statsJson] = await Promise.all([
			maillage('validate', file('map.json')),
			maillage('validate', file('broken.json')),
			maillage(),
			maillage('convert', file('map.json'), file('spawned.graphml')),
			maillage('stats', file('map.json'), '--json'),
		])
		expect(valid).toMatchObject({ code: 0, stdout: `${file('map.json')}: valid (6 organisations, 9 partnerships)\n` })
		expect(invalid.code).toBe(1)
		expect(invalid.stdout).toBe('error: organisations.0.id: expected 1 to 64 letters, digits, "_" or "-"\n')
		expect(invalid.stderr).toMatch(/invalid \(1 problem\)/)
		expect(none.code).toBe(2)
		expect(none.stderr).toMatch(/^Usage:/)
		expect(converted.code).toBe(0)
		const result = importMap(readFileSync(file('spawned.graphml'), 'utf8'), 'graphml')
		expect(result.ok && result.map).toStrictEqual(map)
		expect(JSON.parse(statsJson.stdout)).toEqual(mapStats(map))
	})

	it('explains problems in French on request', () => {
		const { code, stdout } = run('validate', file('broken.json'), '--lang=fr')
		expect(code).toBe(1)
		expect(stdout).toMatch(/^error: organisations\.0\.id: Chaîne de caractères invalide/)
	})

	it('summarises a map', () => {
		const { code, stdout } = run('stats', file('map.json'))
		const counts = mapStats(map)
		expect(code).toBe(0)
		expect(stdout).toContain('organisations: 6\n')
		expect(stdout).toContain('partnerships: 9\n')
		expect(stdout).toContain(`formal ${counts.partnerships.formal}, informal ${counts.partnerships.informal}`)
		expect(stdout).toContain(`visible ${counts.partnerships.visible}, invisible ${counts.partnerships.invisible}`)
	})

	it('converts between every format, with or without personal data', () => {
		for (const format of ['graphml', 'gexf', 'csv'] as const) {
			expect(run('convert', file('map.json'), file(`map.${format}`)).code).toBe(0)
			const result = importMap(readFileSync(file(`map.${format}`), 'utf8'), format)
			expect(result.ok && result.map).toStrictEqual(map)
		}
		const stripped = run('convert', file('map.csv'), file('stripped.json'), '--strip-persons')
		expect(stripped).toMatchObject({ code: 0, stdout: expect.stringMatching(/without personal data/) })
		const result = importMap(readFileSync(file('stripped.json'), 'utf8'), 'json')
		expect(result.ok && result.map).toStrictEqual(stripPersons(map))
	})

	it('exits 2 on wrong usage and unreadable files, 1 on an invalid input to convert', () => {
		expect(run('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "frobnicate"/) })
		expect(run('validate', file('map.txt'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot tell the format of "map.txt"/) })
		expect(run('validate', file('nope.json'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot read .*ENOENT/) })
		expect(run('validate')).toMatchObject({ code: 2, stderr: expect.stringMatching(/validate takes one file/) })
		expect(run('stats', file('map.json'), '--colour')).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown option --colour/) })
		expect(run('validate', file('map.json'), '--lang=de')).toMatchObject({ code: 2 })
		expect(run('convert', file('broken.json'), file('out.csv'))).toMatchObject({ code: 1, stderr: expect.stringMatching(/nothing written/) })
		expect(() => readFileSync(file('out.csv'))).toThrow()
		expect(run('--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage:/) })
	})
})
