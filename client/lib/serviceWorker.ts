/**
 * Registers /sw.js (client/public/sw.js), which keeps the app shell so that a room opened once
 * opens again offline. Production builds only: in development Vite serves modules that change at
 * every edit. Browsers allow service workers on secure contexts only (https, localhost).
 */
export function registerServiceWorker(): void {
	if (!import.meta.env.PROD || !window.isSecureContext || !('serviceWorker' in navigator)) return
	// A failed registration costs the offline reload only: a warning, not an error.
	navigator.serviceWorker.register('/sw.js').catch((e: unknown) => console.warn('[maillage] service worker not registered', e))
}
