/**
 * Kysely queries of the mediation module; no rules here — callers pass the scope predicate in.
 * Regions, users, grants, residents and cases are read by id to place and name a dispute; nothing
 * here writes outside the module's own tables.
 */
import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { DisputesTable, DisputeState } from '../../db/types.js';
import { escapeLike } from '../../core/actor.js';
import { HANDLE, MANAGE } from './policy.js';

export type DisputeRow = Selectable<DisputesTable>;

export async function nextDisputeId(db: Kdb): Promise<number> {
  const r = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('disputes', 'id'))::int8 AS id`.execute(db);
  return Number(r.rows[0]!.id);
}

export async function lockDispute(db: Kdb, countyId: number, id: number): Promise<DisputeRow | undefined> {
  return db.selectFrom('disputes').selectAll().where('id', '=', id).where('county_id', '=', countyId).forUpdate().executeTakeFirst();
}

export async function findDispute(db: Kdb, countyId: number, id: number): Promise<DisputeRow | undefined> {
  return db.selectFrom('disputes').selectAll().where('id', '=', id).where('county_id', '=', countyId).executeTakeFirst();
}

export async function disputeByCase(db: Kdb, countyId: number, caseId: number) {
  return db.selectFrom('disputes').selectAll().where('county_id', '=', countyId).where('case_id', '=', caseId).executeTakeFirst();
}

/** Names shown with a dispute: its place, village, mediator, the parties' preferred mediator. */
export async function namesOf(db: Kdb, rows: Pick<DisputeRow, 'region_id' | 'village_id' | 'mediator_user_id' | 'preferred_mediator_id'>[]) {
  const regionIds = [...new Set(rows.flatMap((r) => [r.region_id, r.village_id]))];
  const userIds = [...new Set(rows.flatMap((r) => [r.mediator_user_id, r.preferred_mediator_id]).filter((x): x is number => x != null))];
  const [regions, users] = await Promise.all([
    regionIds.length ? db.selectFrom('regions').select(['id', 'name']).where('id', 'in', regionIds).execute() : [],
    userIds.length ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute() : [],
  ]);
  return { region: new Map(regions.map((r) => [r.id, r.name])), user: new Map(users.map((u) => [u.id, u.display_name])) };
}

export async function partiesOf(db: Kdb, disputeIds: number[]) {
  if (disputeIds.length === 0) return [];
  return db
    .selectFrom('dispute_parties')
    .select(['id', 'dispute_id', 'seq', 'side', 'name', 'resident_id', 'phone_masked', 'signed_at'])
    .where('dispute_id', 'in', disputeIds)
    .orderBy('dispute_id')
    .orderBy('seq')
    .execute();
}
export type PartyRow = Awaited<ReturnType<typeof partiesOf>>[number];

export async function sessionsOf(db: Kdb, disputeId: number) {
  return db.selectFrom('dispute_sessions').selectAll().where('dispute_id', '=', disputeId).orderBy('seq').execute();
}

/**
 * The user, if they are in the mediator pool for a place: active, holding mediation.handle on a
 * node at or above the place (a village's mediator, the township's, the county's).
 */
export async function poolMember(db: Kdb, countyId: number, userId: number, path: string) {
  return db
    .selectFrom('user_grants as g')
    .innerJoin('roles as ro', 'ro.id', 'g.role_id')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['u.id', 'u.display_name'])
    .where('g.user_id', '=', userId)
    .where('g.county_id', '=', countyId)
    .where('u.status', '=', 'active')
    .where(sql<SqlBool>`${HANDLE} = ANY(ro.permissions)`)
    .where(sql<SqlBool>`left(${path}::text, length(g.region_path)) = g.region_path`)
    .executeTakeFirst();
}

/** Who manages disputes at a place (for notifications): mediation.manage on the place or above. */
export async function managerIds(db: Kdb, countyId: number, path: string): Promise<number[]> {
  const rows = await db
    .selectFrom('user_grants as g')
    .innerJoin('roles as ro', 'ro.id', 'g.role_id')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select('u.id')
    .distinct()
    .where('g.county_id', '=', countyId)
    .where('u.status', '=', 'active')
    .where(sql<SqlBool>`${MANAGE} = ANY(ro.permissions)`)
    .where(sql<SqlBool>`left(${path}::text, length(g.region_path)) = g.region_path`)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The mediator pool: users holding mediation.handle whose grant lies under one of `under` (the
 * caller's places) or above one of `above` (the places they serve), with their profile.
 */
export async function poolRows(db: Kdb, countyId: number, f: { under?: string[]; above?: string[] }) {
  const ors: Expression<SqlBool>[] = [];
  for (const p of f.under ?? []) ors.push(sql<SqlBool>`g.region_path LIKE ${escapeLike(p) + '%'}`);
  for (const p of f.above ?? []) ors.push(sql<SqlBool>`left(${p}::text, length(g.region_path)) = g.region_path`);
  if (ors.length === 0) return [];
  return db
    .selectFrom('user_grants as g')
    .innerJoin('roles as ro', 'ro.id', 'g.role_id')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .innerJoin('regions as r', 'r.id', 'g.region_id')
    .leftJoin('mediator_profiles as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.display_name', 'g.region_id', 'g.region_path', 'r.name as region_name', 'r.level as region_level', 'p.specialties', 'p.intro'])
    .where('g.county_id', '=', countyId)
    .where('u.status', '=', 'active')
    .where(sql<SqlBool>`${HANDLE} = ANY(ro.permissions)`)
    .where(sql<SqlBool>`(${sql.join(ors, sql` OR `)})`)
    .orderBy('g.region_path')
    .orderBy('u.id')
    .limit(500)
    .execute();
}

/** Per mediator: open disputes, concluded ones, agreements (all time). */
export async function mediatorCounts(db: Kdb, userIds: number[], open: DisputeState[]) {
  const out = new Map<number, { open: number; concluded: number; agreements: number }>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('disputes')
    .select((eb) => [
      'mediator_user_id',
      sql<number>`count(*) FILTER (WHERE state IN (${sql.join(open)}))::int`.as('open'),
      sql<number>`count(*) FILTER (WHERE outcome IS NOT NULL)::int`.as('concluded'),
      sql<number>`count(*) FILTER (WHERE outcome = 'agreed')::int`.as('agreements'),
      eb.fn.countAll().as('n'),
    ])
    .where('mediator_user_id', 'in', userIds)
    .groupBy('mediator_user_id')
    .execute();
  for (const r of rows) out.set(r.mediator_user_id!, { open: r.open, concluded: r.concluded, agreements: r.agreements });
  return out;
}

export interface ListFilter {
  countyId: number;
  scope: Expression<SqlBool>;
  states?: DisputeState[];
  type?: string;
  level?: string;
  regionPath?: string;
  overdueAt?: Date;
  q?: string;
  beforeId: number | null;
  limit: number;
}

/** One page of dispute ids, newest first. */
export async function listDisputeIds(db: Kdb, f: ListFilter): Promise<number[]> {
  let q = db.selectFrom('disputes as d').select('d.id').where('d.county_id', '=', f.countyId).where(f.scope);
  if (f.states) q = q.where('d.state', 'in', f.states);
  if (f.type) q = q.where('d.type', '=', f.type as DisputeRow['type']);
  if (f.level) q = q.where('d.level', '=', f.level as DisputeRow['level']);
  if (f.regionPath) q = q.where('d.region_path', 'like', escapeLike(f.regionPath) + '%');
  if (f.overdueAt) {
    const now = f.overdueAt;
    q = q.where((eb) => eb.or([eb('d.overdue_at', 'is not', null), eb.and([eb('d.deadline_at', '<', now), eb('d.outcome', 'is', null), eb('d.state', 'not in', ['applied', 'rejected'])])]));
  }
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([eb('d.code', '=', text), eb('d.summary', 'like', '%' + escapeLike(text) + '%')]));
  }
  if (f.beforeId) q = q.where('d.id', '<', f.beforeId);
  return (await q.orderBy('d.id', 'desc').limit(f.limit + 1).execute()).map((r) => r.id);
}

export async function disputesByIds(db: Kdb, ids: number[]): Promise<DisputeRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('disputes').selectAll().where('id', 'in', ids).orderBy('id', 'desc').execute();
}

export interface FigureRow {
  village_id: number;
  type: string;
  accepted: number;
  concluded: number;
  agreements: number;
  failed: number;
  overdue: number;
  open: number;
}

/** The figures of a place over a period, per village and type, in one pass. */
export async function figures(db: Kdb, countyId: number, path: string, from: Date, to: Date, open: DisputeState[]): Promise<FigureRow[]> {
  const openList = sql.join(open);
  const r = await sql<FigureRow>`
    SELECT village_id, type,
      count(*) FILTER (WHERE accepted_at BETWEEN ${from} AND ${to})::int AS accepted,
      count(*) FILTER (WHERE concluded_at BETWEEN ${from} AND ${to})::int AS concluded,
      count(*) FILTER (WHERE concluded_at BETWEEN ${from} AND ${to} AND outcome = 'agreed')::int AS agreements,
      count(*) FILTER (WHERE concluded_at BETWEEN ${from} AND ${to} AND outcome = 'failed')::int AS failed,
      count(*) FILTER (WHERE overdue_at BETWEEN ${from} AND ${to})::int AS overdue,
      count(*) FILTER (WHERE state IN (${openList}))::int AS open
    FROM disputes
    WHERE county_id = ${countyId} AND region_path LIKE ${escapeLike(path) + '%'}
      AND (accepted_at >= ${from} OR concluded_at >= ${from} OR overdue_at >= ${from} OR state IN (${openList}))
    GROUP BY village_id, type`.execute(db);
  return r.rows.map((x) => ({ ...x, village_id: Number(x.village_id) }));
}

export async function villageNames(db: Kdb, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('regions as v')
    .innerJoin('regions as t', 't.id', 'v.parent_id')
    .select(['v.id', 'v.name', 'v.path', 't.name as township_name'])
    .where('v.id', 'in', ids)
    .orderBy('v.path')
    .execute();
}
