import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WorkerCalls } from './worker'

const workerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts')

type Args<K extends keyof WorkerCalls> = Parameters<WorkerCalls[K]>[0]
type Result<K extends keyof WorkerCalls> = Awaited<ReturnType<WorkerCalls[K]>>

/** A load-generator process, called like a remote object. */
export class Worker {
	private nextId = 0
	private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()

	private constructor(private readonly child: ChildProcess) {
		child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
			const waiter = this.pending.get(message.id)
			this.pending.delete(message.id)
			if (message.error !== undefined) waiter?.reject(new Error(message.error))
			else waiter?.resolve(message.result)
		})
		child.on('exit', (code) => {
			for (const waiter of this.pending.values()) waiter.reject(new Error(`load worker exited with ${code}`))
			this.pending.clear()
		})
	}

	static start(): Worker {
		return new Worker(fork(workerScript, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))
	}

	call<K extends keyof WorkerCalls>(call: K, ...args: Args<K> extends undefined ? [] : [Args<K>]): Promise<Result<K>> {
		return new Promise((resolve, reject) => {
			const id = this.nextId++
			this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
			this.child.send({ id, call, args: args[0] })
		})
	}

	stop(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve()
		return new Promise((resolve) => {
			this.child.once('exit', () => resolve())
			this.child.kill('SIGTERM')
		})
	}
}

/** Starts `count` workers, runs `use`, and always stops them. */
export async function withWorkers<T>(count: number, use: (workers: Worker[]) => Promise<T>): Promise<T> {
	const workers = Array.from({ length: count }, () => Worker.start())
	try {
		return await use(workers)
	} finally {
		await Promise.all(workers.map((w) => w.stop()))
	}
}
