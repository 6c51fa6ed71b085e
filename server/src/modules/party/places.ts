/**
 * Region lookups shared by the party, assignments, departments and accounts modules: a region id
 * from a client is resolved inside the caller's county and checked against their scope in one place.
 */
import { AppError } from '../../core/errors.js';
import { covers } from '../../core/actor.js';
import type { Ctx } from '../../core/context.js';
import { beijingDay } from '../../core/calendar/index.js';

export interface Place {
  id: number;
  path: string;
  level: 'county' | 'township' | 'village' | 'group';
  name: string;
  parentId: number | null;
}

export async function findRegion(ctx: Ctx, id: number): Promise<Place | null> {
  const r = await ctx.db
    .selectFrom('regions')
    .select(['id', 'path', 'level', 'name', 'parent_id'])
    .where('id', '=', id)
    .where('county_id', '=', ctx.actor.countyId)
    .executeTakeFirst();
  return r ? { id: r.id, path: r.path, level: r.level, name: r.name, parentId: r.parent_id } : null;
}

/** The region if the caller holds `permission` on it; REGION_NOT_FOUND (404) when missing or out of scope alike. */
export async function regionInScope(ctx: Ctx, id: number, permission: string): Promise<Place> {
  const r = await findRegion(ctx, id);
  if (!r || !covers(ctx.actor, permission, r.path)) throw new AppError('REGION_NOT_FOUND', { regionId: id });
  return r;
}

/** The county's own path: '/<countyId>/'. */
export function countyPath(ctx: Ctx): string {
  return `/${ctx.actor.countyId}/`;
}

/**
 * The village part of a region path. The tree is always county → township → village → group, so
 * the village is the third id: '/1/25/301/4410/' → '/1/25/301/'. Null above village level.
 */
export function villagePathOf(path: string): string | null {
  const ids = path.split('/').filter(Boolean);
  return ids.length >= 3 ? `/${ids.slice(0, 3).join('/')}/` : null;
}

/** Depth of a path: 1 county, 2 township, 3 village, 4 group. */
export function pathDepth(path: string): number {
  return path.split('/').filter(Boolean).length;
}

/** Today's date as 'YYYY-MM-DD' in China Standard Time, the calendar the county works on. */
export function todayCst(now = new Date()): string {
  return beijingDay(now);
}
