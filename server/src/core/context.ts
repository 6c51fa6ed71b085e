/** What every service function receives: the database (or the open transaction) and the caller. */
import type { Kdb } from '../db/database.js';
import type { Actor } from './actor.js';

export interface Ctx {
  db: Kdb;
  actor: Actor;
  /**
   * The moment this use case acts at; unset means the clock. No request sets it: only the demo
   * seed does, to lay down a county's past (a case reported two weeks ago that is overdue today),
   * and tests that need a deadline behind them. The business times follow it (a case's reported,
   * accepted, resolved times, its limits, its history); the audit log does not — it always records
   * when the row was really written.
   */
  now?: Date;
}

/** The time the use case acts at: ctx.now, else the clock. */
export function nowOf(ctx: Pick<Ctx, 'now'>): Date {
  return ctx.now ?? new Date();
}

/** Runs fn in one transaction; nested calls reuse the open one. */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx as unknown as Kdb }));
}
