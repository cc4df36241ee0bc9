import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const server = 'http://localhost:8080'

export default defineConfig({
	root: 'client',
	plugins: [react()],
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
