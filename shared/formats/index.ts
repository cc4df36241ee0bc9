// The formats a map is exported to and imported from: pure functions, usable in Node and the browser.
import { issue, type Issue } from '../issues'
import type { MaillageMap } from '../model'
import { exportCsv, importCsv } from './csv'
import { exportGexf, importGexf } from './gexf'
import { exportGraphml, importGraphml } from './graphml'
import { exportJson, importJson } from './json'
import { stripPersons } from './stripPersons'

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

const formats: Record<ExportFormat, { write(map: MaillageMap): string; read(text: string): ImportResult; contentType: string }> = {
	json: { write: exportJson, read: importJson, contentType: 'application/json; charset=utf-8' },
	graphml: { write: exportGraphml, read: importGraphml, contentType: 'application/graphml+xml; charset=utf-8' },
	gexf: { write: exportGexf, read: importGexf, contentType: 'application/gexf+xml; charset=utf-8' },
	csv: { write: exportCsv, read: importCsv, contentType: 'text/csv; charset=utf-8' },
}

/** Every format carries the whole map: `importMap(exportMap(m, f).body, f)` gives `m` back. */
export function exportMap(map: MaillageMap, format: ExportFormat, options: ExportOptions = {}): ExportedFile {
	const { write, contentType } = formats[format]
	return { body: write(options.stripPersons ? stripPersons(map) : map), contentType, extension: format }
}

/**
 * Reads a file into a valid map, or explains every problem (where, and why in French and
 * English). Never throws and never returns a partial map.
 */
export function importMap(text: string, format: ExportFormat): ImportResult {
	try {
		return formats[format].read(text)
	} catch (e) {
		// A reader bug must not take a server down with it; the message says it is one.
		const reason = e instanceof Error ? e.message : String(e)
		return { ok: false, issues: [issue([], `internal error while reading the file: ${reason}`, `erreur interne à la lecture du fichier : ${reason}`)] }
	}
}

/** The format a file name says, from its extension; the CLI and the import dialog both go by it. */
export function formatOfFileName(name: string): ExportFormat | undefined {
	const extension = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase()
	// GraphML files are often saved as .xml.
	if (extension === 'xml') return 'graphml'
	return exportFormats.find((f) => f === extension)
}

export { MAX_IMPORT_BYTES } from './limits'
export { migrations, type Migration } from './migrations'
export { csvColumns } from './csv'
export { stripPersons }
export { exportJson, importJson, exportGraphml, importGraphml, exportGexf, importGexf, exportCsv, importCsv }
