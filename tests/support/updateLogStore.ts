import type { RoomRecord, RoomStore } from '../../server/persistence/types'

/**
 * A store for tests of the room core alone, which only loads, appends and compacts updates: the
 * room records side answers as if there were none. Subclasses decide how the updates behave.
 */
export abstract class UpdateLogStore implements RoomStore {
	abstract loadUpdates(id: string): Promise<Uint8Array[]>
	abstract appendUpdates(id: string, updates: Uint8Array[]): Promise<void>
	abstract compact(id: string, state: Uint8Array): Promise<void>
	async createRoom(_room: RoomRecord): Promise<void> {}
	async getRoom(_id: string): Promise<RoomRecord | undefined> {
		return undefined
	}
	async listRooms(): Promise<Omit<RoomRecord, 'tokens'>[]> {
		return []
	}
	async setTokens(): Promise<void> {}
	async close(): Promise<void> {}
}
