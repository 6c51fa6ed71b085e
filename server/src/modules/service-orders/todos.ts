/** 待办 from 三单: villagers' requests waiting for the branch to assign a party member (下单). */
import { sql } from 'kysely';
import type { Ctx } from '../../core/context.js';
import type { TodoItem } from '../../core/module.js';
import { hasPermission, inScope } from '../../core/actor.js';

export async function serviceOrderTodos(ctx: Ctx): Promise<TodoItem[]> {
  const { db, actor } = ctx;
  if (!hasPermission(actor, 'service_orders.assign')) return [];
  const r = await db.selectFrom('service_orders').select(sql<number>`count(*)::int`.as('n'))
    .where('county_id', '=', actor.countyId).where('state', '=', 'requested').where(inScope(actor, 'service_orders.assign', 'region_path'))
    .executeTakeFirstOrThrow();
  return [{ key: 'service_orders.assign', label: '待派单的群众点单', count: r.n, path: '/service-orders', tone: r.n > 0 ? 'warning' : 'default' }];
}
