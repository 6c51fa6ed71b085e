/**
 * 挂图作战: the open cases on a map. Per village — cases placed at a village or one of its groups —
 * how many are open, due within a working day's notice (yellow), past their limit (red) and under
 * a supervision notice, drawn at the village's centre; and the open cases reported with their own
 * coordinates (the phone's location), the most urgent 500, each coloured by its light. Scoped like
 * every case list (visible()); a region narrows it to that subtree.
 */
import { sql } from 'kysely';
import type { Ctx } from '../../core/context.js';
import { escapeLike, requirePermission } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { lightOf, OPEN, visible } from './queries.js';

const POINTS_LIMIT = 500;
/** The first three ids of a path: county/township/village (a group's cases count at its village). */
const VILLAGE_OF = sql<string>`substring(cases.region_path from '^/(?:[^/]+/){3}')`;

export interface CaseMap {
  villages: { id: number; name: string; townshipName: string | null; lat: number | null; lng: number | null; open: number; yellow: number; red: number; supervised: number }[];
  points: { id: number; code: string; title: string; lat: number; lng: number; light: 'green' | 'yellow' | 'red' | null; supervised: boolean }[];
}

export async function caseMap(ctx: Ctx, p: { regionId?: number }): Promise<CaseMap> {
  requirePermission(ctx.actor, 'cases.read');
  const { db, actor } = ctx;
  let under: string | null = null;
  if (p.regionId) {
    const r = await db.selectFrom('regions').select('path').where('id', '=', p.regionId).where('county_id', '=', actor.countyId).executeTakeFirst();
    if (!r) throw new AppError('REGION_NOT_FOUND');
    under = r.path;
  }
  const now = new Date();
  const soon = new Date(now.getTime() + 86_400_000);
  const base = () => {
    let q = db.selectFrom('cases').where('cases.county_id', '=', actor.countyId).where('cases.state', 'in', [...OPEN]).where((eb) => visible(eb, actor));
    if (under) q = q.where('cases.region_path', 'like', escapeLike(under) + '%');
    return q;
  };
  const [villages, points] = await Promise.all([
    base()
      .innerJoin('regions as v', (j) => j.on(sql`v.path`, '=', VILLAGE_OF))
      .leftJoin('regions as t', 't.id', 'v.parent_id')
      .select([
        'v.id', 'v.name', 't.name as township_name', 'v.center_lat as lat', 'v.center_lng as lng',
        sql<number>`count(*)::int`.as('open'),
        // The same lights as lightOf(), counted in SQL: a suspended case's clock is stopped.
        sql<number>`(count(*) FILTER (WHERE cases.state <> 'suspended' AND cases.due_at < ${now}))::int`.as('red'),
        sql<number>`(count(*) FILTER (WHERE cases.state <> 'suspended' AND cases.due_at >= ${now} AND cases.due_at < ${soon}))::int`.as('yellow'),
        sql<number>`(count(*) FILTER (WHERE cases.supervised_at IS NOT NULL))::int`.as('supervised'),
      ])
      .groupBy(['v.id', 'v.name', 't.name', 'v.center_lat', 'v.center_lng'])
      .orderBy(sql`count(*) FILTER (WHERE cases.state <> 'suspended' AND cases.due_at < ${now})`, 'desc')
      .orderBy(sql`count(*)`, 'desc')
      .execute(),
    base()
      .where('cases.lat', 'is not', null)
      .where('cases.lng', 'is not', null)
      .select(['cases.id', 'cases.code', 'cases.title', 'cases.lat', 'cases.lng', 'cases.state', 'cases.due_at', 'cases.supervised_at'])
      .orderBy('cases.due_at', 'asc')
      .limit(POINTS_LIMIT)
      .execute(),
  ]);
  return {
    villages: villages.map((v) => ({ id: v.id, name: v.name, townshipName: v.township_name, lat: v.lat, lng: v.lng, open: v.open, yellow: v.yellow, red: v.red, supervised: v.supervised })),
    points: points.map((c) => ({ id: c.id, code: c.code, title: c.title, lat: c.lat!, lng: c.lng!, light: lightOf(c, now), supervised: !!c.supervised_at })),
  };
}
