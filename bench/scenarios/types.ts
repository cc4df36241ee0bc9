import type { BenchConfig } from '../config'
import type { LaunchedServer } from '../servers/launch'

/** What every scenario reports for every server; null where a measure does not apply. */
export interface ScenarioResult {
	updatesPerSec: number | null
	p50Ms: number | null
	p95Ms: number | null
	p99Ms: number | null
	/** Resident memory of the server process at the end of the scenario. */
	rssMiB: number | null
	/** CPU time of the server process during the measured part. */
	cpuSec: number | null
	/** Server CPU per 1,000 edit arrivals at peers, both over the measured window (fan-out kinds only). */
	cpuMsPer1kDeliveries: number | null
	details: Record<string, unknown>
}

/** A scenario may report several results (fan-out reports its steady and saturated phases). */
export type Scenario = (server: LaunchedServer, config: BenchConfig) => Promise<Record<string, ScenarioResult>>
