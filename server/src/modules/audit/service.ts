/**
 * Reading the audit trail. Rows are scoped by their region_path like everything else; security
 * rows (logins, lockouts) carry no place and are shown to county-level auditors only.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { inScope, requirePermission, type Actor } from '../../core/actor.js';
import type { Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { decodeCursor, pageOf } from '../../core/paging.js';
import { requireRegion } from '../regions/service.js';
import * as q from './queries.js';
import type { AuditEntry, AuditQuery } from './schema.js';

export const AUDIT_READ = 'audit.read';

type Row = Awaited<ReturnType<typeof q.listAudit>>[number];

function present(r: Row): AuditEntry {
  return {
    id: r.id, at: new Date(r.at).toISOString(), actorId: r.actor_id, actorName: r.actor_name, ip: r.ip, action: r.action,
    entity: r.entity, entityId: r.entity_id, before: parse(r.before), after: parse(r.after), note: r.note,
  };
}
const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v ?? null);

/** Holds audit.read on a county node: may also see the placeless security rows of that county. */
export function isCountyAuditor(actor: Actor): boolean {
  return actor.grants.some((g) => g.regionLevel === 'county' && g.permissions.includes(AUDIT_READ));
}

function auditScope(actor: Actor): Expression<SqlBool> {
  const placed = inScope(actor, AUDIT_READ, 'region_path');
  if (!isCountyAuditor(actor)) return placed;
  return sql<SqlBool>`(${placed} OR (region_path IS NULL AND (county_id = ${actor.countyId} OR county_id IS NULL)))`;
}

/** 'YYYY-MM-DD' or an ISO time; a bare `to` date includes that whole day. */
function parseTime(s: string | undefined, field: 'from' | 'to'): Date | undefined {
  if (!s) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(s);
  const d = new Date(dateOnly ? `${s}T00:00:00+08:00` : s);
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION_FAILED', { field }, `提交的数据不符合要求：${field} 不是有效的日期`);
  if (dateOnly && field === 'to') d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export async function listAudit(ctx: Ctx, query: AuditQuery) {
  requirePermission(ctx.actor, AUDIT_READ);
  const region = query.regionId ? await requireRegion(ctx, query.regionId, AUDIT_READ) : null;
  const limit = query.limit ?? 50;
  const rows = await q.listAudit(ctx.db, auditScope(ctx.actor), {
    entity: query.entity, entityId: query.entityId, actorId: query.actorId, action: query.action,
    from: parseTime(query.from, 'from'), to: parseTime(query.to, 'to'), regionPath: region?.path,
    beforeId: decodeCursor(query.cursor), limit,
  });
  const page = pageOf(rows, limit);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

export const HISTORY_LIMIT = 200;

/**
 * The audit rows of some entities, newest first — for a record's 修改记录 tab. The caller has
 * already checked that the actor may read the record itself; this adds no scope of its own.
 */
export async function entityHistory(ctx: Ctx, refs: { entity: string; ids: (number | string)[] }[]): Promise<AuditEntry[]> {
  return (await q.entityRows(ctx.db, refs, HISTORY_LIMIT)).map(present);
}
