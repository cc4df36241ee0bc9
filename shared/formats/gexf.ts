import { issue, type Issue, type IssuePath } from '../issues'
import { SCHEMA_VERSION, type MaillageMap, type Partnership, type Strength } from '../model'
import {
	decodeFields,
	decodePlacement,
	encodeFields,
	freeTextCells,
	infoFields,
	locateInFlatFile,
	organisationFields,
	partnershipFields,
	placementFields,
	type Cells,
	type ColumnType,
	type Field,
	type FlatLocator,
} from './flat'
import type { ImportResult } from './index'
import { completeImport } from './importing'
import { checkImportSize } from './limits'
import { childrenOf, element, EXACT_TEXTS, exactTexts, firstChild, parseXml, restoreExactTexts, textElement, XML_DECLARATION, type XmlElement } from './xml'

/**
 * GEXF 1.3 (https://gexf.net/): nodes are organisations (label = name), edges partnerships
 * (label = label), other fields declared <attributes>. The layout is `viz:position` (the
 * organisation's top-left corner, in the whiteboard's coordinates, y downwards) plus `w` and `h`
 * attributes. GEXF has no graph attributes: the map's description and date are the <meta>
 * description and lastmodifieddate, its title, territory and version are attributes of <graph>
 * in the Maillage namespace, which graph tools ignore.
 *
 * Direction: a map with one-way partnerships is `defaultedgetype="directed"`, its mutual ones
 * `type="mutual"`; otherwise every edge is undirected. Several partnerships between the same two
 * organisations get distinct edge `kind`s (their ids) so that Gephi does not merge them.
 */

const NAMESPACE = 'http://gexf.net/1.3'
const MAILLAGE_NAMESPACE = 'urn:maillage'

const attributeType: Record<ColumnType, string> = { string: 'string', boolean: 'boolean', double: 'double', int: 'integer' }

/** Node and edge fields kept in <attvalues>; the others are XML attributes or viz elements. */
const nodeAttributeFields: readonly Field[] = [
	...organisationFields.filter((f) => !['id', 'name'].includes(f.name)),
	...placementFields.filter((f) => ['w', 'h', 'pinned'].includes(f.name)),
]
const edgeAttributeFields: readonly Field[] = partnershipFields.filter((f) => !['id', 'from', 'to', 'label'].includes(f.name))
const graphAttributeFields = ['schemaVersion', 'title', 'territory'] as const

/** Edge weight, which Gephi draws as thickness. */
const strengthWeight: Record<Strength, number> = { strong: 3, ordinary: 2, weak: 1, unknown: 1 }

function attributeDeclarations(domain: 'node' | 'edge', fields: readonly Field[]): string {
	return element('attributes', { class: domain }, [
		...fields.map((f) => element('attribute', { id: f.name, title: f.name, type: attributeType[f.codec.type] })),
		element('attribute', { id: EXACT_TEXTS, title: EXACT_TEXTS, type: 'string' }),
	])
}

function attvalues(fields: readonly Field[], cells: Cells, exact: string | undefined): string[] {
	const values = fields
		.map((f) => [f.name, cells[f.name]] as const)
		.concat([[EXACT_TEXTS, exact]])
		.filter((entry): entry is readonly [string, string] => entry[1] !== undefined && entry[1] !== '')
		.map(([name, value]) => element('attvalue', { for: name, value }))
	return values.length ? [element('attvalues', {}, values)] : []
}

/** Parallel partnerships (same two organisations) need distinct edge kinds. */
function parallelKinds(partnerships: readonly Partnership[]): Map<string, string> {
	const pair = (p: Partnership) => [p.from.organisation, p.to.organisation].sort().join('\u0000')
	const count = new Map<string, number>()
	for (const p of partnerships) count.set(pair(p), (count.get(pair(p)) ?? 0) + 1)
	return new Map(partnerships.filter((p) => (count.get(pair(p)) ?? 0) > 1).map((p) => [p.id, p.id]))
}

export function exportGexf(map: MaillageMap): string {
	const directed = map.partnerships.some((p) => p.direction === 'one_way')
	const kinds = parallelKinds(map.partnerships)
	const info = encodeFields(infoFields, map)
	const nodes = map.organisations.map((o) => {
		const placement = map.layout[o.id]
		const cells = { ...encodeFields(organisationFields, o), ...(placement && encodeFields(placementFields, placement)) }
		const exact = exactTexts(freeTextCells(organisationFields, cells))
		return element('node', { id: o.id, label: o.name }, [
			...attvalues(nodeAttributeFields, cells, exact),
			...(placement ? [element('viz:position', { x: placement.x, y: placement.y, z: 0 })] : []),
		])
	})
	const edges = map.partnerships.map((p) => {
		const cells = encodeFields(partnershipFields, p)
		const exact = exactTexts(freeTextCells(partnershipFields, cells))
		const type = !directed ? 'undirected' : p.direction === 'one_way' ? 'directed' : 'mutual'
		return element(
			'edge',
			{ id: p.id, source: p.from.organisation, target: p.to.organisation, type, label: p.label || undefined, weight: strengthWeight[p.strength], kind: kinds.get(p.id) },
			attvalues(edgeAttributeFields, cells, exact),
		)
	})
	const graph = element(
		'graph',
		{
			defaultedgetype: directed ? 'directed' : 'undirected',
			mode: 'static',
			'maillage:schemaVersion': info.schemaVersion,
			'maillage:title': info.title,
			'maillage:territory': info.territory,
			[`maillage:${EXACT_TEXTS}`]: exactTexts(freeTextCells(infoFields, info)),
		},
		[
			attributeDeclarations('node', nodeAttributeFields),
			attributeDeclarations('edge', edgeAttributeFields),
			element('nodes', { count: nodes.length }, nodes),
			element('edges', { count: edges.length }, edges),
		],
	)
	const meta = element('meta', { lastmodifieddate: map.date }, [
		textElement('creator', {}, 'Maillage'),
		...(map.description ? [textElement('description', {}, map.description)] : []),
	])
	const root = element(
		'gexf',
		{
			xmlns: NAMESPACE,
			'xmlns:viz': `${NAMESPACE}/viz`,
			'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
			'xmlns:maillage': MAILLAGE_NAMESPACE,
			'xsi:schemaLocation': `${NAMESPACE} ${NAMESPACE}/gexf.xsd`,
			version: '1.3',
		},
		[meta, graph],
	)
	return `${XML_DECLARATION}\n${root}\n`
}

// ─── Import ────────────────────────────────────────────────────────────────────────────────────

/** Attribute titles by id for one class: Gephi renumbers ids, titles stay. */
function attributeTitles(graph: XmlElement, domain: 'node' | 'edge'): Map<string, string> {
	const titles = new Map<string, string>()
	for (const attributes of childrenOf(graph, 'attributes'))
		if (attributes.attributes.class === domain)
			for (const a of childrenOf(attributes, 'attribute')) {
				const { id, title } = a.attributes
				if (id !== undefined) titles.set(id, title ?? id)
			}
	return titles
}

function readAttvalues(el: XmlElement, titles: Map<string, string>, known: readonly Field[], ignored: Set<string>): Cells {
	const cells: Cells = {}
	for (const value of childrenOf(firstChild(el, 'attvalues'), 'attvalue')) {
		const name = titles.get(value.attributes.for ?? '') ?? value.attributes.for ?? ''
		if (name === EXACT_TEXTS || known.some((f) => f.name === name)) cells[name] = value.attributes.value
		else ignored.add(name)
	}
	return cells
}

const locator: FlatLocator = {
	info: (name) => ['graph', name === 'description' ? 'meta.description' : name === 'date' ? 'meta.lastmodifieddate' : name],
	organisation: (index, name) => ['node', index, ...(name === 'name' ? ['label'] : name ? [name] : [])],
	partnership: (index, name) => ['edge', index, ...(name === 'from' ? ['source'] : name === 'to' ? ['target'] : name ? [name] : [])],
}

export function importGexf(text: string): ImportResult {
	const tooLarge = checkImportSize(text)
	if (tooLarge) return { ok: false, issues: [tooLarge] }
	const parsed = parseXml(text, 'gexf')
	if (!parsed.ok) return parsed
	const graph = firstChild(parsed.root, 'graph')
	if (!graph) return { ok: false, issues: [issue(['graph'], 'no <graph> element', 'aucun élément <graph>')] }
	const meta = firstChild(parsed.root, 'meta')
	const issues: Issue[] = []
	const ignored = new Set<string>()
	const withExact = (cells: Cells, where: IssuePath) => {
		issues.push(...restoreExactTexts(cells, [...where, EXACT_TEXTS]))
		return cells
	}

	const infoCells: Cells = Object.fromEntries(graphAttributeFields.map((name) => [name, graph.attributes[name]]))
	infoCells.description = firstChild(meta, 'description')?.text
	infoCells.date = meta?.attributes.lastmodifieddate
	infoCells[EXACT_TEXTS] = graph.attributes[EXACT_TEXTS]
	const info = decodeFields(infoFields, withExact(infoCells, ['graph']), locator.info)
	issues.push(...info.issues)

	const nodeTitles = attributeTitles(graph, 'node')
	const organisations: Record<string, unknown>[] = []
	const layout = new Map<string, unknown>()
	childrenOf(firstChild(graph, 'nodes'), 'node').forEach((node, i) => {
		const position = firstChild(node, 'position')
		const cells = withExact(
			{
				...readAttvalues(node, nodeTitles, nodeAttributeFields, ignored),
				id: node.attributes.id,
				name: node.attributes.label,
				x: position?.attributes.x,
				y: position?.attributes.y,
			},
			['node', i],
		)
		const decoded = decodeFields(organisationFields, cells, (name) => locator.organisation(i, name))
		const placement = decodePlacement(cells, (name) => locator.organisation(i, name))
		issues.push(...decoded.issues, ...(placement?.issues ?? []))
		organisations.push(decoded.record)
		if (placement && typeof decoded.record.id === 'string') layout.set(decoded.record.id, placement.record)
	})

	const edgeTitles = attributeTitles(graph, 'edge')
	const directedByDefault = graph.attributes.defaultedgetype === 'directed'
	const partnerships = childrenOf(firstChild(graph, 'edges'), 'edge').map((edge, j) => {
		const { id, source, target, label, type } = edge.attributes
		const cells = withExact({ ...readAttvalues(edge, edgeTitles, edgeAttributeFields, ignored), id, from: source, to: target, label }, ['edge', j])
		// Files from other tools say direction the GEXF way only.
		cells.direction ??= (type === undefined ? directedByDefault : type === 'directed') ? 'one_way' : 'mutual'
		const decoded = decodeFields(partnershipFields, cells, (name) => locator.partnership(j, name))
		issues.push(...decoded.issues)
		return decoded.record
	})

	const warnings = [...ignored].map((name) => issue(['attributes', name], `GEXF attribute "${name}" is not a Maillage field: ignored`, `attribut GEXF « ${name} » inconnu de Maillage : ignoré`, 'warning'))
	// A graph written by another tool carries no version: its attributes are read as today's.
	const document = { schemaVersion: SCHEMA_VERSION, ...info.record, organisations, partnerships, layout: Object.fromEntries(layout) }
	const ids = organisations.map((o) => o.id)
	return completeImport(document, (path) => locateInFlatFile(path, ids, locator), issues, warnings)
}
