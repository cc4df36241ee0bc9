/** The room core (see ./room): what the rest of the server uses of it. */
export { Room } from './room'
export { defaultRoomLimits, RoomLoadError, type Peer, type RoomHooks, type RoomLimits, type RoomRelay } from './types'
