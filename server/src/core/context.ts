/** What every service function receives: the database (or the open transaction) and the caller. */
import type { Kdb } from '../db/database.js';
import type { Actor } from './actor.js';

export interface Ctx {
  db: Kdb;
  actor: Actor;
}

/** Runs fn in one transaction; nested calls reuse the open one. */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx as unknown as Kdb }));
}
