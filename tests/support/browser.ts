import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const artifactsDir = path.join(repoRoot, 'tests/artifacts')

/** Builds the client once when `client/dist` is missing or older than its sources. */
export function ensureClientBuilt(): void {
	execFileSync(process.execPath, [path.join(repoRoot, 'scripts/ensure-build.mjs')], { cwd: repoRoot, stdio: 'inherit' })
}

/** Headless Chromium from the system; playwright gives each launch a fresh profile directory. */
export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: [
			'--no-sandbox',
			'--headless',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	})
}

export interface WatchedPage {
	context: BrowserContext
	page: Page
	/** Console errors and uncaught exceptions seen so far. */
	errors: string[]
}

/** A French-speaking browser context whose console errors are collected for the test to check. */
export async function openContext(browser: Browser): Promise<WatchedPage> {
	const context = await browser.newContext({ locale: 'fr-BE', viewport: { width: 1440, height: 900 }, acceptDownloads: true })
	const page = await context.newPage()
	const errors: string[] = []
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text())
	})
	page.on('pageerror', (error) => errors.push(String(error)))
	return { context, page, errors }
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(artifactsDir, { recursive: true })
	const file = path.join(artifactsDir, `${name}.png`)
	await page.screenshot({ path: file })
	return file
}
