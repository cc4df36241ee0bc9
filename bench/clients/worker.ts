import { churnCycle, type ChurnCycle } from './churn'
import { FanoutLoad, type FanoutRun, type FanoutSetup } from './fanout'
import { IdleSockets } from './sockets'
import type { RoomTicket, Target } from './target'

/**
 * A load-generator process. The coordinator drives it over IPC, one request at a time:
 * `{ id, call, args }` in, `{ id, result }` or `{ id, error }` out.
 */
let fanout: FanoutLoad | undefined
const sockets = new IdleSockets()

const calls = {
	'fanout.setup': async (args: FanoutSetup) => {
		fanout = await FanoutLoad.setup(args)
	},
	'fanout.run': (args: FanoutRun) => {
		if (!fanout) throw new Error('fanout.setup first')
		return fanout.run(args)
	},
	'fanout.close': () => {
		fanout?.close()
		fanout = undefined
	},
	'sockets.open': (args: { target: Target; rooms: RoomTicket[]; perRoom: number; concurrency: number; timeoutMs: number }) =>
		sockets.open(args.target, args.rooms, args.perRoom, args.concurrency, args.timeoutMs),
	'sockets.alive': () => sockets.alive,
	'sockets.close': () => sockets.close(),
	'churn.cycle': (args: ChurnCycle) => churnCycle(args),
} as const

export type WorkerCalls = typeof calls

process.on('message', (message: { id: number; call: keyof typeof calls; args: never }) => {
	const handler = calls[message.call] as (args: unknown) => unknown
	Promise.resolve()
		.then(() => handler(message.args))
		.then(
			(result) => process.send?.({ id: message.id, result }),
			(error: unknown) => process.send?.({ id: message.id, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
		)
})
process.on('disconnect', () => process.exit(0))
