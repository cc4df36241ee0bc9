import { issue, type Issue } from '../issues'
import { SCHEMA_VERSION } from '../model'
import type { Label } from '../model/vocabulary'

type Document = Record<string, unknown>

export interface Migration {
	/** The version this step reads; it writes `from + 1`. */
	from: number
	/** What changed, for the warning shown on import. */
	change: Label
	up(document: Document): Document
}

/**
 * Every change of the exported format, oldest first: step `i` brings version `i` to `i + 1`.
 * Steps are pure and never removed, so that any file ever written can still be read.
 */
export const migrations: readonly Migration[] = [
	{
		// Version 0: files written before the format carried a version (by hand, by scripts or by
		// early builds). Same fields as version 1, without `schemaVersion`.
		from: 0,
		change: { en: 'version number added', fr: 'numéro de version ajouté' },
		up: (document) => ({ ...document, schemaVersion: 1 }),
	},
]

/**
 * Brings a parsed document to SCHEMA_VERSION. A document without `schemaVersion` is read as
 * version 0; a document from a newer Maillage is refused rather than guessed at.
 */
export function migrateDocument(document: Document): { ok: true; document: Document; warnings: Issue[] } | { ok: false; issues: Issue[] } {
	const declared = document.schemaVersion
	const version = declared === undefined ? 0 : declared
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 0)
		return {
			ok: false,
			issues: [issue(['schemaVersion'], `schemaVersion must be a whole number, got ${JSON.stringify(version)}`, `schemaVersion doit être un nombre entier, reçu ${JSON.stringify(version)}`)],
		}
	if (version > SCHEMA_VERSION)
		return {
			ok: false,
			issues: [
				issue(
					['schemaVersion'],
					`written by a newer Maillage (schema version ${version}); this one reads up to version ${SCHEMA_VERSION}: update Maillage`,
					`écrit par un Maillage plus récent (version de schéma ${version}) ; celui-ci lit jusqu'à la version ${SCHEMA_VERSION} : mettez Maillage à jour`,
				),
			],
		}
	const warnings: Issue[] = []
	let current = document
	for (let v = version; v < SCHEMA_VERSION; v++) {
		const step = migrations.find((m) => m.from === v)
		if (!step) throw new Error(`no migration from schema version ${v}`)
		current = step.up(current)
		warnings.push(
			issue(
				['schemaVersion'],
				`migrated from schema version ${v} to ${v + 1}: ${step.change.en}`,
				`migré de la version de schéma ${v} à ${v + 1} : ${step.change.fr}`,
				'warning',
			),
		)
	}
	return { ok: true, document: current, warnings }
}
