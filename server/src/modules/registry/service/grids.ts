/**
 * Grids (网格) and their staff (网格长/网格员…). Reads need registry.read on the grid's region,
 * writes registry.write; a grid outside the caller's grants answers 404 like a missing one.
 */
import { assertCovers, inScope, requirePermission } from '../../../core/actor.js';
import { audit, diff } from '../../../core/audit.js';
import { inTransaction, type Ctx } from '../../../core/context.js';
import { AppError } from '../../../core/errors.js';
import { decodeCursor, pageOf } from '../../../core/paging.js';
import { sealPhone } from '../../../core/pii.js';
import { requireRegion } from '../../regions/service.js';
import * as q from '../queries.js';
import { READ, WRITE, gridInsideParent, gridParentLevel, gridRegionAllowed } from '../policy.js';
import type { AddStaffBody, CreateGridBody, Grid, GridDetail, GridListQuery, UpdateGridBody } from '../schema.js';
import { checkBoundary, checkVersion, isUniqueViolation, narrowScope, optionalPhone, trimmed } from './common.js';

type GridRow = NonNullable<Awaited<ReturnType<typeof q.findGrid>>>;

/** The grid, if the caller holds `permission` on its region; else 403 (no such permission) / 404. */
export async function loadGrid(ctx: Ctx, id: number, permission = READ): Promise<GridRow> {
  requirePermission(ctx.actor, permission);
  const g = await q.findGrid(ctx.db, id);
  assertCovers(ctx.actor, permission, g?.region_path);
  return g!;
}

async function present(ctx: Ctx, rows: GridRow[]): Promise<Grid[]> {
  const ids = rows.map((r) => r.id);
  const [staff, counts] = await Promise.all([q.staffOfGrids(ctx.db, ids), q.householdCountsOfGrids(ctx.db, ids)]);
  return rows.map((g) => ({
    id: g.id, code: g.code, name: g.name, level: g.level, regionId: g.region_id, regionName: g.region_name, parentId: g.parent_id,
    householdCount: counts.get(g.id) ?? 0,
    staff: staff.filter((s) => s.grid_id === g.id).map((s) => ({ id: s.id, role: s.role, name: s.name, phoneMasked: s.phone_masked, userId: s.user_id })),
  }));
}

async function detail(ctx: Ctx, g: GridRow): Promise<GridDetail> {
  const [base] = await present(ctx, [g]);
  return { ...base!, version: g.version, note: g.note, boundary: parseJson(g.boundary) };
}

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v ?? null);

export async function listGrids(ctx: Ctx, query: GridListQuery, opts: { staffUserId?: number } = {}) {
  requirePermission(ctx.actor, READ);
  const region = query.regionId ? await requireRegion(ctx, query.regionId, READ) : null;
  const limit = query.limit ?? 50;
  const rows = await q.listGrids(ctx.db, inScope(ctx.actor, READ, 'g.region_path'), {
    narrow: narrowScope(ctx.actor, READ, region?.path), regionPath: region?.path, level: query.level, q: query.q?.trim() || undefined, staffUserId: opts.staffUserId,
    afterId: decodeCursor(query.cursor), limit,
  });
  const page = pageOf(rows, limit);
  return { items: await present(ctx, page.items), nextCursor: page.nextCursor };
}

export async function getGrid(ctx: Ctx, id: number): Promise<GridDetail> {
  return detail(ctx, await loadGrid(ctx, id));
}

/** Checks a proposed parent: in scope, one level up, and its area contains the child's region. */
async function checkParent(ctx: Ctx, parentId: number, level: GridDetail['level'], regionPath: string, selfId?: number) {
  const wanted = gridParentLevel(level);
  const parent = await q.findGrid(ctx.db, parentId);
  if (!parent) throw new AppError('GRID_PARENT_INVALID', { parentId, reason: '上级网格不存在' });
  assertCovers(ctx.actor, READ, parent.region_path);
  if (parent.level !== wanted) throw new AppError('GRID_PARENT_INVALID', { parentId, reason: `上级网格应为${wanted ?? '无'}` });
  if (!gridInsideParent(regionPath, parent.region_path)) throw new AppError('GRID_PARENT_INVALID', { parentId, reason: '上级网格不包含该区域' });
  if (selfId && (await q.gridAncestorIds(ctx.db, parentId)).includes(selfId)) throw new AppError('GRID_PARENT_INVALID', { parentId, reason: '不能形成循环' });
}

export async function createGrid(ctx: Ctx, input: CreateGridBody): Promise<GridDetail> {
  const name = trimmed(input.name, 'name');
  checkBoundary(input.boundary);
  const id = await inTransaction(ctx, async (tx) => {
    const region = await requireRegion(tx, input.regionId, WRITE);
    if (!gridRegionAllowed(region.level)) throw new AppError('GRID_REGION_INVALID', { regionId: region.id, level: region.level });
    if (input.parentId) await checkParent(tx, input.parentId, input.level, region.path);
    if (await q.findGridByCode(tx.db, region.county_id!, input.code)) throw new AppError('GRID_CODE_TAKEN', { code: input.code });
    const row = await tx.db
      .insertInto('grids')
      .values({
        county_id: region.county_id!, region_id: region.id, region_path: region.path, parent_id: input.parentId ?? null,
        level: input.level, code: input.code, name, boundary: input.boundary ? JSON.stringify(input.boundary) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((e) => {
        if (isUniqueViolation(e)) throw new AppError('GRID_CODE_TAKEN', { code: input.code });
        throw e;
      });
    await audit(tx, {
      action: 'grid.create', entity: 'grid', entityId: row.id, regionPath: region.path,
      after: { code: input.code, name, level: input.level, regionId: region.id, parentId: input.parentId ?? null },
    });
    return row.id;
  });
  return getGrid(ctx, id);
}

export async function updateGrid(ctx: Ctx, id: number, input: UpdateGridBody): Promise<GridDetail> {
  checkBoundary(input.boundary);
  await inTransaction(ctx, async (tx) => {
    // Lock first, then read: the version we compare is the one we will bump.
    await tx.db.selectFrom('grids').select('id').where('id', '=', id).forUpdate().execute();
    const g = await loadGrid(tx, id, WRITE);
    checkVersion(g.version, input.version);
    if (input.parentId) await checkParent(tx, input.parentId, g.level, g.region_path, g.id);
    const next = {
      name: input.name !== undefined ? trimmed(input.name, 'name') : g.name,
      parent_id: input.parentId !== undefined ? input.parentId : g.parent_id,
      note: input.note !== undefined ? input.note : g.note,
      boundary: input.boundary !== undefined ? input.boundary : parseJson(g.boundary),
    };
    const change = diff({ name: g.name, parent_id: g.parent_id, note: g.note, boundary: parseJson(g.boundary) }, next);
    await tx.db
      .updateTable('grids')
      .set({
        name: next.name, parent_id: next.parent_id, note: next.note,
        boundary: next.boundary ? JSON.stringify(next.boundary) : null,
        version: g.version + 1, updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await audit(tx, { action: 'grid.update', entity: 'grid', entityId: id, regionPath: g.region_path, ...change });
  });
  return getGrid(ctx, id);
}

export async function addStaff(ctx: Ctx, gridId: number, input: AddStaffBody): Promise<GridDetail> {
  const name = trimmed(input.name, 'name');
  const phone = optionalPhone(input.phone);
  await inTransaction(ctx, async (tx) => {
    const g = await loadGrid(tx, gridId, WRITE);
    if (input.userId) {
      const u = await q.findUser(tx.db, input.userId);
      if (!u || u.county_id !== tx.actor.countyId || u.kind !== 'staff') throw new AppError('GRID_STAFF_USER_INVALID', { userId: input.userId });
    }
    const county = (await q.countyIdOfRegion(tx.db, g.region_id))!;
    const row = await tx.db
      .insertInto('grid_staff')
      .values({ county_id: county, grid_id: g.id, role: input.role, name, user_id: input.userId ?? null, ...sealPhone(phone) })
      .onConflict((oc) => oc.columns(['grid_id', 'role', 'name']).doNothing())
      .returning(['id', 'phone_masked'])
      .executeTakeFirst();
    if (!row) throw new AppError('GRID_STAFF_EXISTS', { role: input.role, name });
    await audit(tx, {
      action: 'grid.staff_add', entity: 'grid', entityId: g.id, regionPath: g.region_path,
      after: { staffId: row.id, role: input.role, name, phoneMasked: row.phone_masked, userId: input.userId ?? null },
    });
  });
  return getGrid(ctx, gridId);
}

export async function removeStaff(ctx: Ctx, gridId: number, staffId: number): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const g = await loadGrid(tx, gridId, WRITE);
    const s = await tx.db.deleteFrom('grid_staff').where('id', '=', staffId).where('grid_id', '=', g.id)
      .returning(['id', 'role', 'name', 'phone_masked', 'user_id']).executeTakeFirst();
    if (!s) throw new AppError('NOT_FOUND', { staffId });
    await audit(tx, {
      action: 'grid.staff_remove', entity: 'grid', entityId: g.id, regionPath: g.region_path,
      before: { staffId: s.id, role: s.role, name: s.name, phoneMasked: s.phone_masked, userId: s.user_id },
    });
  });
}
