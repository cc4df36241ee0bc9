import { useValue, type Editor } from 'tldraw'
import { ORGANISATION_SHAPE, type OrganisationShape } from '../../shared/tldraw/organisationShape'
import { isArrow } from '../canvas/partnershipEffects'
import { useI18n } from '../i18n'
import { OrganisationForm } from './OrganisationForm'
import { PartnershipForm } from './PartnershipForm'

/** Edits the one selected organisation or partnership; explains what to do otherwise. */
export function Inspector({ editor, readOnly }: { editor: Editor; readOnly: boolean }) {
	const { t } = useI18n()
	const shape = useValue('inspected shape', () => editor.getOnlySelectedShape() ?? undefined, [editor])
	const selectedCount = useValue('selection size', () => editor.getSelectedShapeIds().length, [editor])

	if (shape?.type === ORGANISATION_SHAPE) {
		return (
			<section className="inspector">
				<h2 className="panel-title">{t('inspectorOrganisation')}</h2>
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
