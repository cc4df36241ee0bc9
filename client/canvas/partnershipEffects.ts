import { getArrowBindings, isEqual, type Editor, type JsonObject, type TLArrowShape, type TLShape, type TLShapeId } from 'tldraw'
import type { PartnershipMeta } from '../../shared/model/partnership'
import { arrowStyleProps } from '../../shared/projection'
import { ORGANISATION_SHAPE } from '../../shared/tldraw/organisationShape'
import { defaultPartnershipMeta, hasPartnership, PARTNERSHIP_META_KEY, readPartnershipMeta } from '../../shared/tldraw/partnershipMeta'
import { parallelBend } from '../../shared/tldraw/partnershipStyle'

export const isArrow = (shape: TLShape | undefined): shape is TLArrowShape => shape?.type === 'arrow'

/** The typed partnership an arrow carries, or undefined when it has none or an invalid one. */
export function partnershipOf(shape: TLShape | undefined): PartnershipMeta | undefined {
	if (!isArrow(shape) || !hasPartnership(shape.meta)) return undefined
	const read = readPartnershipMeta(shape.meta)
	return read.ok ? read.value : undefined
}

/** The arrow with the style its partnership dictates; the same object when nothing changes. */
export function styledArrow(arrow: TLArrowShape): TLArrowShape {
	const partnership = partnershipOf(arrow)
	if (!partnership) return arrow
	const { opacity, props } = arrowStyleProps(partnership)
	const changed =
		arrow.opacity !== opacity ||
		(Object.keys(props) as (keyof typeof props)[]).some((key) => !isEqual(arrow.props[key], props[key]))
	return changed ? { ...arrow, opacity, props: { ...arrow.props, ...props } } : arrow
}

/** The two organisations an arrow links, when it is bound to two different ones. */
export function linkedOrganisations(editor: Editor, arrow: TLArrowShape): { from: TLShapeId; to: TLShapeId } | undefined {
	const { start, end } = getArrowBindings(editor, arrow)
	if (!start || !end || start.toId === end.toId) return undefined
	const isOrganisation = (id: TLShapeId) => editor.getShape(id)?.type === ORGANISATION_SHAPE
	return isOrganisation(start.toId) && isOrganisation(end.toId) ? { from: start.toId, to: end.toId } : undefined
}

/** Other partnership arrows between the same two organisations, in either direction. */
function parallelPartnerships(editor: Editor, arrow: TLArrowShape, from: TLShapeId, to: TLShapeId): number {
	const seen = new Set<TLShapeId>()
	for (const binding of editor.getBindingsToShape(from, 'arrow')) {
		if (binding.fromId === arrow.id || seen.has(binding.fromId)) continue
		const other = editor.getShape(binding.fromId)
		if (!isArrow(other) || !partnershipOf(other)) continue
		const ends = linkedOrganisations(editor, other)
		if (ends && ((ends.from === from && ends.to === to) || (ends.from === to && ends.to === from))) seen.add(other.id)
	}
	return seen.size
}

/** Turns an arrow newly bound to two organisations into a partnership with default values. */
function adoptArrow(editor: Editor, arrowId: TLShapeId) {
	const arrow = editor.getShape(arrowId)
	if (!isArrow(arrow) || hasPartnership(arrow.meta)) return
	const ends = linkedOrganisations(editor, arrow)
	if (!ends) return
	// Bend is measured from the arrow's own start: the same rule as the projection, so that
	// parallel partnerships fan out on alternate sides whichever way they were drawn.
	const sign = ends.from < ends.to ? 1 : -1
	const bend = sign * parallelBend(parallelPartnerships(editor, arrow, ends.from, ends.to))
	const defaults = defaultPartnershipMeta() as unknown as JsonObject
	editor.updateShape<TLArrowShape>({
		id: arrow.id,
		type: 'arrow',
		meta: { ...arrow.meta, [PARTNERSHIP_META_KEY]: defaults },
		// The sans font, as for arrows drawn from a map (shared/projection), keeps labels readable.
		props: { bend, font: 'sans' },
	})
}

/**
 * Keeps partnership arrows in line with the model, for this user's own changes only (remote
 * changes arrive already styled by their author, so two clients never restyle in ping-pong).
 * Returns a function that unregisters everything.
 */
export function registerPartnershipEffects(editor: Editor): () => void {
	const restyle = (shape: TLShape, source: 'user' | 'remote') =>
		source === 'user' && isArrow(shape) ? styledArrow(shape) : shape
	const onBinding = (binding: { type: string; fromId: TLShapeId }, source: 'user' | 'remote') => {
		if (source === 'user' && binding.type === 'arrow') adoptArrow(editor, binding.fromId)
	}
	const disposers = [
		editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) => restyle(shape, source)),
		editor.sideEffects.registerBeforeChangeHandler('shape', (_prev, next, source) => restyle(next, source)),
		editor.sideEffects.registerAfterCreateHandler('binding', (binding, source) => onBinding(binding, source)),
		editor.sideEffects.registerAfterChangeHandler('binding', (_prev, next, source) => onBinding(next, source)),
		// A partnership's label is edited in the inspector (the arrow label also shows marks).
		editor.sideEffects.registerBeforeChangeHandler('instance_page_state', (prev, next) => {
			const editing = next.editingShapeId ? editor.getShape(next.editingShapeId) : undefined
			return partnershipOf(editing) ? { ...next, editingShapeId: prev.editingShapeId } : next
		}),
	]
	return () => disposers.forEach((dispose) => dispose())
}
