import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { getIndexAbove, type IndexKey, type TLArrowShape, type TLRecord, type TLShape } from 'tldraw'
import { organisationSchema, partnershipSchema, type Placement } from '../../../../shared/model'
import { organisationToShape, partnershipToRecords, PARTNERSHIP_META_KEY } from '../../../../shared/projection'
import { readRecords } from '../../../../shared/ydoc/recordCodec'
import { docToMap } from '../../../../shared/ydoc/mapDoc'
import type { OrganisationShape } from '../../../../shared/tldraw/organisationShape'
import {
	bindPeer,
	documentRecords,
	flushAll,
	Network,
	prng,
	projectedMap,
	settle,
	useBrowserLikeFrames,
	updateOrganisation,
	type Peer,
} from '../../../support/syncNetwork'

let restoreFrames: () => void
beforeAll(() => {
	restoreFrames = useBrowserLikeFrames()
})
afterAll(() => restoreFrames())

const KINDS = ['public_institution', 'municipal_service', 'non_profit', 'company', 'unknown'] as const
const STRENGTHS = ['weak', 'ordinary', 'strong', 'unknown'] as const

const shapesOf = (p: Peer) => p.store.allRecords().filter((r): r is TLShape => r.typeName === 'shape')
const organisationsOf = (p: Peer) => shapesOf(p).filter((s): s is OrganisationShape => s.type === 'organisation')
const arrowsOf = (p: Peer) => shapesOf(p).filter((s): s is TLArrowShape => s.type === 'arrow')
const nextIndex = (p: Peer) => getIndexAbove(shapesOf(p).map((s) => s.index).sort().at(-1) as IndexKey | undefined)

function createOrganisation(p: Peer, id: string, name: string, x = 0, y = 0) {
	const organisation = organisationSchema.parse({ id, name })
	p.store.put([organisationToShape(organisation, { x, y, w: 200, h: 96 }, nextIndex(p))])
	return `shape:${id}` as OrganisationShape['id']
}

function createPartnership(p: Peer, id: string, from: string, to: string) {
	const placements: Record<string, Placement> = {}
	for (const o of organisationsOf(p)) placements[o.id.slice(6)] = { x: o.x, y: o.y, w: o.props.w, h: o.props.h }
	const partnership = partnershipSchema.parse({ id, from: { organisation: from }, to: { organisation: to } })
	p.store.put(partnershipToRecords(partnership, nextIndex(p), 0, placements))
	return `shape:${id}` as TLArrowShape['id']
}

function setPartnershipField(p: Peer, arrowId: TLArrowShape['id'], key: string, value: unknown) {
	p.store.update(arrowId, (a) => {
		const meta = a.meta[PARTNERSHIP_META_KEY] as Record<string, unknown>
		return { ...a, meta: { ...a.meta, [PARTNERSHIP_META_KEY]: { ...meta, [key]: value } } } as TLArrowShape
	})
}

function randomEdit(p: Peer, peerIndex: number, step: number, r: ReturnType<typeof prng>) {
	const orgs = organisationsOf(p)
	const arrows = arrowsOf(p)
	const action = r.int(10)
	if (action < 2 || orgs.length < 2) {
		createOrganisation(p, `o${peerIndex}_${step}`, `Org ${peerIndex}.${step}`, r.int(1000), r.int(1000))
	} else if (action < 4) {
		const o = r.pick(orgs)
		updateOrganisation(p, o.id, (s) => ({ ...s, x: r.int(1000), y: r.int(1000) }))
	} else if (action === 4) {
		const o = r.pick(orgs)
		updateOrganisation(p, o.id, (s) => ({ ...s, props: { ...s.props, name: `${s.props.name}'` } }))
	} else if (action === 5) {
		const o = r.pick(orgs)
		updateOrganisation(p, o.id, (s) => ({ ...s, props: { ...s.props, kind: r.pick(KINDS) } }))
	} else if (action === 6) {
		const a = r.pick(orgs)
		const b = r.pick(orgs.filter((o) => o.id !== a.id))
		createPartnership(p, `p${peerIndex}_${step}`, a.id.slice(6), b.id.slice(6))
	} else if (action === 7 && arrows.length) {
		const a = r.pick(arrows)
		if (r.int(2)) setPartnershipField(p, a.id, 'strength', r.pick(STRENGTHS))
		else setPartnershipField(p, a.id, 'label', `label ${step}`)
	} else if (action === 8 && arrows.length) {
		const a = r.pick(arrows)
		const bindings = p.store.allRecords().filter((x) => x.typeName === 'binding' && x.fromId === a.id)
		p.store.remove([a.id, ...bindings.map((b) => b.id)])
	} else if (orgs.length > 2) {
		// What the editor does: the organisation and the bindings to it go, the arrows stay.
		const o = r.pick(orgs)
		const bindings = p.store.allRecords().filter((x) => x.typeName === 'binding' && x.toId === o.id)
		p.store.remove([o.id, ...bindings.map((b) => b.id)])
	}
}

function expectConverged(peers: Peer[]) {
	const first = peers[0] as Peer
	const records = documentRecords(first.store)
	const map = projectedMap(first.store).map
	for (const peer of peers) {
		expect(peer.issues).toEqual([])
		expect(documentRecords(peer.store)).toEqual(records)
		expect(projectedMap(peer.store).map).toEqual(map)
		// The store shows exactly what the document holds.
		const docRecords = readRecords(peer.doc).sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1))
		expect(docRecords).toEqual(JSON.parse(JSON.stringify(records)))
		expect(docToMap(peer.doc).map).toEqual(map)
	}
}

describe('store ↔ Y.Doc binding over an unreliable network', () => {
	test.each([1, 2, 3, 4, 5])('random concurrent edits converge (seed %i)', (seed) => {
		const r = prng(seed)
		const network = new Network(prng(seed * 7919))
		const docs = [network.join(), network.join(), network.join()]
		network.deliver()
		const peers = docs.map((doc) => bindPeer(doc))
		for (let step = 0; step < 250; step++) {
			const roll = r.int(10)
			if (roll < 6) {
				const i = r.int(peers.length)
				randomEdit(peers[i] as Peer, i, step, r)
			} else if (roll < 9) network.deliver(1 + r.int(4))
			else (r.pick(peers) as Peer).store._flushHistory()
		}
		settle(network, peers)
		expectConverged(peers)
		// Something really happened.
		expect(organisationsOf(peers[0] as Peer).length).toBeGreaterThan(3)
		expect(arrowsOf(peers[0] as Peer).length).toBeGreaterThan(0)
	})

	test('two clients starting on an empty room create one page, with the fixed id', () => {
		const network = new Network(prng(3))
		const peers = [network.join(), network.join()].map((doc) => bindPeer(doc))
		settle(network, peers)
		for (const peer of peers) {
			const pages = peer.store.allRecords().filter((r) => r.typeName === 'page')
			expect(pages.map((p) => p.id)).toEqual(['page:page'])
			expect(peer.store.has('document:document' as TLRecord['id'])).toBe(true)
		}
		expectConverged(peers)
	})

	test('concurrent edits of different fields of one organisation and one partnership are all kept', () => {
		const network = new Network(prng(11))
		const [a, b] = [network.join(), network.join()].map((doc) => bindPeer(doc)) as [Peer, Peer]
		const x = createOrganisation(a, 'x', 'X')
		createOrganisation(a, 'y', 'Y', 400)
		const arrow = createPartnership(a, 'p', 'x', 'y')
		settle(network, [a, b])
		expect(b.store.get(arrow)).toBeDefined()

		// Neither side hears of the other's edit before making its own.
		updateOrganisation(a, x, (s) => ({ ...s, props: { ...s.props, name: 'X renamed' } }))
		updateOrganisation(b, x, (s) => ({ ...s, props: { ...s.props, kind: 'non_profit' } }))
		updateOrganisation(b, x, (s) => ({ ...s, x: 123 }))
		setPartnershipField(a, arrow, 'strength', 'strong')
		setPartnershipField(b, arrow, 'label', 'emploi')
		setPartnershipField(b, arrow, 'notes', 'réunion mensuelle')
		flushAll([a, b])
		settle(network, [a, b])

		for (const peer of [a, b]) {
			const org = peer.store.get(x) as OrganisationShape
			expect(org.props.name).toBe('X renamed')
			expect(org.props.kind).toBe('non_profit')
			expect(org.x).toBe(123)
			const meta = (peer.store.get(arrow) as TLArrowShape).meta[PARTNERSHIP_META_KEY] as Record<string, unknown>
			expect(meta).toMatchObject({ strength: 'strong', label: 'emploi', notes: 'réunion mensuelle' })
		}
		expectConverged([a, b])
	})

	test('a local edit not yet reported by the store survives a remote edit of another field arriving first', () => {
		const network = new Network(prng(5))
		const [a, b] = [network.join(), network.join()].map((doc) => bindPeer(doc)) as [Peer, Peer]
		const x = createOrganisation(a, 'x', 'X')
		settle(network, [a, b])

		updateOrganisation(b, x, (s) => ({ ...s, props: { ...s.props, notes: 'from b' } }))
		b.store._flushHistory()
		// A edits; its store has not reported the change yet (next frame) when B's update lands.
		updateOrganisation(a, x, (s) => ({ ...s, props: { ...s.props, name: 'from a' } }))
		network.deliver()
		expect((a.store.get(x) as OrganisationShape).props).toMatchObject({ name: 'from a', notes: 'from b' })
		settle(network, [a, b])
		expect((b.store.get(x) as OrganisationShape).props).toMatchObject({ name: 'from a', notes: 'from b' })
		expectConverged([a, b])
	})

	test('a deletion concurrent with an edit of the same record converges', () => {
		const network = new Network(prng(8))
		const [a, b] = [network.join(), network.join()].map((doc) => bindPeer(doc)) as [Peer, Peer]
		const x = createOrganisation(a, 'x', 'X')
		settle(network, [a, b])
		a.store.remove([x])
		updateOrganisation(b, x, (s) => ({ ...s, y: 50 }))
		settle(network, [a, b])
		expect(a.store.has(x)).toBe(false)
		expect(b.store.has(x)).toBe(false)
		expectConverged([a, b])
	})

	test('session and presence records never reach the document', () => {
		const doc = new Y.Doc()
		const peer = bindPeer(doc)
		// Creates the instance, pointer, camera and page state, as an editor would.
		peer.store.mergeRemoteChanges(() => {})
		peer.store.update('instance:instance' as TLRecord['id'], (i) => ({ ...i, isGridMode: true }) as TLRecord)
		peer.store._flushHistory()
		const typeNames = new Set(readRecords(doc).map((r) => r.typeName))
		expect(peer.store.has('instance:instance' as TLRecord['id'])).toBe(true)
		expect([...typeNames].sort()).toEqual(['document', 'page'])
	})
})
