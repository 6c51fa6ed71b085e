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
 *
 * At county scale (a million cases a year) the finished cases are read from per-day aggregates
 * that triggers keep (case_daily_stats, migration 0014) and only the unfinished ones from the case
 * rows; aggregateFromScratch() is the count over every case row that both must equal (tested).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { assertCovers, pathsWith, type Actor } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { escapeLike } from '../../core/actor.js';
import { beijingDay } from '../../core/calendar/index.js';

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

export interface Period {
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

/** The dashboard's shape below `path`: how a row's child key is formed. */
export interface Shape {
  path: string;
  /** Ids in `path`: 1 for the county, 2 for a township … */
  depth: number;
  /** Children are regions (county, township) or grids (village, group). */
  byRegion: boolean;
  withDepartments: boolean;
}

/**
 * A case is settled once closed with its first response and its resolution recorded: none of its
 * figures depends on "now" any more. Settled cases are counted from case_daily_stats (migration
 * 0014); the others live, from the case rows. This is the negation of the migration's "settled"
 * test, written exactly as cases_unsettled_idx's predicate, which the live query must repeat for
 * the planner to use that index.
 */
const UNSETTLED = sql`state <> 'merged' AND (state <> 'closed' OR first_response_at IS NULL OR resolved_at IS NULL)`;

/** The counters every input row carries, in this order. */
const COUNTERS = ['total', 'due_respond', 'responded_on_time', 'due_close', 'closed', 'closed_on_time', 'overdue', 'rated', 'satisfied', 'close_seconds', 'close_n'] as const;

/**
 * The figures of a set of cases, by the definitions (the file header), as aggregates over case
 * rows read at `now`: for a settled case they are what case_stats_rows() stores.
 */
function figures(now: Date) {
  const dueClose = sql`(state = 'closed' OR (due_at <= ${now} AND state <> 'suspended'))`;
  const n = (cond: RawBuilder<unknown>) => sql`count(*) FILTER (WHERE ${cond})`;
  return sql`count(*) AS total,
    ${n(sql`first_response_due_at IS NOT NULL AND (first_response_at IS NOT NULL OR first_response_due_at <= ${now})`)} AS due_respond,
    ${n(sql`first_response_at <= first_response_due_at`)} AS responded_on_time,
    ${n(dueClose)} AS due_close,
    ${n(sql`state = 'closed'`)} AS closed,
    ${n(sql`state = 'closed' AND resolved_at <= due_at`)} AS closed_on_time,
    ${n(sql`${dueClose} AND state <> 'suspended' AND coalesce(resolved_at, ${now}) > due_at`)} AS overdue,
    ${n(sql`rating IS NOT NULL`)} AS rated,
    ${n(sql`rating >= 3`)} AS satisfied,
    sum(extract(epoch FROM closed_at - created_at)) FILTER (WHERE state = 'closed') AS close_seconds,
    ${n(sql`state = 'closed' AND closed_at IS NOT NULL`)} AS close_n`;
}

/** Σ of the counters, and the mean exactly as avg() over the cases would give it (numeric Σ ÷ count). */
const SUMS = sql.raw(`${COUNTERS.slice(0, 9).map((c) => `sum(${c})::int AS ${c}`).join(', ')},
  (sum(close_seconds) / nullif(sum(close_n), 0) / 3600)::float8 AS mean_hours`);

type Row = Record<string, string | number | null>;

function countsOf(x: Row): Counts {
  return {
    total: Number(x.total), dueRespond: Number(x.due_respond), respondedOnTime: Number(x.responded_on_time), dueClose: Number(x.due_close),
    closed: Number(x.closed), closedOnTime: Number(x.closed_on_time), overdue: Number(x.overdue), rated: Number(x.rated), satisfied: Number(x.satisfied),
    meanHoursToClose: x.mean_hours == null ? null : Math.round(Number(x.mean_hours) * 10) / 10,
  };
}

/**
 * The unit's own figures, each child (township, village or grid), the daily trend and, at county
 * level, each department — from two inputs, each summed with GROUPING SETS in one pass: the
 * settled cases' day rows (township rows for the county, whose children are townships; grid rows
 * below; department rows) and the unsettled cases of the period, counted live. The two are then
 * added set by set and key by key.
 */
function aggregateQuery(countyId: number, s: Shape, p: Period) {
  const like = escapeLike(s.path) + '%';
  const [fromDay, toDay] = [beijingDay(p.from), beijingDay(p.to)]; // the period is whole Beijing days
  // A row's child: the id at depth+1 of its path (prefix cut to two ids for township rows, which
  // only the county reads), or its grid.
  const liveChild = s.byRegion ? sql`split_part(region_path, '/', ${s.depth + 2})` : sql`coalesce(grid_id::text, '')`;
  const statsChild = s.byRegion ? sql`split_part(path, '/', ${s.depth + 2})` : sql`CASE WHEN grid_id = 0 THEN '' ELSE grid_id::text END`;
  const kind = s.depth <= 1 ? 'township' : 'grid';
  const cols = sql.raw(COUNTERS.join(', '));
  const sums = sql.raw(COUNTERS.map((c) => `sum(${c}) AS ${c}`).join(', '));
  // Which set a grouped row belongs to, and its key.
  const setOf = (withDep: boolean) => sql`
    CASE WHEN grouping(ck) = 0 THEN 'child' WHEN grouping(dk) = 0 THEN 'day' ${withDep ? sql`WHEN grouping(dep) = 0 THEN 'department'` : sql``} ELSE 'unit' END AS grp,
    coalesce(ck, dk::text${withDep ? sql`, dep::text` : sql``}) AS k`;
  const stats = (k: string) => sql`
    FROM case_daily_stats
    WHERE county_id = ${countyId} AND kind = ${k} AND path LIKE ${like} AND day >= ${fromDay}::date AND day < ${toDay}::date
      AND total <> 0`; // a place whose cases all left the settled state (reopened) keeps a row of zeros
  const depSet = s.withDepartments ? sql`, (dep)` : sql``;
  return sql<Row & { grp: string; k: string | null }>`
    WITH live AS (
      SELECT ${setOf(s.withDepartments)}, ${figures(p.now)}
      FROM (
        SELECT *, ${liveChild} AS ck, (created_at AT TIME ZONE 'Asia/Shanghai')::date AS dk, department_id AS dep
        FROM cases
        WHERE county_id = ${countyId} AND created_at >= ${p.from} AND created_at < ${p.to}
          AND region_path LIKE ${like} AND ${UNSETTLED}
      ) c
      GROUP BY GROUPING SETS ((), (ck), (dk)${depSet})
    ), settled AS (
      SELECT ${setOf(false)}, ${sums}
      FROM (SELECT ${statsChild} AS ck, day AS dk, ${cols} ${stats(kind)}) r
      GROUP BY GROUPING SETS ((), (ck), (dk))
      ${s.withDepartments ? sql`UNION ALL SELECT 'department', department_id::text, ${sums} ${stats('department')} GROUP BY department_id` : sql``}
    )
    SELECT grp, k, ${SUMS}
    FROM (SELECT * FROM live UNION ALL SELECT * FROM settled) x
    WHERE grp <> 'department' OR k IS NOT NULL
    GROUP BY grp, k`;
}

async function aggregate(db: Kdb, countyId: number, s: Shape, p: Period): Promise<Aggregated> {
  const query = aggregateQuery(countyId, s, p);
  // The planner cannot estimate the groups of split_part()/date keys and assumes one per row, so
  // under the default 4 MB of work_mem it sorts the year's unsettled cases instead of hashing
  // them; the real groups are few (children, days ≤ 3 years, departments), so a generous cap lets
  // it hash without using that much. JIT compiling this query costs more than running it, and so
  // does starting parallel workers for a few tens of milliseconds of work. The settings end with
  // the transaction.
  const r = db.isTransaction
    ? await query.execute(db)
    : await db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx);
        return query.execute(trx);
      });
  const out: Aggregated = { unit: undefined, children: [], departments: [], trend: [] };
  for (const x of r.rows) {
    if (x.grp === 'department') out.departments.push({ key: String(x.k), counts: countsOf(x) });
    else if (x.grp === 'child') out.children.push({ key: String(x.k ?? ''), counts: countsOf(x) });
    else if (x.grp === 'day') out.trend.push({ day: String(x.k), reported: Number(x.total), closed: Number(x.closed) });
    else out.unit = countsOf(x);
  }
  out.trend.sort((a, b) => a.day.localeCompare(b.day));
  return out;
}

/**
 * The same figures counted from every case row of the period — the dashboard's query before the
 * aggregates, kept verbatim as the reference the tests hold the aggregate path to (and for a check
 * by hand on a live database). At county scale it reads every case of the period.
 */
export async function aggregateFromScratch(db: Kdb, countyId: number, s: Shape, p: Period): Promise<Aggregated> {
  const now = p.now;
  const childKey = s.byRegion ? sql`split_part(region_path, '/', ${s.depth + 2})` : sql`coalesce(grid_id::text, '')`;
  const dueClose = sql`(state = 'closed' OR (due_at <= ${now} AND state <> 'suspended'))`;
  const sets = s.withDepartments ? sql`(), (ck), (department_id), (dk)` : sql`(), (ck), (dk)`;
  const dep = s.withDepartments ? sql`department_id AS dep, grouping(department_id)::int AS g_dep` : sql`NULL::int8 AS dep, 1 AS g_dep`;
  const r = await sql<Row & { ck: string | null; dep: number | null; dk: string | null; g_ck: number; g_dep: number; g_dk: number }>`
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
        AND region_path LIKE ${escapeLike(s.path) + '%'} AND state <> 'merged'
    ) s
    GROUP BY GROUPING SETS (${sets})`.execute(db);
  const out: Aggregated = { unit: undefined, children: [], departments: [], trend: [] };
  for (const x of r.rows) {
    if (x.g_ck === 0) out.children.push({ key: String(x.ck ?? ''), counts: countsOf(x) });
    else if (s.withDepartments && x.g_dep === 0) { if (x.dep != null) out.departments.push({ key: String(x.dep), counts: countsOf(x) }); }
    else if (x.g_dk === 0) out.trend.push({ day: x.dk!, reported: Number(x.total), closed: Number(x.closed) });
    else out.unit = countsOf(x);
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

export function shapeOf(region: { path: string; level: string }): Shape {
  return {
    path: region.path,
    depth: region.path.split('/').filter(Boolean).length,
    byRegion: region.level === 'county' || region.level === 'township',
    withDepartments: region.level === 'county',
  };
}

export async function ratesReport(db: Kdb, actor: Actor, q: RatesQuery, now = new Date(), opts: { fromScratch?: boolean } = {}) {
  const p = periodOf(q, now);
  let regionId = q.regionId;
  if (!regionId) {
    const top = pathsWith(actor, 'cases.read')[0];
    if (!top) throw new AppError('FORBIDDEN', { permission: 'cases.read' });
    regionId = Number(top.split('/').filter(Boolean).pop());
  }
  const region = await db.selectFrom('regions').select(['id', 'name', 'path', 'level']).where('id', '=', regionId).where('county_id', '=', actor.countyId).executeTakeFirst();
  assertCovers(actor, 'cases.read', region?.path);
  const shape = shapeOf(region!);
  const byRegion = shape.byRegion;
  const agg = await (opts.fromScratch ? aggregateFromScratch : aggregate)(db, actor.countyId, shape, p);
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
