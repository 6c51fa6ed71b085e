/** 待办 from cases: the caller's inbox, and the overdue open cases they can see. */
import { sql } from 'kysely';
import type { Ctx } from '../../core/context.js';
import type { TodoItem } from '../../core/module.js';
import { hasPermission } from '../../core/actor.js';
import { inbox, visible } from './queries.js';

export async function caseTodos(ctx: Ctx): Promise<TodoItem[]> {
  const { db, actor } = ctx;
  const out: TodoItem[] = [];
  const now = new Date();
  const count = sql<number>`count(*)::int`.as('n');
  // Results waiting for the reporter's rating (回访): shown only when there are some.
  if (hasPermission(actor, 'cases.report')) {
    const r = await db.selectFrom('cases').select(count)
      .where('cases.county_id', '=', actor.countyId).where('cases.reporter_user_id', '=', actor.userId).where('cases.state', '=', 'resolved')
      .executeTakeFirstOrThrow();
    if (r.n > 0) out.push({ key: 'cases.rate', label: '已办结、等我评价的事件', count: r.n, path: '/cases', phonePath: '/cases/mine', tone: 'warning' });
  }
  if (hasPermission(actor, 'cases.handle')) {
    const r = await db.selectFrom('cases').select(count).where('cases.county_id', '=', actor.countyId).where((eb) => inbox(eb, actor)).executeTakeFirstOrThrow();
    out.push({ key: 'cases.inbox', label: '待我受理、办理的事件', count: r.n, path: '/cases/inbox', tone: r.n > 0 ? 'warning' : 'default' });
  }
  if (hasPermission(actor, 'cases.read')) {
    const r = await db.selectFrom('cases').select(count)
      .where('cases.county_id', '=', actor.countyId).where('cases.state', 'in', ['pending', 'handling']).where('cases.due_at', '<', now)
      .where((eb) => visible(eb, actor)).executeTakeFirstOrThrow();
    out.push({ key: 'cases.overdue', label: '辖区超期未办结的事件', count: r.n, path: '/cases/supervision', tone: r.n > 0 ? 'danger' : 'default' });
  }
  return out;
}
