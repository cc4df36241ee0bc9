/**
 * A short random identifier that fits the model's id alphabet. getRandomValues, unlike
 * randomUUID, also works on plain http (a meeting room's LAN address).
 */
export function newId(prefix: string): string {
	const bytes = crypto.getRandomValues(new Uint8Array(5))
	return `${prefix}-${Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('')}`
}

export function today(): string {
	return new Date().toISOString().slice(0, 10)
}
