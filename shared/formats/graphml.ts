import { issue, type Issue, type IssuePath } from '../issues'
import { SCHEMA_VERSION, type MaillageMap } from '../model'
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
 * GraphML (http://graphml.graphdrawing.org/): nodes are organisations, edges partnerships
 * (parallel edges allowed), every field a declared <key> so that yEd, Gephi and networkx show
 * them; the layout is x, y, w, h on each node. The whole model is carried: import(export(m)) = m.
 *
 * Direction: networkx refuses a graph mixing directed="true" and directed="false" edges, so a map
 * with one-way partnerships is written `edgedefault="directed"` with `directed="true"` on its
 * one-way edges only; the `direction` key always says which partnerships are mutual.
 */

const NAMESPACE = 'http://graphml.graphdrawing.org/xmlns'

type Domain = 'graph' | 'node' | 'edge'

const attrType: Record<ColumnType, string> = { string: 'string', boolean: 'boolean', double: 'double', int: 'int' }

/** The fields each domain carries as <data>; ids and edge ends are XML attributes. */
const fieldsOf: Record<Domain, readonly Field[]> = {
	graph: infoFields,
	node: [...organisationFields.filter((f) => f.name !== 'id'), ...placementFields],
	edge: partnershipFields.filter((f) => !['id', 'from', 'to'].includes(f.name)),
}

const keyId = (domain: Domain, name: string) => `${domain}.${name}`

function keyDeclarations(): string[] {
	return (['graph', 'node', 'edge'] as const).flatMap((domain) => [
		...fieldsOf[domain].map((f) => element('key', { id: keyId(domain, f.name), for: domain, 'attr.name': f.name, 'attr.type': attrType[f.codec.type] })),
		element('key', { id: keyId(domain, EXACT_TEXTS), for: domain, 'attr.name': EXACT_TEXTS, 'attr.type': 'string' }, [
			textElement('desc', {}, 'JSON object of the texts that hold characters XML 1.0 cannot carry, with their exact value'),
		]),
	])
}

/** The <data> children of a record; blank values are left out, they read back as defaults. */
function dataElements(domain: Domain, cells: Cells): string[] {
	const exact = exactTexts(freeTextCells(fieldsOf[domain], cells))
	return Object.entries({ ...cells, [EXACT_TEXTS]: exact })
		.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
		.filter(([name]) => name === EXACT_TEXTS || fieldsOf[domain].some((f) => f.name === name))
		.map(([name, value]) => textElement('data', { key: keyId(domain, name) }, value))
}

export function exportGraphml(map: MaillageMap): string {
	const directed = map.partnerships.some((p) => p.direction === 'one_way')
	const nodes = map.organisations.map((o) => {
		const placement = map.layout[o.id]
		const cells = { ...encodeFields(organisationFields, o), ...(placement && encodeFields(placementFields, placement)) }
		return element('node', { id: o.id }, dataElements('node', cells))
	})
	const edges = map.partnerships.map((p) =>
		element(
			'edge',
			{ id: p.id, source: p.from.organisation, target: p.to.organisation, directed: directed && p.direction === 'one_way' ? 'true' : undefined },
			dataElements('edge', encodeFields(partnershipFields, p)),
		),
	)
	const graph = element('graph', { id: 'G', edgedefault: directed ? 'directed' : 'undirected' }, [
		...dataElements('graph', encodeFields(infoFields, map)),
		...nodes,
		...edges,
	])
	const root = element(
		'graphml',
		{
			xmlns: NAMESPACE,
			'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
			'xsi:schemaLocation': `${NAMESPACE} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd`,
		},
		[...keyDeclarations(), graph],
	)
	return `${XML_DECLARATION}\n${root}\n`
}

// ─── Import ────────────────────────────────────────────────────────────────────────────────────

interface Key {
	domain: string
	name: string
	default?: string
}

/** Keys by id, read by their attr.name so that files written by other tools are read too. */
function readKeys(root: XmlElement): Map<string, Key> {
	const keys = new Map<string, Key>()
	for (const k of childrenOf(root, 'key')) {
		const { id, for: domain = 'all', 'attr.name': name } = k.attributes
		if (id === undefined || name === undefined) continue
		const fallback = firstChild(k, 'default')
		keys.set(id, { domain, name, ...(fallback && { default: fallback.text }) })
	}
	return keys
}

/** The cells of a graph, node or edge: its <data> by attr.name, then key defaults. */
function readCells(el: XmlElement, domain: Domain, keys: Map<string, Key>, ignored: Set<string>): Cells {
	const cells: Cells = {}
	for (const key of keys.values())
		if (key.default !== undefined && (key.domain === domain || key.domain === 'all')) cells[key.name] = key.default
	for (const data of childrenOf(el, 'data')) {
		const key = keys.get(data.attributes.key ?? '')
		if (!key || !(key.name === EXACT_TEXTS || fieldsOf[domain].some((f) => f.name === key.name))) {
			ignored.add(`${domain} ${key?.name ?? data.attributes.key}`)
			continue
		}
		cells[key.name] = data.text
	}
	return cells
}

const locator: FlatLocator = {
	info: (name) => ['graph', name],
	organisation: (index, name) => ['node', index, ...(name ? [name] : [])],
	partnership: (index, name) => ['edge', index, ...(name === 'from' ? ['source'] : name === 'to' ? ['target'] : name ? [name] : [])],
}

export function importGraphml(text: string): ImportResult {
	const tooLarge = checkImportSize(text)
	if (tooLarge) return { ok: false, issues: [tooLarge] }
	const parsed = parseXml(text, 'graphml')
	if (!parsed.ok) return parsed
	const keys = readKeys(parsed.root)
	const graph = firstChild(parsed.root, 'graph')
	if (!graph) return { ok: false, issues: [issue(['graph'], 'no <graph> element', 'aucun élément <graph>')] }
	const issues: Issue[] = []
	const ignored = new Set<string>()
	const read = (el: XmlElement, domain: Domain, where: IssuePath) => {
		const cells = readCells(el, domain, keys, ignored)
		issues.push(...restoreExactTexts(cells, [...where, EXACT_TEXTS]))
		return cells
	}

	const info = decodeFields(infoFields, read(graph, 'graph', ['graph']), locator.info)
	issues.push(...info.issues)

	const organisations: Record<string, unknown>[] = []
	const layout = new Map<string, unknown>()
	childrenOf(graph, 'node').forEach((node, i) => {
		const cells = { ...read(node, 'node', ['node', i]), id: node.attributes.id }
		const decoded = decodeFields(organisationFields, cells, (name) => locator.organisation(i, name))
		const placement = decodePlacement(cells, (name) => locator.organisation(i, name))
		issues.push(...decoded.issues, ...(placement?.issues ?? []))
		organisations.push(decoded.record)
		if (placement && typeof decoded.record.id === 'string') layout.set(decoded.record.id, placement.record)
	})

	const directedByDefault = graph.attributes.edgedefault === 'directed'
	const partnerships = childrenOf(graph, 'edge').map((edge, j) => {
		const { id, source, target, directed } = edge.attributes
		const cells: Cells = { ...read(edge, 'edge', ['edge', j]), id, from: source, to: target }
		// Files from other tools say direction the GraphML way only.
		cells.direction ??= (directed === undefined ? directedByDefault : directed === 'true') ? 'one_way' : 'mutual'
		const decoded = decodeFields(partnershipFields, cells, (name) => locator.partnership(j, name))
		issues.push(...decoded.issues)
		return decoded.record
	})

	const warnings = [...ignored].map((what) => issue(['key'], `GraphML data "${what}" is not a Maillage field: ignored`, `donnée GraphML « ${what} » inconnue de Maillage : ignorée`, 'warning'))
	// A graph written by another tool carries no version: its keys are read as today's.
	const document = { schemaVersion: SCHEMA_VERSION, ...info.record, organisations, partnerships, layout: Object.fromEntries(layout) }
	const ids = organisations.map((o) => o.id)
	return completeImport(document, (path) => locateInFlatFile(path, ids, locator), issues, warnings)
}
