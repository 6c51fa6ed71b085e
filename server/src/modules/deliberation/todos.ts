/**
 * 待办 from deliberation: for village cadres, the village's topics still on their way through
 * 四议两公开; for a villager, the open votes their household has not cast yet.
 */
import { sql } from 'kysely';
import type { Ctx } from '../../core/context.js';
import type { TodoItem } from '../../core/module.js';
import { hasPermission, inScope } from '../../core/actor.js';
import './tables.js';

export async function deliberationTodos(ctx: Ctx): Promise<TodoItem[]> {
  const { db, actor } = ctx;
  const out: TodoItem[] = [];
  const count = sql<number>`count(*)::int`.as('n');
  if (actor.kind === 'staff' && hasPermission(actor, 'deliberation.manage')) {
    const r = await db.selectFrom('deliberation_topics').select(count)
      .where('county_id', '=', actor.countyId).where('state', 'not in', ['rejected', 'done']).where(inScope(actor, 'deliberation.manage', 'region_path'))
      .executeTakeFirstOrThrow();
    out.push({ key: 'deliberation.open', label: '进行中的议事议题', count: r.n, path: '/deliberation', tone: 'default' });
  }
  if (actor.householdId && hasPermission(actor, 'deliberation.vote')) {
    const now = new Date();
    const r = await db.selectFrom('deliberation_meetings as m').select(count)
      .where('m.county_id', '=', actor.countyId).where('m.vote_mode', '=', 'open').where(inScope(actor, 'deliberation.vote', 'm.region_path'))
      .where('m.held_at', '<=', now).where('m.closed_at', 'is', null).where('m.vote_closes_at', '>', now)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('deliberation_votes as v').select('v.id').whereRef('v.meeting_id', '=', 'm.id').where('v.voter_key', '=', `h:${actor.householdId}`))))
      .executeTakeFirstOrThrow();
    if (r.n > 0) out.push({ key: 'deliberation.vote', label: '等我家投票的村务表决', count: r.n, path: '/deliberation', phonePath: '/deliberation', tone: 'warning' });
  }
  return out;
}
