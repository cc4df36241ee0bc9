/**
 * Tokens travel in the URL fragment (never sent to the server in requests or logs); they are
 * moved to sessionStorage and removed from the address bar, so a screen share or a copied
 * address does not leak them.
 */
export function takeToken(storageKey: string): string | undefined {
	const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
	if (fromHash) {
		sessionStorage.setItem(storageKey, fromHash)
		history.replaceState(history.state, '', location.pathname + location.search)
		return fromHash
	}
	return sessionStorage.getItem(storageKey) ?? undefined
}

export const roomTokenKey = (room: string) => `maillage:token:${room}`
export const ADMIN_TOKEN_KEY = 'maillage:admin-token'
