import { pino, type Logger } from 'pino'

export type { Logger }

/**
 * Structured logs, one JSON object a line. Tokens never reach a log: connections log their
 * room and role, requests their method and path without the query string, and the usual
 * places a token could hide are redacted anyway.
 */
export function createLogger(level: string): Logger {
	return pino({
		level,
		base: { service: 'maillage' },
		redact: { paths: ['token', '*.token', 'tokens', '*.tokens', 'authorization', '*.authorization', 'url', '*.url'], censor: '[redacted]' },
	})
}
