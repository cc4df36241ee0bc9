import { useEffect, useMemo, useRef, useState } from 'react'
import * as Y from 'yjs'
import {
	atom,
	createTLStore,
	defaultBindingUtils,
	defaultShapeUtils,
	type TLAnyBindingUtilConstructor,
	type TLAnyShapeUtilConstructor,
	type TLStore,
	type TLStoreWithStatus,
	type TLUser,
} from 'tldraw'
import type { Issue } from '../../shared/issues'
import { readRoomStatus, unlockedStatus, type RoomStatus } from '../../shared/roomStatus'
import { isSameSchema, maillageTLSchema } from '../../shared/tldraw/schema'
import { attachPresence, readPeers, userRecordOf, type Peer, type PresenceHandle, type RoomUser } from './presence'
import { connectRoom, type ConnectionError, type ConnectionState, type ConnectionStatus } from './roomConnection'
import { bindStoreToDoc } from './yStoreBinding'

export type { ConnectionStatus, ConnectionError } from './roomConnection'
export type { RoomUser, Peer } from './presence'

export interface UseRoomOptions {
	roomId: string
	token: string
	user: RoomUser
	/** Maillage's own shape utils; tldraw's defaults are added. */
	shapeUtils: TLAnyShapeUtilConstructor[]
	/** Extra binding utils; tldraw's defaults are added. */
	bindingUtils?: TLAnyBindingUtilConstructor[]
	readOnly: boolean
}

export interface RoomState {
	/** Pass to `<Tldraw store={...}>`: loading until the first sync, then the synced store. */
	store: TLStoreWithStatus
	status: ConnectionStatus
	error?: ConnectionError
	/** Remote records skipped because they are invalid (path + FR/EN message). */
	invalidRecords: Issue[]
	/** The document was written by a newer Maillage: shown read-only, never written. */
	schemaMismatch: boolean
	/** The room's document (info map, import, export helpers). */
	doc: Y.Doc
	/** The other people in the room (oneself excluded), from awareness. */
	peers: Peer[]
	/** Lock and agreed version, as the server publishes them over awareness (unlocked until it says otherwise). */
	roomStatus: RoomStatus
}

/** Default utils first, ours replacing any of the same type. */
function withDefaults<U extends { type: string }>(defaults: readonly U[], ours: readonly U[]): U[] {
	const types = new Set(ours.map((u) => u.type))
	return [...defaults.filter((u) => !types.has(u.type)), ...ours]
}

/**
 * Joins a room: its document synced over y-websocket and kept in IndexedDB, bound to a tldraw
 * store once the first sync is done, with presence over awareness. The editor on that store is
 * made read-only by the store itself when `readOnly`, or when the document is newer than this client.
 *
 * The doc and the store are plain objects made during render; everything that connects or
 * listens is made and undone by the effect (so that React's strict mode can run it twice).
 */
export function useRoom(options: UseRoomOptions): RoomState {
	const { roomId, token, readOnly } = options
	const latest = useRef(options)
	latest.current = options
	// Utils are identified by their types, so that a new array of the same utils changes nothing.
	const utilsKey = [...options.shapeUtils, ...(options.bindingUtils ?? [])].map((u) => u.type).join(',')

	const room = useMemo(() => {
		const { user, shapeUtils, bindingUtils = [] } = latest.current
		const $user = atom<TLUser | null>('maillage user', userRecordOf(user))
		const $online = atom<'online' | 'offline'>('maillage online', 'offline')
		const $mode = atom<'readonly' | 'readwrite'>('maillage mode', readOnly ? 'readonly' : 'readwrite')
		const store = createTLStore({
			shapeUtils: withDefaults<TLAnyShapeUtilConstructor>(defaultShapeUtils, shapeUtils),
			bindingUtils: withDefaults<TLAnyBindingUtilConstructor>(defaultBindingUtils, bindingUtils),
			users: { currentUser: $user },
			collaboration: { status: $online, mode: $mode },
		})
		if (!isSameSchema(store.schema.serialize(), maillageTLSchema.serialize()))
			console.error('[maillage sync] the shape utils do not match shared/tldraw/schema.ts: the document would be stamped with the wrong schema')
		return { doc: new Y.Doc(), store, $user, $online, $mode }
		// A new room or token means a new doc and store, on purpose.
	}, [roomId, token, readOnly, utilsKey])

	const [connection, setConnection] = useState<ConnectionState>({ status: 'connecting', ready: false })
	const [invalidRecords, setInvalidRecords] = useState<Issue[]>([])
	const [schemaMismatch, setSchemaMismatch] = useState(false)
	const [peers, setPeers] = useState<Peer[]>([])
	const [roomStatus, setRoomStatus] = useState<RoomStatus>(unlockedStatus)
	const [bound, setBound] = useState<TLStore | undefined>(undefined)
	const presence = useRef<PresenceHandle | undefined>(undefined)

	useEffect(() => {
		const { doc, store, $online, $mode } = room
		const conn = connectRoom({ roomId, token, doc })
		let binding: ReturnType<typeof bindStoreToDoc> | undefined
		let disposed = false
		setConnection(conn.getState())
		setInvalidRecords([])
		setSchemaMismatch(false)
		setBound(undefined)
		const stopStatus = conn.subscribe((state) => {
			setConnection(state)
			$online.set(state.status === 'connected' ? 'online' : 'offline')
		})
		presence.current = attachPresence(store, conn.awareness, latest.current.user)
		const onAwareness = () => {
			setPeers(readPeers(conn.awareness))
			const status = readRoomStatus(conn.awareness.getStates())
			setRoomStatus((previous) => (JSON.stringify(previous) === JSON.stringify(status) ? previous : status))
		}
		conn.awareness.on('change', onAwareness)
		onAwareness()
		void conn.whenReady.then(() => {
			if (disposed) return
			binding = bindStoreToDoc(store, doc, {
				readOnly,
				onInvalidRecords: setInvalidRecords,
				onSchemaMismatch: (mismatch) => {
					setSchemaMismatch(mismatch)
					$mode.set(readOnly || mismatch ? 'readonly' : 'readwrite')
				},
			})
			setInvalidRecords(binding.invalidRecords())
			setBound(store)
		})
		return () => {
			disposed = true
			stopStatus()
			conn.awareness.off('change', onAwareness)
			binding?.dispose()
			presence.current?.dispose()
			presence.current = undefined
			conn.destroy()
		}
	}, [room, roomId, token, readOnly])

	const { id, name, colour, role } = options.user
	useEffect(() => {
		const user = { id, name, colour, ...(role !== undefined && { role }) }
		room.$user.set(userRecordOf(user))
		presence.current?.setUser(user)
	}, [room, id, name, colour, role])

	const online = connection.status === 'connected'
	const store = useMemo(
		(): TLStoreWithStatus =>
			bound ? { status: 'synced-remote', connectionStatus: online ? 'online' : 'offline', store: bound } : { status: 'loading' },
		[bound, online],
	)

	return {
		store,
		status: connection.status,
		...(connection.error ? { error: connection.error } : {}),
		invalidRecords,
		schemaMismatch,
		doc: room.doc,
		peers,
		roomStatus,
	}
}
