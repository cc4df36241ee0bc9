import { BaseBoxShapeTool, BaseBoxShapeUtil, HTMLContainer, resizeBox, useValue, type TLResizeInfo } from 'tldraw'
import { organisationKind, sector } from '../../shared/model/vocabulary'
import { isPinnedMeta, ORGANISATION_SHAPE, organisationShapeMigrations, organisationShapeProps, type OrganisationShape } from '../../shared/tldraw/organisationShape'
import { DEFAULT_ORGANISATION_SIZE } from '../../shared/tldraw/organisationSize'
import { currentLang, translator } from '../i18n'
import { printable } from '../../shared/text'
import { PinIcon } from '../panels/icons'
import { organisationKindColour, tldrawColour } from './colours'

const RADIUS = 10

/** Pinned organisations stay where they are when the map is laid out automatically. */
export const isPinned = (shape: OrganisationShape) => isPinnedMeta(shape.meta)
const MIN_SIZE = { w: 120, h: 56 }
const SHOWN_SECTORS = 3

function OrganisationCard({ shape }: { shape: OrganisationShape }) {
	const lang = useValue(currentLang)
	const { kind, sectors, units } = shape.props
	const name = printable(shape.props.name)
	const shortName = printable(shape.props.shortName)
	const colour = tldrawColour(organisationKindColour[kind])
	const title = shortName || name
	const subtitle = shortName ? name : ''
	const hiddenSectors = sectors.length - SHOWN_SECTORS
	const pinned = isPinned(shape)
	return (
		<div
			className="org-card"
			style={{ borderColor: colour, borderRadius: RADIUS, ['--org-colour' as string]: colour }}
			data-testid="organisation-card"
		>
			<div className="org-card__band" />
			{pinned && (
				<span className="org-card__pin" title={translator(lang)('pinnedMark')} data-testid="pin-mark">
					<PinIcon />
				</span>
			)}
			<div className="org-card__body">
				<div className="org-card__kind">{organisationKind.labels[kind][lang]}</div>
				<div className="org-card__title">{title}</div>
				{subtitle && <div className="org-card__subtitle">{subtitle}</div>}
				{(sectors.length > 0 || units.length > 0) && (
					<div className="org-card__chips">
						{sectors.slice(0, SHOWN_SECTORS).map((s) => (
							<span key={s} className="org-card__chip">
								{sector.labels[s][lang]}
							</span>
						))}
						{hiddenSectors > 0 && <span className="org-card__chip">+{hiddenSectors}</span>}
						{units.length > 0 && (
							<span className="org-card__chip org-card__chip--units">
								{translator(lang)('unitCount', { count: units.length })}
							</span>
						)}
					</div>
				)}
			</div>
		</div>
	)
}

/** An organisation of the network, drawn as a card whose colour tells its kind of body. */
export class OrganisationShapeUtil extends BaseBoxShapeUtil<OrganisationShape> {
	static override type = ORGANISATION_SHAPE
	static override props = organisationShapeProps
	static override migrations = organisationShapeMigrations

	override getDefaultProps(): OrganisationShape['props'] {
		return {
			...DEFAULT_ORGANISATION_SIZE,
			name: translator(currentLang.get())('newOrganisationName'),
			shortName: '',
			kind: 'unknown',
			sectors: [],
			governanceRoles: [],
			units: [],
			contacts: [],
			notes: '',
		}
	}

	override hideRotateHandle() {
		return true
	}

	override canEdit() {
		return false
	}

	override onResize(shape: OrganisationShape, info: TLResizeInfo<OrganisationShape>) {
		return resizeBox(shape, info, { minWidth: MIN_SIZE.w, minHeight: MIN_SIZE.h })
	}

	override component(shape: OrganisationShape) {
		return (
			<HTMLContainer style={{ width: shape.props.w, height: shape.props.h }}>
				<OrganisationCard shape={shape} />
			</HTMLContainer>
		)
	}

	override getIndicatorPath(shape: OrganisationShape) {
		const path = new Path2D()
		path.roundRect(0, 0, shape.props.w, shape.props.h, RADIUS)
		return path
	}
}

/** Click to drop an organisation card, or drag to draw one at the size wanted. */
export class OrganisationTool extends BaseBoxShapeTool {
	static override id = ORGANISATION_SHAPE
	override shapeType: typeof ORGANISATION_SHAPE = ORGANISATION_SHAPE
}
