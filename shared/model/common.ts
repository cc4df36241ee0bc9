import { z } from 'zod'

/**
 * Identifiers are also used in tldraw record ids, URLs and object keys (the layout): a safe
 * alphabet, and never `__proto__`, which a plain object would swallow.
 */
export const idSchema = z
	.string()
	.regex(/^(?!__proto__$)[A-Za-z0-9_-]{1,64}$/, 'expected 1 to 64 letters, digits, "_" or "-"')

/** A calendar day, `YYYY-MM-DD`. */
export const dateSchema = z.iso.date()

/** Free text with a sane bound, so that one field cannot blow up a document. */
export const textSchema = (max = 2000) => z.string().max(max)

/**
 * A professional who carries a link or serves as a contact. Personal data: every field is
 * optional so an export can strip names and keep how many people carry a link.
 * Never a beneficiary.
 */
export const personSchema = z.strictObject({
	name: textSchema(200).optional(),
	role: textSchema(200).optional(),
	email: textSchema(200).optional(),
	phone: textSchema(60).optional(),
})
export type Person = z.infer<typeof personSchema>
