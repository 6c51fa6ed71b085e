/** 待办 from deliberation: the village's topics still on their way through 四议两公开. */
import { sql } from 'kysely';
import type { Ctx } from '../../core/context.js';
import type { TodoItem } from '../../core/module.js';
import { hasPermission, inScope } from '../../core/actor.js';
import './tables.js';

export async function deliberationTodos(ctx: Ctx): Promise<TodoItem[]> {
  const { db, actor } = ctx;
  if (actor.kind !== 'staff' || !hasPermission(actor, 'deliberation.manage')) return [];
  const r = await db.selectFrom('deliberation_topics').select(sql<number>`count(*)::int`.as('n'))
    .where('county_id', '=', actor.countyId).where('state', 'not in', ['rejected', 'done']).where(inScope(actor, 'deliberation.manage', 'region_path'))
    .executeTakeFirstOrThrow();
  return [{ key: 'deliberation.open', label: '进行中的议事议题', count: r.n, path: '/deliberation', tone: 'default' }];
}
