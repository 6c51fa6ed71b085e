/** 待办 from 村务公开: expenses waiting at a sign-off step the caller holds (the same rule as 待我审签). */
import type { Ctx } from '../../core/context.js';
import type { TodoItem } from '../../core/module.js';
import { hasPermission } from '../../core/actor.js';
import { listEntries } from './service.js';
import { READ, SIGN } from './policy.js';

export async function disclosureTodos(ctx: Ctx): Promise<TodoItem[]> {
  const { actor } = ctx;
  if (actor.kind !== 'staff' || !hasPermission(actor, SIGN) || !hasPermission(actor, READ)) return [];
  const { items } = await listEntries(ctx, { pending: true, limit: 1000 });
  return [{ key: 'disclosure.sign', label: '待我审签的村级财务支出', count: items.length, path: '/disclosure', phonePath: '/disclosure/sign', tone: items.length > 0 ? 'warning' : 'default' }];
}
