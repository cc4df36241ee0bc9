import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * Moves WAL checkpoints off the event loop. A checkpoint copies the WAL into the database file
 * and fsyncs both; run by the committing connection (SQLite's default), it stalls every room for
 * as long as the disk takes. Here a worker thread with its own connection checkpoints in PASSIVE
 * mode (never blocks writers) while the main connection only appends to the WAL. Commits are as
 * durable as before: they still reach the WAL before COMMIT returns.
 */
const source = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('busy_timeout = 5000')
const timer = setInterval(() => {
	try { db.pragma('wal_checkpoint(PASSIVE)') } catch (error) { parentPort.postMessage(String(error)) }
}, workerData.everyMs)
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close() })
`

export class Checkpointer {
	private readonly worker: Worker
	private readonly stopped: Promise<void>

	/** `onLost` runs if the thread dies, so that the caller can fall back to automatic checkpoints. */
	constructor(file: string, onLost: () => void, everyMs = 1000) {
		const driver = createRequire(import.meta.url).resolve('better-sqlite3')
		this.worker = new Worker(source, { eval: true, workerData: { file, driver, everyMs } })
		this.worker.unref()
		let stopping = false
		this.stopped = new Promise((resolve) => this.worker.once('exit', () => resolve()))
		this.worker.once('error', () => undefined)
		void this.stopped.then(() => stopping || onLost())
		this.stop = () => {
			stopping = true
			this.worker.postMessage('stop')
			return this.stopped
		}
	}

	/** Asks the thread to close its connection and end; resolves when it has. */
	readonly stop: () => Promise<void>
}
