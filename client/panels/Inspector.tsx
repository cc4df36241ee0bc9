import { lazy, Suspense, useState } from 'react'
import { useValue, type Editor } from 'tldraw'
import type * as Y from 'yjs'
import { modelIdOf } from '../../shared/projection'
import { docToMap } from '../../shared/ydoc/mapDoc'
import { applyPlacements, pinnedOrganisations, radialPlacements } from '../canvas/layout'
import { isPinned } from '../canvas/OrganisationShapeUtil'
import { ORGANISATION_SHAPE, PINNED_META_KEY, type OrganisationShape } from '../../shared/tldraw/organisationShape'
import { isArrow } from '../canvas/partnershipEffects'
import { useI18n } from '../i18n'
import { Toggle } from './fields'
import { OrganisationForm } from './OrganisationForm'
import { PartnershipForm } from './PartnershipForm'

/** Edits the one selected organisation or partnership; explains what to do otherwise. */
// The ego view needs the layout module (and ELK with it): loaded when first opened.
const EgoDialog = lazy(() => import('./EgoDialog').then((m) => ({ default: m.EgoDialog })))

/** What one does with an organisation as a whole: see its ego network, lay the map around it, pin it. */
function OrganisationActions({ editor, doc, shape, readOnly }: { editor: Editor; doc: Y.Doc; shape: OrganisationShape; readOnly: boolean }) {
	const { t } = useI18n()
	const [ego, setEgo] = useState(false)
	const setPinned = (pinned: boolean) => {
		editor.markHistoryStoppingPoint('pin')
		const { [PINNED_META_KEY]: _, ...meta } = shape.meta
		editor.updateShape<OrganisationShape>({ id: shape.id, type: 'organisation', meta: pinned ? { ...meta, [PINNED_META_KEY]: true } : meta })
	}
	const radial = () => void radialPlacements(docToMap(doc).map, modelIdOf(shape.id), pinnedOrganisations(editor)).then((placements) => applyPlacements(editor, placements))
	return (
		<div className="organisation-actions">
			<div className="organisation-actions__buttons">
				<button type="button" className="small-button" onClick={() => setEgo(true)} data-testid="ego-open">
					◎ {t('egoShow')}
				</button>
				{!readOnly && (
					<button type="button" className="small-button" onClick={radial} data-testid="ego-radial">
						{t('egoRadial')}
					</button>
				)}
			</div>
			<Toggle name="pinned" label={t('pinned')} value={isPinned(shape)} onChange={setPinned} disabled={readOnly} />
			{ego && (
				<Suspense fallback={null}>
					<EgoDialog doc={doc} organisation={modelIdOf(shape.id)} onClose={() => setEgo(false)} />
				</Suspense>
			)}
		</div>
	)
}

export function Inspector({ editor, doc, readOnly }: { editor: Editor; doc: Y.Doc; readOnly: boolean }) {
	const { t } = useI18n()
	const shape = useValue('inspected shape', () => editor.getOnlySelectedShape() ?? undefined, [editor])
	const selectedCount = useValue('selection size', () => editor.getSelectedShapeIds().length, [editor])

	if (shape?.type === ORGANISATION_SHAPE) {
		return (
			<section className="inspector">
				<h2 className="panel-title">{t('inspectorOrganisation')}</h2>
				<OrganisationActions editor={editor} doc={doc} shape={shape as OrganisationShape} readOnly={readOnly} />
				<OrganisationForm key={shape.id} editor={editor} shape={shape as OrganisationShape} readOnly={readOnly} />
			</section>
		)
	}
	// An invalid partnership is still shown: the form lists its problems and can repair them.
	if (isArrow(shape) && shape.meta.partnership !== undefined) {
		return (
			<section className="inspector">
				<h2 className="panel-title">{t('inspectorPartnership')}</h2>
				<PartnershipForm key={shape.id} editor={editor} arrow={shape} readOnly={readOnly} />
			</section>
		)
	}
	const hint = isArrow(shape) ? t('inspectorArrowHint') : selectedCount > 1 ? t('inspectorManySelected', { count: selectedCount }) : t('inspectorEmpty')
	return (
		<section className="inspector inspector--empty">
			<p>{hint}</p>
			{!readOnly && !shape && <p className="muted">{t('inspectorHowTo')}</p>}
		</section>
	)
}
