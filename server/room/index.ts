/** The room core (see ./room): what the rest of the server uses of it. */
export { Room } from './room'
export { RoomLoadError, type Peer, type RoomHooks, type RoomRelay } from './types'
