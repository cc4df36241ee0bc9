import { issue } from '../issues'
import type { MaillageMap } from '../model'
import type { ImportResult } from './index'
import { completeImport } from './importing'
import { checkImportSize } from './limits'

/** Pretty JSON, `schemaVersion` first so that a reader knows at once how to read the rest. */
export function exportJson(map: MaillageMap): string {
	const { schemaVersion, ...rest } = map
	return `${JSON.stringify({ schemaVersion, ...rest }, null, 2)}\n`
}

/** Line and column (from 1) of an offset in a text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	const before = text.slice(0, offset)
	const line = before.split('\n').length
	return { line, column: offset - before.lastIndexOf('\n') }
}

/** Where a JSON.parse error is, from the engine's message, when the message says it. */
function errorPosition(text: string, message: string): { line: number; column: number } | undefined {
	const lineColumn = /line (\d+) column (\d+)/.exec(message)
	if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) }
	const position = /position (\d+)/.exec(message)
	if (position) return lineAndColumn(text, Number(position[1]))
	if (/end of JSON input/.test(message)) return lineAndColumn(text, text.length)
	return undefined
}

export function importJson(input: string): ImportResult {
	const tooLarge = checkImportSize(input)
	if (tooLarge) return { ok: false, issues: [tooLarge] }
	const text = input.replace(/^\uFEFF/, '')
	let document: unknown
	try {
		document = JSON.parse(text)
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e)
		// The engine quotes the start of the text: not useful once a position is given.
		const reason = message.replace(/, ".*" is not valid JSON$/s, '')
		const at = errorPosition(text, message)
		const where = at ? { en: ` at line ${at.line}, column ${at.column}`, fr: ` à la ligne ${at.line}, colonne ${at.column}` } : { en: '', fr: '' }
		return { ok: false, issues: [issue([], `invalid JSON${where.en}: ${reason}`, `JSON invalide${where.fr} : ${reason}`)] }
	}
	if (typeof document !== 'object' || document === null || Array.isArray(document))
		return {
			ok: false,
			issues: [issue([], 'expected a JSON object (a Maillage map)', 'un objet JSON (une carte Maillage) est attendu')],
		}
	return completeImport(document as Record<string, unknown>)
}
