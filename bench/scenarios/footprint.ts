import type { FanoutRun } from '../clients/fanout'
import { phase, withClients } from './fanout'
import { round } from '../stats'
import type { Scenario } from './types'

/**
 * Footprint at a meeting's load, as a new user would try it: a few rooms of stock providers only
 * (y-websocket's WebsocketProvider, Hocuspocus's provider for Hocuspocus), each editing at a
 * fixed rate. What it compares is the cost of serving that load: the server's RSS at the end of
 * the window (and after a full GC), and its CPU per 1,000 edit arrivals at peers, both
 * over the measured window.
 */
export const footprint: Scenario = (server, config) =>
	withClients(server, config.footprint, async (workers, clients) => {
		const c = config.footprint
		const run: FanoutRun = { mode: 'steady', rateHz: c.rateHz, window: 1, warmupMs: c.warmupMs, measureMs: c.measureMs, drainMs: c.drainMs }
		const result = await phase(workers, server, run, clients)
		const afterGc = await server.memory()
		return {
			footprint: {
				...result,
				details: { ...result.details, rssAfterGcMiB: round(afterGc.rssMiB, 1), heapAfterGcMiB: round(afterGc.heapMiB, 1), stockPerRoom: c.stockPerRoom },
			},
		}
	})
