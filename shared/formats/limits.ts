import { issue, type Issue } from '../issues'

/** The largest file any import accepts: a real map is a few hundred kilobytes. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024

/**
 * The most organisations plus partnerships an import reads: a real network has tens or hundreds.
 * Beyond, a file of junk rows (10 MiB of them) would hold the server for tens of seconds while
 * every row is validated and reported; it is refused at once instead.
 */
export const MAX_IMPORT_RECORDS = 20_000

/** An error when a parsed document holds more records than MAX_IMPORT_RECORDS. */
export function checkRecordCount(document: Record<string, unknown>): Issue | undefined {
	const count = (key: string) => (Array.isArray(document[key]) ? (document[key] as unknown[]).length : 0)
	const total = count('organisations') + count('partnerships')
	if (total <= MAX_IMPORT_RECORDS) return undefined
	return issue(
		[],
		`too many organisations and partnerships: ${total} (at most ${MAX_IMPORT_RECORDS})`,
		`trop d'organisations et de partenariats : ${total} (au plus ${MAX_IMPORT_RECORDS})`,
	)
}

/** Whether a text is larger than MAX_IMPORT_BYTES once encoded in UTF-8. */
function tooLarge(text: string): boolean {
	// A UTF-16 code unit takes 1 to 3 bytes in UTF-8: the length alone usually decides.
	if (text.length > MAX_IMPORT_BYTES) return true
	if (text.length * 3 <= MAX_IMPORT_BYTES) return false
	return new TextEncoder().encode(text).length > MAX_IMPORT_BYTES
}

/** An error when the text is too large to import, checked before any parsing. */
export function checkImportSize(text: string): Issue | undefined {
	if (!tooLarge(text)) return undefined
	const mib = MAX_IMPORT_BYTES / 1024 / 1024
	return issue([], `file too large: more than ${mib} MiB`, `fichier trop volumineux : plus de ${mib} Mio`)
}
