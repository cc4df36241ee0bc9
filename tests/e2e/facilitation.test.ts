import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { mapSchema } from '../../shared/model'
import { waitFor } from '../support/server'
import { screenshot } from '../support/browser'
import { drawOrganisation, setStage, type Stage, type WatchedPage } from '../support/board'

let stage: Stage
let a: WatchedPage
let b: WatchedPage

beforeAll(async () => {
	stage = await setStage('Réseau ISP de Chimay')
	await stage.importChimay()
	;[a, b] = await Promise.all([stage.join(stage.room.tokens.facilitator, 'Anne (animatrice)'), stage.join(stage.room.tokens.participant, 'Bruno (Forem)')])
}, 240_000)

afterAll(async () => {
	await stage?.close()
})

const cards = (page: Page) => page.getByTestId('organisation-card')
const serverMap = async () => (await (await stage.server.api(`/api/rooms/${stage.room.room}/export?format=json`, { token: stage.room.tokens.viewer })).json()) as { organisations: { name: string }[] }

/** Selects an organisation through the list (which also brings it into view). */
async function pick(page: Page, text: string) {
	await page.getByTestId('tab-list').click()
	await page.getByTestId('list-organisations').locator('.map-list__title', { hasText: text }).first().click()
	await page.getByTestId('tab-inspector').click()
}

describe('facilitation', { timeout: 60_000 }, () => {
	test('the facilitator locks the map: the participant cannot draw and sees why; unlocking gives the pen back', async () => {
		await expect.poll(() => cards(b.page).count(), { timeout: 10_000 }).toBe(15)
		await a.page.getByTestId('lock-toggle').click()

		const banner = b.page.getByTestId('lock-banner')
		await banner.waitFor({ timeout: 5000 })
		expect(await banner.innerText()).toContain('verrouillée par l’animateur')
		await expect.poll(() => b.page.getByTestId('board-canvas').getAttribute('data-editable')).toBe('false')
		await a.page.getByTestId('lock-banner').waitFor()
		expect(await a.page.getByTestId('board-canvas').getAttribute('data-editable')).toBe('true')

		// Drawing does nothing, and the inspector's fields are disabled.
		const before = await cards(b.page).count()
		await b.page.keyboard.press('o')
		const box = (await b.page.getByTestId('board-canvas').boundingBox())!
		await b.page.mouse.click(box.x + 200, box.y + 150)
		await pick(b.page, 'CPAS')
		await expect(b.page.getByTestId('organisation-form').locator('input[name="name"]').isDisabled()).resolves.toBe(true)
		await b.page.waitForTimeout(300)
		expect(await cards(b.page).count()).toBe(before)
		await screenshot(b.page, 'facilitation-locked-participant')

		await a.page.getByTestId('lock-toggle').click()
		await b.page.getByTestId('lock-banner').waitFor({ state: 'detached', timeout: 5000 })
		await expect.poll(() => b.page.getByTestId('board-canvas').getAttribute('data-editable')).toBe('true')
		await drawOrganisation(b.page, 0, 200, 'Atelier du participant')
		await expect.poll(async () => (await serverMap()).organisations.map((o) => o.name), { timeout: 10_000 }).toContain('Atelier du participant')
	})

	test('agree a version, change the map, the diff shows the change on the map and as a list', async () => {
		const page = a.page
		await page.getByTestId('tab-versions').click()
		await page.locator('#version-label').fill('Réunion de mars')
		await page.getByTestId('agree-version').click()
		await expect.poll(() => page.getByTestId('version').count()).toBe(1)
		expect(await page.getByTestId('version').innerText()).toContain('Réunion de mars')
		// Everyone sees which version was agreed.
		await b.page.getByTestId('agreed-chip').waitFor({ timeout: 5000 })
		expect(await b.page.getByTestId('agreed-chip').innerText()).toContain('v1')

		// After agreeing: B adds an organisation, A renames one.
		await drawOrganisation(b.page, 120, 260, 'Maison de quartier')
		await pick(page, 'Esem')
		await page.getByTestId('organisation-form').locator('input[name="name"]').fill('Esem — entreprise sociale')
		await expect.poll(async () => (await serverMap()).organisations.map((o) => o.name), { timeout: 10_000 }).toEqual(
			expect.arrayContaining(['Maison de quartier', 'Esem — entreprise sociale']),
		)

		await page.getByTestId('tab-versions').click()
		await page.getByTestId('version-compare-now').click()
		const diff = page.getByTestId('diff-view')
		await diff.waitFor()
		expect(await page.getByTestId('diff-summary').innerText()).toBe('1 ajout(s), 0 retrait(s), 1 modification(s)')
		expect(await diff.getByTestId('diff-added').innerText()).toContain('Maison de quartier')
		const changed = await diff.getByTestId('diff-changed').innerText()
		expect(changed).toContain('Esem')
		expect(changed).toContain('Esem — entreprise sociale')
		// On the canvas: one box marked as added, one as changed.
		await expect.poll(() => page.locator('[data-testid="canvas-marks"] [data-mark="added"]').count()).toBe(1)
		expect(await page.locator('[data-testid="canvas-marks"] [data-mark="changed"]').count()).toBe(1)
		await diff.getByTestId('diff-added').locator('button').click()
		await page.waitForTimeout(500)
		await screenshot(page, 'facilitation-diff')
	})

	test('a version exports as a valid map, and restoring it can itself be undone', async () => {
		const page = a.page
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('version-export-json').first().click()])
		const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as unknown
		const parsed = mapSchema.safeParse(exported)
		expect(parsed.success).toBe(true)
		expect(parsed.data?.organisations.map((o) => o.name)).not.toContain('Maison de quartier')

		await page.getByTestId('version-restore').first().click()
		const dialog = page.getByTestId('restore-dialog')
		expect(await dialog.innerText()).toContain('avant restauration')
		await dialog.getByTestId('restore-confirm').click()
		await page.getByTestId('versions-message').waitFor()
		expect(await page.getByTestId('versions-message').innerText()).toMatch(/Version 1 restaurée.*version 2/)
		await waitFor(async () => !(await serverMap()).organisations.some((o) => o.name === 'Maison de quartier'), { what: 'the restored map' })
		await expect.poll(() => cards(b.page).filter({ hasText: 'Maison de quartier' }).count(), { timeout: 10_000 }).toBe(0)
		// The automatic version holds the map as it was before the restore.
		const versions = page.getByTestId('version')
		await expect.poll(() => versions.count()).toBe(2)
		expect(await versions.first().innerText()).toContain('avant restauration')
		expect(a.errors).toEqual([])
		expect(b.errors).toEqual([])
	})
})
