import { readFileSync } from 'node:fs'
import { onTestFailed } from 'vitest'
import * as Y from 'yjs'
import { seededRandom } from './randomMap'

/**
 * The seed of a reliability test: RELIABILITY_SEED when set (a soak run sets a new one each
 * time), else the test's fixed default, so that `npm test` always replays the same faults.
 * Printed whenever the test fails, to replay exactly that run.
 */
export function testSeed(name: string, fallback: number): number {
	const fromEnv = process.env.RELIABILITY_SEED
	const seed = fromEnv === undefined || fromEnv === '' ? fallback : Number(fromEnv)
	if (!Number.isInteger(seed)) throw new Error(`RELIABILITY_SEED must be an integer, got "${fromEnv}"`)
	onTestFailed(() => console.error(`[reliability] ${name} failed with seed ${seed}: replay with RELIABILITY_SEED=${seed}`))
	return seed
}

/** RELIABILITY_SCALE multiplies the counts of a soak run; 1 in `npm test`. */
export const scale = Math.max(1, Number(process.env.RELIABILITY_SCALE ?? 1) || 1)

export interface Random {
	next(): number
	int(n: number): number
	pick<T>(items: readonly T[]): T
	chance(p: number): boolean
	bytes(n: number): Uint8Array
}

export function random(seed: number): Random {
	const next = seededRandom(seed)
	const int = (n: number) => Math.floor(next() * n)
	return {
		next,
		int,
		pick: (items) => items[int(items.length)] as (typeof items)[number],
		chance: (p) => next() < p,
		bytes: (n) => Uint8Array.from({ length: n }, () => int(256)),
	}
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export function residentBytes(pid: number): number {
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
	if (!match) throw new Error(`no VmRSS for process ${pid}`)
	return Number(match[1]) * 1024
}

/** Figures a test reports for docs/reliability.md, printed on one greppable line. */
export function reportFigures(test: string, figures: Record<string, number | string>): void {
	console.log(`[reliability figures] ${test} ${JSON.stringify(figures)}`)
}

/**
 * Whether applying `state` (an update) to a copy of `doc` would add anything: false when `doc`
 * already holds every insertion and deletion of it. The exact test of "nothing lost".
 */
export function wouldAdd(doc: Y.Doc, state: Uint8Array): boolean {
	const copy = new Y.Doc()
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
	let changed = false
	copy.on('update', () => (changed = true))
	Y.applyUpdate(copy, state)
	copy.destroy()
	return changed
}
