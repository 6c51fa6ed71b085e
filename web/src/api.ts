/**
 * The one way the browser talks to the server (both entries use it; it must not import antd).
 *
 *   const page = await api.get<Page<Household>>('/households', { regionId, q });
 *   await api.post('/households/1/residents', body, { idempotencyKey: key });
 *
 * Paths are relative to /api/v1. Cookies travel same-origin. Every failure becomes an ApiError
 * carrying the server's stable `code` and its Chinese `message`, so pages can show the message
 * as is and branch on the code (e.g. NOT_FOUND → "记录不存在或无权查看").
 */

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details ?? null;
  }
  get isNotFound(): boolean {
    return this.status === 404 || this.code === 'NOT_FOUND';
  }
}

/** A cursor-paged list as every list route returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

export interface RequestOptions {
  /** Sent as Idempotency-Key: a retried POST after a lost connection never creates a second record. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** Listeners told when the session is gone, so the shell can send the user to the login page. */
const unauthenticatedListeners = new Set<(e: ApiError) => void>();
export function onUnauthenticated(fn: (e: ApiError) => void): () => void {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

/** Random key for Idempotency-Key. crypto.randomUUID needs a secure context; village offices often
 *  run plain http on a LAN, so fall back to getRandomValues, which works everywhere. */
export function idempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function' && globalThis.isSecureContext) return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/api/') ? path : API_BASE + path;
  if (!query) return url;
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => sp.append(k, String(x)));
    else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `${url}?${s}` : url;
}

async function toError(res: Response): Promise<ApiError> {
  type ErrorBody = { code?: string; message?: string; details?: unknown };
  let body: ErrorBody | null = null;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    /* not JSON: a proxy error page, for instance */
  }
  const code = body?.code ?? (res.status === 404 ? 'NOT_FOUND' : `HTTP_${res.status}`);
  const message = body?.message ?? (res.status >= 500 ? '服务器暂时无法处理，请稍后再试' : `请求失败（${res.status}）`);
  return new ApiError(res.status, code, message, body?.details);
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && !path.startsWith('/auth/login')) unauthenticatedListeners.forEach((fn) => fn(err));
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('application/json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: RequestOptions) => request<T>('GET', path, undefined, query, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions & { query?: Query }) => request<T>('POST', path, body ?? {}, opts?.query, opts),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, body ?? {}, undefined, opts),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body ?? {}, undefined, opts),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, undefined, opts),
};

/** A same-origin link for downloads (xlsx exports, templates) — the browser sends the cookie. */
export function downloadUrl(path: string, query?: Query): string {
  return buildUrl(path, query);
}
