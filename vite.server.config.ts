import { defineConfig } from 'vite'

/**
 * The server as plain JavaScript (`npm run build`, with the client): our own code (server/,
 * shared/) bundled into dist/server/main.js, every package left to node_modules, so that
 * `npm start` runs no TypeScript loader. The scale-out modules stay separate chunks, imported
 * only when configured.
 */
export default defineConfig({
	publicDir: false,
	build: {
		ssr: 'server/main.ts',
		outDir: 'dist/server',
		emptyOutDir: true,
		target: 'node20',
		sourcemap: true,
		minify: false,
		rolldownOptions: { output: { entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js' } },
	},
})
