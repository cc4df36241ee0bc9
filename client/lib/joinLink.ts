import type { Role } from '../../shared/protocol'

/**
 * The link a projector shows to the room. Only a participant token may be handed out on screen;
 * any other (a viewer's, a facilitator's) stays hidden and the room's bare address is shown.
 */
export function joinLinkOf(room: string, role: Role, token: string, origin: string): string {
	const address = `${origin}/room/${room}`
	return role === 'participant' ? `${address}#token=${token}` : address
}
