import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const servers = ['maillage', 'reference', 'hocuspocus']
const scenarios = ['footprint', 'fanout', 'fanoutMax', 'connections', 'largeMap', 'churn']
const metrics = ['updatesPerSec', 'p50Ms', 'p95Ms', 'p99Ms', 'rssMiB', 'cpuSec', 'cpuMsPer1kDeliveries']

/** The benchmark harness with tiny numbers (1 room x 3 clients, 20 sockets, a 20-organisation map). */
describe('npm run bench (smoke sizes)', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'maillage-bench-test-'))
	const out = path.join(dir, 'results.json')
	afterAll(() => rmSync(dir, { recursive: true, force: true }))

	it('runs every scenario on every server and writes every field', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
		let output = ''
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
		expect(code, output).toBe(0)
		expect(output).toMatch(/fanoutMax maillage\/reference: updatesPerSec \d/)
		expect(output).toMatch(/goal footprint maillage\/hocuspocus rssMiB [\d.]+x <= 1\.3x: (met|not met)/)

		const report = JSON.parse(readFileSync(out, 'utf8'))
		expect(report.machine).toMatchObject({ cores: expect.any(Number), memoryGiB: expect.any(Number), node: process.version })
		for (const scenario of scenarios) {
			for (const server of servers) {
				const result = report.results[scenario]?.[server]
				expect(result, `${scenario} on ${server}`).toBeDefined()
				for (const metric of metrics) {
					expect(result, `${scenario}/${server}`).toHaveProperty(metric)
					expect(result[metric] === null || typeof result[metric] === 'number', `${scenario}/${server}/${metric}`).toBe(true)
				}
				// Every server answered: it used CPU and memory, and its clients were served.
				expect(result.rssMiB).toBeGreaterThan(0)
			}
			for (const other of ['reference', 'hocuspocus']) expect(report.ratios[scenario]).toHaveProperty(`maillage/${other}`)
		}
		for (const server of servers) {
			const fanout = report.results.fanout[server]
			expect(fanout.updatesPerSec, server).toBeGreaterThan(0)
			expect(fanout.p99Ms, server).toBeGreaterThan(0)
			expect(fanout.details.converged, server).toBe(true)
			// Two interleaved saturated rounds at smoke size; the median one is reported.
			const saturated = report.results.fanoutMax[server]
			expect(saturated.details.rounds, server).toHaveLength(2)
			expect(saturated.details.rounds, server).toContain(saturated.updatesPerSec)
			expect(saturated.updatesPerSec, server).toBeGreaterThan(0)
			expect(report.results.connections[server].details).toMatchObject({ alive: 20, failures: 0 })
			expect(report.results.largeMap[server].p50Ms, server).toBeGreaterThan(0)
			expect(report.results.churn[server].details.deliveryRatio, server).toBe(1)
			// Stock providers only: every client's replica converged, CPU read over the window.
			const footprint = report.results.footprint[server]
			expect(footprint.details).toMatchObject({ converged: true, stockPerRoom: 3, incompleteEdits: 0 })
			expect(footprint.cpuMsPer1kDeliveries, server).toBeGreaterThanOrEqual(0)
		}
		expect(report.results.largeMap.maillage.details.exportMsP50).toBeGreaterThan(0)
	}, 120_000)
})
