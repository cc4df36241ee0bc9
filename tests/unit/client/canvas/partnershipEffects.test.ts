import { describe, expect, test } from 'vitest'
import { createShapeId, toRichText, type TLArrowShape } from 'tldraw'
import { partnershipMetaSchema } from '../../../../shared/model/partnership'
import { styledArrow } from '../../../../client/canvas/partnershipEffects'
import { selectionOf } from '../../../../client/lib/selection'
import { mapSchema } from '../../../../shared/model'

function arrow(meta: Record<string, unknown> | undefined): TLArrowShape {
	return {
		id: createShapeId('p1'),
		typeName: 'shape',
		type: 'arrow',
		x: 0,
		y: 0,
		rotation: 0,
		index: 'a1' as TLArrowShape['index'],
		parentId: 'page:page' as TLArrowShape['parentId'],
		isLocked: false,
		opacity: 1,
		props: {
			kind: 'arc', dash: 'draw', size: 'm', fill: 'none', color: 'black', labelColor: 'black', font: 'sans',
			arrowheadStart: 'none', arrowheadEnd: 'arrow', start: { x: 0, y: 0 }, end: { x: 100, y: 0 }, bend: 0,
			richText: toRichText(''), labelPosition: 0.5, scale: 1, elbowMidPoint: 0.5,
		},
		meta: meta ? { partnership: meta as never } : {},
	}
}

describe('styledArrow', () => {
	test('applies the style of the partnership and is idempotent', () => {
		const meta = { ...partnershipMetaSchema.parse({}), kind: 'imposed', strength: 'weak', direction: 'one_way', visible: false, formal: true, label: 'Adressage' }
		const once = styledArrow(arrow(meta))
		expect(once.props).toMatchObject({ color: 'red', dash: 'dashed', size: 'm', arrowheadStart: 'none', arrowheadEnd: 'arrow' })
		expect(once.opacity).toBeLessThan(1)
		expect(JSON.stringify(once.props.richText)).toContain('Adressage')
		expect(styledArrow(once)).toBe(once)
	})

	test('leaves plain arrows and invalid partnerships alone', () => {
		const plain = arrow(undefined)
		expect(styledArrow(plain)).toBe(plain)
		const invalid = arrow({ kind: 'nonsense' })
		expect(styledArrow(invalid)).toBe(invalid)
	})
})

describe('selectionOf', () => {
	const map = mapSchema.parse({
		schemaVersion: 1,
		organisations: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }, { id: 'c', name: 'C' }],
		partnerships: [
			{ id: 'ab', from: { organisation: 'a' }, to: { organisation: 'b' } },
			{ id: 'bc', from: { organisation: 'b' }, to: { organisation: 'c' } },
		],
		layout: { a: { x: 0, y: 0, w: 1, h: 1 }, c: { x: 5, y: 0, w: 1, h: 1 } },
	})

	test('keeps partnerships between selected organisations', () => {
		const part = selectionOf(map, new Set(['a', 'b']))
		expect(part.organisations.map((o) => o.id)).toEqual(['a', 'b'])
		expect(part.partnerships.map((p) => p.id)).toEqual(['ab'])
		expect(Object.keys(part.layout)).toEqual(['a'])
	})

	test('brings the organisations a selected partnership needs, so the result is a valid map', () => {
		const part = selectionOf(map, new Set(['bc']))
		expect(part.organisations.map((o) => o.id)).toEqual(['b', 'c'])
		expect(mapSchema.safeParse(part).success).toBe(true)
	})
})
