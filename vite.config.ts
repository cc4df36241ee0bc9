import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

/** What client/public/sw.js names its cache with until the build puts the release in its place. */
const RELEASE_PLACEHOLDER = '__MAILLAGE_RELEASE__'

/**
 * Names the service worker's cache after the release: a digest of the files the build emitted
 * (content-hashed names). A release that changes any of them changes /sw.js, so browsers install
 * the new worker, whose activation drops the old release's cache and its assets; an unchanged
 * build keeps the same worker and cache.
 */
function serviceWorkerRelease(): Plugin {
	let release = ''
	let outDir = ''
	return {
		name: 'maillage-service-worker-release',
		apply: 'build',
		configResolved(config) {
			outDir = path.resolve(config.root, config.build.outDir)
		},
		generateBundle(_options, bundle) {
			release = createHash('sha256').update(Object.keys(bundle).sort().join('\n')).digest('hex').slice(0, 12)
		},
		// Public files are copied as they are, after the bundle: the worker is rewritten once everything is written.
		closeBundle() {
			// Also called when the build failed: nothing to rewrite then.
			if (!release) return
			const file = path.join(outDir, 'sw.js')
			const source = readFileSync(file, 'utf8')
			if (!source.includes(RELEASE_PLACEHOLDER)) throw new Error(`${file} does not name its cache with ${RELEASE_PLACEHOLDER}`)
			writeFileSync(file, source.replaceAll(RELEASE_PLACEHOLDER, release))
		},
	}
}

const server = 'http://localhost:8080'

export default defineConfig({
	root: 'client',
	plugins: [react(), serviceWorkerRelease()],
	// TLDRAW_LICENSE_KEY is read from the environment at build time and reaches the client as
	// import.meta.env.TLDRAW_LICENSE_KEY (the prefix matches that one variable only).
	envPrefix: ['VITE_', 'TLDRAW_LICENSE_KEY'],
	build: {
		outDir: 'dist',
		emptyOutDir: true,
		chunkSizeWarningLimit: 4000,
		// tldraw's translation files are fetched at run time: a data: URL would need a looser CSP.
		assetsInlineLimit: (file) => (file.endsWith('.json') ? false : undefined),
	},
	server: {
		proxy: {
			'/api': server,
			'/sync': { target: server, ws: true },
		},
	},
})
