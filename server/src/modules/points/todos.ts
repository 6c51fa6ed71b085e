/** 待办 from points: records and declarations waiting for the evaluation group's review. */
import { sql } from 'kysely';
import type { Ctx } from '../../core/context.js';
import type { TodoItem } from '../../core/module.js';
import { hasPermission, inScope } from '../../core/actor.js';

export async function pointsTodos(ctx: Ctx): Promise<TodoItem[]> {
  const { db, actor } = ctx;
  if (!hasPermission(actor, 'points.review')) return [];
  const r = await db.selectFrom('points_claims').select(sql<number>`count(*)::int`.as('n'))
    .where('county_id', '=', actor.countyId).where('status', '=', 'pending').where(inScope(actor, 'points.review', 'region_path'))
    .executeTakeFirstOrThrow();
  return [{ key: 'points.review', label: '待评议的积分记录与申报', count: r.n, path: '/points/review', tone: r.n > 0 ? 'warning' : 'default' }];
}
