import * as Y from 'yjs'
import { createTLStore, type TLRecord, type TLStore } from 'tldraw'
import type { Issue } from '../../shared/issues'
import { recordsToMap } from '../../shared/projection'
import { maillageTLSchema } from '../../shared/tldraw/schema'
import type { OrganisationShape } from '../../shared/tldraw/organisationShape'
import { bindStoreToDoc, type StoreBinding } from '../../client/sync/yStoreBinding'

/** mulberry32: small, seeded, reproducible. */
export function prng(seed: number) {
	let a = seed >>> 0
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0
		let t = a
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
	return {
		next,
		int: (n: number) => Math.floor(next() * n),
		pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
	}
}

const NET = Symbol('network')

/**
 * In-memory Yjs replicas exchanging updates through a network that holds them until
 * `deliver` hands them over, in random order (Yjs must cope with out-of-order updates).
 */
export class Network {
	private queue: { to: Y.Doc; update: Uint8Array }[] = []
	readonly docs: Y.Doc[] = []
	constructor(private readonly random = prng(1)) {}

	join(doc = new Y.Doc()): Y.Doc {
		// A newcomer gets the current state of everyone, like a sync step with the server.
		for (const other of this.docs) {
			this.queue.push({ to: doc, update: Y.encodeStateAsUpdate(other) })
			this.queue.push({ to: other, update: Y.encodeStateAsUpdate(doc) })
		}
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === NET) return
			for (const other of this.docs) if (other !== doc) this.queue.push({ to: other, update })
		})
		this.docs.push(doc)
		return doc
	}

	get pending() {
		return this.queue.length
	}

	/** Delivers up to `count` queued updates, picked at random. */
	deliver(count = Infinity) {
		for (let i = 0; i < count && this.queue.length; i++) {
			const [message] = this.queue.splice(this.random.int(this.queue.length), 1)
			if (message) Y.applyUpdate(message.to, message.update, NET)
		}
	}
}

export interface Peer {
	doc: Y.Doc
	store: TLStore
	binding: StoreBinding
	issues: Issue[]
	mismatch: boolean
}

export function headlessStore(): TLStore {
	return createTLStore({ schema: maillageTLSchema })
}

export function bindPeer(doc: Y.Doc, options: { readOnly?: boolean } = {}): Peer {
	const store = headlessStore()
	const peer: Peer = { doc, store, issues: [], mismatch: false, binding: undefined as unknown as StoreBinding }
	peer.binding = bindStoreToDoc(store, doc, {
		...options,
		onInvalidRecords: (issues) => (peer.issues = issues),
		onSchemaMismatch: (mismatch) => (peer.mismatch = mismatch),
	})
	return peer
}

/** The records a peer shares (document scope), sorted, for comparisons. */
export function documentRecords(store: TLStore): TLRecord[] {
	const synced = store.scopedTypes.document
	return store
		.allRecords()
		.filter((r) => synced.has(r.typeName) && r.typeName !== 'user')
		.sort((a, b) => (a.id < b.id ? -1 : 1))
}

export function projectedMap(store: TLStore) {
	return recordsToMap(documentRecords(store))
}

/** Lets every store report its pending changes (what the next animation frame does in a browser). */
export function flushAll(peers: Peer[]) {
	for (const p of peers) p.store._flushHistory()
}

export function settle(network: Network, peers: Peer[]) {
	for (let round = 0; round < 20; round++) {
		flushAll(peers)
		if (network.pending === 0) return
		network.deliver()
	}
	throw new Error('network did not settle')
}

/**
 * Makes store listeners asynchronous as in a browser (tldraw runs them synchronously when
 * NODE_ENV is "test"), so that local changes can still be unreported when remote ones arrive.
 */
export function useBrowserLikeFrames() {
	const g = globalThis as { __FORCE_RAF_IN_TESTS__?: boolean; requestAnimationFrame?: unknown; cancelAnimationFrame?: unknown }
	const saved = { force: g.__FORCE_RAF_IN_TESTS__, raf: g.requestAnimationFrame, caf: g.cancelAnimationFrame }
	g.__FORCE_RAF_IN_TESTS__ = true
	g.requestAnimationFrame = (cb: () => void) => setTimeout(cb, 16)
	g.cancelAnimationFrame = (id: ReturnType<typeof setTimeout>) => clearTimeout(id)
	return () => {
		g.__FORCE_RAF_IN_TESTS__ = saved.force
		g.requestAnimationFrame = saved.raf
		g.cancelAnimationFrame = saved.caf
	}
}

/** A user edit of an organisation shape, as the editor would make it. */
export function updateOrganisation(peer: Peer, id: string, fn: (shape: OrganisationShape) => OrganisationShape) {
	peer.store.update(id as OrganisationShape['id'], (shape) => fn(shape as OrganisationShape))
}
