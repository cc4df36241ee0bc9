import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * Prometheus metrics of one server. Each server has its own registry, so that several servers
 * in one process (tests) do not collide; process metrics (memory, CPU, event loop) included.
 */
export function createMetrics() {
	const registry = new Registry()
	collectDefaultMetrics({ register: registry })
	// Moved on every frame: plain numbers, handed to the counters at scrape time (a labelled
	// prom-client inc per frame and per peer showed in the fan-out profile).
	const traffic = { messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0 }
	const metrics = {
		registry,
		traffic,
		connections: new Gauge({ name: 'maillage_connections', help: 'Open WebSocket connections', labelNames: ['role'] as const, registers: [registry] }),
		roomsLoaded: new Gauge({ name: 'maillage_rooms_loaded', help: 'Rooms whose document is in memory', registers: [registry] }),
		messages: trafficCounter(registry, 'maillage_messages_total', 'WebSocket messages', () => [traffic.messagesIn, traffic.messagesOut]),
		bytes: trafficCounter(registry, 'maillage_bytes_total', 'WebSocket payload bytes', () => [traffic.bytesIn, traffic.bytesOut]),
		rejectedFrames: new Counter({
			name: 'maillage_rejected_frames_total',
			help: 'Frames that closed their connection: malformed or over the size limit',
			labelNames: ['reason'] as const,
			registers: [registry],
		}),
		viewerWritesDropped: new Counter({
			name: 'maillage_viewer_writes_dropped_total',
			help: 'Document updates sent by viewers, neither applied nor relayed',
			registers: [registry],
		}),
		lockedWritesDropped: new Counter({
			name: 'maillage_locked_writes_dropped_total',
			help: 'Document updates sent by participants while their room was locked, neither applied nor relayed',
			registers: [registry],
		}),
		refusedUpgrades: new Counter({
			name: 'maillage_refused_upgrades_total',
			help: 'WebSocket upgrades refused, by HTTP status',
			labelNames: ['status'] as const,
			registers: [registry],
		}),
		refusals: new Counter({
			name: 'maillage_refusals_total',
			help: 'What a limit refused: presence too large or coalesced, room too large, update budget, memory',
			labelNames: ['reason'] as const,
			registers: [registry],
		}),
		roomLoadFailures: new Counter({ name: 'maillage_room_load_failures_total', help: 'Rooms that could not be loaded', registers: [registry] }),
		persistenceFailures: new Counter({
			name: 'maillage_persistence_failures_total',
			help: 'Rooms closed because an update could not be stored',
			registers: [registry],
		}),
		persistenceSeconds: new Histogram({
			name: 'maillage_persistence_seconds',
			help: 'Time spent in the store',
			labelNames: ['operation'] as const,
			buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
			registers: [registry],
		}),
	}
	return metrics
}

/** A counter by direction whose totals are read at scrape time from `totals` ([in, out]). */
function trafficCounter(registry: Registry, name: string, help: string, totals: () => [number, number]) {
	return new Counter({
		name,
		help,
		labelNames: ['direction'] as const,
		registers: [registry],
		collect() {
			const [incoming, outgoing] = totals()
			this.reset()
			this.inc({ direction: 'in' }, incoming)
			this.inc({ direction: 'out' }, outgoing)
		},
	})
}

export type Metrics = ReturnType<typeof createMetrics>
