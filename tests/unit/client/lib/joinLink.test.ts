import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { joinLinkOf } from '../../../../client/lib/joinLink'
import { printable } from '../../../../shared/text'
import { readPeers } from '../../../../client/sync/presence'

describe('what the facilitation UI relies on', () => {
	test('peers carry the role they announce, and a malformed one is left out', () => {
		const doc = new Y.Doc()
		const mine = new Awareness(doc)
		const other = new Awareness(new Y.Doc())
		const third = new Awareness(new Y.Doc())
		mine.states.set(other.clientID, { user: { id: 'anne', name: 'Anne', colour: '#e03131', role: 'facilitator' } })
		mine.states.set(third.clientID, { user: { id: 'proj', name: 'Projecteur', colour: '#495057', role: 42 } })
		const peers = readPeers(mine)
		expect(peers.find((p) => p.id === 'anne')?.role).toBe('facilitator')
		expect(peers.find((p) => p.id === 'proj')).toEqual({ id: 'proj', name: 'Projecteur', colour: '#495057', clientId: third.clientID })
		for (const a of [mine, other, third]) a.destroy()
	})

	test('a projector shows a token only when it is a participant token', () => {
		const origin = 'https://maillage.example'
		expect(joinLinkOf('r1', 'participant', 'tok-p', origin)).toBe('https://maillage.example/room/r1#token=tok-p')
		expect(joinLinkOf('r1', 'viewer', 'tok-v', origin)).toBe('https://maillage.example/room/r1')
		expect(joinLinkOf('r1', 'facilitator', 'tok-f', origin)).not.toContain('tok-f')
	})

	test('labels are drawn without control characters, everything else kept', () => {
		expect(printable('A\u0000B\u0007C\u001b[31mD\u007f')).toBe('ABC[31mD')
		expect(printable('tab\there\nnew line <b>&amp;</b> « é »')).toBe('tab\there\nnew line <b>&amp;</b> « é »')
	})
})
