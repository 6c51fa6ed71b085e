/** Kysely queries over audit_log. Newest first; cursor = the last id seen (id < cursor). */
import type { Expression, SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { escapeLike } from '../../core/actor.js';

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  actorId?: number;
  action?: string;
  from?: Date;
  to?: Date;
  regionPath?: string;
  beforeId: number | null;
  limit: number;
}

const cols = ['id', 'at', 'actor_id', 'actor_name', 'ip', 'action', 'entity', 'entity_id', 'region_path', 'before', 'after', 'note'] as const;

export async function listAudit(db: Kdb, scope: Expression<SqlBool>, f: AuditFilter) {
  let q = db.selectFrom('audit_log').select(cols).where(scope);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  // 'household.' lists every household action; a full name matches exactly.
  if (f.action) q = f.action.endsWith('.') ? q.where('action', 'like', escapeLike(f.action) + '%') : q.where('action', '=', f.action);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.regionPath) q = q.where('region_path', 'like', escapeLike(f.regionPath) + '%');
  if (f.beforeId) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit + 1).execute();
}

/** Rows about the given entities, newest first. */
export async function entityRows(db: Kdb, refs: { entity: string; ids: (number | string)[] }[], limit: number) {
  const live = refs.filter((r) => r.ids.length > 0);
  if (live.length === 0) return [];
  return db
    .selectFrom('audit_log')
    .select(cols)
    .where((eb) => eb.or(live.map((r) => eb.and([eb('entity', '=', r.entity), eb('entity_id', 'in', r.ids.map(String))]))))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
