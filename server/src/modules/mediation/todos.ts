/**
 * 待办 from mediation: disputes waiting for the caller's unit — to accept, or accepted (or handed up
 * from a village) and waiting for a mediator — at the levels they manage; and their own open cases
 * as mediator.
 */
import { sql, type SqlBool } from 'kysely';
import type { Ctx } from '../../core/context.js';
import type { TodoItem } from '../../core/module.js';
import { escapeLike, hasPermission } from '../../core/actor.js';
import { OPEN_STATES } from './process.js';

/** The dispute levels a grant at this region level may manage (policy.ts canManage). */
const LEVELS_FOR: Record<string, string[]> = { group: ['village'], village: ['village'], township: ['village', 'township'], county: ['village', 'township', 'county'] };

export async function mediationTodos(ctx: Ctx): Promise<TodoItem[]> {
  const { db, actor } = ctx;
  const out: TodoItem[] = [];
  const count = sql<number>`count(*)::int`.as('n');
  const manage = actor.kind === 'staff' ? actor.grants.filter((g) => g.permissions.includes('mediation.manage')) : [];
  if (manage.length) {
    const ors = manage.map((g) => sql<SqlBool>`(region_path LIKE ${escapeLike(g.regionPath) + '%'} AND level IN (${sql.join(LEVELS_FOR[g.regionLevel] ?? [])}))`);
    const r = await db.selectFrom('disputes').select(count)
      .where('county_id', '=', actor.countyId).where('state', 'in', ['applied', 'accepted']).where(sql<SqlBool>`(${sql.join(ors, sql` OR `)})`)
      .executeTakeFirstOrThrow();
    out.push({ key: 'mediation.accept', label: '待受理或待确定调解员的纠纷', count: r.n, path: '/disputes', tone: r.n > 0 ? 'warning' : 'default' });
  }
  if (actor.kind === 'staff' && hasPermission(actor, 'mediation.handle')) {
    const r = await db.selectFrom('disputes').select(count)
      .where('county_id', '=', actor.countyId).where('mediator_user_id', '=', actor.userId).where('state', 'in', [...OPEN_STATES, 'agreed'])
      .executeTakeFirstOrThrow();
    out.push({ key: 'mediation.mine', label: '由我调解、尚未办结的纠纷', count: r.n, path: '/disputes', phonePath: '/mediation/cases', tone: r.n > 0 ? 'warning' : 'default' });
  }
  return out;
}
