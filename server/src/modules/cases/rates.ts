/**
 * The figures, each defined once (DESIGN.md, "Rates"), over the cases REPORTED in the period
 * (merged cases excluded), for a unit and each unit one level down:
 *
 *   响应率   responded on time / due to respond — responded on time: first accepted by its first
 *            response deadline; due to respond: accepted, or the response deadline has passed.
 *   结案率   closed / due to close — due to close: closed, or the handling deadline has passed
 *            (suspended cases are not due: their clock is stopped).
 *   按期结案率 closed on time / closed — on time: resolved by the handling deadline in force.
 *   超期率   overdue / due to close — overdue: resolved after its deadline, or open past it.
 *   满意率   satisfied / rated — satisfied: rating ≥ 3 (满意 + 基本满意).
 *   平均结案时长 mean hours from report to close, over closed cases.
 *
 * Drill-down county → township → village → grid uses the same SQL with a different GROUP BY, so
 * the children always add up to their parent.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { assertCovers, pathsWith, type Actor } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { escapeLike } from '../../core/actor.js';

export const RATE_DEFINITIONS = [
  { key: 'responseRate', name: '响应率', formula: '按时受理数 ÷ 应受理数', note: '按时受理：在首次响应时限内受理；应受理：已受理或响应时限已过' },
  { key: 'completionRate', name: '结案率', formula: '已销号数 ÷ 应结案数', note: '应结案：已销号，或办理时限已过（挂起期间不计）' },
  { key: 'onTimeRate', name: '按期结案率', formula: '按期办结的销号数 ÷ 已销号数', note: '按期：在当时有效的办理时限内办结' },
  { key: 'overdueRate', name: '超期率', formula: '超期数 ÷ 应结案数', note: '超期：办结晚于时限，或未办结且已过时限' },
  { key: 'satisfactionRate', name: '满意率', formula: '满意数 ÷ 已评价数', note: '满意：评价 3 星及以上（满意、基本满意）' },
  { key: 'meanHoursToClose', name: '平均结案时长', formula: '（销号时间 − 上报时间）的平均值（小时）', note: '只计已销号事件' },
] as const;

export interface Counts {
  total: number;
  dueRespond: number;
  respondedOnTime: number;
  dueClose: number;
  closed: number;
  closedOnTime: number;
  overdue: number;
  rated: number;
  satisfied: number;
  meanHoursToClose: number | null;
}

export interface Rates extends Counts {
  responseRate: number | null;
  completionRate: number | null;
  onTimeRate: number | null;
  overdueRate: number | null;
  satisfactionRate: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

export function toRates(c: Counts): Rates {
  return {
    ...c,
    responseRate: ratio(c.respondedOnTime, c.dueRespond),
    completionRate: ratio(c.closed, c.dueClose),
    onTimeRate: ratio(c.closedOnTime, c.closed),
    overdueRate: ratio(c.overdue, c.dueClose),
    satisfactionRate: ratio(c.satisfied, c.rated),
  };
}

interface Period {
  from: Date;
  to: Date;
  now: Date;
}

type Grouped = { key: string; counts: Counts };

interface Aggregated {
  unit: Counts | undefined;
  children: Grouped[];
  departments: Grouped[];
  trend: { day: string; reported: number; closed: number }[];
}

/**
 * One pass over the cases reported in the period under `path`: the unit's own figures, each child
 * (township, village or grid), each department and the daily trend come out of one scan with
 * GROUPING SETS, instead of one scan each. The scan is index-only on cases_rates_idx (migration
 * 0012), which carries every column read here — the dashboard is the busiest read at county level.
 */
async function aggregate(db: Kdb, countyId: number, path: string, p: Period, childKey: RawBuilder<string>, withDepartments: boolean): Promise<Aggregated> {
  const now = p.now;
  const dueClose = sql`(state = 'closed' OR (due_at <= ${now} AND state <> 'suspended'))`;
  // department_id may only be selected (and passed to grouping()) when a set groups by it.
  const sets = withDepartments ? sql`(), (ck), (department_id), (dk)` : sql`(), (ck), (dk)`;
  const dep = withDepartments ? sql`department_id AS dep, grouping(department_id)::int AS g_dep` : sql`NULL::int8 AS dep, 1 AS g_dep`;
  const query = sql<Record<string, string | number | null> & { ck: string | null; dep: number | null; dk: string | null; g_ck: number; g_dep: number; g_dk: number }>`
    SELECT ck, dk, ${dep}, grouping(ck)::int AS g_ck, grouping(dk)::int AS g_dk,
      count(*)::int AS total,
      count(*) FILTER (WHERE first_response_due_at IS NOT NULL AND (first_response_at IS NOT NULL OR first_response_due_at <= ${now}))::int AS due_respond,
      count(*) FILTER (WHERE first_response_at <= first_response_due_at)::int AS responded_on_time,
      count(*) FILTER (WHERE ${dueClose})::int AS due_close,
      count(*) FILTER (WHERE state = 'closed')::int AS closed,
      count(*) FILTER (WHERE state = 'closed' AND resolved_at <= due_at)::int AS closed_on_time,
      count(*) FILTER (WHERE ${dueClose} AND state <> 'suspended' AND coalesce(resolved_at, ${now}) > due_at)::int AS overdue,
      count(*) FILTER (WHERE rating IS NOT NULL)::int AS rated,
      count(*) FILTER (WHERE rating >= 3)::int AS satisfied,
      (avg(extract(epoch FROM closed_at - created_at)) FILTER (WHERE state = 'closed') / 3600)::float8 AS mean_hours
    FROM (
      SELECT *, ${childKey} AS ck, (created_at AT TIME ZONE 'Asia/Shanghai')::date AS dk
      FROM cases
      WHERE county_id = ${countyId} AND created_at >= ${p.from} AND created_at < ${p.to}
        AND region_path LIKE ${escapeLike(path) + '%'} AND state <> 'merged'
    ) s
    GROUP BY GROUPING SETS (${sets})`;
  // The planner cannot estimate the number of groups of split_part()/date keys and assumes one per
  // row, so under the default 4 MB of work_mem it sorts the whole period on disk instead of hashing.
  // The real groups are few and bounded (children: hundreds; departments: hundreds; days: at most
  // the 3-year period limit), so a generous cap lets it hash without ever using that much. JIT
  // compiling this query costs more than running it. Both settings end with the transaction.
  const r = db.isTransaction
    ? await query.execute(db)
    : await db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)`.execute(trx);
        return query.execute(trx);
      });
  const counts = (x: Record<string, string | number | null>): Counts => ({
    total: Number(x.total), dueRespond: Number(x.due_respond), respondedOnTime: Number(x.responded_on_time), dueClose: Number(x.due_close),
    closed: Number(x.closed), closedOnTime: Number(x.closed_on_time), overdue: Number(x.overdue), rated: Number(x.rated), satisfied: Number(x.satisfied),
    meanHoursToClose: x.mean_hours == null ? null : Math.round(Number(x.mean_hours) * 10) / 10,
  });
  const out: Aggregated = { unit: undefined, children: [], departments: [], trend: [] };
  for (const x of r.rows) {
    // grouping() is 0 for the columns a row is grouped by: it tells the sets apart (keys may be null).
    if (x.g_ck === 0) out.children.push({ key: String(x.ck ?? ''), counts: counts(x) });
    else if (withDepartments && x.g_dep === 0) { if (x.dep != null) out.departments.push({ key: String(x.dep), counts: counts(x) }); }
    else if (x.g_dk === 0) out.trend.push({ day: x.dk!, reported: Number(x.total), closed: Number(x.closed) });
    else out.unit = counts(x);
  }
  out.trend.sort((a, b) => a.day.localeCompare(b.day));
  return out;
}

const EMPTY: Counts = { total: 0, dueRespond: 0, respondedOnTime: 0, dueClose: 0, closed: 0, closedOnTime: 0, overdue: 0, rated: 0, satisfied: 0, meanHoursToClose: null };

export interface RatesQuery {
  regionId?: number;
  from: string; // YYYY-MM-DD (Beijing), inclusive
  to: string; // YYYY-MM-DD, inclusive
}

export function periodOf(q: { from: string; to: string }, now = new Date()): Period {
  const from = new Date(q.from + 'T00:00:00+08:00');
  const to = new Date(new Date(q.to + 'T00:00:00+08:00').getTime() + 86_400_000);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) throw new AppError('CASE_PERIOD_INVALID');
  if (to.getTime() - from.getTime() > 367 * 86_400_000 * 3) throw new AppError('CASE_PERIOD_INVALID');
  return { from, to, now };
}

export interface UnitRates {
  id: number;
  kind: 'region' | 'grid' | 'department';
  level: string;
  name: string;
  rates: Rates;
}

export async function ratesReport(db: Kdb, actor: Actor, q: RatesQuery, now = new Date()) {
  const p = periodOf(q, now);
  let regionId = q.regionId;
  if (!regionId) {
    const top = pathsWith(actor, 'cases.read')[0];
    if (!top) throw new AppError('FORBIDDEN', { permission: 'cases.read' });
    regionId = Number(top.split('/').filter(Boolean).pop());
  }
  const region = await db.selectFrom('regions').select(['id', 'name', 'path', 'level']).where('id', '=', regionId).where('county_id', '=', actor.countyId).executeTakeFirst();
  assertCovers(actor, 'cases.read', region?.path);
  const depth = region!.path.split('/').filter(Boolean).length;
  const byRegion = region!.level === 'county' || region!.level === 'township';
  const childKey = byRegion ? sql<string>`split_part(region_path, '/', ${depth + 2})` : sql<string>`coalesce(grid_id::text, '')`;
  const agg = await aggregate(db, actor.countyId, region!.path, p, childKey, region!.level === 'county');
  const children: UnitRates[] = [];
  if (byRegion) {
    const kids = await db.selectFrom('regions').select(['id', 'name', 'level']).where('parent_id', '=', region!.id).orderBy('sort').orderBy('id').execute();
    for (const k of kids) children.push({ id: k.id, kind: 'region', level: k.level, name: k.name, rates: toRates(agg.children.find((r) => r.key === String(k.id))?.counts ?? EMPTY) });
  } else {
    const grids = await db.selectFrom('grids').select(['id', 'name']).where('region_id', '=', region!.id).orderBy('id').execute();
    for (const g of grids) children.push({ id: g.id, kind: 'grid', level: 'grid', name: g.name, rates: toRates(agg.children.find((r) => r.key === String(g.id))?.counts ?? EMPTY) });
  }
  let departments: UnitRates[] = [];
  if (region!.level === 'county') {
    const deps = await db.selectFrom('departments').select(['id', 'name']).where('county_id', '=', actor.countyId).orderBy('id').execute();
    departments = deps
      .map((d) => ({ id: d.id, kind: 'department' as const, level: 'department', name: d.name, rates: toRates(agg.departments.find((r) => r.key === String(d.id))?.counts ?? EMPTY) }))
      .filter((d) => d.rates.total > 0);
  }
  const unit = { counts: agg.unit };
  const trend = { rows: agg.trend };
  return {
    unit: { id: region!.id, kind: 'region' as const, level: region!.level, name: region!.name, rates: toRates(unit?.counts ?? EMPTY) },
    children,
    departments,
    trend: trend.rows.map((t) => ({ day: t.day, reported: Number(t.reported), closed: Number(t.closed) })),
    period: { from: q.from, to: q.to },
    definitions: RATE_DEFINITIONS.map((d) => ({ ...d })),
  };
}
