import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from '../support/browser'
import { setStage, type Stage, type WatchedPage } from '../support/board'

let stage: Stage
let a: WatchedPage

beforeAll(async () => {
	stage = await setStage('Réseau ISP de Chimay')
	await stage.importChimay()
	a = await stage.join(stage.room.tokens.facilitator, 'Anne (animatrice)')
	await a.page.getByTestId('layout-menu').click()
	await a.page.getByTestId('layout-fit').click()
}, 240_000)

afterAll(async () => {
	await stage?.close()
})

type Layout = Record<string, { x: number; y: number }>
const layoutNow = async () =>
	((await (await stage.server.api(`/api/rooms/${stage.room.room}/export?format=json`, { token: stage.room.tokens.viewer })).json()) as { layout: Layout }).layout

/** The titles of the rows the list shows as selected. */
async function selectedInList(page: Page): Promise<string[]> {
	await page.getByTestId('tab-list').click()
	const titles = await page.locator('.map-list__row--selected .map-list__title').allInnerTexts()
	return titles.sort()
}

async function pick(page: Page, text: string) {
	await page.getByTestId('tab-list').click()
	await page.getByTestId('list-organisations').locator('.map-list__title', { hasText: text }).first().click()
	await page.getByTestId('tab-inspector').click()
}

const same = (p: { x: number; y: number } | undefined, q: { x: number; y: number } | undefined) => p !== undefined && q !== undefined && p.x === q.x && p.y === q.y

describe('analysis, layout and ego network', { timeout: 60_000 }, () => {
	test('the analysis panel shows the figures of the Chimay map; clicking “isolated” selects CLE and the Centre culturel', async () => {
		const page = a.page
		await page.getByTestId('tab-analysis').click()
		const value = (id: string) => page.getByTestId(`analysis-${id}`).locator('.figure__value').innerText()
		await expect.poll(() => value('organisations')).toBe('15')
		expect(await value('partnerships')).toBe('29')
		expect(await page.getByTestId('analysis-partnerships').innerText()).toContain('dont 28 actifs ou émergents')
		expect(await value('density')).toMatch(/^21\s?%$/)
		expect(await value('isolates')).toBe('2')
		expect(await value('components')).toBe('3')
		expect(await page.getByTestId('analysis-imposed').innerText()).toContain('Mobilesem')
		expect(await page.getByTestId('analysis-centrality').locator('tbody tr').count()).toBe(5)

		await page.getByTestId('analysis-isolates').click()
		await page.waitForTimeout(500)
		await screenshot(page, 'analysis-isolates-selected')
		expect(await selectedInList(page)).toEqual(['CLE — CLE', 'Centre culturel de Chimay'])
	})

	test('the automatic layout moves what is not pinned, animated, and one undo puts everything back', async () => {
		const page = a.page
		await pick(page, 'CPAS')
		await page.getByTestId('organisation-form').waitFor()
		await page.locator('input[name="pinned"]').check()
		await page.getByTestId('pin-mark').waitFor()
		const before = await layoutNow()

		await page.getByTestId('layout-menu').click()
		await page.getByTestId('layout-auto').click()
		await page.getByTestId('layout-running').waitFor({ state: 'detached', timeout: 20_000 })
		await expect.poll(async () => Object.entries(await layoutNow()).filter(([id, p]) => !same(p, before[id])).length, { timeout: 10_000 }).toBeGreaterThan(10)
		const after = await layoutNow()
		expect(same(after['cpas'], before['cpas'])).toBe(true)
		await page.waitForTimeout(700)
		await screenshot(page, 'layout-auto')

		await page.locator('[data-testid="quick-actions.undo"]').click()
		await expect.poll(async () => Object.entries(await layoutNow()).filter(([id, p]) => !same(p, before[id])).length, { timeout: 10_000 }).toBe(0)
	})

	test('the ego network of an organisation opens in its own view and exports', async () => {
		const page = a.page
		await pick(page, 'Carrefour')
		await page.getByTestId('ego-open').click()
		const dialog = page.getByTestId('ego-dialog')
		await dialog.getByTestId('ego-svg').waitFor()
		const shown = await dialog.getByTestId('ego-organisation').count()
		expect(shown).toBeGreaterThan(2)
		expect(await dialog.getByTestId('ego-svg').innerHTML()).toContain('Carrefour')
		await screenshot(page, 'ego-network')

		const [svg] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('ego-export-svg').click()])
		expect(svg.suggestedFilename()).toBe('carrefour-ego.svg')
		const text = await readFile((await svg.path())!, 'utf8')
		expect(text).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/)
		expect(text).toContain('>Carrefour<')
		const [json] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('ego-export-json').click()])
		const ego = JSON.parse(await readFile((await json.path())!, 'utf8')) as { organisations: unknown[] }
		expect(ego.organisations).toHaveLength(shown)
		const [png] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('ego-export-png').click()])
		expect((await readFile((await png.path())!)).subarray(1, 4).toString()).toBe('PNG')
		await dialog.getByRole('button', { name: 'Fermer' }).click()

		// Radial layout of the map around it, one step of the history.
		const before = await layoutNow()
		await page.getByTestId('ego-radial').click()
		await expect.poll(async () => Object.entries(await layoutNow()).filter(([id, p]) => !same(p, before[id])).length, { timeout: 10_000 }).toBeGreaterThan(5)
		await page.waitForTimeout(700)
		await screenshot(page, 'layout-radial')
		expect(a.errors).toEqual([])
	})
})
