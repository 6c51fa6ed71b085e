/**
 * Audit rows are written in the same transaction as the change they describe, so a change without
 * its audit row (or the reverse) cannot exist. The table refuses UPDATE/DELETE (see migration 0001).
 */
import type { Ctx } from './context.js';

export interface AuditInput {
  action: string; // 'household.update'
  entity: string; // 'household'
  entityId?: string | number | null;
  regionPath?: string | null;
  before?: unknown;
  after?: unknown;
  note?: string | null;
}

export async function audit(ctx: Ctx, a: AuditInput): Promise<void> {
  await ctx.db.insertInto('audit_log').values(auditValues(ctx, a)).execute();
}

/** The audit row as values, for a caller that writes it inside a larger statement (hot paths). */
export function auditValues(ctx: Ctx, a: AuditInput) {
  return {
      county_id: ctx.actor.countyId,
      actor_id: ctx.actor.userId || null,
      actor_name: ctx.actor.displayName,
      ip: ctx.actor.ip,
      action: a.action,
      entity: a.entity,
      entity_id: a.entityId == null ? null : String(a.entityId),
      region_path: a.regionPath ?? null,
      before: a.before === undefined ? null : JSON.stringify(a.before),
      after: a.after === undefined ? null : JSON.stringify(a.after),
      note: a.note ?? null,
  };
}

/** Only the fields that changed, for compact before/after. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return { before: b, after: a };
}
