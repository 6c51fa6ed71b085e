/*
 * The phone entry's service worker (scope /m/): the phone pages open without a network.
 *
 * Built by web/vite.config.ts (phoneServiceWorker): __BUILD__ and __PRECACHE__ are replaced with
 * the build's id and the phone entry's files (its HTML, every chunk the entry can load, their CSS),
 * so each build is a new worker and an old one's files are dropped when the new one activates.
 *
 *   pages (/m/…)   network first (3 s), else the cached phone page: the router takes it from there
 *   /assets/…      cache first: the names carry a content hash, a file never changes
 *   a few GETs     network first, else the last answer: the case catalogue, the caller and their
 *                  grids, a village's rule book, the villager's household — what the forms need
 *                  to be filled in offline. Cleared on logout (shared/session.tsx), so a shared
 *                  phone never shows one user's answers to another.
 *   anything else  untouched (every POST goes to the network; the page's outbox keeps what fails)
 */
const BUILD = __BUILD__;
const PRECACHE = __PRECACHE__;
const SHELL = 'xz-phone-' + BUILD;
const API = 'xz-phone-api';
const PAGE_TIMEOUT_MS = 3000;
const API_FALLBACK = [
  /^\/api\/v1\/auth\/me$/,
  /^\/api\/v1\/cases\/categories$/,
  /^\/api\/v1\/me\/grids$/,
  /^\/api\/v1\/me\/household$/,
  /^\/api\/v1\/points\/villages\/\d+\/current-rules$/,
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('xz-phone-') && name !== SHELL && name !== API) await caches.delete(name);
    await self.clients.claim();
  })());
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

async function page(request) {
  try {
    return await withTimeout(fetch(request), PAGE_TIMEOUT_MS);
  } catch (e) {
    const cached = await caches.match('/m/', { cacheName: SHELL });
    if (cached) return cached;
    throw e;
  }
}

async function asset(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(SHELL).then((c) => c.put(request, copy));
  }
  return response;
}

async function apiWithFallback(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      caches.open(API).then((c) => c.put(request, copy));
    }
    return response;
  } catch (e) {
    const cached = await caches.match(request, { cacheName: API });
    if (cached) return cached;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith('/m')) return event.respondWith(page(request));
  if (url.pathname.startsWith('/assets/')) return event.respondWith(asset(request));
  if (API_FALLBACK.some((re) => re.test(url.pathname))) return event.respondWith(apiWithFallback(request));
});
