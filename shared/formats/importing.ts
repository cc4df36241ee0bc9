import { validate, type Issue, type IssuePath } from '../issues'
import { mapSchema } from '../model'
import type { ImportResult } from './index'
import { checkRecordCount } from './limits'
import { migrateDocument } from './migrations'

const startsWith = (path: IssuePath, prefix: IssuePath) => prefix.length <= path.length && prefix.every((key, i) => path[i] === key)

/**
 * The last step of every import: migrate the parsed document, validate it against the model and
 * report every problem at its place in the file. `issues` are problems the format already found
 * while decoding; validation issues under the same place are left out, they would repeat them.
 */
export function completeImport(
	document: Record<string, unknown>,
	locate: (modelPath: IssuePath) => IssuePath = (path) => path,
	issues: Issue[] = [],
	warnings: Issue[] = [],
): ImportResult {
	const tooMany = checkRecordCount(document)
	if (tooMany) return { ok: false, issues: [tooMany] }
	const migrated = migrateDocument(document)
	if (!migrated.ok) return { ok: false, issues: [...issues, ...migrated.issues.map((i) => ({ ...i, path: locate(i.path) }))] }
	const checked = validate(mapSchema, migrated.document)
	const located = checked.ok ? [] : checked.issues.map((i) => ({ ...i, path: locate(i.path) }))
	const errors = [...issues, ...located.filter((i) => !issues.some((known) => startsWith(i.path, known.path)))]
	if (errors.length || !checked.ok) return { ok: false, issues: errors }
	return { ok: true, map: checked.value, warnings: [...warnings, ...migrated.warnings.map((i) => ({ ...i, path: locate(i.path) }))] }
}
