/** A JSON object (not null, not an array): what a parsed file or a shared document may hold in place of a record. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}
