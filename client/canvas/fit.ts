import type { BoxLike, Editor, TLShapeId } from 'tldraw'

/** Room left free around what is fitted, in screen pixels: tldraw's menu on top, its toolbar below. */
const INSET = { top: 64, right: 32, bottom: 80, left: 32 }
const GAP = 24

/** The width the open legend takes on the left of the canvas, so that nothing is fitted under it. */
function legendWidth(editor: Editor): number {
	const legend = editor.getContainer().closest('.canvas, .projector__canvas')?.querySelector('.legend:not(.legend--closed)')
	if (!legend) return 0
	const viewport = editor.getViewportScreenBounds()
	return Math.max(0, legend.getBoundingClientRect().right - viewport.x)
}

/**
 * Moves the camera so that `bounds` fills the part of the canvas nothing covers (tldraw's own
 * zoomToFit centres on the whole canvas and puts the left of the map under the legend).
 */
export function fitBounds(editor: Editor, bounds: BoxLike, { maxZoom = 1, animate = true } = {}): void {
	const viewport = editor.getViewportScreenBounds()
	const left = Math.max(INSET.left, legendWidth(editor) + GAP)
	const width = Math.max(80, viewport.w - left - INSET.right)
	const height = Math.max(80, viewport.h - INSET.top - INSET.bottom)
	const { zoomSteps } = editor.getCameraOptions()
	const minZoom = zoomSteps[0] ?? 0.1
	const z = Math.max(minZoom, Math.min(maxZoom, width / Math.max(1, bounds.w), height / Math.max(1, bounds.h)))
	const x = (left + width / 2) / z - (bounds.x + bounds.w / 2)
	const y = (INSET.top + height / 2) / z - (bounds.y + bounds.h / 2)
	editor.setCamera({ x, y, z }, animate ? { animation: { duration: 400 } } : {})
}

/** The whole map in view. */
export function fitMap(editor: Editor, options?: { animate?: boolean }): void {
	const bounds = editor.getCurrentPageBounds()
	if (bounds) fitBounds(editor, bounds, options)
}

/** Some shapes in view (analysis figures, diff entries, the list), not zoomed in further than 1. */
export function fitShapes(editor: Editor, ids: readonly TLShapeId[]): void {
	const boxes = ids.map((id) => editor.getShapePageBounds(id)).filter((b) => b !== undefined)
	if (boxes.length === 0) return
	const x = Math.min(...boxes.map((b) => b.x))
	const y = Math.min(...boxes.map((b) => b.y))
	const w = Math.max(...boxes.map((b) => b.maxX)) - x
	const h = Math.max(...boxes.map((b) => b.maxY)) - y
	fitBounds(editor, { x, y, w, h })
}

/** Selects shapes that exist (an analysis or a diff may name some that are gone) and brings them into view. */
export function selectAndShow(editor: Editor, ids: readonly TLShapeId[]): void {
	const present = ids.filter((id) => editor.getShape(id) !== undefined)
	editor.setCurrentTool('select')
	editor.select(...present)
	fitShapes(editor, present)
}
