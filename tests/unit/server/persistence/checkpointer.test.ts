import { afterEach, expect, test, vi } from 'vitest'
import { Checkpointer } from '../../../../server/persistence/checkpointer'

afterEach(() => vi.useRealTimers())

test('checkpoints on its timer, skips while a transaction is open, falls back once it fails', () => {
	vi.useFakeTimers()
	let busy = false
	let fail = false
	let checkpoints = 0
	let fallbacks = 0
	const checkpointer = new Checkpointer(
		() => {
			if (fail) throw new Error('disk I/O error')
			checkpoints++
		},
		() => busy,
		() => fallbacks++,
		1000,
	)
	vi.advanceTimersByTime(2000)
	expect(checkpoints).toBe(2)
	busy = true
	vi.advanceTimersByTime(1000)
	expect(checkpoints).toBe(2)
	busy = false
	fail = true
	vi.advanceTimersByTime(3000)
	expect(fallbacks).toBe(1)
	fail = false
	vi.advanceTimersByTime(3000)
	expect(checkpoints).toBe(2)
	checkpointer.stop()
})
