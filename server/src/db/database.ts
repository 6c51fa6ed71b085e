/**
 * One database handle for the whole server, on embedded PGlite (demo default, ./data/) or on
 * PostgreSQL (production, DATABASE_URL). Nothing above this file knows which one it is on.
 */
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './types.js';

export type Kdb = Kysely<DB>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Kdb;
  /** Runs a multi-statement SQL script (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

// Both drivers must hand back the same JS types: int8 (ids, counts) → number (ids stay well
// under 2^53), numeric → string (exact; money is integer fen anyway), date → 'YYYY-MM-DD'.
const INT8 = 20;
const DATE = 1082;
const parseInt8 = (v: string) => Number(v);
const keepDate = (v: string) => v;

pg.types.setTypeParser(INT8, parseInt8);
pg.types.setTypeParser(DATE, keepDate);

/**
 * Marks a hot statement of fixed text (begin its SQL with this comment): on PostgreSQL it is
 * prepared once per connection and then executed by name, so the server reuses its plan instead
 * of parsing and planning it on every call — for a statement of a dozen CTEs that is most of its
 * cost. Only for texts drawn from a small fixed set: each stays prepared on each connection for
 * the connection's life. (Needs session pooling if a pooler sits in front.) PGlite ignores it.
 */
export const PREPARED = '/* prepared */';
const preparedNames = new Map<string, string>();

function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (!name) {
    name = 'xz_' + createHash('sha1').update(text).digest('hex').slice(0, 20);
    if (preparedNames.size < 1000) preparedNames.set(text, name);
  }
  return name;
}

/** The pool as Kysely sees it: marked statements go out as named (prepared) statements. */
function preparingPool(pool: pg.Pool) {
  // One wrapper per pooled client: Kysely keeps its connection object per client it is handed.
  const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) {
        const query = client.query.bind(client) as (q: unknown, v?: unknown) => Promise<pg.QueryResult>;
        w = Object.assign(Object.create(client) as pg.PoolClient, {
          query: (q: unknown, values?: unknown[]) =>
            typeof q === 'string' && q.startsWith(PREPARED) ? query({ name: preparedName(q), text: q, values }) : query(q, values),
          release: (e?: Error | boolean) => client.release(e),
        });
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client whose connection the server ends (restart, failover, admin terminate) emits
  // 'error' on the pool; without a listener that would crash the process. The pool drops the
  // client and the next query gets a fresh one.
  pool.on('error', (e) => console.warn('postgres: idle connection closed:', e.message));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return {
    kind: 'postgres',
    db,
    async exec(script) {
      const c = await pool.connect();
      try {
        await c.query(script);
      } finally {
        c.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/** dataDir undefined → in-memory (tests). */
export async function openPGlite(dataDir?: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pgl = new PGlite({
    dataDir,
    parsers: { [INT8]: parseInt8, [DATE]: keepDate },
  });
  await pgl.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pgl) });
  return {
    kind: 'pglite',
    db,
    async exec(script) {
      await pgl.exec(script);
    },
    async close() {
      await db.destroy();
    },
  };
}

export async function ping(db: Kdb): Promise<boolean> {
  const r = await sql<{ ok: number }>`select 1 as ok`.execute(db);
  return r.rows[0]?.ok === 1;
}
