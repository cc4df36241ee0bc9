import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'
import { databaseOpening } from './indexeddbInternals'
import type { Awareness } from 'y-protocols/awareness'
import { closeReasonKey } from '../../shared/protocol'

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'error'

export interface ConnectionError {
	/** The WebSocket close code (shared/protocol.ts): 44xx are not retried, 45xx are. */
	code: number
	/** A stable key for the UI: `unauthorized` (4401), `forbidden` (4403), `not found`, `room full`, `room unavailable` (4503)... */
	reason: string
	/** The server's own words, for the curious (English). */
	detail?: string
}

export interface ConnectionState {
	status: ConnectionStatus
	error?: ConnectionError
	/** The document has had its first sync (server, or IndexedDB when the server cannot be reached): it may be shown and written. */
	ready: boolean
}

export interface RoomConnectionOptions {
	roomId: string
	token: string
	/** The document to sync; a new one by default. It is left alive on `destroy` when given. */
	doc?: Y.Doc
	/** `ws(s)://host/sync`; defaults to the page's own host. */
	serverUrl?: string
	/** Keep the room in IndexedDB (`maillage-<room>`) so that offline edits survive a reload; default true. */
	persist?: boolean
	/** Share the room with other tabs of this browser over BroadcastChannel; default true. */
	shareAcrossTabs?: boolean
	/**
	 * `GET` with the token as Bearer, asked when a connection fails: browsers hide why an upgrade
	 * was refused (401/403 look like a network error), this says whether the token is the cause.
	 * Defaults to `/api/rooms/<room>` on the page's host; `false` to never ask.
	 */
	probeUrl?: string | false
	/** For Node (tests): a WebSocket implementation. */
	WebSocketPolyfill?: typeof WebSocket
	/** How long to wait for IndexedDB before going on without it (it can be blocked or absent). */
	persistenceTimeoutMs?: number
}

export interface RoomConnection {
	doc: Y.Doc
	awareness: Awareness
	provider: WebsocketProvider
	getState(): ConnectionState
	subscribe(listener: (state: ConnectionState) => void): () => void
	/** Resolves once `ready`. */
	whenReady: Promise<void>
	destroy(): void
}

/** Failed attempts in a row after which the room counts as offline rather than reconnecting. */
const OFFLINE_AFTER_FAILURES = 3

const PROBE_REASONS: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not found' }

export const databaseNameOf = (roomId: string) => `maillage-${roomId}`

export function defaultServerUrl(): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
}

const browserOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false

/**
 * Opens a room: its Y.Doc kept in IndexedDB and synced with the server over the standard
 * y-websocket protocol, with a connection status that says what is going on. The server's
 * refusals (44xx: bad token 4401, role 4403...) are errors that are not retried; its failures
 * (45xx: a room it cannot load, 4503) are errors retried with back-off until they clear.
 */
export function connectRoom(options: RoomConnectionOptions): RoomConnection {
	const doc = options.doc ?? new Y.Doc()
	const persistence = options.persist === false ? undefined : new IndexeddbPersistence(databaseNameOf(options.roomId), doc)
	const provider = new WebsocketProvider(options.serverUrl ?? defaultServerUrl(), options.roomId, doc, {
		params: { token: options.token },
		maxBackoffTime: 10_000,
		disableBc: options.shareAcrossTabs === false,
		// 44xx: the server refused us (bad token, role); asking again will not change its mind.
		shouldReconnect: (event) => !(event.code >= 4400 && event.code < 4500),
		...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
	})

	let state: ConnectionState = { status: browserOffline() ? 'offline' : 'connecting', ready: false }
	const listeners = new Set<(state: ConnectionState) => void>()
	const set = (next: Partial<ConnectionState>) => {
		const merged: ConnectionState = { ...state, ...next }
		if (merged.status !== 'error') delete merged.error
		if (JSON.stringify(merged) === JSON.stringify(state)) return
		state = merged
		for (const listener of listeners) listener(state)
	}

	let everConnected = false
	let failures = 0
	/** Refused for good (44xx, or a token the API rejects): later closes must not hide why. */
	let refused = false
	let persisted = persistence === undefined
	let serverAnswered = false
	let markReady: () => void = () => {}
	const whenReady = new Promise<void>((resolve) => (markReady = resolve))
	const updateReady = () => {
		if (state.ready || !persisted || !serverAnswered) return
		set({ ready: true })
		markReady()
	}

	const onSync = (synced: boolean) => {
		if (!synced) return
		everConnected = true
		failures = 0
		serverAnswered = true
		set({ status: 'connected' })
		updateReady()
	}
	const probeUrl =
		options.probeUrl ?? (typeof location === 'undefined' ? false : `${location.origin}/api/rooms/${encodeURIComponent(options.roomId)}`)
	let probing = false
	/** Asks the HTTP API whether the token is the reason the socket keeps failing. */
	const probe = () => {
		if (!probeUrl || probing) return
		probing = true
		fetch(probeUrl, { headers: { authorization: `Bearer ${options.token}` } })
			.then((response) => {
				const reason = PROBE_REASONS[response.status]
				if (!reason || provider.wsconnected) return
				refused = true
				provider.disconnect()
				set({ status: 'error', error: { code: 4000 + response.status, reason, detail: `HTTP ${response.status}` } })
			})
			// Unreachable: the status already says offline or reconnecting.
			.catch(() => {})
			.finally(() => (probing = false))
	}

	const onClose = (event: CloseEvent | null) => {
		failures++
		// Not even a first connection: go on with what IndexedDB has, the server will merge later.
		serverAnswered = true
		updateReady()
		if (refused) return
		const code = event?.code ?? 0
		if (code >= 4400 && code < 4600) {
			refused = code < 4500
			const error: ConnectionError = { code, reason: closeReasonKey(code) ?? `closed (${code})` }
			if (event?.reason) error.detail = event.reason
			return set({ status: 'error', error })
		}
		if (failures % 5 === 1) probe()
		if (browserOffline() || failures >= OFFLINE_AFTER_FAILURES) set({ status: 'offline' })
		else set({ status: everConnected ? 'reconnecting' : 'connecting' })
	}
	provider.on('sync', onSync)
	provider.on('connection-close', onClose)

	const onOffline = () => refused || set({ status: 'offline' })
	const onOnline = () => {
		if (refused) return
		if (state.status === 'offline') set({ status: everConnected ? 'reconnecting' : 'connecting' })
		if (!provider.shouldConnect) return
		// A socket that lived through the offline spell (Chromium keeps it, so may the OS) may be
		// half-open, and no new 'sync' would ever take the status back to 'connected' on it: start
		// a fresh one, whose sync exchanges whatever either side missed.
		if (provider.wsconnected) {
			provider.disconnect()
			provider.connect()
		}
		// Reconnect now rather than at the end of the back-off.
		else if (!provider.wsconnecting) provider.connect()
	}
	if (typeof window !== 'undefined') {
		window.addEventListener('offline', onOffline)
		window.addEventListener('online', onOnline)
	}

	const persistenceTimer = setTimeout(() => {
		persisted = true
		updateReady()
	}, options.persistenceTimeoutMs ?? 3000)
	// A blocked or missing IndexedDB must not surface as an unhandled rejection: the timer goes on without it.
	if (persistence) databaseOpening(persistence).catch((e: unknown) => console.warn('[maillage sync] IndexedDB unavailable, offline edits will not survive a reload', e))
	persistence?.whenSynced.then(() => {
		clearTimeout(persistenceTimer)
		persisted = true
		updateReady()
	})

	return {
		doc,
		awareness: provider.awareness,
		provider,
		getState: () => state,
		subscribe(listener) {
			listeners.add(listener)
			return () => listeners.delete(listener)
		},
		whenReady,
		destroy() {
			clearTimeout(persistenceTimer)
			if (typeof window !== 'undefined') {
				window.removeEventListener('offline', onOffline)
				window.removeEventListener('online', onOnline)
			}
			listeners.clear()
			provider.off('sync', onSync)
			provider.off('connection-close', onClose)
			provider.destroy()
			provider.awareness.destroy()
			void persistence?.destroy()
			if (!options.doc) doc.destroy()
		},
	}
}
