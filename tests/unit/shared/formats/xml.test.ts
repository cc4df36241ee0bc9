import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLValidator } from 'fast-xml-parser'
import { afterAll, describe, expect, it } from 'vitest'
import { exportMap, importGexf, importGraphml, type ImportResult } from '../../../../shared/formats'
import type { Issue } from '../../../../shared/issues'
import { mapSchema, type MaillageMap } from '../../../../shared/model'
import { randomMap } from '../../../support/randomMap'

const xmlFormats = ['graphml', 'gexf'] as const
const importers = { graphml: importGraphml, gexf: importGexf }

const failure = (result: ImportResult): Issue[] => {
	if (result.ok) throw new Error('expected the import to fail')
	return result.issues
}
const bilingual = (issues: Issue[]) => issues.every((i) => i.message.en !== '' && i.message.fr !== '' && i.message.fr !== i.message.en)

const small = (partnerships: Record<string, unknown>[] = [{ id: 'p1', from: { organisation: 'a' }, to: { organisation: 'b' } }], name = 'A'): MaillageMap =>
	mapSchema.parse({
		schemaVersion: 1,
		organisations: [
			{ id: 'a', name },
			{ id: 'b', name: 'B' },
		],
		partnerships,
		layout: { a: { x: -10.5, y: 20, w: 200, h: 96 } },
	})

describe.each(xmlFormats)('%s export', (format) => {
	it('is well-formed XML with nothing raw from the texts', () => {
		for (let seed = 1; seed <= 15; seed++) {
			const { body } = exportMap(randomMap(seed), format)
			expect(XMLValidator.validate(body)).toBe(true)
			expect(body).not.toContain('<script>')
			expect(body).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/)
			expect(body).not.toMatch(/\r/)
		}
	})

	it('keeps characters XML cannot carry exactly, and shows them as U+FFFD', () => {
		const name = 'a\u0001b\u0000c\uFFFF\uD800d\r\n'
		const map = small(undefined, name)
		const { body } = exportMap(map, format)
		expect(body).toContain('a\uFFFDb\uFFFDc\uFFFD\uFFFDd&#13;')
		expect(body).toMatch(/exactText/)
		const result = importers[format](body)
		expect(result.ok && result.map.organisations[0]?.name).toBe(name)
	})

	it('writes no exact copy when every text is safe', () => {
		expect(exportMap(small(), format).body).not.toMatch(/exactText[^"]*"\s*(value="|>)\{/)
	})
})

describe('GraphML structure', () => {
	const map = randomMap(9, { organisations: 8, partnerships: 20 })
	const { body, contentType } = exportMap(map, 'graphml')

	it('declares every key it uses, with its domain and type', () => {
		expect(contentType).toMatch(/^application\/graphml\+xml/)
		expect(body).toContain('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"')
		const keys = new Map([...body.matchAll(/<key id="([^"]+)" for="(node|edge|graph)" attr\.name="([^"]+)" attr\.type="(string|boolean|double|int)"/g)].map((m) => [m[1], m[2]]))
		const used = [...body.matchAll(/<data key="([^"]+)"/g)].map((m) => m[1])
		expect(used.length).toBeGreaterThan(100)
		for (const key of used) expect(keys.has(key as string), key).toBe(true)
		expect(body.indexOf('<key ')).toBeLessThan(body.indexOf('<graph '))
		expect(body).toMatch(/<key id="node\.x" for="node" attr\.name="x" attr\.type="double"\/>/)
		expect(body).toMatch(/<key id="edge\.formal" for="edge" attr\.name="formal" attr\.type="boolean"\/>/)
	})

	it('writes parallel edges and directions', () => {
		const edges = [...body.matchAll(/<edge id="([^"]+)" source="([^"]+)" target="([^"]+)"( directed="true")?>/g)]
		expect(edges).toHaveLength(20)
		const pairs = edges.map((e) => [e[2], e[3]].sort().join(' '))
		expect(new Set(pairs).size).toBeLessThan(pairs.length)
		expect(body).toContain('edgedefault="directed"')
		edges.forEach((e, i) => expect(Boolean(e[4])).toBe(map.partnerships[i]?.direction === 'one_way'))
		const mutualOnly = exportMap(small(), 'graphml').body
		expect(mutualOnly).toContain('edgedefault="undirected"')
		expect(mutualOnly).not.toContain('directed="true"')
	})
})

describe('GEXF structure', () => {
	const map = randomMap(9, { organisations: 8, partnerships: 20 })
	const { body, contentType } = exportMap(map, 'gexf')

	it('is GEXF 1.3 with declared attributes and positions', () => {
		expect(contentType).toMatch(/^application\/gexf\+xml/)
		expect(body).toMatch(/<gexf xmlns="http:\/\/gexf\.net\/1\.3" [^>]*version="1\.3">/)
		expect(body).toContain('<attributes class="node">')
		expect(body).toContain('<attributes class="edge">')
		const declared = new Set([...body.matchAll(/<attribute id="([^"]+)"/g)].map((m) => m[1]))
		for (const m of body.matchAll(/<attvalue for="([^"]+)"/g)) expect(declared.has(m[1]), m[1]).toBe(true)
		expect([...body.matchAll(/<viz:position x="[^"]+" y="[^"]+" z="0"\/>/g)]).toHaveLength(8)
	})

	it('types edges and keeps parallel ones apart', () => {
		const edges = [...body.matchAll(/<edge id="([^"]+)" source="([^"]+)" target="([^"]+)" type="(\w+)"[^>]*?(?: kind="([^"]+)")?>/g)]
		expect(edges).toHaveLength(20)
		edges.forEach((e, i) => expect(e[4]).toBe(map.partnerships[i]?.direction === 'one_way' ? 'directed' : 'mutual'))
		const byPair = new Map<string, string[]>()
		for (const e of edges) byPair.set([e[2], e[3]].sort().join(' '), [...(byPair.get([e[2], e[3]].sort().join(' ')) ?? []), e[5] ?? ''])
		const parallel = [...byPair.values()].filter((kinds) => kinds.length > 1)
		expect(parallel.length).toBeGreaterThan(0)
		for (const kinds of parallel) expect(new Set(kinds).size).toBe(kinds.length)
		expect(exportMap(small(), 'gexf').body).toContain('type="undirected"')
	})
})

describe.each(xmlFormats)('%s import errors', (format) => {
	const body = exportMap(small(), format).body
	const read = importers[format]

	it('reports truncated XML with its line and column', () => {
		const [problem, ...others] = failure(read(body.slice(0, Math.floor(body.length * 0.6))))
		expect(others).toEqual([])
		expect(problem?.message.en).toMatch(/^malformed XML at line \d+, column \d+/)
		expect(problem?.message.fr).toMatch(/^XML mal formé à la ligne \d+, colonne \d+/)
	})

	it('refuses entity declarations (billion laughs) without expanding them', () => {
		const lol = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n')}\n]>\n${body.replace(/<\?xml[^>]*>\n/, '').replace('>A<', '>&lol9;<').replace('label="A"', 'label="&lol9;"')}`
		const started = performance.now()
		const [problem, ...others] = failure(read(lol))
		expect(performance.now() - started).toBeLessThan(200)
		expect(others).toEqual([])
		expect(problem?.message.en).toMatch(/DOCTYPE/)
		expect(problem?.message.fr).toMatch(/DOCTYPE/)
	})

	it('refuses another kind of document', () => {
		expect(failure(read('<?xml version="1.0"?><html><body/></html>'))[0]?.message.en).toMatch(new RegExp(`expected a <${format}> root element, found <html>`))
	})

	it('reports an edge to an unknown organisation at its target', () => {
		const issues = failure(read(body.replace('target="b"', 'target="ghost"')))
		expect(issues.map((i) => i.path)).toEqual([['edge', 0, 'target']])
		expect(issues[0]?.message).toEqual({ en: 'unknown organisation "ghost"', fr: 'organisation inconnue « ghost »' })
	})

	it('reports bad values at their node or edge attribute, in both languages', () => {
		const broken =
			format === 'graphml'
				? body
						.replace('</node>', '<data key="node.kind">club</data><data key="node.units">[{"id":</data><data key="node.w">wide</data></node>')
						.replace('</edge>', '<data key="edge.formal">maybe</data></edge>')
				: body
						.replace('</attvalues>', '<attvalue for="kind" value="club"/><attvalue for="units" value="[{&quot;id&quot;:"/><attvalue for="w" value="wide"/></attvalues>')
						.replace(/(<edge [^]*?)<\/attvalues>/, '$1<attvalue for="formal" value="maybe"/></attvalues>')
		const issues = failure(read(broken))
		expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining([['node', 0, 'kind'], ['node', 0, 'units'], ['node', 0, 'w'], ['edge', 0, 'formal']]))
		expect(issues).toHaveLength(4)
		expect(bilingual(issues)).toBe(true)
	})

	it('reports a missing node id', () => {
		expect(failure(read(body.replace('<node id="a"', '<node'))).map((i) => i.path)).toEqual(expect.arrayContaining([['node', 0, 'id']]))
	})
})

describe('GraphML from other tools', () => {
	it('reads keys by attr.name, key defaults, the GraphML direction, and warns about unknown data', () => {
		const text = `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="name" attr.type="string"/>
  <key id="d1" for="node" attr.name="kind" attr.type="string"><default>non_profit</default></key>
  <key id="d2" for="node" attr.name="colour" attr.type="string"/>
  <key id="d3" for="edge" attr.name="weight" attr.type="double"/>
  <graph id="G" edgedefault="directed">
    <node id="a"><data key="d0">Alpha</data><data key="d2">red</data></node>
    <node id="b"><data key="d0">Beta</data><data key="d1">company</data></node>
    <edge id="e0" source="a" target="b"><data key="d3">2.5</data></edge>
    <edge id="e1" source="b" target="a" directed="false"/>
  </graph>
</graphml>`
		const result = importGraphml(text)
		expect(result.ok).toBe(true)
		if (!result.ok) return
		expect(result.map.organisations.map((o) => [o.name, o.kind])).toEqual([
			['Alpha', 'non_profit'],
			['Beta', 'company'],
		])
		expect(result.map.partnerships.map((p) => p.direction)).toEqual(['one_way', 'mutual'])
		expect(result.warnings.map((w) => w.message.en)).toEqual([
			'GraphML data "node colour" is not a Maillage field: ignored',
			'GraphML data "edge weight" is not a Maillage field: ignored',
		])
	})
})

// networkx 3 or newer (the first to read GEXF 1.3), as this project's machines have it in python3.
const python = ['python3', '/usr/bin/python3'].find(
	(bin) => spawnSync(bin, ['-c', 'import networkx, sys; sys.exit(int(networkx.__version__.split(".")[0]) < 3)'], { stdio: 'ignore' }).status === 0,
)
// Optional on a developer's machine, never skipped in CI.
describe.skipIf(python === undefined && !process.env.CI)('networkx (when installed)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'maillage-nx-'))
	afterAll(() => rmSync(dir, { recursive: true, force: true }))

	it('reads our GraphML and GEXF with every node, edge and attribute', () => {
		const map = randomMap(21, { organisations: 9, partnerships: 18 })
		for (const format of xmlFormats) writeFileSync(join(dir, `map.${format}`), exportMap(map, format).body)
		const script = `
import json, sys, networkx as nx
g = nx.read_graphml(sys.argv[1] + '/map.graphml')
h = nx.read_gexf(sys.argv[1] + '/map.gexf')
print(json.dumps({
  'graphml': [g.number_of_nodes(), g.number_of_edges(), g.is_multigraph(), sorted(g.nodes[next(iter(g.nodes))].keys()), g.graph.get('schemaVersion')],
  'gexf': [h.number_of_nodes(), sorted({d['id'] for _, _, d in h.edges(data=True)}), h.nodes[next(iter(h.nodes))]['label']],
}))`
		if (!python) throw new Error('networkx 3 or newer is not installed for python3')
		const out = JSON.parse(execFileSync(python, ['-c', script, dir], { encoding: 'utf8' })) as { graphml: unknown[]; gexf: unknown[] }
		const [nodes, edges, multigraph, attributes, version] = out.graphml
		expect([nodes, edges, multigraph, version]).toEqual([9, 18, true, 1])
		expect(attributes).toEqual(expect.arrayContaining(['name', 'kind', 'x', 'y', 'w', 'h']))
		expect(out.gexf).toEqual([9, map.partnerships.map((p) => p.id).sort(), map.organisations[0]?.name])
	})
})
