import { XMLParser, XMLValidator } from 'fast-xml-parser'
import Papa from 'papaparse'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { exportMap } from '../../shared/formats'
import { mapSchema } from '../../shared/model'
import { ServerProcess, type CreatedRoom } from '../support/server'

/**
 * Labels with markup, quotes and control characters come out of the server's exports as data:
 * well-formed XML whose elements are only the format's own (GraphML, GEXF), and CSV cells a
 * spreadsheet will not run as formulas.
 */

let server: ServerProcess
let room: CreatedRoom
const hostile = ['<script>alert(1)</script>', '"/><node id="injected"/>', "it's & <b>", 'ctrl\u0001\u001f\u007f', '=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', ']]><!--']
const map = mapSchema.parse({
	schemaVersion: 1,
	title: hostile.join(' '),
	organisations: hostile.map((name, i) => ({ id: `o${i}`, name, shortName: name.slice(0, 40), notes: name })),
	partnerships: [{ id: 'p0', from: { organisation: 'o0' }, to: { organisation: 'o1' }, label: hostile[1] }],
})

beforeAll(async () => {
	server = await ServerProcess.start()
	room = await server.createRoom('Escaping')
	const res = await server.api(`/api/rooms/${room.room}/import?format=json`, { token: room.tokens.facilitator, raw: exportMap(map, 'json').body })
	expect(res.status).toBe(200)
})
afterAll(async () => {
	await server?.stop()
})

const exported = async (format: string) => (await server.api(`/api/rooms/${room.room}/export?format=${format}`, { token: room.tokens.viewer })).text()

/** Every element name in a document. */
function elementNames(xml: string): Set<string> {
	const names = new Set<string>()
	const walk = (nodes: Record<string, unknown>[]) => {
		for (const node of nodes)
			for (const [key, value] of Object.entries(node)) {
				if (key.startsWith(':') || key.startsWith('#') || key.startsWith('?')) continue
				names.add(key)
				if (Array.isArray(value)) walk(value as Record<string, unknown>[])
			}
	}
	walk(new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(xml) as Record<string, unknown>[])
	return names
}

test.each([
	['graphml', ['graphml', 'key', 'desc', 'graph', 'data', 'node', 'edge']],
	['gexf', ['gexf', 'meta', 'creator', 'description', 'lastmodifieddate', 'graph', 'attributes', 'attribute', 'default', 'nodes', 'node', 'attvalues', 'attvalue', 'edges', 'edge', 'viz:position', 'viz:size', 'viz:color', 'viz:thickness', 'viz:shape']],
] as const)('%s: well-formed, only its own elements, one node per organisation', async (format, allowed) => {
	const xml = await exported(format)
	expect(XMLValidator.validate(xml)).toBe(true)
	for (const name of elementNames(xml)) expect(allowed, name).toContain(name)
	expect(xml).not.toContain('<script')
	expect(xml.match(/<node /g)).toHaveLength(map.organisations.length)
	expect(xml).not.toMatch(/[\u0001\u001f]/)
})

test('csv: every text cell a spreadsheet would run starts with an apostrophe', async () => {
	const csv = (await exported('csv')).replace(/^\uFEFF/, '')
	const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data
	const cells = rows.flat()
	for (const text of hostile.filter((t) => /^[=+\-@]/.test(t))) {
		expect(cells).toContain(`'${text}`)
		expect(cells).not.toContain(text)
	}
	expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?\d+(\.\d+)?$/.test(c))).toEqual([])
})
