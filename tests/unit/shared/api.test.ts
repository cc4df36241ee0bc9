import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import {
	createdRoomSchema,
	createRoomBodySchema,
	diffQuerySchema,
	importResponseSchema,
	issueSchema,
	MAX_TITLE_LENGTH,
	refusalOf,
	roomInfoSchema,
	versionSummarySchema,
} from '../../../shared/api'
import { issue, validate } from '../../../shared/issues'
import { unlockedStatus } from '../../../shared/roomStatus'

describe('refusals', () => {
	test('the first issue names the code: its field’s own, else invalid_body / invalid_query', () => {
		const on = (...path: (string | number)[]) => issue(path, 'x', 'x')
		expect(refusalOf('body', [on('roles', 0), on('title')])).toEqual({ code: 'invalid_roles', message: 'roles must be a non-empty list of facilitator, participant, viewer' })
		expect(refusalOf('body', [on('label')])).toEqual({ code: 'invalid_body', message: 'invalid request body' })
		expect(refusalOf('body', [on()])).toEqual({ code: 'invalid_body', message: 'invalid request body' })
		expect(refusalOf('query', [on('format'), on('depth')]).code).toBe('invalid_format')
		expect(refusalOf('query', [on('depth')])).toEqual({ code: 'invalid_query', message: 'invalid depth' })
		// A field of the other side, or an inherited key, is no field of this one.
		expect(refusalOf('body', [on('format')]).code).toBe('invalid_body')
		expect(refusalOf('query', [on('toString')]).code).toBe('invalid_query')
	})
})

describe('request schemas', () => {
	test('a room title is at most 200 characters before it is trimmed; absent or null is none', () => {
		expect(createRoomBodySchema.parse({ title: ` ${'x'.repeat(MAX_TITLE_LENGTH - 2)} ` }).title).toBe('x'.repeat(MAX_TITLE_LENGTH - 2))
		expect(createRoomBodySchema.safeParse({ title: ` ${'x'.repeat(MAX_TITLE_LENGTH)}` }).success).toBe(false)
		expect(createRoomBodySchema.parse({}).title).toBeUndefined()
		expect(createRoomBodySchema.parse({ title: null }).title).toBeNull()
	})

	test('a diff goes to the map now unless told otherwise; an empty side is refused', () => {
		expect(diffQuerySchema.parse({ from: 'v1' })).toEqual({ from: 'v1', to: 'now' })
		expect(diffQuerySchema.safeParse({ from: 'v1', to: '' }).success).toBe(false)
		expect(diffQuerySchema.safeParse({}).success).toBe(false)
	})
})

describe('response schemas', () => {
	test('issues as the server writes them, in both languages', () => {
		const checked = validate(versionSummarySchema, { id: '__proto__' })
		expect(checked.ok).toBe(false)
		if (!checked.ok) for (const i of checked.issues) expect(issueSchema.parse(i)).toEqual(i)
		expect(issueSchema.safeParse({ path: ['a'], message: { en: 'only English' }, severity: 'error' }).success).toBe(false)
		expect(importResponseSchema.safeParse({ ok: true, organisations: 1, partnerships: 0 }).success).toBe(false)
	})

	test('room info: the status fields of shared/roomStatus plus the room; a later field does not break an older client', () => {
		const info = { room: 'r', title: 't', role: 'viewer', ...unlockedStatus }
		expect(roomInfoSchema.parse({ ...info, addedLater: 1 })).toEqual(info)
		expect(roomInfoSchema.safeParse({ ...info, role: 'owner' }).success).toBe(false)
		expect(roomInfoSchema.safeParse({ ...info, locked: 'no' }).success).toBe(false)
	})

	test('a created room has a token and a link for every role', () => {
		const all = { facilitator: 'f', participant: 'p', viewer: 'v' }
		expect(createdRoomSchema.safeParse({ room: 'r', title: '', tokens: all, links: all }).success).toBe(true)
		expect(createdRoomSchema.safeParse({ room: 'r', title: '', tokens: { facilitator: 'f' }, links: all }).success).toBe(false)
	})
})

/** The shared modules a module loads, following relative value imports (`import type` loads nothing). */
function loadedBy(file: string, seen = new Set<string>()): Set<string> {
	if (seen.has(file)) return seen
	seen.add(file)
	for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export) (?!type )[^'\n]*from '(\.[^']+)'/gm)) {
		const base = path.resolve(path.dirname(file), spec!)
		const resolved = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f))
		if (resolved) loadedBy(resolved, seen)
	}
	return seen
}

test('the contract loads no layout code: every page imports it, the layout engine is loaded when needed', () => {
	const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared')
	const loaded = [...loadedBy(path.join(shared, 'api.ts'))].map((f) => path.relative(shared, f))
	expect(loaded).toContain('analysis.ts')
	expect(loaded).not.toContain('layout.ts')
	expect(loaded).not.toContain('ego.ts')
})
