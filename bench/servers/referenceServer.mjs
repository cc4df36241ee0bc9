import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { setupWSConnection } from '@y/websocket-server/utils'

/**
 * The reference Yjs server as its own bin (`@y/websocket-server/src/server.js`) runs it: the
 * exported `setupWSConnection`, no authentication, documents in memory (no YPERSISTENCE).
 * Plain JavaScript, like every server under test: no TypeScript loader in the measured process.
 */
const port = Number(process.env.PORT)
const wss = new WebSocketServer({ noServer: true })
const http = createServer((_request, response) => {
	response.writeHead(200, { 'Content-Type': 'text/plain' })
	response.end('okay')
})
http.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => setupWSConnection(ws, request)))
http.listen(port, '127.0.0.1')
