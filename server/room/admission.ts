import { closeReason } from '../../shared/protocol'
import { TokenBucket } from './tokenBucket'
import { LimitExceeded, type Peer, type RoomLimits } from './types'

/** A connection's budget for document updates: messages and bytes. */
interface UpdateBudget {
	messages: TokenBucket
	bytes: TokenBucket
}

/**
 * What a room lets into its document: each connection within its update budget, the room within
 * maxRoomBytes. The size is kept without encoding the document: the last compacted state plus
 * every update counted since (an upper bound, what the stored log holds).
 */
export class Admission {
	private readonly budgets = new Map<Peer, UpdateBudget>()
	private sizeBytes: number
	/** The state being compacted: its size, and the size counted when it was encoded. */
	private encodedState: { bytes: number; counted: number } | undefined

	constructor(
		private readonly limits: RoomLimits,
		storedBytes: number,
	) {
		this.sizeBytes = storedBytes
	}

	addPeer(peer: Peer): void {
		const { updatesBurst, updatesPerSecond, updateBytesBurst, updateBytesPerSecond } = this.limits
		this.budgets.set(peer, { messages: new TokenBucket(updatesBurst, updatesPerSecond), bytes: new TokenBucket(updateBytesBurst, updateBytesPerSecond) })
	}

	removePeer(peer: Peer): void {
		this.budgets.delete(peer)
	}

	/** Charges a peer's update, or throws LimitExceeded (nothing charged to the room). */
	admit(peer: Peer, update: Uint8Array): void {
		const budget = this.budgets.get(peer)
		if (budget && !(budget.messages.take() && budget.bytes.take(update.byteLength)))
			throw new LimitExceeded('update budget', closeReason.tooManyUpdates)
		if (this.sizeBytes + update.byteLength > this.limits.maxRoomBytes) throw new LimitExceeded('room too large', closeReason.roomTooLarge)
		this.sizeBytes += update.byteLength
	}

	/** An update that is not a peer's (an import, another process's): counted, never refused. */
	count(update: Uint8Array): void {
		this.sizeBytes += update.byteLength
	}

	/** The document was just encoded for a compaction. */
	stateEncoded(state: Uint8Array): void {
		this.encodedState = { bytes: state.byteLength, counted: this.sizeBytes }
	}

	/** That compaction committed: the stored log is that state plus what was counted since. */
	compacted(): void {
		if (this.encodedState) this.sizeBytes = this.encodedState.bytes + this.sizeBytes - this.encodedState.counted
		this.encodedState = undefined
	}
}
