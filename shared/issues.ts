import { z } from 'zod'
import type { Label } from './model/vocabulary'

/** Where something went wrong inside a document or a file: keys and array indices. */
export type IssuePath = (string | number)[]

/**
 * A problem found while validating, projecting or importing, precise enough to act on:
 * where it is and why, in both UI languages.
 */
export interface Issue {
	path: IssuePath
	message: Label
	/** Errors make a whole input unacceptable; warnings are reported and the rest goes on. */
	severity: 'error' | 'warning'
}

export function issue(path: IssuePath, en: string, fr: string, severity: Issue['severity'] = 'error'): Issue {
	return { path, message: { en, fr }, severity }
}

const frenchErrors = z.locales.fr().localeError

function frenchMessage(e: z.core.$ZodIssue): string | undefined {
	const message = frenchErrors?.(e as unknown as Parameters<NonNullable<typeof frenchErrors>>[0])
	return typeof message === 'string' ? message : message?.message
}

/** Validates with a zod schema and, on failure, explains every problem in French and English. */
export function validate<S extends z.ZodType>(
	schema: S,
	value: unknown,
	basePath: IssuePath = [],
): { ok: true; value: z.output<S> } | { ok: false; issues: Issue[] } {
	const english = schema.safeParse(value)
	if (english.success) return { ok: true, value: english.data }
	const french = schema.safeParse(value, { error: frenchErrors })
	const frenchIssues = french.success ? [] : french.error.issues
	const issues = english.error.issues.map((e, i): Issue => {
		const fr = frenchIssues[i]
		// Custom checks carry their French text in params; built-in ones get zod's French locale.
		const custom = e.code === 'custom' ? (e.params as { fr?: string } | undefined)?.fr : undefined
		// A message set in the schema (English) wins over the locale: ask the locale directly then.
		const localised = fr && fr.message !== e.message ? fr.message : e.code === 'custom' ? undefined : frenchMessage(e)
		return {
			path: [...basePath, ...e.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
			message: { en: e.message, fr: custom ?? localised ?? e.message },
			severity: 'error',
		}
	})
	return { ok: false, issues }
}

/** One line per issue, for logs and the CLI. */
export function formatIssue(i: Issue, lang: keyof Label = 'en'): string {
	const where = i.path.length ? i.path.join('.') : '(root)'
	return `${i.severity === 'warning' ? 'warning' : 'error'}: ${where}: ${i.message[lang]}`
}
