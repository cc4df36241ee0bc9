import { afterEach, expect, test, vi } from 'vitest'
import { TokenBucket } from '../../../../server/room/tokenBucket'

afterEach(() => vi.useRealTimers())

test('a bucket gives its burst at once, then refills at its rate, never above its capacity', () => {
	vi.useFakeTimers()
	const bucket = new TokenBucket(3, 2)
	expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false])
	expect(bucket.waitMs()).toBe(500)
	vi.advanceTimersByTime(500)
	expect(bucket.take()).toBe(true)
	expect(bucket.take()).toBe(false)
	vi.advanceTimersByTime(60_000)
	expect(bucket.take(3)).toBe(true)
	expect(bucket.take()).toBe(false)
})

test('a cost larger than what is left takes nothing', () => {
	const bucket = new TokenBucket(100, 1)
	expect(bucket.take(101)).toBe(false)
	expect(bucket.take(100)).toBe(true)
})
