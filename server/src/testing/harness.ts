/**
 * Test harness: a fresh, migrated database per test file — embedded PGlite by default, or a new
 * database on the PostgreSQL server named by TEST_DATABASE_URL — plus the app and a logged-in
 * client. Real engine, no mocks.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPGlite, openPostgres, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { setPiiKeys } from '../core/pii.js';
import { buildApp } from '../app.js';
import type { App } from '../core/module.js';

setPiiKeys({ enc: Buffer.alloc(32, 7), mac: Buffer.alloc(32, 9) });

export async function testDatabase(): Promise<Database & { drop: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const d = await openPGlite();
    await migrate(d);
    return { ...d, drop: () => d.close() };
  }
  const name = 'xz_test_' + randomBytes(6).toString('hex');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = '/' + name;
  const d = await openPostgres(u.toString(), 5);
  await migrate(d);
  return {
    ...d,
    drop: async () => {
      await d.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** A cookie-carrying client over app.inject (no sockets). */
export class Client {
  cookie = '';
  constructor(readonly app: App) {}

  async req<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<TestResponse<T>> {
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    const set = res.headers['set-cookie'];
    if (set) {
      const first = (Array.isArray(set) ? set : [set]).find((c) => c.startsWith('xz_sid='));
      if (first) this.cookie = first.split(';')[0]!;
    }
    let parsed: unknown = res.body;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body: parsed as T, headers: res.headers as TestResponse["headers"] };
  }
  get<T = any>(url: string) {
    return this.req<T>('GET', url);
  }
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.req<T>('POST', url, body ?? {}, headers);
  }
  patch<T = any>(url: string, body?: unknown) {
    return this.req<T>('PATCH', url, body ?? {});
  }
  put<T = any>(url: string, body?: unknown) {
    return this.req<T>('PUT', url, body ?? {});
  }
  delete<T = any>(url: string) {
    return this.req<T>('DELETE', url);
  }
  async login(username: string, password = TEST_PASSWORD, totp?: string) {
    const r = await this.post('/api/v1/auth/login', { username, password, ...(totp ? { totp } : {}) });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(r.body)}`);
    return this;
  }
}

export const TEST_PASSWORD = 'Test@2026pass';

export async function testApp(database: Database): Promise<App> {
  const app = await buildApp({ database, loginRateLimit: 10_000 });
  await app.ready();
  return app;
}
