import { EASINGS, type Editor, type TLShapePartial } from 'tldraw'
import type { Placements } from '../../shared/layout'
import type { MaillageMap } from '../../shared/model'
import { modelIdOf, shapeIdOf } from '../../shared/projection'
import { ORGANISATION_SHAPE, type OrganisationShape } from '../../shared/tldraw/organisationShape'
import { fitBounds } from './fit'
import type { LayoutReply, LayoutRequest } from './layoutWorker'
import { isPinned } from './OrganisationShapeUtil'

/** Beyond this many moves, shapes jump to their places: animating them would flood the room with updates. */
const MAX_ANIMATED = 150
const ANIMATION_MS = 600

/** Model ids of the organisations the user pinned. */
export function pinnedOrganisations(editor: Editor): string[] {
	return editor
		.getCurrentPageShapes()
		.filter((s): s is OrganisationShape => s.type === ORGANISATION_SHAPE && isPinned(s as OrganisationShape))
		.map((s) => modelIdOf(s.id))
}

/** The network layout of the whole map, computed in a worker: ELK takes seconds on large maps. */
export function autoLayoutOffThread(map: MaillageMap, pinned: string[]): Promise<Placements> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(new URL('./layoutWorker.ts', import.meta.url), { type: 'module' })
		worker.onmessage = (event: MessageEvent<LayoutReply>) => {
			worker.terminate()
			if (event.data.ok) resolve(event.data.placements)
			else reject(new Error(event.data.message))
		}
		worker.onerror = (event) => {
			worker.terminate()
			reject(new Error(event.message || 'layout worker failed'))
		}
		worker.postMessage({ map, pinned } satisfies LayoutRequest)
	})
}

/** The radial ego layout around `centre`; ELK comes with the layout module, so it is loaded on demand. */
export async function radialPlacements(map: MaillageMap, centre: string, pinned: string[]): Promise<Placements> {
	const { radialLayout } = await import('../../shared/layout')
	return radialLayout(map, centre, { pinned })
}

/**
 * Moves organisations to their new places, animated, as one step of the undo history; the camera
 * follows so that the whole new layout is in view.
 */
export function applyPlacements(editor: Editor, placements: Placements): void {
	const partials: TLShapePartial<OrganisationShape>[] = []
	for (const [id, p] of Object.entries(placements)) {
		const shape = editor.getShape(shapeIdOf(id))
		if (shape?.type !== ORGANISATION_SHAPE || (shape.x === p.x && shape.y === p.y)) continue
		partials.push({ id: shape.id, type: ORGANISATION_SHAPE, x: p.x, y: p.y })
	}
	if (partials.length === 0) return
	editor.markHistoryStoppingPoint('layout')
	if (partials.length <= MAX_ANIMATED) editor.animateShapes(partials, { animation: { duration: ANIMATION_MS, easing: EASINGS.easeInOutCubic } })
	else editor.updateShapes(partials)
	const boxes = Object.values(placements)
	if (boxes.length === 0) return
	const x = Math.min(...boxes.map((b) => b.x))
	const y = Math.min(...boxes.map((b) => b.y))
	fitBounds(editor, { x, y, w: Math.max(...boxes.map((b) => b.x + b.w)) - x, h: Math.max(...boxes.map((b) => b.y + b.h)) - y })
}
