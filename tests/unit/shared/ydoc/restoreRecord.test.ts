import { describe, expect, it } from 'vitest'
import { baseRecords, mapToRecords } from '../../../../shared/projection'
import { mapSchema } from '../../../../shared/model'
import { maillageTLSchema } from '../../../../shared/tldraw/schema'
import { notARecord, restoreRecord, type RestoreContext } from '../../../../shared/ydoc/restoreRecord'

const context: RestoreContext = { schema: maillageTLSchema }
const map = mapSchema.parse({ schemaVersion: 1, organisations: [{ id: 'a', name: 'A' }] })
const organisation = mapToRecords(map)[0]!

const reasonOf = (id: string, entry: unknown, ctx: RestoreContext = context) => {
	const restored = restoreRecord(id, entry, ctx)
	if (restored.ok) throw new Error('expected a refusal')
	expect(restored.issue.path).toEqual(['records', id])
	expect(restored.issue.severity).toBe('warning')
	return restored.issue.message
}

describe('restoreRecord', () => {
	it('accepts a valid record as the schema validates it', () => {
		expect(restoreRecord(organisation.id, organisation, context)).toEqual({ ok: true, record: organisation })
	})

	it('refuses what is not a record', () => {
		for (const entry of ['text', 3, null, [organisation]]) expect(restoreRecord('x', entry, context)).toEqual({ ok: false, issue: notARecord('x') })
	})

	it('refuses unknown record types, inherited names included', () => {
		for (const typeName of ['foo', 'constructor', '__proto__', 3])
			expect(reasonOf('foo:1', { id: 'foo:1', typeName }).en).toBe(`unknown record type "${String(typeName)}"`)
		expect(reasonOf('foo:1', { id: 'foo:1', typeName: 'foo' }).fr).toBe('type d\'enregistrement inconnu « foo »')
	})

	it('refuses record types that do not belong in the document', () => {
		const camera = { id: 'camera:page:page', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} }
		expect(reasonOf(camera.id, camera, { ...context, documentTypes: new Set(['shape']) })).toEqual({
			en: '"camera" is not a document record',
			fr: '« camera » n\'est pas un enregistrement du document',
		})
	})

	it('refuses an invalid record with the validator\'s reason', () => {
		const message = reasonOf(organisation.id, { ...organisation, x: 'left' })
		expect(message.en).toMatch(/^invalid record skipped: .*x/)
		expect(message.fr).toMatch(/^enregistrement invalide ignoré : /)
	})

	it('migrates a record written with an older schema before validating it', () => {
		const current = maillageTLSchema.serialize()
		if (current.schemaVersion !== 2) throw new Error('expected a v2 schema')
		const document = baseRecords().find((r) => r.typeName === 'document')!
		const { name: _, ...older } = document as typeof document & { name: string }
		// Version 0 of the document record had no name; the migration adds an empty one.
		const writtenWith = { ...current, sequences: { ...current.sequences, 'com.tldraw.document': 0 } }
		expect(restoreRecord(document.id, older, context).ok).toBe(false)
		expect(restoreRecord(document.id, older, { ...context, writtenWith })).toEqual({ ok: true, record: document })
	})

	it('refuses a record its migrations cannot bring up to date', () => {
		const current = maillageTLSchema.serialize()
		if (current.schemaVersion !== 2) throw new Error('expected a v2 schema')
		// From before tldraw's store-wide migrations: those cannot run on one record.
		const writtenWith = { ...current, sequences: { ...current.sequences, 'com.tldraw.store': 0 } }
		expect(reasonOf(organisation.id, organisation, { ...context, writtenWith }).en).toMatch(/^record cannot be migrated \(/)
	})
})
