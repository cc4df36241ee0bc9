import type { RoomStatus } from '../../shared/roomStatus'
import type { FacilitationStore } from './types'

/** A room's facilitation status as stored: its lock and its last agreed version. */
export async function readRoomStatus(store: Pick<FacilitationStore, 'getLock' | 'latestVersion'>, room: string): Promise<RoomStatus> {
	const [lock, agreed] = await Promise.all([store.getLock(room), store.latestVersion(room, 'agreed')])
	return {
		locked: lock !== undefined,
		lockedBy: lock?.by ?? null,
		lockedAt: lock?.at ?? null,
		agreedVersion: agreed ? { id: agreed.id, number: agreed.number, label: agreed.label, at: agreed.createdAt, by: agreed.createdBy } : null,
	}
}
