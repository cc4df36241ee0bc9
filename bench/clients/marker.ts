/**
 * The timestamp an edit carries: the string `bench:<client>:<seq>:<sentAtMicros>;` written in a
 * record field. Yjs stores strings as UTF-8 inside the update, so a receiver finds every edit of
 * a message with a native byte search, without integrating the update into a document. Sender and
 * receivers of a room live in the same worker process, so `performance.now()` is one clock.
 */
const PREFIX = Buffer.from('bench:')
const ZERO = 48
const COLON = 58

export function marker(client: number, seq: number, sentAtMs: number): string {
	return `bench:${client}:${seq}:${Math.round(sentAtMs * 1000)};`
}

export interface FoundEdit {
	client: number
	seq: number
	sentAtMs: number
}

/** Calls `found` for every marker in `bytes` (a message may carry several merged edits). */
export function scanMarkers(bytes: Uint8Array, found: (client: number, seq: number, sentAtMs: number) => void): void {
	const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
	let at = buffer.indexOf(PREFIX)
	while (at >= 0) {
		let i = at + PREFIX.length
		const numbers = [0, 0, 0]
		let field = 0
		for (; i < buffer.length && field < 3; i++) {
			const byte = buffer[i] as number
			if (byte === COLON) field++
			else if (byte >= ZERO && byte <= ZERO + 9) numbers[field] = (numbers[field] as number) * 10 + byte - ZERO
			else break
		}
		if (field === 2) found(numbers[0] as number, numbers[1] as number, (numbers[2] as number) / 1000)
		at = buffer.indexOf(PREFIX, i)
	}
}
