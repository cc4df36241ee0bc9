import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ServerProcess, waitFor, type CreatedRoom } from '../support/server'
import { ensureClientBuilt, launchChromium, openContext, screenshot, type WatchedPage } from '../support/browser'

let server: ServerProcess
let browser: Browser
let room: CreatedRoom

beforeAll(async () => {
	ensureClientBuilt()
	;[server, browser] = await Promise.all([ServerProcess.start(), launchChromium()])
	room = await server.createRoom('Réseau ISP de Chimay')
}, 240_000)

afterAll(async () => {
	await browser?.close()
	await server?.stop()
})

const roomUrl = (token: string) => `${server.url}/room/${room.room}#token=${token}`

/** Opens a role link, gives a display name and waits until the board is connected. */
async function join(watched: WatchedPage, token: string, name: string): Promise<Page> {
	const { page } = watched
	await page.goto(roomUrl(token))
	await page.getByLabel('Votre nom').fill(name)
	await page.getByRole('button', { name: 'Entrer' }).click()
	await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 20_000 })
	await page.locator('.tl-canvas').waitFor()
	return page
}

/** Centre of the canvas area plus an offset, in page pixels. */
async function canvasPoint(page: Page, dx: number, dy: number) {
	const box = await page.getByTestId('board-canvas').boundingBox()
	if (!box) throw new Error('no canvas')
	return { x: box.x + box.width / 2 + dx, y: box.y + box.height / 2 + dy }
}

async function drawOrganisation(page: Page, dx: number, dy: number, name: string, shortName: string) {
	// Focus the canvas (not the inspector) with a click on an empty spot, then use the shortcut.
	const empty = await canvasPoint(page, 0, -300)
	await page.mouse.click(empty.x, empty.y)
	await page.keyboard.press('o')
	const p = await canvasPoint(page, dx, dy)
	await page.mouse.click(p.x, p.y)
	const form = page.getByTestId('organisation-form')
	await form.waitFor()
	await form.locator('input[name="name"]').fill(name)
	await form.locator('input[name="shortName"]').fill(shortName)
}

async function serverExport(token: string) {
	const res = await server.api(`/api/rooms/${room.room}/export?format=json`, { token })
	expect(res.status).toBe(200)
	return (await res.json()) as {
		organisations: { id: string; name: string; shortName: string }[]
		partnerships: { id: string; kind: string; strength: string; formal: boolean; direction: string; from: { organisation: string }; to: { organisation: string } }[]
	}
}

describe('the whiteboard bound to a room', { timeout: 60_000 }, () => {
	let a: WatchedPage
	let b: WatchedPage

	test('an organisation drawn in A appears in B', async () => {
		;[a, b] = await Promise.all([openContext(browser), openContext(browser)])
		await join(a, room.tokens.facilitator, 'Anne (CPAS)')
		await join(b, room.tokens.participant, 'Bruno (Forem)')

		await drawOrganisation(a.page, -150, -60, 'CPAS de Chimay', 'CPAS')
		await drawOrganisation(a.page, 250, 80, 'Le Forem — Maison de l’emploi', 'Forem')

		const cards = b.page.getByTestId('organisation-card')
		await expect.poll(() => cards.allInnerTexts(), { timeout: 10_000 }).toEqual(
			expect.arrayContaining([expect.stringContaining('CPAS'), expect.stringContaining('Forem')]),
		)
		// B sees who is in the room.
		await b.page.locator('.facepile').click()
		await expect.poll(() => b.page.getByTestId('participant-name').allInnerTexts()).toContain('Anne (CPAS)')
		await b.page.locator('.facepile').click()
	})

	test('a partnership drawn and typed in A has the right style in B and in the export', async () => {
		const page = a.page
		const empty = await canvasPoint(page, 0, -300)
		await page.mouse.click(empty.x, empty.y)
		await page.keyboard.press('a')
		const from = await canvasPoint(page, -150, -60)
		const to = await canvasPoint(page, 250, 80)
		await page.mouse.move(from.x, from.y)
		await page.mouse.down()
		await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 })
		await page.mouse.move(to.x, to.y, { steps: 5 })
		await page.mouse.up()

		const form = page.getByTestId('partnership-form')
		await form.waitFor({ timeout: 5000 })
		await form.locator('select[name="kind"]').selectOption('imposed')
		await form.locator('select[name="strength"]').selectOption('strong')
		await form.locator('select[name="direction"]').selectOption('one_way')
		await form.locator('input[name="formal"]').check()
		await form.locator('input[name="label"]').fill('Adressage des moins de 25 ans')

		const exported = await waitFor<Awaited<ReturnType<typeof serverExport>> | undefined>(
			async () => {
				const map = await serverExport(room.tokens.viewer)
				const p = map.partnerships[0]
				return p?.kind === 'imposed' && p.strength === 'strong' && p.formal && p.direction === 'one_way' ? map : undefined
			},
			{ timeout: 10_000, what: 'the typed partnership in the server export' },
		).then((map) => map!)
		const byId = new Map(exported.organisations.map((o) => [o.id, o.shortName]))
		expect(exported.partnerships).toHaveLength(1)
		expect(byId.get(exported.partnerships[0]!.from.organisation)).toBe('CPAS')
		expect(byId.get(exported.partnerships[0]!.to.organisation)).toBe('Forem')

		// B draws the arrow with the style of the model: imposed = red, strong = extra-large, one-way.
		const arrowStyle = async (p: Page) =>
			p.evaluate(() => {
				const arrow = document.querySelector('.tl-shape[data-shape-type="arrow"]')
				const path = arrow?.querySelector('path[stroke-width]')
				const label = arrow?.textContent ?? ''
				return path ? { stroke: getComputedStyle(path).stroke, width: Number(path.getAttribute('stroke-width')), label } : undefined
			})
		const inA = (await waitFor(() => arrowStyle(page), { what: 'the arrow in A' }))!
		await expect.poll(() => arrowStyle(b.page), { timeout: 10_000 }).toEqual(inA)
		expect(inA.label).toContain('Adressage des moins de 25 ans')
		expect(inA.label).toContain('⚖')

		await page.getByRole('tab', { name: 'Propriétés' }).click()
		await screenshot(page, 'board-facilitator-partnership')
		await screenshot(b.page, 'board-participant')
	})

	test('a viewer sees the map but cannot change it', async () => {
		const viewer = await openContext(browser)
		const page = await join(viewer, room.tokens.viewer, 'Projecteur')
		await expect.poll(() => page.getByTestId('organisation-card').count(), { timeout: 10_000 }).toBe(2)
		await expect(page.getByTestId('map-menu').count()).resolves.toBe(0)

		// Try to delete and to draw: nothing changes, here or on the server.
		const card = await page.getByTestId('organisation-card').first().boundingBox()
		if (!card) throw new Error('no organisation card')
		await page.mouse.click(card.x + card.width / 2, card.y + card.height / 2)
		await expect(page.getByTestId('organisation-form').locator('input[name="name"]').isDisabled()).resolves.toBe(true)
		await page.keyboard.press('Delete')
		await page.keyboard.press('o')
		const p = await canvasPoint(page, 0, 250)
		await page.mouse.click(p.x, p.y)
		await page.waitForTimeout(500)
		expect(await page.getByTestId('organisation-card').count()).toBe(2)
		const map = await serverExport(room.tokens.viewer)
		expect(map.organisations).toHaveLength(2)
		expect(map.partnerships).toHaveLength(1)
		await screenshot(page, 'board-viewer')
		expect(viewer.errors).toEqual([])
		await viewer.context.close()
	})

	test('a reload keeps everything', async () => {
		const page = a.page
		await page.reload()
		// The token stayed in sessionStorage and the name in localStorage.
		await expect(page.getByLabel('Votre nom').inputValue()).resolves.toBe('Anne (CPAS)')
		await page.getByRole('button', { name: 'Entrer' }).click()
		await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 20_000 })
		await expect.poll(() => page.getByTestId('organisation-card').count(), { timeout: 10_000 }).toBe(2)
		await expect.poll(() => page.locator('.tl-shape[data-shape-type="arrow"]').count()).toBe(1)
		expect(page.url()).not.toContain('token=')

		await page.getByRole('tab', { name: 'Liste' }).click()
		await expect(page.getByTestId('list-partnerships').innerText()).resolves.toContain('CPAS → Forem')
		expect(a.errors).toEqual([])
		expect(b.errors).toEqual([])
	})

	test('the facilitator loads the demo map and an invalid import changes nothing', async () => {
		const page = a.page
		await page.getByTestId('map-menu').click()
		await page.getByTestId('load-demo').click()
		await page.getByRole('button', { name: 'Remplacer la carte' }).click()
		await expect.poll(async () => (await serverExport(room.tokens.viewer)).organisations.length, { timeout: 10_000 }).toBeGreaterThan(10)
		await page.waitForTimeout(800)
		await screenshot(page, 'board-chimay-demo')

		const before = await serverExport(room.tokens.viewer)
		await page.getByTestId('map-menu').click()
		await page.getByRole('menuitem', { name: 'Importer un fichier…' }).click()
		await page.locator('#import-file').setInputFiles({ name: 'carte.json', mimeType: 'application/json', buffer: Buffer.from('{"schemaVersion":1,"organisations":[{"id":"a"}]}') })
		await page.getByRole('button', { name: 'Importer', exact: true }).click()
		await page.getByTestId('import-issues').waitFor()
		expect(await page.getByTestId('import-issues').innerText()).toMatch(/organisations › 0 › name/)
		await screenshot(page, 'import-rejected')
		expect(await serverExport(room.tokens.viewer)).toEqual(before)
		await page.getByTestId('import-dialog').getByRole('button', { name: 'Annuler' }).click()
	})

	test('the admin page creates a room with three links and QR codes', async () => {
		const admin = await openContext(browser)
		await admin.page.goto(`${server.url}/admin#token=${server.adminToken}`)
		await admin.page.getByLabel('Titre de la carte').fill('Réunion de mars')
		expect(admin.page.url()).not.toContain('token=')
		await admin.page.getByRole('button', { name: 'Créer la réunion' }).click()
		await admin.page.getByTestId('created-room').waitFor()
		for (const role of ['facilitator', 'participant', 'viewer']) {
			const card = admin.page.getByTestId(`role-link-${role}`)
			await expect(card.locator('img').getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/)
			await expect(card.locator('input').inputValue()).resolves.toMatch(/\/room\/[A-Za-z0-9_-]+#token=/)
		}
		await screenshot(admin.page, 'admin-room-created')
		expect(admin.errors).toEqual([])
		await admin.context.close()
	})
})
