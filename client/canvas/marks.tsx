import { createContext, useContext } from 'react'
import { Group2d, useEditor, useValue, type TLShapeId, type VecLike } from 'tldraw'
import type { Placement } from '../../shared/model'
import { ORGANISATION_SHAPE } from '../../shared/tldraw/organisationShape'

export type Tone = 'added' | 'removed' | 'changed'

/**
 * Highlights drawn over the map without touching it (nothing is written to the document):
 * shapes by id, and ghosts of what is no longer there (a diff's removed organisations and
 * partnerships), in page coordinates.
 */
export interface CanvasMarks {
	shapes: { id: TLShapeId; tone: Tone }[]
	ghosts: { key: string; box: Placement; label: string; tone: Tone }[]
	ghostLinks: { key: string; from: VecLike; to: VecLike; tone: Tone }[]
}

const MarksContext = createContext<CanvasMarks | undefined>(undefined)
export const MarksProvider = MarksContext.Provider

const PAD = 8

interface Drawn {
	boxes: { key: string; x: number; y: number; w: number; h: number; tone: Tone; label?: string; ghost: boolean }[]
	lines: { key: string; points: string; tone: Tone; ghost: boolean }[]
}

/** Rendered by tldraw inside its camera-transformed layer (the `OnTheCanvas` slot). */
export function CanvasMarksLayer() {
	const marks = useContext(MarksContext)
	const editor = useEditor()
	const drawn = useValue(
		'canvas marks',
		(): Drawn | undefined => {
			if (!marks) return undefined
			const boxes: Drawn['boxes'] = []
			const lines: Drawn['lines'] = []
			for (const { id, tone } of marks.shapes) {
				const shape = editor.getShape(id)
				if (!shape) continue
				if (shape.type === ORGANISATION_SHAPE) {
					const b = editor.getShapePageBounds(shape)
					if (b) boxes.push({ key: id, x: b.x - PAD, y: b.y - PAD, w: b.w + 2 * PAD, h: b.h + 2 * PAD, tone, ghost: false })
					continue
				}
				// An arrow: a halo along its body (its label left out).
				const geometry = editor.getShapeGeometry(shape)
				const body = geometry instanceof Group2d ? geometry.children.filter((c) => !c.isLabel) : [geometry]
				const transform = editor.getShapePageTransform(shape)
				for (const [n, part] of body.entries()) {
					const points = transform.applyToPoints(part.vertices).map((p) => `${p.x},${p.y}`)
					if (points.length > 1) lines.push({ key: `${id}-${n}`, points: points.join(' '), tone, ghost: false })
				}
			}
			for (const g of marks.ghosts) boxes.push({ key: g.key, ...g.box, tone: g.tone, label: g.label, ghost: true })
			for (const l of marks.ghostLinks) lines.push({ key: l.key, points: `${l.from.x},${l.from.y} ${l.to.x},${l.to.y}`, tone: l.tone, ghost: true })
			return { boxes, lines }
		},
		[editor, marks],
	)
	if (!drawn) return null
	const all = [...drawn.boxes.map((b) => [b.x, b.y, b.x + b.w, b.y + b.h]), ...drawn.lines.flatMap((l) => l.points.split(' ').map((p) => p.split(',').map(Number)).map(([x = 0, y = 0]) => [x, y, x, y]))]
	if (all.length === 0) return null
	const minX = Math.min(...all.map((a) => a[0] ?? 0)) - 40
	const minY = Math.min(...all.map((a) => a[1] ?? 0)) - 40
	const maxX = Math.max(...all.map((a) => a[2] ?? 0)) + 40
	const maxY = Math.max(...all.map((a) => a[3] ?? 0)) + 40
	return (
		<svg
			className="canvas-marks"
			data-testid="canvas-marks"
			style={{ left: minX, top: minY, width: maxX - minX, height: maxY - minY }}
			viewBox={`${minX} ${minY} ${maxX - minX} ${maxY - minY}`}
			aria-hidden
		>
			{drawn.lines.map((l) => (
				<polyline key={l.key} points={l.points} className={`canvas-marks__line canvas-marks--${l.tone}${l.ghost ? ' canvas-marks--ghost' : ''}`} />
			))}
			{drawn.boxes.map((b) => (
				<g key={b.key} data-mark={b.tone}>
					<rect x={b.x} y={b.y} width={b.w} height={b.h} rx={14} className={`canvas-marks__box canvas-marks--${b.tone}${b.ghost ? ' canvas-marks--ghost' : ''}`} />
					{b.label && (
						<text x={b.x + b.w / 2} y={b.y + b.h / 2} className="canvas-marks__label">
							{b.label}
						</text>
					)}
				</g>
			))}
		</svg>
	)
}
