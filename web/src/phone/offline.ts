/**
 * The phone entry's service worker (built from web/sw/phone-sw.js into /m/sw.js): once the phone
 * pages have been opened online they open without a network, and the last answers of the few GETs
 * the field forms need (case catalogue, the caller, their grids, the rule book) are kept for then.
 * Those kept answers belong to whoever was logged in: shared/cachedAnswers.ts drops them at every
 * login, logout and expired session.
 */
export function registerPhoneServiceWorker(): void {
  // Only the built app: the dev server has no /m/sw.js.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' }).catch((e: unknown) => console.warn('service worker:', e));
  });
}
