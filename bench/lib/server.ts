/**
 * The real server in a child process, for benchmarks that go through HTTP: what `npm start` runs
 * (the esbuild bundle, built fresh here), on a database the bench prepared, with fixed PII keys.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Kdb } from '../../server/src/db/database.js';
import { grantRole } from '../../server/src/core/roles.js';
import { hashPassword } from '../../server/src/core/auth/password.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** The PII keys every bench uses (hex, 32 bytes each). */
export const BENCH_PII = { enc: 'a'.repeat(64), mac: 'b'.repeat(64) };
export const BENCH_PASSWORD = 'Bench@2026pw';

export async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

let built = false;
/** Builds the server bundle once per bench run (about a second). */
export function buildServer(): void {
  if (built) return;
  execFileSync('npm', ['run', 'build', '-w', 'server'], { cwd: ROOT, stdio: 'ignore' });
  built = true;
}

export async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  buildServer();
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'server/dist/main.mjs')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', XZ_SEED_COUNTY: 'none', XZ_PII_KEY: BENCH_PII.enc, XZ_HASH_KEY: BENCH_PII.mac, WEB_DIST: '/nonexistent' },
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: join(ROOT, 'server'),
  });
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return { child, port };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('server did not start');
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
export function processCpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ 100) → ms
}

/** A staff account holding `roleKey` on `regionId`, logged in: its session cookie. */
export async function staffCookie(db: Kdb, port: number, o: { countyId: number; username: string; displayName: string; roleKey: string; regionId: number }): Promise<string> {
  const had = await db.selectFrom('users').select('id').where('username', '=', o.username).executeTakeFirst();
  const id = had?.id ?? (await db
    .insertInto('users')
    .values({ county_id: o.countyId, username: o.username, display_name: o.displayName, kind: 'staff', password_hash: await hashPassword(BENCH_PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow()).id;
  if (!had) await grantRole(db, id, o.roleKey, o.regionId);
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: o.username, password: BENCH_PASSWORD }),
  });
  if (!r.ok) throw new Error('login failed ' + (await r.text()));
  return r.headers.get('set-cookie')!.split(';')[0]!;
}
