import { useState } from 'react'
import { useValue, type Editor } from 'tldraw'
import type * as Y from 'yjs'
import { exportFormats, exportMap, type ExportFormat } from '../../shared/formats'
import { modelIdOf } from '../../shared/projection'
import { docToMap } from '../../shared/ydoc/mapDoc'
import { useI18n } from '../i18n'
import { download, fileBaseName } from '../lib/download'
import { selectionOf } from '../lib/selection'
import { usePopover } from './usePopover'

type Scope = 'map' | 'selection'
const formatNames: Record<ExportFormat | 'png' | 'svg', string> = { json: 'JSON', graphml: 'GraphML', gexf: 'GEXF', csv: 'CSV', png: 'PNG', svg: 'SVG' }

/** Exports computed in the browser: data from the room's document, images from the canvas. */
export function ExportMenu({ editor, doc, title }: { editor: Editor; doc: Y.Doc; title: string }) {
	const { t } = useI18n()
	const { open, setOpen, ref } = usePopover()
	const [scope, setScope] = useState<Scope>('map')
	const [stripPersons, setStripPersons] = useState(false)
	const [failure, setFailure] = useState<string>()
	const hasSelection = useValue('has selection', () => editor.getSelectedShapeIds().length > 0, [editor])
	const effectiveScope: Scope = hasSelection ? scope : 'map'
	const baseName = fileBaseName(title) + (effectiveScope === 'selection' ? '-selection' : '')

	const exportData = (format: ExportFormat) => {
		const { map } = docToMap(doc)
		const part = effectiveScope === 'selection' ? selectionOf(map, new Set(editor.getSelectedShapeIds().map(modelIdOf))) : map
		const file = exportMap(part, format, { stripPersons })
		download(new Blob([file.body], { type: file.contentType }), `${baseName}.${file.extension}`)
	}
	const exportImage = async (format: 'png' | 'svg') => {
		const ids = effectiveScope === 'selection' ? editor.getSelectedShapeIds() : [...editor.getCurrentPageShapeIds()]
		if (ids.length === 0) throw new Error(t('exportNothing'))
		if (format === 'svg') {
			const result = await editor.getSvgString(ids, { background: true, padding: 32 })
			if (!result) throw new Error(t('exportNothing'))
			download(new Blob([result.svg], { type: 'image/svg+xml' }), `${baseName}.svg`)
		} else {
			const { blob } = await editor.toImage(ids, { format: 'png', background: true, padding: 32, pixelRatio: 2 })
			download(blob, `${baseName}.png`)
		}
	}
	const run = (format: ExportFormat | 'png' | 'svg') => {
		setFailure(undefined)
		const job = format === 'png' || format === 'svg' ? exportImage(format) : Promise.resolve().then(() => exportData(format))
		job.then(
			() => setOpen(false),
			(e: unknown) => setFailure(e instanceof Error ? e.message : String(e)),
		)
	}
	return (
		<div ref={ref} className="popover-anchor">
			<button type="button" className="toolbar-button" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="export-menu">
				{t('export')} ▾
			</button>
			{open && (
				<div className="popover popover--export" role="dialog" aria-label={t('export')}>
					<div className="segmented" role="radiogroup" aria-label={t('exportScope')}>
						<button type="button" role="radio" aria-checked={effectiveScope === 'map'} className={effectiveScope === 'map' ? 'on' : ''} onClick={() => setScope('map')}>
							{t('exportWholeMap')}
						</button>
						<button type="button" role="radio" aria-checked={effectiveScope === 'selection'} className={effectiveScope === 'selection' ? 'on' : ''} disabled={!hasSelection} onClick={() => setScope('selection')}>
							{t('exportSelection')}
						</button>
					</div>
					<h3>{t('exportData')}</h3>
					<div className="button-grid">
						{exportFormats.map((f) => (
							<button key={f} type="button" onClick={() => run(f)} data-testid={`export-${f}`}>
								{formatNames[f]}
							</button>
						))}
					</div>
					<label className="toggle">
						<input type="checkbox" checked={stripPersons} onChange={(e) => setStripPersons(e.target.checked)} />
						<span>{t('exportStripPersons')}</span>
					</label>
					<h3>{t('exportImage')}</h3>
					<div className="button-grid">
						{(['png', 'svg'] as const).map((f) => (
							<button key={f} type="button" onClick={() => run(f)} data-testid={`export-${f}`}>
								{formatNames[f]}
							</button>
						))}
					</div>
					{failure && <p className="error-text">{failure}</p>}
				</div>
			)}
		</div>
	)
}
