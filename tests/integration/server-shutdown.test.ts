import { expect, test } from 'vitest'
import { stopAfterEach } from '../support/cleanup'
import { ServerProcess, waitFor } from '../support/server'
import { RawSocket, stockClient, synced } from '../support/syncClient'

const { servers, clients } = stopAfterEach()

test.each(['SIGTERM', 'SIGINT'] as const)('%s: sockets closed with 1001, everything stored, exit 0', async (signal) => {
	const server = await ServerProcess.start()
	servers.push(server)
	const room = await server.createRoom('Shutdown')
	const writer = stockClient(server.wsUrl, room.room, room.tokens.participant)
	clients.push(writer)
	await synced(writer)
	const socket = RawSocket.to(server.wsUrl, room.room, room.tokens.viewer)
	await socket.opened
	for (let i = 0; i < 50; i++) writer.doc.getMap('records').set(`k${i}`, i)
	await waitFor(() => socket.messages.length >= 2, { what: 'the viewer to receive the edits' })

	const exit = await server.kill(signal)
	expect(exit).toEqual({ code: 0, signal: null })
	expect(socket.closed).toEqual({ code: 1001, reason: 'server shutting down' })
	expect(writer.closes[0]?.code).toBe(1001)
	expect(server.logs().some((l) => l.msg === 'stopped')).toBe(true)
	writer.provider.disconnect()

	const restarted = await server.restart()
	servers.push(restarted)
	const reader = stockClient(restarted.wsUrl, room.room, room.tokens.viewer)
	clients.push(reader)
	await synced(reader)
	expect(reader.doc.getMap('records').size).toBe(50)
})
