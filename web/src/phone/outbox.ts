/**
 * The phone's outbox (待发送): a submission made in the field that cannot reach the server because
 * the network is down is kept on the phone and sent later — never lost, never stored twice.
 *
 *   const r = await submitOrQueue<Created>(t('cases.phone.report'), '/cases', body, draft.key);
 *   if (!r.sent) { Toast.show(t('outbox.queued')); … }  // kept; goes out when the phone is online
 *
 * - Only a network failure queues: fetch's TypeError (ApiError NETWORK_ERROR), navigator.onLine
 *   false, or no answer within TIMEOUT_MS. An answer from the server (4xx/5xx) is thrown to the
 *   page as before.
 * - A queued item keeps its path, body (with its clientId) and Idempotency-Key; every resend uses
 *   the same key and body, so the server stores it once even when an earlier answer was lost.
 * - Resent in order when the browser goes online, when a user is set (app start, login) and every
 *   RETRY_MS. The first transient failure (network, 5xx, 401, 409 in progress, 429) stops the run
 *   so later items never overtake it. A 4xx refusal takes the item out of the queue; it stays on
 *   the 待发送 page with the server's reason until the user deletes or retries it.
 * - Kept in localStorage under the username: after a logout and another user's login nothing of
 *   the first user's is sent (or shown); it goes out when that user signs in again.
 * - Photos are not queued (they are uploaded when picked); see the pages for what they ask.
 */
import { useSyncExternalStore } from 'react';
import { api, ApiError } from '../api';

export interface OutboxError { status: number; code: string; message: string }

export interface OutboxItem {
  /** The Idempotency-Key; also the item's id. */
  key: string;
  /** What the user sees in the list, e.g. "我要反映：路灯坏了". */
  label: string;
  path: string;
  body: unknown;
  /** ISO time the user submitted it. */
  createdAt: string;
  attempts: number;
  /** 'pending' waits to be sent; 'rejected' was refused by the server (4xx) and is not resent. */
  state: 'pending' | 'rejected';
  lastError: OutboxError | null;
  lastTriedAt: string | null;
}

export type SubmitResult<T> = { sent: true; data: T } | { sent: false; item: OutboxItem };

export const TIMEOUT_MS = 20_000;
export const RETRY_MS = 30_000;
const PREFIX = 'xz.outbox.v1:';

let user: string | null = null;
let items: OutboxItem[] = [];
let snapshot: OutboxSnapshot = { user: null, items: [], pending: 0, rejected: 0, sending: false };
let sending = false;
const listeners = new Set<() => void>();

export interface OutboxSnapshot {
  user: string | null;
  items: readonly OutboxItem[];
  pending: number;
  rejected: number;
  sending: boolean;
}

function storageKey(u: string): string {
  return PREFIX + u;
}

function read(u: string): OutboxItem[] {
  try {
    const raw = localStorage.getItem(storageKey(u));
    const v = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(v) ? (v as OutboxItem[]).filter((x) => x && typeof x.key === 'string' && typeof x.path === 'string') : [];
  } catch {
    return [];
  }
}

function publish(): void {
  snapshot = {
    user,
    items,
    pending: items.filter((x) => x.state === 'pending').length,
    rejected: items.filter((x) => x.state === 'rejected').length,
    sending,
  };
  listeners.forEach((fn) => fn());
}

/** Writes the current user's list (throws when storage is full or blocked: the caller decides). */
function write(u: string, next: OutboxItem[]): void {
  if (next.length) localStorage.setItem(storageKey(u), JSON.stringify(next));
  else localStorage.removeItem(storageKey(u));
  if (u === user) {
    items = next;
    publish();
  }
}

/** Change one user's list from what is stored now (another tab may have changed it). */
function update(u: string, fn: (xs: OutboxItem[]) => OutboxItem[]): void {
  write(u, fn(read(u)));
}

/** The shell calls this whenever the signed-in user changes (null after logout or a lost session). */
export function setOutboxUser(username: string | null): void {
  if (username === user) return;
  user = username;
  items = username ? read(username) : [];
  publish();
  if (username) void flushOutbox();
}

export function subscribeOutbox(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function outboxSnapshot(): OutboxSnapshot {
  return snapshot;
}

/** React: the current user's outbox (items, counts), re-rendered on every change. */
export function useOutbox(): OutboxSnapshot {
  return useSyncExternalStore(subscribeOutbox, outboxSnapshot, outboxSnapshot);
}

/** True when the error means "no answer from the server" (not a refusal). */
export function isNetworkError(e: unknown): boolean {
  if (e instanceof ApiError) return e.status === 0;
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError' || e instanceof TypeError);
}

function offline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** POST with a timeout: no answer in time counts as a network failure (ApiError status 0). */
async function post<T>(path: string, body: unknown, key: string): Promise<T> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  try {
    return await api.post<T>(path, body, { idempotencyKey: key, signal: ctl.signal });
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw new ApiError(0, 'NETWORK_TIMEOUT', '网络连接超时');
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

function errorOf(e: unknown): OutboxError {
  if (e instanceof ApiError) return { status: e.status, code: e.code, message: e.message };
  return { status: 0, code: 'NETWORK_ERROR', message: (e as Error)?.message ?? String(e) };
}

/** Put a submission in the current user's outbox (a retry of the same key replaces nothing). */
export function enqueue(label: string, path: string, body: unknown, key: string, error: OutboxError | null = null): OutboxItem {
  if (!user) throw new ApiError(401, 'UNAUTHENTICATED', '请先登录');
  const item: OutboxItem = {
    key, label: label.slice(0, 120), path, body, createdAt: new Date().toISOString(),
    attempts: error ? 1 : 0, state: 'pending', lastError: error, lastTriedAt: error ? new Date().toISOString() : null,
  };
  const u = user;
  update(u, (xs) => (xs.some((x) => x.key === key) ? xs : [...xs, item]));
  return read(u).find((x) => x.key === key) ?? item;
}

/**
 * Send a field submission now, or keep it in the outbox when the network is down.
 * Resolves `{ sent: true, data }` with the server's answer, or `{ sent: false, item }` when kept.
 * A server refusal (4xx/5xx) is thrown as ApiError, exactly like api.post.
 */
export async function submitOrQueue<T>(label: string, path: string, body: unknown, key: string): Promise<SubmitResult<T>> {
  if (offline()) return { sent: false, item: enqueue(label, path, body, key) };
  // Earlier items first: a new submission never overtakes queued ones.
  if (snapshot.pending > 0) {
    await flushOutbox();
    if (snapshot.pending > 0) return { sent: false, item: enqueue(label, path, body, key) };
  }
  try {
    return { sent: true, data: await post<T>(path, body, key) };
  } catch (e) {
    if (!isNetworkError(e)) throw e;
    const item = enqueue(label, path, body, key, errorOf(e));
    scheduleSoon();
    return { sent: false, item };
  }
}

let soon: ReturnType<typeof setTimeout> | null = null;
function scheduleSoon(): void {
  if (soon) return;
  soon = setTimeout(() => { soon = null; void flushOutbox(); }, 5_000);
}

/** A transient failure: keep the item and stop this run (order is kept). */
function transient(e: unknown): boolean {
  if (isNetworkError(e)) return true;
  if (!(e instanceof ApiError)) return true;
  return e.status >= 500 || e.status === 401 || (e.status === 403 && e.code === 'TOTP_REQUIRED') || e.status === 408 || e.status === 429 || e.code === 'IDEMPOTENCY_IN_PROGRESS';
}

let running: Promise<void> | null = null;

/** Resend the current user's pending items in order. Safe to call any time; runs once at a time. */
export function flushOutbox(): Promise<void> {
  if (running) return running;
  running = (async () => {
    const u = user;
    if (!u || offline()) return;
    if (!read(u).some((x) => x.state === 'pending')) return;
    sending = true;
    publish();
    try {
      for (;;) {
        if (user !== u || offline()) break;
        const item = read(u).find((x) => x.state === 'pending');
        if (!item) break;
        const tried = { attempts: item.attempts + 1, lastTriedAt: new Date().toISOString() };
        try {
          await post(item.path, item.body, item.key);
          update(u, (xs) => xs.filter((x) => x.key !== item.key));
        } catch (e) {
          if (transient(e)) {
            update(u, (xs) => xs.map((x) => (x.key === item.key ? { ...x, ...tried, lastError: errorOf(e) } : x)));
            break;
          }
          // Refused (validation, gone out of scope, closed …): out of the queue, reason kept for the user.
          update(u, (xs) => xs.map((x) => (x.key === item.key ? { ...x, ...tried, state: 'rejected', lastError: errorOf(e) } : x)));
        }
      }
    } finally {
      sending = false;
      publish();
    }
  })().finally(() => { running = null; });
  return running;
}

/** The user's "retry now" on one item (a refused one goes back into the queue, at its place). */
export function retryOutboxItem(key: string): Promise<void> {
  if (user) update(user, (xs) => xs.map((x) => (x.key === key ? { ...x, state: 'pending' } : x)));
  return flushOutbox();
}

/** The user deletes one queued or refused item; it is never sent. */
export function removeOutboxItem(key: string): void {
  if (user) update(user, (xs) => xs.filter((x) => x.key !== key));
}

let started = false;
/** Start the resend triggers once per page: going online, every RETRY_MS, another tab's change. */
export function startOutbox(): () => void {
  if (started || typeof window === 'undefined') return () => undefined;
  started = true;
  const onOnline = () => void flushOutbox();
  const onStorage = (e: StorageEvent) => {
    if (user && e.key === storageKey(user)) {
      items = read(user);
      publish();
    }
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('storage', onStorage);
  const timer = setInterval(() => void flushOutbox(), RETRY_MS);
  void flushOutbox();
  return () => {
    started = false;
    window.removeEventListener('online', onOnline);
    window.removeEventListener('storage', onStorage);
    clearInterval(timer);
  };
}
