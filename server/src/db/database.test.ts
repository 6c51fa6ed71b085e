import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { testDatabase } from '../testing/harness.js';
import { listMigrations, migrate } from './migrate.js';
import { DataDirLockedError, lockDataDir } from './lock.js';
import { enqueue, runDueJobs } from '../core/jobs.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('database layer (runs on PGlite and on PostgreSQL)', () => {
  it('returns the same JS types on both engines', async () => {
    const r = await sql<{ n: number; d: string; x: string; t: Date; b: boolean; arr: string[]; j: unknown }>`
      select count(*) as n, date '2026-03-01' as d, 1.25::numeric as x, now() as t, true as b,
             array['a','b'] as arr, '{"k":[1,2]}'::jsonb as j`.execute(database.db);
    const row = r.rows[0]!;
    expect(row.n).toBe(1);
    expect(row.d).toBe('2026-03-01');
    expect(row.x).toBe('1.25');
    expect(row.t).toBeInstanceOf(Date);
    expect(row.b).toBe(true);
    expect(row.arr).toEqual(['a', 'b']);
    expect(row.j).toEqual({ k: [1, 2] });
  });

  it('rolls a failed transaction back completely', async () => {
    const before = await database.db.selectFrom('app_settings').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx.insertInto('app_settings').values({ key: 'a', value: JSON.stringify(1) }).execute();
        await trx.insertInto('app_settings').values({ key: 'a', value: JSON.stringify(2) }).execute(); // duplicate key
      }),
    ).rejects.toThrow();
    const after = await database.db.selectFrom('app_settings').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('serialises concurrent transactions without losing updates', async () => {
    await database.db.insertInto('app_settings').values({ key: 'counter', value: JSON.stringify(0) }).execute();
    await Promise.all(
      Array.from({ length: 25 }, () =>
        database.db.transaction().execute(async (trx) => {
          const cur = await trx.selectFrom('app_settings').select('value').where('key', '=', 'counter').forUpdate().executeTakeFirstOrThrow();
          await trx.updateTable('app_settings').set({ value: JSON.stringify(Number(cur.value) + 1) }).where('key', '=', 'counter').execute();
        }),
      ),
    );
    const v = await database.db.selectFrom('app_settings').select('value').where('key', '=', 'counter').executeTakeFirstOrThrow();
    expect(Number(v.value)).toBe(25);
  });

  it('migrates once: a second run applies nothing', async () => {
    expect(await migrate(database)).toEqual([]);
    const rows = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(database.db);
    expect(rows.rows.map((r) => r.name)).toEqual(listMigrations().map((m) => m.name));
  });

  it('runs each due job exactly once even with two runners at the same time', async () => {
    const seen: number[] = [];
    const registry = new Map([['test.count', async (_db: unknown, p: Record<string, unknown>) => {
      seen.push(Number(p.n));
    }]]);
    for (let i = 0; i < 30; i++) await enqueue(database.db, 'test.count', { n: i });
    await enqueue(database.db, 'test.count', { n: 99 }, new Date(), 'dedupe-1');
    await enqueue(database.db, 'test.count', { n: 99 }, new Date(), 'dedupe-1'); // same key: ignored
    const [a, b] = await Promise.all([runDueJobs(database.db, 100, new Date(), registry), runDueJobs(database.db, 100, new Date(), registry)]);
    expect(a + b).toBe(31);
    expect(seen.sort((x, y) => x - y)).toEqual([...Array.from({ length: 30 }, (_, i) => i), 99]);
  });

  it('retries a failing job later and records the error', async () => {
    const registry = new Map([['test.fail', async () => {
      throw new Error('boom');
    }]]);
    await enqueue(database.db, 'test.fail', {});
    await runDueJobs(database.db, 5, new Date(), registry);
    const job = await database.db.selectFrom('jobs').selectAll().where('kind', '=', 'test.fail').executeTakeFirstOrThrow();
    expect(job.attempts).toBe(1);
    expect(job.last_error).toMatch(/boom/);
    expect(job.done_at).toBeNull();
    expect(new Date(job.run_at).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('data directory lock', () => {
  it('refuses a second process on the same data directory and takes over a stale lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xz-lock-'));
    try {
      // A child process holds the lock...
      const child = spawn(process.execPath, ['--import', 'tsx', '-e',
        `import('${join(import.meta.dirname, 'lock.ts').replace(/\\/g, '/')}').then(m => { m.lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setTimeout(() => {}, 60000); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => String(d).includes('locked') && resolve());
        child.on('exit', (c) => reject(new Error('child exited ' + c)));
      });
      // ...so this one is refused with a clear message.
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(/另一个乡治进程/);
      // A killed holder leaves a stale lock that the next start takes over.
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const release = lockDataDir(dir);
      release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
