/** Nearest-rank percentile of unsorted values (undefined when there are none). */
export function percentile(values: readonly number[], p: number): number | undefined {
	if (values.length === 0) return undefined
	const sorted = Float64Array.from(values).sort()
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
	return sorted[rank]
}

export function latencySummary(values: readonly number[]) {
	return { p50Ms: percentile(values, 50), p95Ms: percentile(values, 95), p99Ms: percentile(values, 99) }
}

export const round = (value: number | undefined, digits = 2) =>
	value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
