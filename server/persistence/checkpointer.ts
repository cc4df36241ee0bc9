/**
 * Copies the WAL into the database file once a second, on the store's own connection, between
 * transactions. SQLite's automatic checkpoint would run inside the COMMIT that crosses its page
 * threshold, in front of that room's relay; here it runs on a timer of its own while no
 * transaction is open. PASSIVE mode never waits for a reader or a writer. A checkpoint copies
 * what about a second of appends wrote and fsyncs the WAL and the database file: a few
 * milliseconds on a local disk, where a thread with its own connection would cost ~10 MiB of RSS
 * (its own V8 isolate). Durability does not depend on it: commits reach the WAL before COMMIT
 * returns, whenever the checkpoint runs.
 */
export class Checkpointer {
	private readonly timer: NodeJS.Timeout

	/**
	 * `checkpoint` runs every `everyMs` unless `busy()`. If it throws, the timer stops and
	 * `onFailed` runs, so that the caller can fall back to SQLite's automatic checkpoints.
	 */
	constructor(checkpoint: () => void, busy: () => boolean, onFailed: () => void, everyMs = 1000) {
		this.timer = setInterval(() => {
			if (busy()) return
			try {
				checkpoint()
			} catch {
				this.stop()
				onFailed()
			}
		}, everyMs)
		this.timer.unref()
	}

	stop(): void {
		clearInterval(this.timer)
	}
}
