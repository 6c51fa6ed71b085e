/**
 * The phone's service worker keeps the last answers of a few GETs for offline use (phone/offline.ts,
 * web/sw/phone-sw.js). They belong to whoever was logged in, so they are dropped whenever the user
 * may change: login, logout, an expired session.
 */
const API_CACHE = 'xz-phone-api';

export async function forgetCachedAnswers(): Promise<void> {
  if (typeof caches === 'undefined') return;
  try {
    await caches.delete(API_CACHE);
  } catch {
    /* storage unavailable (private mode): nothing was kept either */
  }
}
