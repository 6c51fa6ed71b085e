/**
 * Kysely queries of the visits module; no rules here — callers pass the scope predicate in.
 * Households, grids and regions are read by id for placing a visit and naming it, as the cases
 * module does; nothing here writes outside the module's own tables.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Selectable } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { VisitsTable } from '../../db/types.js';
import { escapeLike } from '../../core/actor.js';

/** A visit as written: the table's columns, the generated ones (id, created_at) left out. */
export type NewVisit = Omit<Selectable<VisitsTable>, 'id' | 'created_at'>;

export async function findHouseholdForVisit(db: Kdb, countyId: number, id: number) {
  return db
    .selectFrom('households')
    .select(['id', 'region_id', 'region_path', 'grid_id', 'status', 'householder_name'])
    .where('id', '=', id)
    .where('county_id', '=', countyId)
    .executeTakeFirst();
}

export async function visitByClientId(db: Kdb, visitorId: number, clientId: string) {
  return db.selectFrom('visits').select('id').where('visitor_id', '=', visitorId).where('client_id', '=', clientId).executeTakeFirst();
}

/** The visit, its opinions and the household's latest-visit row: one transaction, four statements. */
export async function insertVisit(db: Kdb, v: NewVisit, opinions: { kind: 'need' | 'opinion'; content: string }[]): Promise<number> {
  const row = await db.insertInto('visits').values(v).returning('id').executeTakeFirstOrThrow();
  if (opinions.length) {
    await db
      .insertInto('visit_opinions')
      .values(opinions.map((o, i) => ({ county_id: v.county_id, visit_id: row.id, seq: i + 1, kind: o.kind, content: o.content, village_id: v.village_id, visited_on: v.visited_on })))
      .execute();
  }
  // A visit entered late for an earlier day never moves the household's latest visit backwards.
  await sql`
    INSERT INTO household_last_visits AS lv (household_id, county_id, village_id, last_visited_on, visit_id, follow_up_on)
    VALUES (${v.household_id}, ${v.county_id}, ${v.village_id}, ${v.visited_on}, ${row.id}, ${v.follow_up_on})
    ON CONFLICT (household_id) DO UPDATE
      SET village_id = EXCLUDED.village_id, last_visited_on = EXCLUDED.last_visited_on, visit_id = EXCLUDED.visit_id, follow_up_on = EXCLUDED.follow_up_on
      WHERE EXCLUDED.last_visited_on >= lv.last_visited_on`.execute(db);
  return row.id;
}

/** Visits with the names a list shows. */
export function visitBase(db: Kdb) {
  return db
    .selectFrom('visits as v')
    .innerJoin('households as h', 'h.id', 'v.household_id')
    .innerJoin('regions as vil', 'vil.id', 'v.village_id')
    .select([
      'v.id', 'v.county_id', 'v.household_id', 'v.region_path', 'v.village_id', 'v.grid_id', 'v.visitor_id', 'v.visitor_name',
      'v.visited_on', 'v.met', 'v.notes', 'v.follow_up_on', 'v.created_at',
      'h.householder_name', 'h.code as household_code', 'h.region_id as household_region_id', 'vil.name as village_name',
    ]);
}
export type VisitRow = Awaited<ReturnType<ReturnType<typeof visitBase>['executeTakeFirstOrThrow']>>;

export async function findVisit(db: Kdb, countyId: number, id: number): Promise<VisitRow | undefined> {
  return visitBase(db).where('v.id', '=', id).where('v.county_id', '=', countyId).executeTakeFirst();
}

export async function opinionsOf(db: Kdb, visitIds: number[]) {
  if (visitIds.length === 0) return [];
  return db
    .selectFrom('visit_opinions')
    .select(['id', 'visit_id', 'seq', 'kind', 'content', 'case_id', 'case_code', 'converted_at'])
    .where('visit_id', 'in', visitIds)
    .orderBy('visit_id')
    .orderBy('seq')
    .execute();
}
export type OpinionRow = Awaited<ReturnType<typeof opinionsOf>>[number];

/** The opinion locked for its conversion, with the visit's place. */
export async function lockOpinion(db: Kdb, countyId: number, visitId: number, opinionId: number) {
  return db
    .selectFrom('visit_opinions as o')
    .innerJoin('visits as v', 'v.id', 'o.visit_id')
    .innerJoin('households as h', 'h.id', 'v.household_id')
    .select(['o.id', 'o.visit_id', 'o.seq', 'o.kind', 'o.content', 'o.case_id', 'o.case_code', 'o.converted_at',
      'v.region_path', 'v.visitor_id', 'v.grid_id', 'v.visited_on', 'h.region_id as household_region_id', 'h.householder_name'])
    .where('o.id', '=', opinionId)
    .where('o.visit_id', '=', visitId)
    .where('o.county_id', '=', countyId)
    .forUpdate('o')
    .executeTakeFirst();
}

export async function markConverted(db: Kdb, opinionId: number, c: { caseId: number; caseCode: string; by: number }) {
  await db.updateTable('visit_opinions').set({ case_id: c.caseId, case_code: c.caseCode, converted_by: c.by, converted_at: new Date() }).where('id', '=', opinionId).execute();
}

export interface VisitFilter {
  countyId: number;
  scope: Expression<SqlBool>;
  householdId?: number;
  regionPath?: string;
  gridId?: number;
  visitorId?: number;
  from?: string;
  to?: string;
  withOpinions?: boolean;
  /** Only visits asking for a follow-up by this day that is still the household's latest visit. */
  followUpDueBy?: string;
  beforeId: number | null;
  limit: number;
}

/** One page of visit ids (filters, scope, cursor: the part that scales), newest first. */
export async function listVisitIds(db: Kdb, f: VisitFilter): Promise<number[]> {
  let q = db.selectFrom('visits as v').select('v.id').where('v.county_id', '=', f.countyId).where(f.scope);
  if (f.householdId) q = q.where('v.household_id', '=', f.householdId);
  if (f.regionPath) q = q.where('v.region_path', 'like', escapeLike(f.regionPath) + '%');
  if (f.gridId) q = q.where('v.grid_id', '=', f.gridId);
  if (f.visitorId) q = q.where('v.visitor_id', '=', f.visitorId);
  if (f.from) q = q.where('v.visited_on', '>=', f.from);
  if (f.to) q = q.where('v.visited_on', '<=', f.to);
  if (f.withOpinions) q = q.where((eb) => eb.exists(eb.selectFrom('visit_opinions as o').select('o.id').whereRef('o.visit_id', '=', 'v.id')));
  if (f.followUpDueBy) {
    const by = f.followUpDueBy;
    q = q.where((eb) => eb.exists(eb.selectFrom('household_last_visits as lv').select('lv.household_id').whereRef('lv.visit_id', '=', 'v.id').where('lv.follow_up_on', '<=', by)));
  }
  if (f.beforeId) q = q.where('v.id', '<', f.beforeId);
  return (await q.orderBy('v.id', 'desc').limit(f.limit + 1).execute()).map((r) => r.id);
}

export async function visitsByIds(db: Kdb, ids: number[]): Promise<VisitRow[]> {
  if (ids.length === 0) return [];
  return visitBase(db).where('v.id', 'in', ids).orderBy('v.id', 'desc').execute();
}

export async function villagesUnder(db: Kdb, countyId: number, paths: string[]) {
  if (paths.length === 0) return [];
  return db
    .selectFrom('regions as v')
    .innerJoin('regions as t', 't.id', 'v.parent_id')
    .select(['v.id', 'v.name', 'v.path', 't.name as township_name'])
    .where('v.county_id', '=', countyId)
    .where('v.level', '=', 'village')
    .where((eb) => eb.or(paths.map((p) => eb('v.path', 'like', escapeLike(p) + '%'))))
    .orderBy('v.path')
    .limit(5000)
    .execute();
}

/**
 * Per village since a day: households visited (latest visit on or after it; household_last_visits
 * follows each household's village and status, see migration 0030), visits, opinions and how many
 * became cases, follow-ups now due (the latest visit asked for one by today). Four index-only
 * range counts.
 */
export async function villageVisitCounts(db: Kdb, villageIds: number[], since: string, today: string) {
  const out = new Map<number, { visited: number; visits: number; opinions: number; converted: number; followUpsDue: number }>();
  if (villageIds.length === 0) return out;
  const ids = sql.join(villageIds);
  const [visited, visits, opinions, due] = await Promise.all([
    sql<{ village_id: number; n: number }>`
      SELECT village_id, count(*)::int AS n FROM household_last_visits
      WHERE village_id IN (${ids}) AND last_visited_on >= ${since} GROUP BY village_id`.execute(db),
    sql<{ village_id: number; n: number }>`
      SELECT village_id, count(*)::int AS n FROM visits WHERE village_id IN (${ids}) AND visited_on >= ${since} GROUP BY village_id`.execute(db),
    sql<{ village_id: number; n: number; c: number }>`
      SELECT village_id, count(*)::int AS n, count(case_id)::int AS c FROM visit_opinions
      WHERE village_id IN (${ids}) AND visited_on >= ${since} GROUP BY village_id`.execute(db),
    sql<{ village_id: number; n: number }>`
      SELECT village_id, count(*)::int AS n FROM household_last_visits
      WHERE village_id IN (${ids}) AND follow_up_on <= ${today} GROUP BY village_id`.execute(db),
  ]);
  const at = (id: number) => {
    let r = out.get(Number(id));
    if (!r) out.set(Number(id), (r = { visited: 0, visits: 0, opinions: 0, converted: 0, followUpsDue: 0 }));
    return r;
  };
  for (const r of visited.rows) at(r.village_id).visited = r.n;
  for (const r of visits.rows) at(r.village_id).visits = r.n;
  for (const r of opinions.rows) Object.assign(at(r.village_id), { opinions: r.n, converted: r.c });
  for (const r of due.rows) at(r.village_id).followUpsDue = r.n;
  return out;
}

export interface UnvisitedFilter {
  countyId: number;
  scope: Expression<SqlBool>;
  regionPath?: string;
  gridId?: number;
  since: string;
  afterId: number | null;
  limit: number;
}

/** Active households whose latest visit is before `since` (or who were never visited), by id. */
export async function unvisitedHouseholds(db: Kdb, f: UnvisitedFilter) {
  let q = db
    .selectFrom('households as h')
    .innerJoin('regions as grp', 'grp.id', 'h.region_id')
    .leftJoin('household_last_visits as lv', 'lv.household_id', 'h.id')
    .select(['h.id', 'h.code', 'h.householder_name', 'h.address', 'h.grid_id', 'grp.name as group_name', 'lv.last_visited_on'])
    .where('h.county_id', '=', f.countyId)
    .where('h.status', '=', 'active')
    .where(f.scope)
    .where((eb) => eb.or([eb('lv.household_id', 'is', null), eb('lv.last_visited_on', '<', f.since)]));
  if (f.regionPath) q = q.where('h.region_path', 'like', escapeLike(f.regionPath) + '%');
  if (f.gridId) q = q.where('h.grid_id', '=', f.gridId);
  if (f.afterId) q = q.where('h.id', '>', f.afterId);
  return q.orderBy('h.id').limit(f.limit + 1).execute();
}

export async function findGrid(db: Kdb, countyId: number, id: number) {
  return db.selectFrom('grids').select(['id', 'region_path']).where('id', '=', id).where('county_id', '=', countyId).executeTakeFirst();
}
