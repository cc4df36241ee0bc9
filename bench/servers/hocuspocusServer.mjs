import { Server } from '@hocuspocus/server'

/** Hocuspocus with its defaults: no extension, so no authentication and documents in memory. Plain JavaScript, like every server under test. */
const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true })
void server.listen()
