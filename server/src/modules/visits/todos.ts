/** 待办 from visits: households whose follow-up visit (回访) day has come, in the caller's place. */
import { sql } from 'kysely';
import type { Ctx } from '../../core/context.js';
import type { TodoItem } from '../../core/module.js';
import { hasPermission, inScope } from '../../core/actor.js';

export async function visitTodos(ctx: Ctx): Promise<TodoItem[]> {
  const { db, actor } = ctx;
  if (!hasPermission(actor, 'visits.record')) return [];
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10); // Beijing day
  const r = await db.selectFrom('household_last_visits as l').innerJoin('households as h', 'h.id', 'l.household_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('l.county_id', '=', actor.countyId).where('l.follow_up_on', '<=', today).where(inScope(actor, 'visits.record', 'h.region_path'))
    .executeTakeFirstOrThrow();
  return [{ key: 'visits.followUp', label: '到期待回访的户', count: r.n, path: '/visits', phonePath: '/visits', tone: r.n > 0 ? 'warning' : 'default' }];
}
