/** The sizes of one benchmark run: `full` (default), `--quick`, and `smoke` for the test suite. */
export interface BenchConfig {
	name: 'full' | 'quick' | 'smoke'
	/** A fresh server process per scenario (clean memory readings); the smoke test reuses one per server. */
	freshServers: boolean
	fanout: {
		rooms: number
		clientsPerRoom: number
		/** Edits per second of each client in the steady phase. */
		rateHz: number
		warmupMs: number
		measureMs: number
		/** Saturation phase: each client keeps `window` edits in flight. */
		saturateMs: number
		window: number
		/**
		 * Saturated rounds per server, interleaved (every server's round 1, then every server's round
		 * 2, ...), each on a fresh process; the median round is reported. The machine's speed drifts
		 * over minutes, and one round per server let that drift decide the ratios.
		 */
		saturatedRounds: number
		drainMs: number
		workers: number
	}
	/** The footprint scenario: stock providers only, a steady rate (5 rooms x 10 clients x 5 edits/s in full and quick). */
	footprint: { rooms: number; clientsPerRoom: number; stockPerRoom: number; rateHz: number; warmupMs: number; measureMs: number; drainMs: number; workers: number }
	/** settleMs: pause before each memory reading; idleMs: how long the server is watched with every socket idle. */
	connections: { sockets: number; rooms: number; concurrency: number; settleMs: number; idleMs: number }
	largeMap: { organisations: number; partnerships: number; newClients: number; exports: number; settleMs: number }
	churn: { durationMs: number; roomsPerCycle: number; clientsPerRoom: number; editsPerClient: number; settleMs: number }
}

export const configs: Record<BenchConfig['name'], BenchConfig> = {
	full: {
		name: 'full',
		freshServers: true,
		fanout: { rooms: 20, clientsPerRoom: 50, rateHz: 1, warmupMs: 3000, measureMs: 12_000, saturateMs: 10_000, window: 2, saturatedRounds: 3, drainMs: 5000, workers: 2 },
		footprint: { rooms: 5, clientsPerRoom: 10, stockPerRoom: 10, rateHz: 5, warmupMs: 1000, measureMs: 10_000, drainMs: 3000, workers: 2 },
		connections: { sockets: 5000, rooms: 100, concurrency: 100, settleMs: 1500, idleMs: 3000 },
		largeMap: { organisations: 1000, partnerships: 3000, newClients: 5, exports: 5, settleMs: 1000 },
		churn: { durationMs: 60_000, roomsPerCycle: 10, clientsPerRoom: 5, editsPerClient: 3, settleMs: 5000 },
	},
	quick: {
		name: 'quick',
		freshServers: true,
		fanout: { rooms: 4, clientsPerRoom: 10, rateHz: 1, warmupMs: 2000, measureMs: 10_000, saturateMs: 5000, window: 2, saturatedRounds: 1, drainMs: 3000, workers: 2 },
		footprint: { rooms: 5, clientsPerRoom: 10, stockPerRoom: 10, rateHz: 5, warmupMs: 1000, measureMs: 10_000, drainMs: 3000, workers: 2 },
		connections: { sockets: 500, rooms: 10, concurrency: 50, settleMs: 1000, idleMs: 2000 },
		largeMap: { organisations: 1000, partnerships: 3000, newClients: 3, exports: 3, settleMs: 1000 },
		churn: { durationMs: 10_000, roomsPerCycle: 5, clientsPerRoom: 4, editsPerClient: 2, settleMs: 4000 },
	},
	smoke: {
		name: 'smoke',
		freshServers: false,
		fanout: { rooms: 1, clientsPerRoom: 3, rateHz: 2, warmupMs: 300, measureMs: 2000, saturateMs: 1000, window: 1, saturatedRounds: 2, drainMs: 2000, workers: 1 },
		footprint: { rooms: 1, clientsPerRoom: 3, stockPerRoom: 3, rateHz: 2, warmupMs: 300, measureMs: 1000, drainMs: 2000, workers: 1 },
		connections: { sockets: 20, rooms: 2, concurrency: 10, settleMs: 100, idleMs: 200 },
		largeMap: { organisations: 20, partnerships: 30, newClients: 1, exports: 1, settleMs: 100 },
		churn: { durationMs: 1000, roomsPerCycle: 2, clientsPerRoom: 2, editsPerClient: 1, settleMs: 300 },
	},
}
