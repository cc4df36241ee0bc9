import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from '../support/browser'
import { cameraOf, openContext, setStage, type Stage, type WatchedPage } from '../support/board'

let stage: Stage
let facilitator: WatchedPage
let projector: WatchedPage

beforeAll(async () => {
	stage = await setStage('Réseau ISP de Chimay')
	await stage.importChimay()
	facilitator = await stage.join(stage.room.tokens.facilitator, 'Anne (animatrice)')
	projector = await openContext(stage.browser)
	await projector.page.goto(stage.url(stage.room.tokens.viewer, '/projector'))
	await projector.page.getByTestId('projector-canvas').locator('.tl-canvas').waitFor({ timeout: 20_000 })
}, 240_000)

afterAll(async () => {
	await stage?.close()
})

const moved = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y)

async function pan(page: Page, dx: number, dy: number) {
	const box = (await page.getByTestId('board-canvas').boundingBox())!
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
	await page.mouse.wheel(dx, dy)
}

describe('the projector view', { timeout: 60_000 }, () => {
	test('shows the map read-only and follows the facilitator’s viewport', async () => {
		const page = projector.page
		await expect.poll(() => page.getByTestId('organisation-card').count(), { timeout: 10_000 }).toBe(15)
		await expect.poll(() => page.getByTestId('projector-canvas').getAttribute('data-following'), { timeout: 10_000 }).not.toBe('')
		expect(await page.getByTestId('projector-follow').innerText()).toContain('Anne (animatrice)')
		expect(await page.getByTestId('projector-people').innerText()).toBe('1 personne(s) connectée(s)')

		const before = await cameraOf(page)
		await pan(facilitator.page, 400, 250)
		await expect.poll(async () => moved(await cameraOf(page), before), { timeout: 5000 }).toBeGreaterThan(100)
		// Both show the same place: the projector's camera moved as far as the facilitator's, in page units.
		const leader = await cameraOf(facilitator.page)
		const follower = await cameraOf(page)
		await pan(facilitator.page, -200, 0)
		await expect.poll(async () => (await cameraOf(page)).x - follower.x, { timeout: 5000 }).toBeCloseTo((await cameraOf(facilitator.page)).x - leader.x, 0)
	})

	test('shows the lock, the agreed version and a join link that never reveals the viewer token', async () => {
		const page = projector.page
		await facilitator.page.getByTestId('lock-toggle').click()
		await page.getByTestId('projector-locked').waitFor({ timeout: 5000 })
		const saved = await stage.server.api(`/api/rooms/${stage.room.room}/versions`, { token: stage.room.tokens.facilitator, body: { label: 'Carte de mars' } })
		expect(saved.status).toBe(201)
		await page.getByTestId('projector-agreed').waitFor({ timeout: 5000 })
		expect(await page.getByTestId('projector-agreed').innerText()).toContain('version 1 « Carte de mars »')

		const link = await page.getByTestId('projector-link').innerText()
		expect(link).toBe(`127.0.0.1:${stage.server.port}/room/${stage.room.room}`)
		expect(await page.content()).not.toContain(stage.room.tokens.viewer)
		expect(page.url()).not.toContain('token')
		expect(await page.getByTestId('projector-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/)
		// Nothing can be drawn from the projector.
		expect(await page.locator('.tlui-toolbar').count()).toBe(0)
		// The facilitator shows the whole map: so does the projector.
		await facilitator.page.getByTestId('layout-menu').click()
		await facilitator.page.getByTestId('layout-fit').click()
		await page.waitForTimeout(800)
		await screenshot(page, 'projector-view')
		expect(projector.errors).toEqual([])
		await facilitator.page.getByTestId('lock-toggle').click()
	})

	test('opened with a participant token, it offers the participant link to join', async () => {
		const other = await openContext(stage.browser)
		await other.page.goto(stage.url(stage.room.tokens.participant, '/projector'))
		await other.page.getByTestId('projector-link').waitFor({ timeout: 20_000 })
		expect((await other.page.getByTestId('projector-link').innerText()).replace(/\s/g, '')).toBe(
			`127.0.0.1:${stage.server.port}/room/${stage.room.room}#token=${stage.room.tokens.participant}`,
		)
		await other.context.close()
	})
})
