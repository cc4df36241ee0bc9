import { useState } from 'react'
import { useValue, type Editor } from 'tldraw'
import type * as Y from 'yjs'
import { modelIdOf } from '../../shared/projection'
import { ORGANISATION_SHAPE } from '../../shared/tldraw/organisationShape'
import { docToMap } from '../../shared/ydoc/mapDoc'
import { fitMap } from '../canvas/fit'
import { applyPlacements, autoLayoutOffThread, pinnedOrganisations, radialPlacements } from '../canvas/layout'
import { useI18n } from '../i18n'
import { usePopover } from './usePopover'

/** The selected organisation, when exactly one is selected. */
export function useSelectedOrganisation(editor: Editor) {
	return useValue(
		'selected organisation',
		() => {
			const shape = editor.getOnlySelectedShape()
			return shape?.type === ORGANISATION_SHAPE ? shape.id : undefined
		},
		[editor],
	)
}

/** Lays the map out: automatically (a network layout) or radially around one organisation. */
export function LayoutMenu({ editor, doc }: { editor: Editor; doc: Y.Doc }) {
	const { t } = useI18n()
	const { open, setOpen, ref } = usePopover()
	const [running, setRunning] = useState(false)
	const [failure, setFailure] = useState<string>()
	const centre = useSelectedOrganisation(editor)

	const auto = () => {
		setOpen(false)
		setRunning(true)
		setFailure(undefined)
		autoLayoutOffThread(docToMap(doc).map, pinnedOrganisations(editor))
			.then((placements) => applyPlacements(editor, placements))
			.catch((e: unknown) => setFailure(t('layoutFailed', { message: e instanceof Error ? e.message : String(e) })))
			.finally(() => setRunning(false))
	}
	const radial = () => {
		setOpen(false)
		if (!centre) return
		radialPlacements(docToMap(doc).map, modelIdOf(centre), pinnedOrganisations(editor)).then(
			(placements) => applyPlacements(editor, placements),
			(e: unknown) => setFailure(t('layoutFailed', { message: e instanceof Error ? e.message : String(e) })),
		)
	}
	return (
		<div ref={ref} className="popover-anchor">
			<button type="button" className="toolbar-button" onClick={() => setOpen(!open)} aria-expanded={open} disabled={running} data-testid="layout-menu" title={failure}>
				{running ? (
					<span className="busy" data-testid="layout-running">
						<span className="spinner" aria-hidden />
						{t('layoutRunning')}
					</span>
				) : (
					<>
						{t('layoutMenu')} {failure ? '⚠' : '▾'}
					</>
				)}
			</button>
			{open && (
				<div className="popover popover--menu" role="menu">
					<button type="button" role="menuitem" onClick={auto} data-testid="layout-auto">
						{t('layoutAuto')}
					</button>
					<button type="button" role="menuitem" onClick={radial} disabled={!centre} data-testid="layout-radial">
						{t('layoutRadial')}
					</button>
					<button type="button" role="menuitem" onClick={() => (setOpen(false), fitMap(editor))} data-testid="layout-fit">
						{t('layoutFit')}
					</button>
					<p className="muted popover__note">{t('layoutUndo')}</p>
				</div>
			)}
		</div>
	)
}
