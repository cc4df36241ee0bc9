import { T } from '@tldraw/validate'
import { isEqual } from '@tldraw/utils'
import type { z } from 'zod'

/**
 * A tldraw validator backed by a zod schema, so that the store validates shape props with the
 * very schema that exports and imports use. tldraw wants validators to return their input
 * unchanged, so a value that zod would have to complete with defaults is refused too: the store
 * only ever holds complete props.
 */
export function zodValidator<S extends z.ZodType>(schema: S): T.Validator<z.output<S>> {
	return new T.Validator((value) => {
		const result = schema.safeParse(value)
		if (!result.success) {
			const first = result.error.issues[0]
			throw new T.ValidationError(
				first?.message ?? 'invalid value',
				(first?.path ?? []).map((p) => (typeof p === 'symbol' ? String(p) : p)),
			)
		}
		if (!isEqual(result.data, value)) throw new T.ValidationError('incomplete value: a field with a default is missing')
		return value as z.output<S>
	})
}
