import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { CloseReason, Role } from '../../../../shared/protocol'
import { TurnBatch } from '../../../../server/room/turnBatch'
import type { Peer } from '../../../../server/room/types'

const peer = (role: Role = 'participant'): Peer => ({ role, send() {}, close(_reason: CloseReason) {} })

const edit = (key: string, value: unknown) => {
	const doc = new Y.Doc()
	doc.getMap('m').set(key, value)
	return Y.encodeStateAsUpdate(doc)
}

/** Decodes as a Yjs update header (one client, one struct) and then runs out of bytes. */
const truncatedUpdate = new Uint8Array([1, 1, 7, 0])

function watch(doc: Y.Doc) {
	const transactions: unknown[] = []
	doc.on('afterTransaction', (transaction: Y.Transaction) => transactions.push(transaction.origin))
	return transactions
}

describe('turn batch', () => {
	test('applies every update received in one transaction, whose origin is the sender when there is one', () => {
		const doc = new Y.Doc()
		const transactions = watch(doc)
		const batch = new TurnBatch()
		const alice = peer()
		for (let i = 0; i < 5; i++) batch.add(alice, edit(`k${i}`, i))
		expect(batch.isEmpty).toBe(false)
		batch.applyTo(doc, () => expect.fail('nothing is malformed'))
		expect(batch.isEmpty).toBe(true)
		expect(transactions).toEqual([alice])
		expect(doc.getMap('m').size).toBe(5)
	})

	test('a batch of several senders has no origin (nobody is skipped by the relay)', () => {
		const doc = new Y.Doc()
		const transactions = watch(doc)
		const batch = new TurnBatch()
		batch.add(peer(), edit('a', 1))
		batch.add(peer(), edit('b', 2))
		batch.applyTo(doc, () => {})
		expect(transactions).toEqual([null])
	})

	test('a malformed update rejects its sender, drops what it sent after it, and lets the others land', () => {
		const doc = new Y.Doc()
		const batch = new TurnBatch()
		const [good, bad] = [peer(), peer()]
		batch.add(good, edit('before', 1))
		batch.add(bad, edit('bad-first', 1))
		batch.add(bad, truncatedUpdate)
		batch.add(bad, edit('bad-after', 1))
		batch.add(good, edit('after', 2))
		const rejected: Peer[] = []
		batch.applyTo(doc, (p) => rejected.push(p))
		expect(rejected).toEqual([bad])
		// Decoded before anything is applied: what the rejected sender sent before the bad one lands too.
		expect(doc.getMap('m').toJSON()).toEqual({ before: 1, 'bad-first': 1, after: 2 })
	})

	test('nothing to apply: no transaction; cleared updates are never applied', () => {
		const doc = new Y.Doc()
		const transactions = watch(doc)
		const batch = new TurnBatch()
		batch.applyTo(doc, () => {})
		batch.add(peer(), edit('a', 1))
		batch.clear()
		batch.applyTo(doc, () => {})
		expect(transactions).toEqual([])
	})
})
