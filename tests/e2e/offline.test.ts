import { Cable } from '../support/cable'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page, WebSocket } from 'playwright-core'
import { waitFor } from '../support/server'
import { screenshot } from '../support/browser'
import { drawOrganisation, enter, openContext, setStage, type Stage, type WatchedPage } from '../support/board'

/**
 * Offline in a real browser against the real server (tests/reliability/offline.test.ts does the
 * same at the Node level). Chromium's offline emulation does not cut an open WebSocket (it holds
 * its frames and flushes them once back online), so browser A reaches the server through a TCP
 * relay whose cable the test pulls: its socket dies as on a real network loss.
 */

let stage: Stage
let cable: Cable
let cablePort: number

beforeAll(async () => {
	stage = await setStage('Réseau hors ligne')
	cable = new Cable(stage.server.port)
	cablePort = await cable.listen()
}, 240_000)

afterAll(async () => {
	await stage?.close()
	await cable?.close()
})

const status = (page: Page) => page.getByTestId('connection-status').getAttribute('data-status')
const cardTexts = (page: Page) => page.getByTestId('organisation-card').allInnerTexts()

async function exportedNames(): Promise<string[]> {
	const res = await stage.server.api(`/api/rooms/${stage.room.room}/export?format=json`, { token: stage.room.tokens.viewer })
	expect(res.status).toBe(200)
	return ((await res.json()) as { organisations: { name: string }[] }).organisations.map((o) => o.name).sort()
}

/** Whether the room's IndexedDB (y-indexeddb's `updates` store) holds `text`, as the UTF-8 bytes Yjs writes. */
function storedLocally(page: Page, text: string): Promise<boolean> {
	return page.evaluate(
		({ name, text }) =>
			new Promise<boolean>((resolve, reject) => {
				const open = indexedDB.open(name)
				open.onerror = () => reject(open.error)
				open.onsuccess = () => {
					const db = open.result
					const all = db.transaction('updates').objectStore('updates').getAll()
					all.onerror = () => reject(all.error)
					all.onsuccess = () => {
						db.close()
						const needle = new TextEncoder().encode(text)
						const has = (bytes: Uint8Array) =>
							bytes.some((_, i) => needle.every((b, j) => bytes[i + j] === b))
						resolve((all.result as Uint8Array[]).some(has))
					}
				}
			}),
		{ name: `maillage-${stage.room.room}`, text },
	)
}

/** Console errors other than the failed connections that being offline causes. */
const unexpected = (errors: string[]) => errors.filter((e) => !/WebSocket|ERR_|Failed to load resource/.test(e))

describe('offline in the browser', { timeout: 60_000 }, () => {
	let a: WatchedPage
	let b: WatchedPage

	test('edits made offline survive a reload and merge with the edits made meanwhile by others', async () => {
		a = await openContext(stage.browser)
		const sockets: WebSocket[] = []
		a.page.on('websocket', (ws) => sockets.push(ws))
		await enter(a.page, `http://127.0.0.1:${cablePort}/room/${stage.room.room}#token=${stage.room.tokens.participant}`, 'Anne (CPAS)')
		b = await stage.join(stage.room.tokens.participant, 'Bruno (Forem)')
		await drawOrganisation(a.page, -250, -100, 'CPAS de Chimay')
		await expect.poll(exportedNames, { timeout: 10_000 }).toEqual(['CPAS de Chimay'])

		// The network goes: the cable is pulled (A's socket dies) and the browser knows it is offline.
		cable.set('down')
		await a.context.setOffline(true)
		await expect.poll(() => status(a.page)).toBe('offline')
		await waitFor(() => sockets.length > 0 && sockets.every((ws) => ws.isClosed()), { what: 'A’s socket to die' })

		await drawOrganisation(a.page, 0, 100, 'Maison médicale (hors ligne)')
		await expect.poll(() => cardTexts(a.page)).toEqual(expect.arrayContaining([expect.stringContaining('Maison médicale (hors ligne)')]))
		await waitFor(() => storedLocally(a.page, 'Maison médicale (hors ligne)'), { what: 'the offline edit in IndexedDB' })
		await screenshot(a.page, 'offline-participant')

		// Meanwhile B, online, draws another organisation; the server has it, A cannot.
		await drawOrganisation(b.page, 250, -100, 'Le Forem (en ligne)')
		await expect.poll(exportedNames, { timeout: 10_000 }).toEqual(['CPAS de Chimay', 'Le Forem (en ligne)'])
		expect(await status(a.page)).toBe('offline')

		// A reloads while the page and its API are reachable again but the sync server still is not
		// (the last test reloads with no network at all).
		await a.context.setOffline(false)
		cable.set('sync down')
		await a.page.reload()
		await a.page.locator('.join-form button[type="submit"]').click()
		await a.page.locator('.tl-canvas').waitFor()
		await expect.poll(() => cardTexts(a.page)).toEqual(
			expect.arrayContaining([expect.stringContaining('CPAS de Chimay'), expect.stringContaining('Maison médicale (hors ligne)')]),
		)
		// From IndexedDB alone: B's organisation is not there yet and the room is not connected.
		expect((await cardTexts(a.page)).join('\n')).not.toContain('Le Forem')
		expect(await status(a.page)).not.toBe('connected')
		expect(await exportedNames()).not.toContain('Maison médicale (hors ligne)')

		// The sync server is back: both sides' edits are everywhere.
		cable.set('up')
		await a.page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 15_000 })
		const all = ['CPAS de Chimay', 'Le Forem (en ligne)', 'Maison médicale (hors ligne)']
		await expect.poll(exportedNames, { timeout: 10_000 }).toEqual(all)
		for (const page of [a.page, b.page]) {
			await expect.poll(async () => (await cardTexts(page)).length, { timeout: 10_000 }).toBe(3)
			const texts = (await cardTexts(page)).join('\n')
			for (const name of all) expect(texts).toContain(name)
		}
		expect(unexpected(a.errors)).toEqual([])
		expect(b.errors).toEqual([])
	})

	test('after a short offline spell that the socket survives, the status comes back to connected', async () => {
		// Chromium holds the frames of an open socket while offline, as a TCP connection that lives
		// through a short outage would: no close event, so the client must not wait for one.
		await a.context.setOffline(true)
		await expect.poll(() => status(a.page)).toBe('offline')
		await drawOrganisation(a.page, 0, 250, 'PCS (coupure brève)')
		await a.context.setOffline(false)
		await a.page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 5000 })
		await expect.poll(exportedNames, { timeout: 10_000 }).toContain('PCS (coupure brève)')
		await expect.poll(() => cardTexts(b.page), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringContaining('PCS (coupure brève)')]))
		expect(unexpected(a.errors)).toEqual([])
	})

	test('the service worker is served as JavaScript, revalidated at every load and named after the release, so a new release replaces it and its cache', async () => {
		const res = await fetch(`${stage.server.url}/sw.js`)
		expect(res.status).toBe(200)
		expect(res.headers.get('content-type')).toMatch(/^text\/javascript/)
		expect(res.headers.get('cache-control')).toBe('no-cache')
		const source = await res.text()
		expect(source).toContain("addEventListener('fetch'")
		// Its cache is named after the release by the build (vite.config.ts), never the placeholder.
		expect(source).toMatch(/const CACHE = 'maillage-shell-[0-9a-f]{12}'/)
	})

	test('a reload with no network at all shows the board from IndexedDB, the room as last seen', async () => {
		// The page is now kept by the service worker (client/public/sw.js) and the room's info by
		// RoomPage. Pulling the cable too makes sure nothing reaches the server, whatever Chromium's
		// offline emulation covers (service workers, sockets).
		// The worker installs in the background after a load; an install cut short by the pulled
		// cable of the tests above is tried again at the next load, as a user's next visit would.
		const controlled = () => a.page.evaluate(() => navigator.serviceWorker.controller !== null)
		if (!(await controlled())) await a.page.reload()
		await waitFor(controlled, { timeout: 20_000, what: 'the service worker to control the page' })
		cable.set('down')
		await a.context.setOffline(true)
		try {
			await a.page.reload()
			await a.page.locator('.join-form button[type="submit"]').click({ timeout: 5000 })
			await expect.poll(() => cardTexts(a.page), { timeout: 5000 }).toEqual(
				expect.arrayContaining([expect.stringContaining('Maison médicale (hors ligne)'), expect.stringContaining('PCS (coupure brève)')]),
			)
			expect(await a.page.locator('.topbar__title h1').innerText()).toBe('Réseau hors ligne')
			expect(await a.page.locator('.role-badge--participant').count()).toBe(1)
			await expect.poll(() => status(a.page)).toBe('offline')
		} finally {
			await a.context.setOffline(false)
			cable.set('up')
		}
		await a.page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 15_000 })
		expect(unexpected(a.errors)).toEqual([])
	})

	test('a refused link is still refused: remembered room info only stands in for an unreachable server', async () => {
		// The API answers 403 (a revoked link) while A has this room's info remembered.
		await a.page.route('**/api/rooms/**', (route) => route.fulfill({ status: 403, body: 'forbidden' }))
		try {
			await a.page.reload()
			await a.page.getByText('Ce lien n’est pas ou plus valable').waitFor({ timeout: 5000 })
			expect(await a.page.locator('.join-form').count()).toBe(0)
		} finally {
			await a.page.unroute('**/api/rooms/**')
		}
	})
})
