// Maillage's service worker: keeps the app shell so that a room opened once online opens again
// with no network (the map itself comes from IndexedDB, see client/sync/roomConnection.ts).
// Hand-written and served as it is (client/public), registered by client/lib/serviceWorker.ts.

// One cache per release: the build puts a digest of its files in place of the placeholder
// (vite.config.ts), so a new release is a new worker, whose activation drops the old cache.
const CACHE = 'maillage-shell-__MAILLAGE_RELEASE__'
// Every client route is the same index.html: one cached copy answers all navigations offline.
const SHELL = '/index.html'
// Live data: never from a cache (a stale room, export or token check would be wrong, not just old).
const LIVE = ['/api/', '/sync/', '/healthz', '/metrics']

self.addEventListener('install', (event) => {
	event.waitUntil(precacheShell().then(() => self.skipWaiting()))
})

/** index.html and the files it names (entry script, styles, /zod-jitless.js): the page that registered us loaded them before we could see them. */
async function precacheShell() {
	const cache = await caches.open(CACHE)
	const response = await fetch(SHELL, { cache: 'no-cache' })
	if (!response.ok) throw new Error(`${SHELL}: HTTP ${response.status}`)
	const html = await response.clone().text()
	await cache.addAll([...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((match) => match[1]))
	await cache.put(SHELL, response)
}

self.addEventListener('activate', (event) => {
	// Old versions' caches go; claiming the open pages lets the lazily loaded files (chunks, fonts, translations) be cached now.
	const clean = caches.keys().then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
	event.waitUntil(clean.then(() => self.clients.claim()))
})

self.addEventListener('fetch', (event) => {
	const request = event.request
	const url = new URL(request.url)
	if (request.method !== 'GET' || url.origin !== self.location.origin || LIVE.some((prefix) => url.pathname.startsWith(prefix))) return
	if (request.mode === 'navigate') event.respondWith(navigate(event))
	// Vite's content-hashed files never change under the same name: the cache is always right.
	else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(event))
	// The few unhashed files (/zod-jitless.js) may change with a release: fresh when possible.
	else event.respondWith(networkFirst(event))
})

/** Network first, so that a new release is picked up at once; the last index.html when offline. */
async function navigate(event) {
	try {
		const response = await fetch(event.request)
		const html = response.headers.get('content-type')?.startsWith('text/html')
		if (response.ok && html) keep(event, SHELL, response)
		return response
	} catch (error) {
		return (await caches.match(SHELL)) ?? Promise.reject(error)
	}
}

async function cacheFirst(event) {
	const cached = await caches.match(event.request)
	if (cached) return cached
	const response = await fetch(event.request)
	if (response.ok) keep(event, event.request, response)
	return response
}

async function networkFirst(event) {
	try {
		const response = await fetch(event.request)
		if (response.ok) keep(event, event.request, response)
		return response
	} catch (error) {
		return (await caches.match(event.request)) ?? Promise.reject(error)
	}
}

/** Stores a copy, cloned now: the page starts reading the original as soon as it is returned. */
function keep(event, key, response) {
	const copy = response.clone()
	event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)))
}
