import { WebSocket } from 'ws'
import type { Metrics } from './metrics'
import type { CloseReason, Role } from '../shared/protocol'
import type { Peer } from './room'

/** A WebSocket in a room: counts what goes through it, for metrics and the closing log line. */
export class Connection implements Peer {
	readonly openedAt = Date.now()
	bytesIn = 0
	bytesOut = 0
	messagesIn = 0
	messagesOut = 0
	/** Set once the ws has answered a ping since the last keepalive round. */
	alive = true
	private readonly traffic: Metrics['traffic']

	constructor(
		readonly socket: WebSocket,
		readonly room: string,
		readonly role: Role,
		metrics: Metrics,
	) {
		this.traffic = metrics.traffic
	}

	countIn(bytes: number): void {
		this.bytesIn += bytes
		this.messagesIn++
		this.traffic.bytesIn += bytes
		this.traffic.messagesIn++
	}

	private readonly onSent = (error?: Error | null) => {
		if (error) this.socket.terminate()
	}

	send(message: Uint8Array): void {
		if (this.socket.readyState !== WebSocket.OPEN) return
		this.bytesOut += message.byteLength
		this.messagesOut++
		this.traffic.messagesOut++
		this.traffic.bytesOut += message.byteLength
		this.socket.send(message, { binary: true }, this.onSent)
	}

	close({ code, reason }: CloseReason): void {
		if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason)
	}

	/** What the closing log line says about this connection (never its token). */
	summary() {
		return {
			room: this.room,
			role: this.role,
			durationMs: Date.now() - this.openedAt,
			bytesIn: this.bytesIn,
			bytesOut: this.bytesOut,
			messagesIn: this.messagesIn,
			messagesOut: this.messagesOut,
		}
	}
}
