/**
 * Preloaded into every server under test (`--expose-gc --import`): on SIGUSR2, a full garbage
 * collection, then the memory figures on stderr. Heap after GC tells a leak from garbage that
 * RSS alone cannot (V8 keeps freed pages mapped).
 */
process.on('SIGUSR2', () => {
	globalThis.gc?.()
	const { heapUsed, rss } = process.memoryUsage()
	process.stderr.write(`BENCH_MEMORY ${JSON.stringify({ heapUsed, rss })}\n`)
})
