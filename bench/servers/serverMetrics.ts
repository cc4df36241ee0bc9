/**
 * What Maillage's own /metrics say about a phase: event-loop lag (prom-client resets its
 * histogram on every scrape, so a scrape before the phase starts it afresh) and time spent in
 * GC and in compaction. This tells a stall of the server from a stall of the load generators.
 */
export interface ServerPhaseStats {
	eventLoopLagP99Ms: number
	eventLoopLagMaxMs: number
	gcSec: number
	compactions: number
	compactSec: number
	appends: number
	appendSec: number
	/** Appends (SQLite or PostgreSQL commits) that held the event loop more than 25 ms. */
	appendsOver25Ms: number
	/** WebSocket messages sent, to compare with the edits' deliveries. */
	messagesOut: number
}

function sample(text: string, name: string, ...labels: string[]): number {
	let total = 0
	for (const line of text.split('\n'))
		if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{') && labels.every((l) => line.includes(l)))
			total += Number(line.slice(line.lastIndexOf(' ') + 1))
	return total
}

export async function phaseMetrics(url: string): Promise<() => Promise<ServerPhaseStats>> {
	const scrape = async () => (await fetch(url)).text()
	const before = await scrape()
	return async () => {
		const after = await scrape()
		const delta = (name: string, ...labels: string[]) => sample(after, name, ...labels) - sample(before, name, ...labels)
		const append = 'operation="append"'
		return {
			eventLoopLagP99Ms: Math.round(sample(after, 'nodejs_eventloop_lag_p99_seconds') * 10_000) / 10,
			eventLoopLagMaxMs: Math.round(sample(after, 'nodejs_eventloop_lag_max_seconds') * 10_000) / 10,
			gcSec: Math.round(delta('nodejs_gc_duration_seconds_sum') * 1000) / 1000,
			compactions: delta('maillage_persistence_seconds_count', 'operation="compact"'),
			compactSec: Math.round(delta('maillage_persistence_seconds_sum', 'operation="compact"') * 1000) / 1000,
			appends: delta('maillage_persistence_seconds_count', append),
			appendSec: Math.round(delta('maillage_persistence_seconds_sum', append) * 1000) / 1000,
			appendsOver25Ms: delta('maillage_persistence_seconds_count', append) - delta('maillage_persistence_seconds_bucket', append, 'le="0.025"'),
			messagesOut: delta('maillage_messages_total', 'direction="out"'),
		}
	}
}
