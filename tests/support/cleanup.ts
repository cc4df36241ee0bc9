import { afterEach } from 'vitest'
import type { ServerProcess } from './server'
import type { StockClient } from './syncClient'

/** What each test starts, stopped after it: push servers and clients as they are made. */
export function stopAfterEach(): { servers: ServerProcess[]; clients: StockClient[] } {
	const started = { servers: [] as ServerProcess[], clients: [] as StockClient[] }
	afterEach(async () => {
		for (const c of started.clients.splice(0)) c.destroy()
		for (const s of started.servers.splice(0)) await s.stop()
	})
	return started
}
