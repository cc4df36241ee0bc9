import type { Awareness } from 'y-protocols/awareness'
import {
	atom,
	createPresenceStateDerivation,
	createUserId,
	InstancePresenceRecordType,
	react,
	UserRecordType,
	type TLInstancePresence,
	type TLStore,
	type TLUser,
} from 'tldraw'

export interface RoomUser {
	id: string
	name: string
	colour: string
	/**
	 * What the person says they are in the room (`facilitator`, `participant`, `viewer`,
	 * `projector`): for display and for the projector to find whom to follow, never for access.
	 */
	role?: string
}

export type Peer = RoomUser & { clientId: number }

/** Awareness fields: `user` for the participants list, `presence` for tldraw's cursors and selections. */
const USER_FIELD = 'user'
const PRESENCE_FIELD = 'presence'
const PUBLISH_INTERVAL_MS = 80

export const presenceIdOf = (clientId: number) => InstancePresenceRecordType.createId(String(clientId))

export function userRecordOf(user: RoomUser): TLUser {
	return UserRecordType.create({ id: createUserId(user.id), name: user.name, color: user.colour })
}

function isRoomUser(value: unknown): value is RoomUser {
	const u = value as Partial<RoomUser> | null
	return typeof u === 'object' && u !== null && typeof u.id === 'string' && typeof u.name === 'string' && typeof u.colour === 'string'
}

/** The other people in the room, as their awareness states announce them (oneself excluded). */
export function readPeers(awareness: Awareness): Peer[] {
	const peers: Peer[] = []
	for (const [clientId, state] of awareness.getStates()) {
		const user = state[USER_FIELD]
		if (clientId !== awareness.clientID && isRoomUser(user))
			peers.push({ id: user.id, name: user.name, colour: user.colour, ...(typeof user.role === 'string' && { role: user.role }), clientId })
	}
	return peers.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId)
}

export interface PresenceHandle {
	/** Announces a new name or colour. */
	setUser(user: RoomUser): void
	dispose(): void
}

/**
 * Shares presence through Yjs awareness, never through the document: the local cursor,
 * selection and viewport (derived from the store's session records, so they appear once an
 * editor runs on the store) are published at most every 80 ms; peers' presence records are
 * validated and merged into the store as remote changes, and removed when they leave.
 */
export function attachPresence(store: TLStore, awareness: Awareness, user: RoomUser): PresenceHandle {
	const $user = atom<TLUser | null>('maillage room user', userRecordOf(user))
	const $presence = createPresenceStateDerivation($user, { instanceId: presenceIdOf(awareness.clientID) })(store)
	awareness.setLocalStateField(USER_FIELD, { ...user })

	let timer: ReturnType<typeof setTimeout> | undefined
	let lastPublished = 0
	const publish = () => {
		timer = undefined
		lastPublished = Date.now()
		awareness.setLocalStateField(PRESENCE_FIELD, $presence.get())
	}
	const stopPublishing = react('publish maillage presence', () => {
		$presence.get()
		if (timer !== undefined) return
		timer = setTimeout(publish, Math.max(0, lastPublished + PUBLISH_INTERVAL_MS - Date.now()))
	})

	const presenceType = store.schema.types.instance_presence
	const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
		const puts: TLInstancePresence[] = []
		const removals: TLInstancePresence['id'][] = []
		for (const clientId of [...added, ...updated]) {
			if (clientId === awareness.clientID) continue
			const id = presenceIdOf(clientId)
			const raw = awareness.getStates().get(clientId)?.[PRESENCE_FIELD]
			try {
				puts.push(presenceType.validate({ ...raw, id }) as TLInstancePresence)
			} catch {
				// No presence yet (no editor on that side), or a malformed one: show no cursor for it.
				if (store.has(id)) removals.push(id)
			}
		}
		for (const clientId of removed) if (store.has(presenceIdOf(clientId))) removals.push(presenceIdOf(clientId))
		if (puts.length || removals.length)
			store.mergeRemoteChanges(() => {
				if (removals.length) store.remove(removals)
				if (puts.length) store.put(puts)
			})
	}
	awareness.on('change', onChange)
	onChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] })

	return {
		setUser(next) {
			$user.set(userRecordOf(next))
			awareness.setLocalStateField(USER_FIELD, { ...next })
		},
		dispose() {
			stopPublishing()
			if (timer !== undefined) clearTimeout(timer)
			awareness.off('change', onChange)
			awareness.setLocalStateField(PRESENCE_FIELD, null)
			const ids = store.query.ids('instance_presence').get()
			if (ids.size) store.mergeRemoteChanges(() => store.remove([...ids]))
		},
	}
}
