/**
 * Which server a client talks to, as the coordinator hands it to the worker processes.
 * `maillage-pg` and `maillage-2p` are the scale-out mode (Redis + PostgreSQL) with one and two
 * processes; they only run fan-out, and only with `--scaleout`.
 */
export type ServerKind = 'maillage' | 'reference' | 'hocuspocus' | 'maillage-pg' | 'maillage-2p'

/**
 * How a server frames its messages. Maillage and the reference server speak the plain
 * y-websocket protocol (one document per socket, named in the URL); Hocuspocus prefixes every
 * message with the document name and wants an authentication message first.
 */
export type Flavor = 'y-websocket' | 'hocuspocus'

export interface Target {
	kind: ServerKind
	flavor: Flavor
	/** ws://127.0.0.1:port plus, for Maillage, the /sync prefix. */
	wsBase: string
	/** Scale-out: the other processes serving the same rooms (client i of a room uses `baseOf(target, i)`). */
	otherBases?: string[]
}

/** The process client `member` of a room connects to: members are spread over every process, member 0 on the first. */
export function baseOf(target: Target, member = 0): string {
	const bases = [target.wsBase, ...(target.otherBases ?? [])]
	return bases[member % bases.length] as string
}

/** A document a client may open: its name and a token (ignored by servers without auth). */
export interface RoomTicket {
	name: string
	token: string
}

export function socketUrl(target: Target, room: RoomTicket, member = 0): string {
	if (target.flavor === 'hocuspocus') return target.wsBase
	return `${baseOf(target, member)}/${room.name}?token=${encodeURIComponent(room.token)}`
}
