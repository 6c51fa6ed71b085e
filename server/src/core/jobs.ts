/**
 * Postgres-backed job queue. A job is claimed with FOR UPDATE SKIP LOCKED inside a transaction,
 * so with any number of server processes each due job runs once. Handlers come from modules.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kdb } from '../db/database.js';
import type { JobHandler } from './module.js';
import { modules } from '../modules/index.js';

const WORKER = `${process.pid}-${randomUUID().slice(0, 8)}`;

export async function enqueue(db: Kdb, kind: string, payload: Record<string, unknown>, runAt = new Date(), dedupeKey?: string): Promise<void> {
  await db
    .insertInto('jobs')
    .values({ kind, payload: JSON.stringify(payload), run_at: runAt, dedupe_key: dedupeKey ?? null })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

function handlers(): Map<string, JobHandler> {
  const m = new Map<string, JobHandler>();
  for (const mod of modules) for (const [k, h] of Object.entries(mod.jobs ?? {})) m.set(k, h);
  return m;
}

/** Runs up to `max` due jobs; returns how many ran. Each job runs in its own transaction. */
export async function runDueJobs(db: Kdb, max = 20, now = new Date(), registry = handlers()): Promise<number> {
  let ran = 0;
  for (; ran < max; ran++) {
    const done = await db.transaction().execute(async (trx) => {
      const job = await trx
        .selectFrom('jobs')
        .selectAll()
        .where('done_at', 'is', null)
        .where('run_at', '<=', now)
        .where('attempts', '<', 5)
        .orderBy('run_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!job) return false;
      const h = registry.get(job.kind);
      try {
        if (!h) throw new Error(`no handler for job kind ${job.kind}`);
        await sql`savepoint job`.execute(trx);
        await h(trx as unknown as Kdb, job.payload);
        await trx.updateTable('jobs').set({ done_at: new Date(), locked_by: WORKER, attempts: job.attempts + 1 }).where('id', '=', job.id).execute();
      } catch (e) {
        await sql`rollback to savepoint job`.execute(trx).catch(() => {});
        await trx
          .updateTable('jobs')
          .set({ attempts: job.attempts + 1, last_error: String(e).slice(0, 1000), run_at: new Date(Date.now() + 60_000 * (job.attempts + 1)) })
          .where('id', '=', job.id)
          .execute();
      }
      return true;
    });
    if (!done) break;
  }
  return ran;
}

export function startJobRunner(db: Kdb, everyMs = 5000): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout;
  const tick = async () => {
    if (stopped) return;
    try {
      await runDueJobs(db);
    } catch (e) {
      console.error('job runner', e);
    }
    if (!stopped) timer = setTimeout(tick, everyMs);
  };
  timer = setTimeout(tick, everyMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
