import { createServer, Socket, type Server } from 'node:net'

export type CableState = 'up' | 'sync down' | 'down'

/**
 * A TCP relay to the server on 127.0.0.1 whose cable can be pulled ('down': every connection
 * reset, new ones refused) and plugged back; 'sync down' refuses only WebSocket upgrades to
 * /sync/, so pages and the API still load.
 */
export class Cable {
	private readonly sockets = new Set<Socket>()
	private state: CableState = 'up'
	readonly server: Server
	constructor(private readonly target: number) {
		this.server = createServer((client) => {
			if (this.state === 'down') return void client.destroy()
			this.track(client)
			client.once('data', (first) => {
				if (this.state === 'sync down' && first.toString('latin1').startsWith('GET /sync/')) return void client.destroy()
				const upstream = new Socket()
				this.track(upstream)
				upstream.connect(this.target, '127.0.0.1', () => {
					upstream.write(first)
					client.pipe(upstream).pipe(client)
				})
				client.on('close', () => upstream.destroy())
				upstream.on('close', () => client.destroy())
			})
		})
	}
	private track(socket: Socket): void {
		this.sockets.add(socket)
		socket.on('error', () => undefined)
		socket.on('close', () => this.sockets.delete(socket))
	}
	listen(): Promise<number> {
		return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as { port: number }).port)))
	}
	set(state: CableState): void {
		this.state = state
		if (state === 'down') for (const s of this.sockets) s.destroy()
	}
	close(): Promise<void> {
		this.set('down')
		return new Promise((resolve) => this.server.close(() => resolve()))
	}
}
