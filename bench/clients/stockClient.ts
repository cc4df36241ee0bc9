import { HocuspocusProvider } from '@hocuspocus/provider'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { RoomTicket, Target } from './target'

/**
 * The client a user would run against each server: y-websocket's WebsocketProvider for Maillage
 * and the reference server, HocuspocusProvider for Hocuspocus. One per room keeps the light
 * clients honest: it integrates every update into a real replica.
 */
export interface StockClient {
	doc: Y.Doc
	readonly synced: boolean
	whenSynced(timeoutMs: number): Promise<void>
	destroy(): void
}

export function stockClient(target: Target, room: RoomTicket, doc = new Y.Doc()): StockClient {
	let isSynced = false
	const waiters = new Set<() => void>()
	const markSynced = () => {
		isSynced = true
		for (const wake of waiters) wake()
		waiters.clear()
	}
	let destroyProvider: () => void
	if (target.flavor === 'hocuspocus') {
		const provider = new HocuspocusProvider({
			url: target.wsBase,
			name: room.name,
			token: room.token,
			document: doc,
			WebSocketPolyfill: WebSocket,
		} as ConstructorParameters<typeof HocuspocusProvider>[0])
		provider.on('synced', ({ state }: { state: boolean }) => state && markSynced())
		destroyProvider = () => provider.destroy()
	} else {
		const provider = new WebsocketProvider(target.wsBase, room.name, doc, {
			params: { token: room.token },
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true,
		})
		provider.on('sync', (state: boolean) => state && markSynced())
		destroyProvider = () => provider.destroy()
	}
	return {
		doc,
		get synced() {
			return isSynced
		},
		whenSynced: (timeoutMs) =>
			isSynced
				? Promise.resolve()
				: new Promise<void>((resolve, reject) => {
						const timer = setTimeout(() => reject(new Error(`stock client of ${room.name} did not sync in ${timeoutMs} ms`)), timeoutMs)
						waiters.add(() => {
							clearTimeout(timer)
							resolve()
						})
					}),
		destroy: () => {
			destroyProvider()
			doc.destroy()
		},
	}
}
