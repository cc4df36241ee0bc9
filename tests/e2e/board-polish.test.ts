import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { mapSchema } from '../../shared/model'
import { artifactsDir, screenshot } from '../support/browser'
import { cameraOf, canvasPoint, clickCard, drawOrganisation, enter, setStage, type Stage, type WatchedPage } from '../support/board'

let stage: Stage
let a: WatchedPage
let b: WatchedPage

const HOSTILE = '<img src=x onerror=alert(1)>'
const QUOTED = `"L'Escale" & <script>alert(2)</script>\u0007`

beforeAll(async () => {
	stage = await setStage('Carte « test » & <essai>')
	;[a, b] = await Promise.all([stage.join(stage.room.tokens.facilitator, 'Anne (animatrice)'), stage.join(stage.room.tokens.participant, 'Bruno (Forem)')])
}, 240_000)

afterAll(async () => {
	await stage?.close()
})

const form = (page: Page) => page.getByTestId('organisation-form')
const field = (page: Page, name: string) => form(page).locator(`input[name="${name}"]`)

describe('the board, polished', { timeout: 60_000 }, () => {
	test('one undo reverts one field edit of the inspector, and redo brings it back', async () => {
		const page = b.page
		await drawOrganisation(page, -120, 0, 'Alpha')
		await field(page, 'shortName').pressSequentially('ALP')
		await clickCard(page, 'ALP')
		await page.keyboard.press('Control+z')
		await expect.poll(() => field(page, 'shortName').inputValue()).toBe('')
		expect(await field(page, 'name').inputValue()).toBe('Alpha')
		await page.keyboard.press('Control+z')
		await expect.poll(() => field(page, 'name').inputValue()).toBe('Nouvelle organisation')
		await page.keyboard.press('Control+Shift+z')
		await expect.poll(() => field(page, 'name').inputValue()).toBe('Alpha')
		await page.keyboard.press('Control+Shift+z')
		await expect.poll(() => field(page, 'shortName').inputValue()).toBe('ALP')
	})

	test('labels with markup, quotes and control characters show as text and run nothing', async () => {
		const page = a.page
		const dialogs: string[] = []
		for (const p of [a.page, b.page]) p.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()))
		await drawOrganisation(page, 180, 40, HOSTILE)
		await field(page, 'shortName').fill(QUOTED)
		await field(page, 'name').click()
		for (const p of [a.page, b.page]) {
			const card = p.getByTestId('organisation-card').filter({ hasText: 'onerror' })
			await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1)
			expect(await card.innerText()).toContain(HOSTILE)
			expect(await card.innerText()).toContain(`"L'Escale" & <script>alert(2)</script>`)
			expect(await p.locator('.org-card img, .org-card script').count()).toBe(0)
		}
		await page.getByTestId('tab-list').click()
		expect(await page.getByTestId('list-organisations').innerText()).toContain(HOSTILE)
		await page.getByTestId('tab-inspector').click()
		expect(dialogs).toEqual([])
	})

	test('the whole map exports as JSON that validates and as SVG and PNG with the names escaped', async () => {
		const page = a.page
		const download = async (testId: string) => {
			await page.getByTestId('export-menu').click()
			const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()])
			return file
		}
		const json = await download('export-json')
		expect(json.suggestedFilename()).toBe('carte-test-essai.json')
		const map = mapSchema.parse(JSON.parse(await readFile((await json.path())!, 'utf8')))
		expect(map.organisations.map((o) => o.name).sort()).toEqual([HOSTILE, 'Alpha'])
		expect(map.organisations.find((o) => o.name === HOSTILE)?.shortName).toBe(QUOTED)

		await page.keyboard.press('Escape')
		const svg = await readFile((await (await download('export-svg')).path())!, 'utf8')
		expect(svg).toContain('Alpha')
		expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;')
		expect(svg).not.toContain('<img src=x')
		expect(svg).not.toContain('<script>alert')

		const png = await download('export-png')
		const file = path.join(artifactsDir, 'export-map.png')
		await png.saveAs(file)
		expect((await readFile(file)).subarray(1, 4).toString()).toBe('PNG')
	})

	test('B follows A from the participants list: when A pans, B’s camera moves', async () => {
		await b.page.locator('.facepile').click()
		const row = b.page.locator('.people__row', { hasText: 'Anne (animatrice)' })
		await row.getByRole('button', { name: 'Suivre' }).click()
		await row.getByRole('button', { name: 'Ne plus suivre' }).waitFor()
		await b.page.locator('.facepile').click()
		const before = await cameraOf(b.page)
		const centre = await canvasPoint(a.page, 0, 0)
		await a.page.mouse.move(centre.x, centre.y)
		await a.page.mouse.wheel(-500, -300)
		await expect.poll(async () => Math.hypot((await cameraOf(b.page)).x - before.x, (await cameraOf(b.page)).y - before.y), { timeout: 5000 }).toBeGreaterThan(100)
	})

	test('the legend clears the map after “zoom to fit”', async () => {
		const page = a.page
		await page.getByTestId('layout-menu').click()
		await page.getByTestId('layout-fit').click()
		await page.waitForTimeout(600)
		const legend = (await page.getByTestId('legend').boundingBox())!
		for (const card of await page.getByTestId('organisation-card').all()) {
			const box = (await card.boundingBox())!
			expect(box.x).toBeGreaterThan(legend.x + legend.width)
		}
		await screenshot(page, 'board-fit-with-legend')
	})

	test('switching to English changes the labels and is remembered after a reload', async () => {
		const page = a.page
		await page.getByRole('radio', { name: 'EN' }).click()
		await expect(page.getByTestId('legend').locator('.legend__toggle').innerText()).resolves.toContain('Legend')
		await expect(page.getByTestId('tab-inspector').innerText()).resolves.toBe('Properties')
		await clickCard(page, 'ALP')
		expect(await form(page).innerText()).toContain('Short name')
		await page.reload()
		await expect(page.locator('label[for="display-name"]').innerText()).resolves.toBe('Your name')
		await enter(page, page.url(), 'Anne (animatrice)')
		await expect(page.getByTestId('tab-analysis').innerText()).resolves.toBe('Analysis')
		await expect(page.getByTestId('legend').innerText()).resolves.toContain('Strong link')
		await page.getByRole('radio', { name: 'FR' }).click()
		expect(a.errors).toEqual([])
		expect(b.errors).toEqual([])
	})
})
