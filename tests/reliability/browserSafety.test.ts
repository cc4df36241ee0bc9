import { readFileSync } from 'node:fs'
import { XMLValidator } from 'fast-xml-parser'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { exportMap } from '../../shared/formats'
import { mapSchema } from '../../shared/model'
import { ensureClientBuilt, launchChromium, openContext } from '../support/browser'
import { ServerProcess, type CreatedRoom } from '../support/server'

/**
 * The real client in Chromium, against the real server: labels full of markup render as text
 * and run nothing, the SVG export escapes them, the CSP blocks nothing the client needs, and
 * the token leaves the address bar and never travels in a URL or a Referer.
 */

let server: ServerProcess
let browser: Browser
let room: CreatedRoom

const hostileNames = [
	'<img src=x onerror="window.__xss=1">',
	'<script>window.__xss=2</script>',
	'"quotes" & \'apostrophes\' </text><script>window.__xss=3</script>',
	'ctrl\u0001chars\u001f and \u202Eright-to-left',
]
const map = mapSchema.parse({
	schemaVersion: 1,
	title: '<b>bold title</b>',
	organisations: hostileNames.map((name, i) => ({ id: `o${i}`, name, shortName: `<i>${i}</i>` })),
	partnerships: [{ id: 'p0', from: { organisation: 'o0' }, to: { organisation: 'o1' }, label: '<svg onload="window.__xss=4">' }],
	layout: Object.fromEntries(hostileNames.map((_, i) => [`o${i}`, { x: i * 320, y: (i % 2) * 200, w: 240, h: 100 }])),
})

beforeAll(async () => {
	ensureClientBuilt()
	;[server, browser] = await Promise.all([ServerProcess.start(), launchChromium()])
	room = await server.createRoom('Browser safety')
	const res = await server.api(`/api/rooms/${room.room}/import?format=json`, { token: room.tokens.facilitator, raw: exportMap(map, 'json').body })
	expect(res.status).toBe(200)
}, 240_000)
afterAll(async () => {
	await browser?.close()
	await server?.stop()
})

test('hostile labels render as text, run nothing, and are escaped in the SVG export; the CSP blocks nothing needed; no token in URLs', async () => {
	const watched = await openContext(browser)
	const { page, errors } = watched
	await page.addInitScript(() => {
		const w = window as unknown as { __csp: string[] }
		w.__csp = []
		document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`))
	})
	const requests: { url: string; referer: string }[] = []
	page.on('request', (request) => requests.push({ url: request.url(), referer: request.headers().referer ?? '' }))

	await page.goto(room.links.facilitator)
	await page.getByLabel('Votre nom').fill('<b>Alice</b>')
	await page.getByRole('button', { name: 'Entrer' }).click()
	await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 20_000 })
	await page.locator('.tl-canvas').waitFor()
	for (const name of hostileNames.slice(0, 3)) await page.getByText(name, { exact: false }).first().waitFor({ timeout: 10_000 })

	// The token left the address bar at once.
	expect(page.url()).not.toContain(room.tokens.facilitator)

	const download = page.waitForEvent('download')
	await page.getByTestId('export-menu').click()
	await page.getByTestId('export-svg').click()
	const svg = readFileSync((await (await download).path()) as string, 'utf8')
	expect(XMLValidator.validate(svg)).toBe(true)
	// Labels are text nodes (escaped); no element or attribute of them made it into the markup.
	const tags = svg.match(/<[^>]+>/g) ?? []
	expect(tags.filter((tag) => /^<\/?(script|img)\b|\son(error|load)\s*=/i.test(tag))).toEqual([])
	expect(svg).toContain('&lt;img src=x onerror="window.__xss=1"&gt;')
	expect(svg).toContain('&lt;script&gt;window.__xss=2&lt;/script&gt;')

	expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
	// The CSP blocks nothing the client does (zod runs jitless, so it never tries eval either).
	const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)
	expect(violations).toEqual([])
	expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([])
	// The only place the token travels is the same-origin WebSocket (browsers cannot set its headers).
	const leaking = requests.filter((r) => (r.url.includes(room.tokens.facilitator) && !r.url.startsWith(server.wsUrl)) || r.referer.includes(room.tokens.facilitator))
	expect(leaking).toEqual([])
	await watched.context.close()
}, 120_000)
