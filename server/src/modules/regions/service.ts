/**
 * Regions (区划): the tree every grant hangs on. Reads need registry.read on the node; adding a
 * villager group needs regions.manage on its village. Out of scope answers like missing.
 */
import { covers, hasPermission, inScope, pathsWith, requirePermission } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { AppError, defineErrors } from '../../core/errors.js';
import * as q from './queries.js';
import type { RegionRow, RegionWithCounts } from './queries.js';
import type { CreateGroupBody, RegionCounts, RegionDetail, RegionHit, RegionLevel, RegionNode } from './schema.js';
import { insertRegion } from './tree.js';

defineErrors({
  REGION_PARENT_NOT_VILLAGE: { status: 400, message: '村民小组只能建在村（社区）下' },
  REGION_NAME_TAKEN: { status: 409, message: '该村下已有同名村民小组' },
  REGION_GROUP_LIMIT: { status: 409, message: '该村的村民小组编号已用完（最多999个）' },
});

export type { RegionRow };

/**
 * The region `id`, if the caller holds `permission` on it. A caller without the permission
 * anywhere gets 403; an unknown id or a node outside the caller's grants gets the same 404.
 * Other modules call this to check a regionId that came from a client.
 */
export async function requireRegion(ctx: Ctx, id: number, permission = 'registry.read'): Promise<RegionRow> {
  requirePermission(ctx.actor, permission);
  const r = await q.findRegion(ctx.db, id);
  if (!r || !covers(ctx.actor, permission, r.path)) throw new AppError('REGION_NOT_FOUND', { regionId: id });
  return r;
}

/** Names of the regions on a path, root first ('/1/25/301/' → 洞口县, 甲镇, 一村). */
export async function ancestorsOf(ctx: Ctx, paths: string[]): Promise<Map<number, RegionRow>> {
  const ids = [...new Set(paths.flatMap(idsOfPath))];
  return new Map((await q.findRegionsByIds(ctx.db, ids)).map((r) => [r.id, r]));
}

export function idsOfPath(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

function countsOf(r: RegionWithCounts): RegionCounts {
  return {
    childCount: r.child_count,
    householdCount: r.household_count,
    residentCount: r.resident_count,
    gridCount: r.grid_count,
    partyMemberCount: r.party_member_count,
  };
}

function nodeOf(r: RegionWithCounts): RegionNode {
  return { id: r.id, code: r.code, name: r.name, level: r.level, kind: r.kind, parentId: r.parent_id, ...countsOf(r) };
}

/** Children of `parentId`, or the caller's own granted nodes when no parent is given. */
export async function regionTree(ctx: Ctx, parentId: number | undefined): Promise<RegionNode[]> {
  if (parentId !== undefined) {
    const parent = await requireRegion(ctx, parentId);
    return (await q.regionsWithCounts(ctx.db, { parentId: parent.id })).map(nodeOf);
  }
  requirePermission(ctx.actor, 'registry.read');
  const roots = await q.findRegionsByPaths(ctx.db, pathsWith(ctx.actor, 'registry.read'));
  return (await q.regionsWithCounts(ctx.db, { ids: roots.map((r) => r.id) })).map(nodeOf);
}

export async function regionDetail(ctx: Ctx, id: number): Promise<RegionDetail> {
  const region = await requireRegion(ctx, id);
  const [withCounts] = await q.regionsWithCounts(ctx.db, { ids: [region.id] });
  const names = await ancestorsOf(ctx, [region.path]);
  const ancestors = idsOfPath(region.path)
    .filter((i) => i !== region.id)
    .map((i) => names.get(i))
    .filter((r): r is RegionRow => !!r)
    .map((r) => ({ id: r.id, name: r.name, level: r.level }));
  return {
    id: region.id, code: region.code, name: region.name, level: region.level, kind: region.kind,
    parentId: region.parent_id, path: region.path, ancestors, counts: countsOf(withCounts!),
    centerLat: region.center_lat, centerLng: region.center_lng,
  };
}

export const SEARCH_LIMIT = 20;

export async function searchRegions(ctx: Ctx, text: string, level: RegionLevel | undefined): Promise<RegionHit[]> {
  requirePermission(ctx.actor, 'registry.read');
  const hits = await q.searchRegions(ctx.db, inScope(ctx.actor, 'registry.read', 'path'), text.trim(), level, SEARCH_LIMIT);
  const names = await ancestorsOf(ctx, hits.map((h) => h.path));
  return hits.map((h) => ({
    id: h.id, code: h.code, name: h.name, level: h.level,
    ancestorsText: idsOfPath(h.path).map((i) => names.get(i)?.name ?? '?').join('/'),
  }));
}

/** Adds a villager group (村民小组) under a village; its code is the village code + 3 digits. */
export async function createGroup(ctx: Ctx, input: CreateGroupBody) {
  const name = input.name.trim();
  if (!name) throw new AppError('VALIDATION_FAILED', { field: 'name' }, '小组名称不能为空');
  return inTransaction(ctx, async (tx) => {
    const village = await requireRegion(tx, input.parentId, 'regions.manage');
    if (village.level !== 'village') throw new AppError('REGION_PARENT_NOT_VILLAGE', { parentId: village.id, level: village.level });
    await q.lockRegion(tx.db, village.id);
    if (await q.childByName(tx.db, village.id, name)) throw new AppError('REGION_NAME_TAKEN', { name });
    const seq = (await q.maxGroupSeq(tx.db, village.code)) + 1;
    if (seq > 999) throw new AppError('REGION_GROUP_LIMIT');
    const code = village.code + String(seq).padStart(3, '0');
    const row = await insertRegion(tx.db, { parentId: village.id, level: 'group', code, name });
    await audit(tx, {
      action: 'region.create', entity: 'region', entityId: row.id, regionPath: row.path,
      after: { code, name, level: 'group', parentId: village.id },
    });
    return { id: row.id, code, name, level: 'group' as const, parentId: village.id };
  });
}

/** Children of a node as GeoJSON for the map: a boundary if drawn, else the centre point. */
export async function childrenGeo(ctx: Ctx, id: number) {
  const region = await requireRegion(ctx, id);
  const children = await q.regionsWithCounts(ctx.db, { parentId: region.id });
  return {
    type: 'FeatureCollection' as const,
    features: children.map((c) => ({
      type: 'Feature' as const,
      id: c.id,
      geometry: geometryOf(c),
      properties: { id: c.id, code: c.code, name: c.name, level: c.level, ...countsOf(c) },
    })),
  };
}

function geometryOf(c: RegionWithCounts): unknown {
  if (c.boundary) return typeof c.boundary === 'string' ? JSON.parse(c.boundary) : c.boundary;
  if (c.center_lat != null && c.center_lng != null) return { type: 'Point', coordinates: [c.center_lng, c.center_lat] };
  return null;
}

/** Whether the caller may add groups under a village (for the page to show the button). */
export function canManageRegion(ctx: Ctx, path: string): boolean {
  return hasPermission(ctx.actor, 'regions.manage') && covers(ctx.actor, 'regions.manage', path);
}
