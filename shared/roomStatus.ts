import { z } from 'zod'
import { idSchema } from './model'
import { actorRoleSchema } from './protocol'

/**
 * What the server tells everyone in a room about its facilitation: whether the map is locked
 * (participants' edits refused) and which version was last agreed.
 *
 * How it travels: the server keeps it in its store (it survives a restart) and publishes it as
 * the awareness state of the room's own awareness client, under `ROOM_STATUS_FIELD`. A stock
 * y-websocket client therefore sees it with no extra protocol: it arrives right after the first
 * sync step, on every change, and is renewed like any awareness state. It is not written into the
 * document, because every writer may write any key of the document (the server relays every
 * well-formed update), a restore would bring an old lock back, and versions would record it.
 * The server removes any peer state that carries this field, so only its own can be read.
 * `GET /api/rooms/<room>` returns the same status.
 */
export const ROOM_STATUS_FIELD = 'maillageRoom'

/** Who did something: the role of the token used, and the display name given, if any. */
export const actorSchema = z.strictObject({
	role: actorRoleSchema,
	name: z.string().max(100).optional(),
})
export type Actor = z.infer<typeof actorSchema>

export const agreedVersionSchema = z.strictObject({
	id: idSchema,
	/** 1, 2, 3… in the order the room's versions were saved. */
	number: z.number().int().positive(),
	label: z.string().max(200),
	/** Milliseconds since the epoch. */
	at: z.number(),
	by: actorSchema,
})
export type AgreedVersion = z.infer<typeof agreedVersionSchema>

export const roomStatusSchema = z.strictObject({
	locked: z.boolean(),
	lockedBy: actorSchema.nullable(),
	/** Milliseconds since the epoch; null when unlocked. */
	lockedAt: z.number().nullable(),
	/** The last version saved with "Agree this map" (automatic versions excluded). */
	agreedVersion: agreedVersionSchema.nullable(),
})
export type RoomStatus = z.infer<typeof roomStatusSchema>

export const unlockedStatus: RoomStatus = { locked: false, lockedBy: null, lockedAt: null, agreedVersion: null }

/** Unlocked and nothing agreed yet: the server publishes nothing then, and that is what absence means. */
export const isDefaultStatus = (status: RoomStatus) => !status.locked && status.agreedVersion === null

/**
 * The room status among awareness states (`provider.awareness.getStates()`): the server's, or
 * the default status when the server publishes none. Meaningful once the provider has synced:
 * the server sends its state before it answers the first sync step.
 */
export function readRoomStatus(states: ReadonlyMap<number, Record<string, unknown>>): RoomStatus {
	for (const state of states.values()) {
		if (!(ROOM_STATUS_FIELD in state)) continue
		const parsed = roomStatusSchema.safeParse(state[ROOM_STATUS_FIELD])
		if (parsed.success) return parsed.data
	}
	return unlockedStatus
}
