// Being written: the formats module (JSON, GraphML, GEXF, CSV export and JSON/CSV import).
// Public API (stable, other modules may import it now):
import type { Issue } from '../issues'
import type { MaillageMap } from '../model'

export const exportFormats = ['json', 'graphml', 'gexf', 'csv'] as const
export type ExportFormat = (typeof exportFormats)[number]

export interface ExportOptions {
	/** Leave out personal data: contact persons and the names of carriers. */
	stripPersons?: boolean
}

export interface ExportedFile {
	body: string
	contentType: string
	extension: string
}

export type ImportResult = { ok: true; map: MaillageMap; warnings: Issue[] } | { ok: false; issues: Issue[] }
