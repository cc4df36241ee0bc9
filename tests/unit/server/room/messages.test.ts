import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { CloseReason, Role } from '../../../../shared/protocol'
import {
	awarenessMessage,
	isEmptyStateVector,
	MalformedMessageError,
	readFrame,
	syncStep1Message,
	syncStep2Message,
	updateMessage,
	type FrameHandler,
} from '../../../../server/room/messages'
import type { Peer } from '../../../../server/room/types'
import { frame, syncStep1Frame, syncStep2Frame, updateFrame } from '../../../support/syncClient'

const peer = (role: Role): Peer => ({ role, send() {}, close(_reason: CloseReason) {} })

/** Records which handler each frame reached, with its payload. */
function recorder() {
	const calls: [string, Uint8Array?][] = []
	const handler: FrameHandler = {
		syncStep1: (_p, stateVector) => void calls.push(['syncStep1', stateVector]),
		update: (_p, update) => void calls.push(['update', update]),
		refusedUpdate: () => void calls.push(['refused']),
		awareness: (_p, update) => void calls.push(['awareness', update]),
		queryAwareness: () => void calls.push(['queryAwareness']),
	}
	return { calls, handler }
}

const unlocked = { locked: false }
const locked = { locked: true }

const edit = () => {
	const doc = new Y.Doc()
	doc.getMap('m').set('k', 1)
	return Y.encodeStateAsUpdate(doc)
}
const emptyUpdate = Y.encodeStateAsUpdate(new Y.Doc())

describe('reading frames', () => {
	test('each message type reaches its handler with its payload', () => {
		const { calls, handler } = recorder()
		const doc = new Y.Doc()
		const update = edit()
		const presence = new awarenessProtocol.Awareness(new Y.Doc())
		presence.setLocalState({ user: 'a' })
		const awarenessUpdate = awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID])
		const writer = peer('participant')
		readFrame(writer, syncStep1Frame(doc), unlocked, handler)
		readFrame(writer, updateFrame(update), unlocked, handler)
		readFrame(writer, syncStep2Frame(update), unlocked, handler)
		readFrame(writer, frame((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, awarenessUpdate))), unlocked, handler)
		readFrame(writer, frame((e) => encoding.writeVarUint(e, 3)), unlocked, handler)
		expect(calls).toEqual([
			['syncStep1', Y.encodeStateVector(doc)],
			['update', update],
			['update', update],
			['awareness', awarenessUpdate],
			['queryAwareness'],
		])
	})

	test('the write rule, for updates and sync step 2 alike: viewers never, participants not while locked', () => {
		const cases: [Role, { locked: boolean }, string][] = [
			['facilitator', unlocked, 'update'],
			['facilitator', locked, 'update'],
			['participant', unlocked, 'update'],
			['participant', locked, 'refused'],
			['viewer', unlocked, 'refused'],
			['viewer', locked, 'refused'],
		]
		for (const [role, status, expected] of cases) {
			for (const make of [updateFrame, syncStep2Frame]) {
				const { calls, handler } = recorder()
				readFrame(peer(role), make(edit()), status, handler)
				expect(calls.map(([name]) => name), `${role}, locked: ${status.locked}`).toEqual([expected])
			}
		}
	})

	test('an empty update (a client with nothing new) is neither applied nor counted as a refused write', () => {
		for (const role of ['participant', 'viewer'] as const) {
			const { calls, handler } = recorder()
			readFrame(peer(role), syncStep2Frame(emptyUpdate), unlocked, handler)
			readFrame(peer(role), updateFrame(emptyUpdate), locked, handler)
			expect(calls).toEqual([])
		}
	})

	test('unknown types and truncated frames throw, and reach no handler', () => {
		const { calls, handler } = recorder()
		const writer = peer('participant')
		expect(() => readFrame(writer, frame((e) => encoding.writeVarUint(e, 7)), unlocked, handler)).toThrow(MalformedMessageError)
		expect(() => readFrame(writer, frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 9))), unlocked, handler)).toThrow(MalformedMessageError)
		expect(() => readFrame(writer, new Uint8Array([]), unlocked, handler)).toThrow()
		expect(() => readFrame(writer, new Uint8Array([0, 2, 50, 1]), unlocked, handler)).toThrow()
		expect(calls).toEqual([])
	})
})

describe('writing frames', () => {
	test('sync messages read back with y-protocols into the same document', () => {
		const source = new Y.Doc()
		source.getMap('m').set('k', 'v')
		const target = new Y.Doc()
		for (const message of [syncStep2Message(Y.encodeStateAsUpdate(source)), updateMessage(Y.encodeStateAsUpdate(source))]) {
			const decoder = decoding.createDecoder(message)
			expect(decoding.readVarUint(decoder)).toBe(0)
			syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), target, 'test')
		}
		expect(target.getMap('m').get('k')).toBe('v')
		// Step 1 carries the state vector, and is answered with what it lacks.
		const step1 = decoding.createDecoder(syncStep1Message(target))
		expect(decoding.readVarUint(step1)).toBe(0)
		expect(decoding.readVarUint(step1)).toBe(syncProtocol.messageYjsSyncStep1)
		expect(decoding.readVarUint8Array(step1)).toEqual(Y.encodeStateVector(target))
	})

	test('an awareness message holds the states of the clients named', () => {
		const source = new awarenessProtocol.Awareness(new Y.Doc())
		source.setLocalState({ user: { name: 'Anne' } })
		const target = new awarenessProtocol.Awareness(new Y.Doc())
		const decoder = decoding.createDecoder(awarenessMessage(source, [source.clientID]))
		expect(decoding.readVarUint(decoder)).toBe(1)
		awarenessProtocol.applyAwarenessUpdate(target, decoding.readVarUint8Array(decoder), 'test')
		expect(target.getStates().get(source.clientID)).toEqual({ user: { name: 'Anne' } })
	})

	test('a new client is told apart by its empty state vector', () => {
		expect(isEmptyStateVector(Y.encodeStateVector(new Y.Doc()))).toBe(true)
		const doc = new Y.Doc()
		doc.getMap('m').set('k', 1)
		expect(isEmptyStateVector(Y.encodeStateVector(doc))).toBe(false)
	})
})
