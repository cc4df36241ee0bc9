import type { Browser, Page } from 'playwright-core'
import { exportMap } from '../../shared/formats'
import { chimayMap } from '../../shared/demo/chimay'
import { ServerProcess, type CreatedRoom } from './server'
import { ensureClientBuilt, launchChromium, openContext, type WatchedPage } from './browser'

/** A real server, a headless Chromium and one room, for one test file. */
export interface Stage {
	server: ServerProcess
	browser: Browser
	room: CreatedRoom
	url(token: string, path?: string): string
	/** Opens a role link in a new browser context, gives a display name, waits for the board. */
	join(token: string, name: string): Promise<WatchedPage>
	/** Replaces the room's map with the Chimay demo through the API. */
	importChimay(): Promise<void>
	close(): Promise<void>
}

export async function setStage(title: string): Promise<Stage> {
	ensureClientBuilt()
	const [server, browser] = await Promise.all([ServerProcess.start(), launchChromium()])
	const room = await server.createRoom(title)
	const contexts: WatchedPage[] = []
	const url = (token: string, path = '') => `${server.url}/room/${room.room}${path}#token=${token}`
	return {
		server,
		browser,
		room,
		url,
		async join(token, name) {
			const watched = await openContext(browser)
			contexts.push(watched)
			await enter(watched.page, url(token), name)
			return watched
		},
		async importChimay() {
			const res = await server.api(`/api/rooms/${room.room}/import?format=json`, {
				token: room.tokens.facilitator,
				raw: exportMap(chimayMap, 'json').body,
				headers: { 'content-type': 'text/plain; charset=utf-8' },
			})
			if (!res.ok) throw new Error(`import failed: ${res.status} ${await res.text()}`)
		},
		async close() {
			await browser.close()
			await server.stop()
		},
	}
}

export async function enter(page: Page, url: string, name: string): Promise<void> {
	await page.goto(url)
	await page.locator('#display-name').fill(name)
	await page.locator('.join-form button[type="submit"]').click()
	await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 20_000 })
	await page.locator('.tl-canvas').waitFor()
}

/** Centre of the board's canvas plus an offset, in page pixels. */
export async function canvasPoint(page: Page, dx: number, dy: number, testId = 'board-canvas') {
	const box = await page.getByTestId(testId).boundingBox()
	if (!box) throw new Error('no canvas')
	return { x: box.x + box.width / 2 + dx, y: box.y + box.height / 2 + dy }
}

/** The editor's camera, read from the transform tldraw puts on its HTML layer. */
export async function cameraOf(page: Page): Promise<{ x: number; y: number; z: number }> {
	const transform = await page.locator('.tl-html-layer.tl-shapes').first().evaluate((el) => (el as HTMLElement).style.transform)
	const match = /scale\(([-\d.e]+)\) translate\(([-\d.e]+)px,\s*([-\d.e]+)px\)/.exec(transform)
	if (!match) throw new Error(`unexpected camera transform: ${transform}`)
	return { z: Number(match[1]), x: Number(match[2]), y: Number(match[3]) }
}

/** Clicks an organisation card by the text it shows. */
export async function clickCard(page: Page, text: string): Promise<void> {
	const card = page.getByTestId('organisation-card').filter({ hasText: text }).first()
	const box = await card.boundingBox()
	if (!box) throw new Error(`no card ${text}`)
	await page.mouse.click(box.x + box.width / 2, box.y + box.height - 12)
}

/** Draws an organisation with the O tool and names it in the inspector. */
export async function drawOrganisation(page: Page, dx: number, dy: number, name: string): Promise<void> {
	const empty = await canvasPoint(page, 0, -300)
	await page.mouse.click(empty.x, empty.y)
	await page.keyboard.press('o')
	const p = await canvasPoint(page, dx, dy)
	await page.mouse.click(p.x, p.y)
	const form = page.getByTestId('organisation-form')
	await form.waitFor()
	await form.locator('input[name="name"]').fill(name)
}

export { openContext, type WatchedPage }
