import {
	DocumentRecordType,
	PageRecordType,
	TLDOCUMENT_ID,
	toRichText,
	type TLArrowBinding,
	type TLArrowShape,
	type TLPageId,
	type TLRecord,
	type TLShape,
	type TLShapeId,
} from '@tldraw/tlschema'
import type { SerializedSchema } from '@tldraw/store'
import { getIndices, type IndexKey, type JsonObject } from '@tldraw/utils'
import { issue, validate, type Issue } from './issues'
import {
	idSchema,
	mapInfoSchema,
	mapSchema,
	organisationFieldsSchema,
	SCHEMA_VERSION,
	type MaillageMap,
	type MapInfo,
	type Organisation,
	type Partnership,
	type Placement,
	type Side,
} from './model'
import { isPinnedMeta, ORGANISATION_SHAPE, PINNED_META_KEY, type OrganisationShape } from './tldraw/organisationShape'
import { DEFAULT_ORGANISATION_SIZE } from './tldraw/organisationSize'
import { PARTNERSHIP_META_KEY, readPartnershipMeta } from './tldraw/partnershipMeta'
import { parallelBend, partnershipStyle } from './tldraw/partnershipStyle'
import { MAP_PAGE_ID, maillageTLSchema } from './tldraw/schema'
import { restoreRecord, type RestoredRecord } from './ydoc/restoreRecord'

export { PARTNERSHIP_META_KEY } from './tldraw/partnershipMeta'

export const shapeIdOf = (modelId: string) => `shape:${modelId}` as TLShapeId
export const modelIdOf = (shapeId: string) => shapeId.replace(/^shape:/, '')
const bindingIdOf = (partnershipId: string, terminal: 'start' | 'end') => `binding:${partnershipId}_${terminal}`

const pageId = MAP_PAGE_ID as TLPageId

// ─── Map → tldraw records ──────────────────────────────────────────────────────────────────────

/** Organisations without a placement are laid out on a circle, the first one in the centre. */
function defaultPlacement(index: number, count: number): Placement {
	const { w, h } = DEFAULT_ORGANISATION_SIZE
	if (index === 0) return { x: -w / 2, y: -h / 2, w, h }
	const radius = Math.max(320, (count * (w + 40)) / (2 * Math.PI))
	const angle = (2 * Math.PI * (index - 1)) / Math.max(1, count - 1) - Math.PI / 2
	return { x: Math.round(radius * Math.cos(angle) - w / 2), y: Math.round(radius * Math.sin(angle) - h / 2), w, h }
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`)

export function organisationToShape(o: Organisation, placement: Placement, index: IndexKey): OrganisationShape {
	const { id, ...fields } = o
	return {
		id: shapeIdOf(id),
		typeName: 'shape',
		type: ORGANISATION_SHAPE,
		x: placement.x,
		y: placement.y,
		rotation: 0,
		index,
		parentId: pageId,
		isLocked: false,
		opacity: 1,
		props: { w: placement.w, h: placement.h, ...fields },
		meta: placement.pinned ? { [PINNED_META_KEY]: true } : {},
	}
}

/** The arrow props that follow from a partnership (everything but geometry). */
export function arrowStyleProps(p: Partnership | Omit<Partnership, 'id' | 'from' | 'to'>) {
	const { opacity, labelText, ...props } = partnershipStyle(p)
	return { opacity, props: { ...props, richText: toRichText(labelText) } }
}

/** What an arrow keeps of a side: all but the organisation, which its binding says. */
function sideDetails({ organisation: _, ...details }: Side): JsonObject {
	return details as JsonObject
}

export function partnershipToRecords(
	p: Partnership,
	index: IndexKey,
	bend: number,
	placements: Record<string, Placement>,
): [TLArrowShape, TLArrowBinding, TLArrowBinding] {
	const centre = (id: string) => {
		const pl = placements[id]
		return pl ? { x: pl.x + pl.w / 2, y: pl.y + pl.h / 2 } : { x: 0, y: 0 }
	}
	const a = centre(p.from.organisation)
	const b = centre(p.to.organisation)
	const { id, from, to, ...fields } = p
	const { opacity, props } = arrowStyleProps(p)
	const arrow: TLArrowShape = {
		id: shapeIdOf(id),
		typeName: 'shape',
		type: 'arrow',
		x: a.x,
		y: a.y,
		rotation: 0,
		index,
		parentId: pageId,
		isLocked: false,
		opacity,
		props: {
			kind: 'arc',
			fill: 'none',
			font: 'sans',
			start: { x: 0, y: 0 },
			end: { x: b.x - a.x, y: b.y - a.y },
			bend,
			labelPosition: 0.5,
			elbowMidPoint: 0.5,
			...props,
		},
		meta: { [PARTNERSHIP_META_KEY]: { ...fields, from: sideDetails(from), to: sideDetails(to) } },
	}
	const binding = (terminal: 'start' | 'end', organisation: string): TLArrowBinding => ({
		id: bindingIdOf(id, terminal) as TLArrowBinding['id'],
		typeName: 'binding',
		type: 'arrow',
		fromId: arrow.id,
		toId: shapeIdOf(organisation),
		props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
		meta: {},
	})
	return [arrow, binding('start', from.organisation), binding('end', to.organisation)]
}

/** The page and document records every Maillage document holds, with fixed ids. */
export function baseRecords(): TLRecord[] {
	return [
		DocumentRecordType.create({ id: TLDOCUMENT_ID }),
		PageRecordType.create({ id: pageId, name: 'Carte', index: 'a1' as IndexKey }),
	]
}

/** The tldraw records that draw a map: organisation shapes, then partnership arrows and bindings. */
export function mapToRecords(map: MaillageMap): TLRecord[] {
	const placements: Record<string, Placement> = {}
	map.organisations.forEach((o, i) => {
		placements[o.id] = map.layout[o.id] ?? defaultPlacement(i, map.organisations.length)
	})
	const indices = getIndices(map.organisations.length + map.partnerships.length + 1)
	const records: TLRecord[] = []
	map.organisations.forEach((o, i) => {
		records.push(organisationToShape(o, placements[o.id] as Placement, indices[i + 1] as IndexKey))
	})
	const parallelCount = new Map<string, number>()
	map.partnerships.forEach((p, i) => {
		const key = pairKey(p.from.organisation, p.to.organisation)
		const rank = parallelCount.get(key) ?? 0
		parallelCount.set(key, rank + 1)
		// Bend is measured from the arrow's own start: flip it for arrows drawn the other way round.
		const sign = p.from.organisation < p.to.organisation ? 1 : -1
		const index = indices[map.organisations.length + i + 1] as IndexKey
		records.push(...partnershipToRecords(p, index, sign * parallelBend(rank), placements))
	})
	return records
}

// ─── tldraw records → Map ──────────────────────────────────────────────────────────────────────

export interface Projection {
	map: MaillageMap
	/** Records that could not be read into the model, and what was repaired; never fatal. */
	issues: Issue[]
}

const byIndex = (a: TLShape, b: TLShape) => (a.index < b.index ? -1 : a.index > b.index ? 1 : a.id < b.id ? -1 : 1)

/** One record handed to the projection, restored on its own (see shared/ydoc/restoreRecord). */
export function restoreMapRecord(raw: unknown, writtenWith?: SerializedSchema): RestoredRecord {
	const id = (raw as { id?: unknown } | null)?.id
	return restoreRecord(typeof id === 'string' ? id : '?', raw, { schema: maillageTLSchema, writtenWith })
}

/**
 * What the projection derives from one shape alone, kept by a caller that restores the same record
 * objects again (a room's cache): keyed by the restored record, so an edited record is derived anew.
 */
export interface ProjectionMemo {
	organisationFields: WeakMap<TLShape, ReturnType<typeof organisationFieldsSchema.parse>>
	partnershipMeta: WeakMap<TLShape, ReturnType<typeof readPartnershipMeta>>
}

export const projectionMemo = (): ProjectionMemo => ({ organisationFields: new WeakMap(), partnershipMeta: new WeakMap() })

function remembered<V>(cache: WeakMap<TLShape, V> | undefined, shape: TLShape, derive: () => V): V {
	if (!cache) return derive()
	let value = cache.get(shape)
	if (value === undefined) cache.set(shape, (value = derive()))
	return value
}

/**
 * Reads the typed map out of a document's records. Every record is restored on its own
 * (shared/ydoc/restoreRecord: migrated from `writtenWith` when given, then validated): an invalid
 * one is reported and left out, and the rest of the map is still read.
 */
export function recordsToMap(
	rawRecords: readonly unknown[],
	info: Partial<MapInfo> = {},
	{ writtenWith }: { writtenWith?: SerializedSchema | undefined } = {},
): Projection {
	return projectRecords(
		rawRecords.map((raw) => restoreMapRecord(raw, writtenWith)),
		info,
	)
}

/** The typed map out of restored records; the map-level checks (bindings, ids, units) run over all of them. */
export function projectRecords(restoredRecords: readonly RestoredRecord[], info: Partial<MapInfo> = {}, memo?: ProjectionMemo): Projection {
	const issues: Issue[] = []
	const shapes: TLShape[] = []
	const arrowBindings = new Map<string, TLArrowBinding[]>()

	for (const restored of restoredRecords) {
		if (!restored.ok) {
			issues.push(restored.issue)
			continue
		}
		const record = restored.record
		if (record.typeName === 'shape') shapes.push(record)
		else if (record.typeName === 'binding' && record.type === 'arrow') {
			const list = arrowBindings.get(record.fromId) ?? []
			list.push(record as TLArrowBinding)
			arrowBindings.set(record.fromId, list)
		}
	}
	shapes.sort(byIndex)

	const organisations: Organisation[] = []
	const layout: Record<string, Placement> = {}
	for (const shape of shapes) {
		if (shape.type !== ORGANISATION_SHAPE) continue
		const id = modelIdOf(shape.id)
		if (!idSchema.safeParse(id).success) {
			issues.push(issue(['records', shape.id], 'organisation id is not a valid identifier', "l'identifiant de l'organisation n'est pas valide", 'warning'))
			continue
		}
		const { w, h, ...fields } = (shape as OrganisationShape).props
		organisations.push({ id, ...remembered(memo?.organisationFields, shape, () => organisationFieldsSchema.parse(fields)) })
		layout[id] = { x: shape.x, y: shape.y, w, h, ...(isPinnedMeta(shape.meta) && { pinned: true }) }
	}
	const organisationById = new Map(organisations.map((o) => [o.id, o]))

	const partnerships: Partnership[] = []
	for (const shape of shapes) {
		if (shape.type !== 'arrow') continue
		const where = ['records', shape.id]
		const id = modelIdOf(shape.id)
		const bindings = arrowBindings.get(shape.id) ?? []
		const endOf = (terminal: 'start' | 'end') => {
			const b = bindings.find((x) => x.props.terminal === terminal)
			return b ? organisationById.get(modelIdOf(b.toId)) : undefined
		}
		const from = endOf('start')
		const to = endOf('end')
		if (!from || !to) {
			issues.push(issue(where, 'arrow not bound to an organisation at both ends: not a partnership', "flèche non reliée à une organisation aux deux bouts : ce n'est pas un partenariat", 'warning'))
			continue
		}
		if (from.id === to.id) {
			issues.push(issue(where, 'arrow links an organisation to itself: not a partnership', 'flèche reliant une organisation à elle-même : ce n\'est pas un partenariat', 'warning'))
			continue
		}
		if (!idSchema.safeParse(id).success) {
			issues.push(issue(where, 'partnership id is not a valid identifier', "l'identifiant du partenariat n'est pas valide", 'warning'))
			continue
		}
		const meta = remembered(memo?.partnershipMeta, shape, () => readPartnershipMeta(shape.meta, [...where, 'meta', PARTNERSHIP_META_KEY]))
		if (!meta.ok) {
			issues.push(...meta.issues.map((i) => ({ ...i, severity: 'warning' as const })))
			continue
		}
		const { from: fromDetails, to: toDetails, ...fields } = meta.value
		const side = (org: Organisation, details: typeof fromDetails, end: 'from' | 'to') => {
			if (details.unit !== undefined && !org.units.some((u) => u.id === details.unit)) {
				issues.push(issue([...where, 'meta', PARTNERSHIP_META_KEY, end, 'unit'], `unknown unit "${details.unit}" dropped`, `service inconnu « ${details.unit} » retiré`, 'warning'))
				return { organisation: org.id, carriers: details.carriers }
			}
			return { organisation: org.id, ...details }
		}
		partnerships.push({ id, from: side(from, fromDetails, 'from'), to: side(to, toDetails, 'to'), ...fields })
	}

	const checkedInfo = validate(mapInfoSchema, info, ['info'])
	if (!checkedInfo.ok) issues.push(...checkedInfo.issues.map((i) => ({ ...i, severity: 'warning' as const })))
	const map = mapSchema.parse({
		schemaVersion: SCHEMA_VERSION,
		...(checkedInfo.ok ? checkedInfo.value : {}),
		organisations,
		partnerships,
		layout,
	})
	return { map, issues }
}
