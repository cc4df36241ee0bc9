import type { Placement } from '../model'

export interface Ring {
	/** Horizontal and vertical radii of the ellipse the box centres sit on: wider than high, for a projector. */
	rx: number
	ry: number
	/** Angle of the first box, in radians; 0 is to the right of the centre, -π/2 straight above. */
	start: number
	/** Angle covered by the boxes, spread evenly; a full turn by default. */
	span?: number
}

/**
 * Placements of boxes of size `w`×`h` on an ellipse around the origin, clockwise in the given order
 * (the order decides which organisations sit side by side, hence which links stay short).
 */
export function ringPlacements(ids: readonly string[], ring: Ring, w: number, h: number): Record<string, Placement> {
	const span = ring.span ?? 2 * Math.PI
	// A full turn spreads n boxes over n slots; a partial arc puts the first and last at its ends.
	const step = span >= 2 * Math.PI ? span / ids.length : span / Math.max(1, ids.length - 1)
	const placements: Record<string, Placement> = {}
	ids.forEach((id, i) => {
		const angle = ring.start + i * step
		placements[id] = {
			x: Math.round(ring.rx * Math.cos(angle) - w / 2),
			y: Math.round(ring.ry * Math.sin(angle) - h / 2),
			w,
			h,
		}
	})
	return placements
}

/** The placement of a box centred on the origin. */
export const centred = (w: number, h: number): Placement => ({ x: -w / 2, y: -h / 2, w, h })
