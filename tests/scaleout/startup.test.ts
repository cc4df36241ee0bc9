import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { ConfigError, configFromEnv } from '../../server/config'
import { freePort, ServerProcess } from '../support/server'
import { startPostgres, type PostgresService } from '../support/services'

/** The scale-out mode is opt-in, checked at start, and fails loudly when its services are missing. */

const here = path.dirname(fileURLToPath(import.meta.url))
let postgres: PostgresService | undefined
afterAll(async () => {
	await postgres?.stop()
})

const base = { MAILLAGE_ADMIN_TOKEN: 'an-admin-token-of-32-characters!' }

test('without DATABASE_URL nor REDIS_URL, the server loads neither pg nor ioredis', () => {
	const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, '../support/loadedModules.ts')], { encoding: 'utf8', timeout: 60_000 })
	const packages = JSON.parse(output.trim().split('\n').at(-1) as string) as string[]
	expect(packages).toContain('better-sqlite3')
	expect(packages).not.toContain('pg')
	expect(packages).not.toContain('ioredis')
})

test('the scale-out settings are checked together', () => {
	expect(configFromEnv({}).databaseUrl).toBeUndefined()
	expect(configFromEnv({}).redisUrl).toBeUndefined()
	const both = configFromEnv({ ...base, DATABASE_URL: 'postgres://db/maillage', REDIS_URL: 'redis://cache:6379' })
	expect(both).toMatchObject({ databaseUrl: 'postgres://db/maillage', redisUrl: 'redis://cache:6379' })
	expect(configFromEnv({ DATABASE_URL: 'postgresql://u:p@db:5432/m' }).databaseUrl).toBe('postgresql://u:p@db:5432/m')
	expect(() => configFromEnv({ ...base, REDIS_URL: 'redis://cache:6379' })).toThrow(/REDIS_URL needs DATABASE_URL/)
	expect(() => configFromEnv({ DATABASE_URL: 'postgres://db/m', REDIS_URL: 'redis://cache' })).toThrow(/REDIS_URL needs MAILLAGE_ADMIN_TOKEN/)
	expect(() => configFromEnv({ DATABASE_URL: 'mysql://db/m' })).toThrow(ConfigError)
	expect(() => configFromEnv({ ...base, DATABASE_URL: 'postgres://db/m', REDIS_URL: 'http://cache' })).toThrow(ConfigError)
})

test('an unreachable Redis or PostgreSQL stops the start with the reason, never the password', async () => {
	const closed = await freePort()
	postgres = await startPostgres()
	const attempts = [
		{ env: { DATABASE_URL: `postgresql://maillage:a-secret@127.0.0.1:${closed}/maillage` }, reason: `cannot open the database 127.0.0.1:${closed}/maillage` },
		{ env: { DATABASE_URL: postgres.url, REDIS_URL: `redis://:a-secret@127.0.0.1:${closed}` }, reason: `cannot reach Redis at 127.0.0.1:${closed}: connect ECONNREFUSED` },
	]
	for (const { env, reason } of attempts) {
		const error = await ServerProcess.start({ env }).catch((e: unknown) => e)
		expect(error).toBeInstanceOf(Error)
		expect((error as Error).message).toContain(reason)
		expect((error as Error).message).not.toContain('a-secret')
	}
})
