import type { UpdateLog } from '../persistence/types'

/** An update waiting to be delivered: consecutive ones are handed over together. */
export interface LoggedUpdate {
	readonly update: Uint8Array
	/** The transaction origin it was applied with (the sender, for the relay to skip). */
	readonly origin: unknown
}

/** Something that may only happen once every update appended before it is durable. */
interface Task {
	watermark: number
	run(): void
	fail?(error: unknown): void
}

interface QueuedUpdate extends LoggedUpdate {
	watermark: number
}

const isUpdate = (entry: Task | QueuedUpdate): entry is QueuedUpdate => 'update' in entry

const seconds = (since: number) => (performance.now() - since) / 1000

export interface DurableLogOptions {
	/** The room, as the store names it. */
	name: string
	store: Pick<UpdateLog, 'appendUpdates' | 'compact'>
	/** Rows the store held when the room was loaded. */
	storedCount: number
	/** Compact once the stored log holds this many rows. */
	compactEvery: number
	/** The whole document as one update, for compactions. */
	fullState(): Uint8Array
	/** A compaction replaced the stored rows by the last `fullState`. */
	onCompacted?(): void
	/** Updates now durable, in the order they were applied: relayed to the peers. */
	deliver(updates: LoggedUpdate[]): void
	/** Updates this process has just stored (each appended batch once), for the other processes. */
	onStored?(updates: Uint8Array[]): void
	onPersist?(operation: 'append' | 'compact', seconds: number): void
	/** An append or a compaction failed: nothing queued will ever be durable. */
	onFailed(error: unknown): void
}

/**
 * Stored before shown: the outbox of a room. Every update applied to the document is appended
 * here, written to the store by `flush` (the room calls it once per event-loop turn, so that a
 * turn's updates make one row), and delivered only once its append committed. Whatever is
 * derived from the document (a sync answer, `whenDurable`) waits behind the updates applied
 * before it: each entry carries the sequence number of the last update applied before it (its
 * watermark) and leaves once that one is durable.
 */
export class DurableLog {
	private readonly outbox: (Task | QueuedUpdate)[] = []
	private unwritten: Uint8Array[] = []
	private appliedSeq = 0
	private durableSeq = 0
	private storedCount: number
	private flushRun: Promise<void> | undefined
	private compacting: Promise<void> | undefined
	private hasFailed = false

	constructor(private readonly options: DurableLogOptions) {
		this.storedCount = options.storedCount
	}

	get failed(): boolean {
		return this.hasFailed
	}

	/** True when every update appended so far is stored. */
	get isDurable(): boolean {
		return this.durableSeq === this.appliedSeq
	}

	/** An update just applied to the document: written at the next `flush`, delivered once stored. */
	append(update: Uint8Array, origin: unknown): void {
		this.unwritten.push(update)
		this.outbox.push({ watermark: ++this.appliedSeq, update, origin })
	}

	/** An update already stored elsewhere (by another process): delivered behind the updates appended before it. */
	appendStored(update: Uint8Array, origin: unknown): void {
		this.outbox.push({ watermark: this.appliedSeq, update, origin })
		if (this.isDurable) this.deliver()
	}

	/** Runs `run` at once if everything appended so far is durable, else as soon as it is. */
	afterDurable(run: () => void): void {
		if (this.isDurable) run()
		else this.outbox.push({ watermark: this.appliedSeq, run })
	}

	/** Resolves once every update appended so far is durable; rejects if persisting fails. */
	whenDurable(): Promise<void> {
		if (this.hasFailed) return Promise.reject(new Error(`room ${this.options.name} failed`))
		if (this.isDurable) return Promise.resolve()
		return new Promise((resolve, reject) => this.outbox.push({ watermark: this.appliedSeq, run: resolve, fail: reject }))
	}

	/** Writes what was appended; one loop at a time, a running loop picks up what was appended meanwhile. */
	flush(): Promise<void> {
		this.flushRun ??= this.flushLoop().finally(() => {
			this.flushRun = undefined
		})
		return this.flushRun
	}

	/** Waits until nothing is left to write nor being written or compacted. */
	async settle(): Promise<void> {
		while (!this.hasFailed && (this.flushRun || this.unwritten.length > 0 || this.compacting)) {
			await this.flush()
			await this.compacting
		}
	}

	/** On close: compacts if more than one row is stored. A failure is thrown, the log is not failed. */
	async compactIfFragmented(): Promise<void> {
		if (this.storedCount > 1) await this.compact()
	}

	private async flushLoop(): Promise<void> {
		const { name, store, onPersist, onStored, compactEvery } = this.options
		try {
			while (this.unwritten.length > 0 && !this.hasFailed) {
				const batch = this.unwritten
				this.unwritten = []
				const upTo = this.appliedSeq
				const started = performance.now()
				await store.appendUpdates(name, batch)
				onPersist?.('append', seconds(started))
				this.storedCount += batch.length
				this.durableSeq = upTo
				this.deliver()
				onStored?.(batch)
				if (this.storedCount >= compactEvery) this.compactInBackground()
			}
		} catch (error) {
			this.fail(error)
		}
	}

	/** Hands over every entry whose watermark is durable, runs of updates together. */
	private deliver(): void {
		let due = 0
		while (due < this.outbox.length && (this.outbox[due] as Task | QueuedUpdate).watermark <= this.durableSeq) due++
		let updates: QueuedUpdate[] = []
		for (const entry of this.outbox.splice(0, due)) {
			if (isUpdate(entry)) {
				updates.push(entry)
				continue
			}
			if (updates.length > 0) this.options.deliver(updates)
			updates = []
			entry.run()
		}
		if (updates.length > 0) this.options.deliver(updates)
	}

	/**
	 * Compacts without holding up the appends that follow. In scale-out mode a compaction reads,
	 * merges and rewrites the room's rows in PostgreSQL under a lock (0.06 to 0.7 s in the
	 * benchmark); awaited in the flush loop, it held every edit of the room back that long. The
	 * stores allow appends meanwhile: SQLite compacts synchronously (nothing interleaves), and
	 * PostgreSQL deletes only the rows it read and merged, so a row appended meanwhile stays.
	 * A failure fails the log, as a failed append does.
	 */
	private compactInBackground(): void {
		if (this.compacting) return
		this.compacting = this.compact()
			.catch((error: unknown) => this.fail(error))
			.finally(() => {
				this.compacting = undefined
			})
	}

	/**
	 * Replaces the stored rows by one state update. The state holds every update applied so far,
	 * so it covers every row stored before it (updates still unwritten are in it too and will be
	 * appended again, which Yjs ignores on load).
	 */
	private async compact(): Promise<void> {
		const started = performance.now()
		const covered = this.storedCount
		await this.options.store.compact(this.options.name, this.options.fullState())
		this.options.onPersist?.('compact', seconds(started))
		this.options.onCompacted?.()
		// Rows appended while the compaction ran are still there, each its own row.
		this.storedCount = 1 + this.storedCount - covered
	}

	/** Nothing queued will be durable: waiting tasks fail, and the owner is told. */
	private fail(error: unknown): void {
		if (this.hasFailed) return
		this.hasFailed = true
		for (const entry of this.outbox.splice(0)) if (!isUpdate(entry)) entry.fail?.(error)
		this.unwritten = []
		this.options.onFailed(error)
	}
}
