import type { RoomUser } from '../sync/useRoom'
import { newId } from './ids'

const NAME_KEY = 'maillage:name'
const ID_KEY = 'maillage:user-id'

/** Distinct, readable cursor colours. */
const palette = ['#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5', '#0c8599', '#e8590c', '#5f3dc4', '#c2255c', '#495057']

export const rememberedName = () => localStorage.getItem(NAME_KEY) ?? ''

/** This browser's participant: a stable id, the remembered display name, a colour from the id. */
export function identity(name: string): RoomUser {
	localStorage.setItem(NAME_KEY, name)
	let id = localStorage.getItem(ID_KEY)
	if (!id) {
		id = newId('user')
		localStorage.setItem(ID_KEY, id)
	}
	const hash = [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)
	return { id, name, colour: palette[hash % palette.length] ?? '#1971c2' }
}
