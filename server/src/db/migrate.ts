/**
 * Ordered SQL migrations from ./migrations (NNNN_name.sql), each applied once, in its own
 * transaction, under an advisory lock so several processes starting together migrate once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Database } from './database.js';
import { MIGRATIONS_DIR } from '../paths.js';
const LOCK_KEY = 7_319_004; // arbitrary, constant

export function listMigrations(): { name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.sql$/, ''), sql: readFileSync(join(MIGRATIONS_DIR, f), 'utf8') }));
}

export async function migrate(database: Database, log: (m: string) => void = () => {}): Promise<string[]> {
  await database.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  await database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      const done = new Set(
        (await sql<{ name: string }>`select name from schema_migrations`.execute(conn)).rows.map((r) => r.name),
      );
      for (const m of listMigrations()) {
        if (done.has(m.name)) continue;
        log(`migrating ${m.name}`);
        // The script and its bookkeeping row commit together or not at all.
        try {
          await database.exec(
            `BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations(name) VALUES ('${m.name}');\nCOMMIT;`,
          );
        } catch (e) {
          await database.exec('ROLLBACK').catch(() => {});
          throw e;
        }
        applied.push(m.name);
      }
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
  return applied;
}
