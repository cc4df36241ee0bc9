/**
 * A budget that refills continuously: `capacity` at most, `perSecond` back each second. Plain
 * numbers and no timer, so that charging it on every frame allocates nothing.
 */
export class TokenBucket {
	private tokens: number
	private refilledAt = performance.now()

	constructor(
		private readonly capacity: number,
		private readonly perSecond: number,
	) {
		this.tokens = capacity
	}

	/** Takes `cost` if the budget holds it; false (nothing taken) otherwise. */
	take(cost = 1): boolean {
		this.refill()
		if (this.tokens < cost) return false
		this.tokens -= cost
		return true
	}

	/** Milliseconds until `cost` can be taken. */
	waitMs(cost = 1): number {
		this.refill()
		return this.tokens >= cost ? 0 : Math.ceil(((cost - this.tokens) / this.perSecond) * 1000)
	}

	private refill(): void {
		const now = performance.now()
		this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond)
		this.refilledAt = now
	}
}
