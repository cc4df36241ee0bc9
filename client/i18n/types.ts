import type { fr } from './fr'

export type Lang = 'fr' | 'en'
export const langs: readonly Lang[] = ['fr', 'en']

export type MessageKey = keyof typeof fr
/** Every language has exactly the keys of the French catalogue: a missing one fails type-check. */
export type Messages = { [K in MessageKey]: string }
