/**
 * 县直部门 and the villages each is linked to (联村: a department's assessment score follows its
 * villages). Reading needs registry.read anywhere in the county; the linked villages shown are
 * those in the caller's scope. Changing needs departments.manage on the county.
 */
import { inScope, requirePermission } from '../../core/actor.js';
import { audit, diff } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { AppError, defineErrors } from '../../core/errors.js';
import { decodeCursor, pageOf } from '../../core/paging.js';
import { countyPath, regionInScope } from '../party/places.js';
import * as q from './queries.js';
import { canManageDepartments, READ } from './policy.js';
import type { DepartmentCreate, DepartmentListQuery, DepartmentPatch } from './schema.js';

defineErrors({
  DEPARTMENT_EXISTS: { status: 409, message: '已有相同编码或名称的部门' },
  NOT_A_VILLAGE: { status: 400, message: '县直部门只能联系村（社区）' },
});

const present = (d: NonNullable<Awaited<ReturnType<typeof q.byId>>>) => ({ ...d, villageCount: Number(d.villageCount) });

function requireManager(ctx: Ctx): void {
  if (!canManageDepartments(ctx.actor)) throw new AppError('FORBIDDEN', { permission: 'departments.manage' });
}

export async function list(ctx: Ctx, query: DepartmentListQuery) {
  requirePermission(ctx.actor, READ);
  const limit = query.limit ?? 50;
  const prefix = query.regionId ? (await regionInScope(ctx, query.regionId, READ)).path : null;
  const rows = await q.list(ctx.db, ctx.actor.countyId, { q: query.q?.trim() || undefined, prefix }, decodeCursor(query.cursor), limit);
  return pageOf(rows.map(present), limit);
}

export async function get(ctx: Ctx, id: number) {
  requirePermission(ctx.actor, READ);
  const d = await q.byId(ctx.db, ctx.actor.countyId, id);
  if (!d) throw new AppError('NOT_FOUND');
  return {
    ...present(d),
    villages: await q.villagesOf(ctx.db, id, inScope(ctx.actor, READ, 'r.path')),
    canManage: canManageDepartments(ctx.actor),
  };
}

async function refuseClash(ctx: Ctx, code: string | undefined, name: string | undefined, exceptId: number | null) {
  const c = await q.clash(ctx.db, ctx.actor.countyId, code, name, exceptId);
  if (c) throw new AppError('DEPARTMENT_EXISTS', { code: c.code, name: c.name });
}

const isUnique = (e: unknown) => (e as { code?: string }).code === '23505';

export async function create(ctx: Ctx, input: DepartmentCreate) {
  requireManager(ctx);
  const values = { code: input.code, name: input.name.trim(), phone: input.phone?.trim() || null };
  try {
    return await inTransaction(ctx, async (tx) => {
      await refuseClash(tx, values.code, values.name, null);
      const row = await tx.db.insertInto('departments').values({ county_id: ctx.actor.countyId, ...values }).returning('id').executeTakeFirstOrThrow();
      await audit(tx, { action: 'department.create', entity: 'department', entityId: row.id, regionPath: countyPath(tx), after: values });
      return get(tx, row.id);
    });
  } catch (e) {
    if (isUnique(e)) throw new AppError('DEPARTMENT_EXISTS');
    throw e;
  }
}

export async function update(ctx: Ctx, id: number, input: DepartmentPatch) {
  requireManager(ctx);
  try {
    return await inTransaction(ctx, async (tx) => {
      const d = await q.byId(tx.db, ctx.actor.countyId, id);
      if (!d) throw new AppError('NOT_FOUND');
      const next = { code: input.code ?? d.code, name: input.name?.trim() ?? d.name, phone: input.phone === undefined ? d.phone : input.phone?.trim() || null };
      await refuseClash(tx, input.code, input.name?.trim(), id);
      await tx.db.updateTable('departments').set(next).where('id', '=', id).execute();
      const ch = diff({ code: d.code, name: d.name, phone: d.phone }, next);
      await audit(tx, { action: 'department.update', entity: 'department', entityId: id, regionPath: countyPath(tx), before: ch.before, after: ch.after });
      return get(tx, id);
    });
  } catch (e) {
    if (isUnique(e)) throw new AppError('DEPARTMENT_EXISTS');
    throw e;
  }
}

/** Replaces the department's linked villages with exactly `regionIds` (all villages of the county). */
export async function setVillages(ctx: Ctx, id: number, regionIds: number[]) {
  requireManager(ctx);
  const ids = [...new Set(regionIds)];
  const found = await q.regionsByIds(ctx.db, ctx.actor.countyId, ids);
  const missing = ids.filter((x) => !found.some((r) => r.id === x));
  if (missing.length) throw new AppError('REGION_NOT_FOUND', { regionIds: missing });
  const notVillage = found.filter((r) => r.level !== 'village').map((r) => r.id);
  if (notVillage.length) throw new AppError('NOT_A_VILLAGE', { regionIds: notVillage });
  return inTransaction(ctx, async (tx) => {
    const d = await q.byId(tx.db, ctx.actor.countyId, id);
    if (!d) throw new AppError('NOT_FOUND');
    const before = (await q.villageIds(tx.db, id)).map((r) => r.region_id);
    const add = ids.filter((x) => !before.includes(x));
    const remove = before.filter((x) => !ids.includes(x));
    if (remove.length) await tx.db.deleteFrom('department_villages').where('department_id', '=', id).where('region_id', 'in', remove).execute();
    if (add.length) await tx.db.insertInto('department_villages').values(add.map((r) => ({ department_id: id, region_id: r, county_id: ctx.actor.countyId }))).execute();
    if (add.length || remove.length) {
      await audit(tx, {
        action: 'department.villages', entity: 'department', entityId: id, regionPath: countyPath(tx),
        before: { regionIds: before }, after: { regionIds: [...ids].sort((a, b) => a - b) }, note: `新增${add.length}个，移除${remove.length}个`,
      });
    }
    return get(tx, id);
  });
}
