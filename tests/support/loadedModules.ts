import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { configFromEnv } from '../../server/config'
import { startServer } from '../../server/server'

/**
 * Run by startup.test.ts in a child process: starts the default (single-process) server and
 * prints which npm packages it loaded, as JSON. pg and ioredis are CommonJS, so they would be in
 * the require cache even when imported from ESM.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'maillage-modules-'))
const server = await startServer(configFromEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent' }))
const packages = new Set(
	Object.keys(createRequire(import.meta.url).cache).flatMap((file) => {
		const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)
		return match?.[1] ? [match[1]] : []
	}),
)
await server.close()
rmSync(dir, { recursive: true, force: true })
process.stdout.write(JSON.stringify([...packages].sort()) + '\n')
