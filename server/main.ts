import { ConfigError, configFromEnv } from './config'
import { createLogger } from './log'
import { startServer } from './server'

/**
 * `npm start`: reads the environment, starts the server, prints the admin link once, and stops
 * gracefully on SIGTERM/SIGINT (flush, close sockets with 1001, exit 0).
 */
async function main(): Promise<void> {
	let config
	try {
		config = configFromEnv()
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error
		console.error(`maillage: ${error.message}`)
		process.exit(2)
	}
	const log = createLogger(config.logLevel)
	const server = await startServer(config, { log })
	// The only place the admin token is ever printed: one start-up line, for the operator. A token
	// given through MAILLAGE_ADMIN_TOKEN is already known, so it is not echoed into logs.
	const link = server.adminTokenStored ? server.adminLink : `${server.publicUrl}/admin#token=<MAILLAGE_ADMIN_TOKEN>`
	process.stdout.write(`Maillage is running on ${server.publicUrl} — admin page: ${link}\n`)

	let stopping = false
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return
		stopping = true
		log.info({ signal }, 'stopping')
		const force = setTimeout(() => {
			log.error('graceful shutdown took too long, exiting')
			process.exit(1)
		}, 15_000)
		force.unref()
		server.close().then(
			() => process.exit(0),
			(error: unknown) => {
				log.error({ err: String(error) }, 'shutdown failed')
				process.exit(1)
			},
		)
	}
	process.on('SIGTERM', stop)
	process.on('SIGINT', stop)
}

main().catch((error: unknown) => {
	console.error('maillage: could not start:', error)
	process.exit(1)
})
