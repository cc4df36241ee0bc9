import type { Editor, VecLike } from 'tldraw'
import type { MapDiff } from '../../shared/diff'
import type { Placement } from '../../shared/model'
import { shapeIdOf } from '../../shared/projection'
import type { CanvasMarks } from '../canvas/marks'
import type { DiffResponse } from '../../shared/api'

/** A diff the user asked for: the server's answer, and the two sides as they were chosen. */
export interface Comparison {
	from: string
	to: string
	response: DiffResponse
}

const centre = (p: { x: number; y: number; w: number; h: number }): VecLike => ({ x: p.x + p.w / 2, y: p.y + p.h / 2 })

/**
 * What a diff highlights on the canvas: added and changed organisations and partnerships that are
 * on the map, and ghosts of removed ones where they were.
 */
export function diffMarks(editor: Editor, diff: MapDiff): CanvasMarks {
	const centreOf = (organisation: string): VecLike | undefined => {
		const bounds = editor.getShapePageBounds(shapeIdOf(organisation))
		if (bounds) return centre(bounds)
		const placed: Placement | undefined = diff.placements[organisation]
		return placed && centre(placed)
	}
	const marks: CanvasMarks = { shapes: [], ghosts: [], ghostLinks: [] }
	for (const { id } of [...diff.organisations.added, ...diff.partnerships.added]) marks.shapes.push({ id: shapeIdOf(id), tone: 'added' })
	for (const { id } of [...diff.organisations.changed, ...diff.partnerships.changed]) marks.shapes.push({ id: shapeIdOf(id), tone: 'changed' })
	for (const o of diff.organisations.removed) {
		const box = diff.placements[o.id]
		if (box) marks.ghosts.push({ key: o.id, box, label: o.shortName || o.name, tone: 'removed' })
	}
	for (const p of diff.partnerships.removed) {
		const from = centreOf(p.from.organisation)
		const to = centreOf(p.to.organisation)
		if (from && to) marks.ghostLinks.push({ key: p.id, from, to, tone: 'removed' })
	}
	return marks
}
