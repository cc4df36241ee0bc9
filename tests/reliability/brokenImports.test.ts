import { afterAll, beforeAll, expect, test } from 'vitest'
import { exportMap, MAX_IMPORT_BYTES } from '../../shared/formats'
import { randomMap } from '../support/randomMap'
import { ServerProcess, type CreatedRoom } from '../support/server'

/**
 * Broken, hostile and huge files sent to the import endpoint: each refused with a precise
 * reason (where and why), quickly, and the room's map left exactly as it was.
 */

let server: ServerProcess
let room: CreatedRoom
let before: string
const map = randomMap(31, { organisations: 5, partnerships: 4 })

beforeAll(async () => {
	server = await ServerProcess.start()
	room = await server.createRoom('Broken imports')
	const res = await importFile('json', exportMap(map, 'json').body)
	expect(res.status).toBe(200)
	before = await exportJson()
})
afterAll(async () => {
	await server?.stop()
})

function importFile(format: string, body: string) {
	return server.api(`/api/rooms/${room.room}/import?format=${format}`, { token: room.tokens.facilitator, raw: body })
}

async function exportJson(): Promise<string> {
	const res = await server.api(`/api/rooms/${room.room}/export?format=json`, { token: room.tokens.viewer })
	expect(res.status).toBe(200)
	return res.text()
}

const valid = { json: exportMap(map, 'json').body, csv: exportMap(map, 'csv').body, graphml: exportMap(map, 'graphml').body, gexf: exportMap(map, 'gexf').body }
const deep = (open: string, close: string, n: number) => open.repeat(n) + close.repeat(n)
const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<graphml><graph><node id="a"><data key="name">&lol9;</data></node></graph></graphml>`
const xxe = `<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]><gexf><graph><nodes><node id="a" label="&x;"/></nodes></graph></gexf>`

/** [name, format, body, what the first issue must say] */
const cases: [string, string, string, RegExp][] = [
	['JSON cut in the middle', 'json', valid.json.slice(0, valid.json.length / 2), /invalid JSON at line \d+, column \d+/],
	['JSON syntax error', 'json', '{"schemaVersion": 1, "title": "x",, }', /invalid JSON at line 1, column \d+/],
	['JSON that is not an object', 'json', '[1, 2, 3]', /expected a JSON object/],
	['JSON from a future version', 'json', valid.json.replace(/"schemaVersion": \d+/, '"schemaVersion": 999'), /schema ?version|newer|999/i],
	['JSON with an organisation missing its name', 'json', valid.json.replace(/"name": "[^"]*",/, ''), /^organisations\.0\.name: .*expected string/],
	['JSON nested 100,000 deep', 'json', deep('[', ']', 100_000), /./],
	['JSON with a 5 MB title', 'json', valid.json.replace(/"title": "[^"]*"/, `"title": "${'t'.repeat(5 * 1024 * 1024)}"`), /^title: Too big/],
	['CSV with a bad quote', 'csv', 'record,id,name\norganisation,a,"unclosed\n', /badly quoted|quote/i],
	['CSV without the record column', 'csv', 'id,name\na,CPAS\n', /missing column "record"/],
	['CSV with unknown record kinds', 'csv', 'record,id,name\nplanet,a,Mars\n', /unknown record "planet"/],
	['CSV of 120,000 junk rows', 'csv', 'record,id,name\n' + 'organisation,-,\n'.repeat(120_000), /too many organisations and partnerships: 120000/],
	['CSV of 5,000 junk rows', 'csv', 'record,id,name\n' + 'organisation,-,\n'.repeat(5_000), /^row\.2\.name: /],
	['XML bomb (billion laughs)', 'graphml', laughs, /DOCTYPE/],
	['XML external entity', 'gexf', xxe, /DOCTYPE/],
	['XML not closed', 'graphml', valid.graphml.slice(0, valid.graphml.length - 30), /malformed XML at line \d+, column \d+/],
	['XML with the wrong root', 'gexf', valid.graphml, /expected a <gexf> root element/],
	['XML nested 100,000 deep', 'graphml', `<graphml>${deep('<a>', '</a>', 100_000)}</graphml>`, /./],
	['XML with a 5 MB node id', 'gexf', valid.gexf.replace('<node id="', `<node id="${'a'.repeat(5 * 1024 * 1024)}`), /^node\.0\.id: /],
	['binary junk as GEXF', 'gexf', String.fromCharCode(...Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)), /./],
	['an unknown format', 'xlsx', valid.json, /./],
]

test.each(cases)('%s: refused with a precise reason, quickly, map unchanged', async (_name, format, body, says) => {
	const started = performance.now()
	const res = await importFile(format, body)
	const seconds = (performance.now() - started) / 1000
	const text = await res.text()
	expect([400, 413, 422], text.slice(0, 300)).toContain(res.status)
	const answer = JSON.parse(text) as { issues?: { message: { en: string; fr: string }; path: unknown[] }[]; error?: { message: string } }
	// Where (the path in the file, when there is one) and why.
	const issue = answer.issues?.[0]
	const first = issue ? `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message.en}` : (answer.error?.message ?? '')
	expect(first).toMatch(says)
	// A bug of a reader is caught and reported as one, but none of these files may need that.
	expect(first).not.toMatch(/internal error/)
	if (answer.issues) for (const i of answer.issues) expect(i.message.fr.length).toBeGreaterThan(0)
	expect(seconds, 'one import may not hold the server for long').toBeLessThan(5)
	expect(await exportJson()).toBe(before)
})

test('a file over MAX_IMPORT_BYTES is refused with 413 before being read, map unchanged', async () => {
	const res = await importFile('json', ' '.repeat(MAX_IMPORT_BYTES + 1))
	expect(res.status).toBe(413)
	expect(((await res.json()) as { error: { code: string } }).error.code).toBe('body_too_large')
	expect(await exportJson()).toBe(before)
})

test('the same valid files are accepted in every format (the refusals above are about the content)', async () => {
	for (const [format, body] of Object.entries(valid)) {
		const res = await importFile(format, body)
		expect(res.status, format).toBe(200)
		expect(await exportJson()).toBe(before)
	}
})
