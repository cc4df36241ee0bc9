import { afterAll, afterEach, beforeAll } from 'vitest'
import { ServerProcess, type CreatedRoom } from './server'
import { stockClient, type StockClient } from './syncClient'

/** What each test starts, stopped after it: push servers and clients as they are made. */
export function stopAfterEach(): { servers: ServerProcess[]; clients: StockClient[] } {
	const started = { servers: [] as ServerProcess[], clients: [] as StockClient[] }
	afterEach(async () => {
		for (const c of started.clients.splice(0)) c.destroy()
		for (const s of started.servers.splice(0)) await s.stop()
	})
	return started
}

/** One real server for the whole test file, and the stock clients its tests open, all closed at the end. */
export function serverForFile(): {
	readonly server: ServerProcess
	client(room: CreatedRoom, role: keyof CreatedRoom['tokens']): StockClient
	/** Starts the server again on the same DATA_DIR (after a kill), in place of the old one. */
	restart(): Promise<void>
} {
	let server: ServerProcess | undefined
	const clients: StockClient[] = []
	beforeAll(async () => {
		server = await ServerProcess.start()
	})
	afterAll(async () => {
		for (const c of clients) c.destroy()
		await server?.stop()
	})
	return {
		get server() {
			if (!server) throw new Error('the server is not started yet')
			return server
		},
		async restart() {
			server = await this.server.restart()
		},
		client(room, role) {
			const c = stockClient(this.server.wsUrl, room.room, room.tokens[role])
			clients.push(c)
			return c
		},
	}
}
