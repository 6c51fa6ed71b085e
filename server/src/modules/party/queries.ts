/**
 * Kysely only, no rules. Every list takes the scope predicate from the caller (inScope over the
 * row's region_path) plus an optional place prefix; callers pass both, nothing here widens them.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { escapeLike } from '../../core/actor.js';

/** `column LIKE 'prefix%'`, or TRUE without a prefix. */
export function under(column: string, prefix: string | null): Expression<SqlBool> {
  return prefix ? sql<SqlBool>`${sql.ref(column)} LIKE ${escapeLike(prefix) + '%'}` : sql<SqlBool>`true`;
}

/** The village id inside a region path ('/1/25/301/…' → 301), null above village level. */
const villageIdOf = (column: string) => sql<number | null>`nullif(split_part(${sql.ref(column)}, '/', 4), '')::bigint`;

const linkedCount = sql<number>`(select count(*) from member_household_links l where l.member_id = m.id)`;

// ---- orgs ----

export function orgRows(db: Kdb, countyId: number) {
  return db
    .selectFrom('party_orgs as o')
    .innerJoin('regions as r', 'r.id', 'o.region_id')
    .leftJoin('party_orgs as p', 'p.id', 'o.parent_id')
    .select([
      'o.id', 'o.name', 'o.kind', 'o.region_id as regionId', 'r.name as regionName', 'o.parent_id as parentId',
      'p.name as parentName', 'o.region_path',
      sql<number>`(select count(*) from party_members pm where pm.org_id = o.id and pm.status <> 'transferred')`.as('memberCount'),
    ])
    .where('o.county_id', '=', countyId);
}

export async function listOrgs(db: Kdb, countyId: number, scope: Expression<SqlBool>, prefix: string | null, after: number | null, limit: number) {
  let q = orgRows(db, countyId).where(scope).where(under('o.region_path', prefix));
  if (after != null) q = q.where('o.id', '>', after);
  return q.orderBy('o.id').limit(limit + 1).execute();
}

export function orgById(db: Kdb, countyId: number, id: number) {
  return orgRows(db, countyId).where('o.id', '=', id).executeTakeFirst();
}

// ---- members ----

export function memberRows(db: Kdb, countyId: number) {
  return db
    .selectFrom('party_members as m')
    .innerJoin('party_orgs as o', 'o.id', 'm.org_id')
    .leftJoin('regions as v', (j) => j.on(sql<SqlBool>`v.id = ${villageIdOf('m.region_path')}`))
    .select([
      'm.id', 'm.name', 'm.org_id as orgId', 'o.name as orgName', 'm.resident_id as residentId', 'v.id as villageId',
      'v.name as villageName', 'm.joined_on as joinedOn', 'm.link_quota as linkQuota', 'm.status', 'm.version',
      'm.region_path', linkedCount.as('linkedCount'),
    ])
    .where('m.county_id', '=', countyId);
}

export interface MemberFilter {
  scope: Expression<SqlBool>;
  prefix: string | null;
  orgId?: number;
  q?: string;
  status?: string;
  underQuota?: boolean;
}

export async function listMembers(db: Kdb, countyId: number, f: MemberFilter, after: number | null, limit: number) {
  let q = memberRows(db, countyId).where(f.scope).where(under('m.region_path', f.prefix));
  if (f.orgId) q = q.where('m.org_id', '=', f.orgId);
  if (f.q) q = q.where('m.name', 'like', '%' + escapeLike(f.q) + '%');
  if (f.status) q = q.where('m.status', '=', f.status as 'active');
  // Under quota is about members who are here to serve: away or transferred members are not counted.
  if (f.underQuota) q = q.where('m.status', '=', 'active').where(sql<SqlBool>`${linkedCount} < m.link_quota`);
  if (after != null) q = q.where('m.id', '>', after);
  return q.orderBy('m.id').limit(limit + 1).execute();
}

export function memberById(db: Kdb, countyId: number, id: number) {
  return memberRows(db, countyId).where('m.id', '=', id).executeTakeFirst();
}

export function memberHouseholds(db: Kdb, memberId: number) {
  return db
    .selectFrom('member_household_links as l')
    .innerJoin('households as h', 'h.id', 'l.household_id')
    .select(['l.id as linkId', 'h.id', 'h.code', 'h.householder_name as householderName', 'h.address'])
    .where('l.member_id', '=', memberId)
    .orderBy('l.id')
    .execute();
}

// ---- households and links ----

export function householdsByIds(db: Kdb, countyId: number, ids: number[]) {
  return db
    .selectFrom('households as h')
    .leftJoin('member_household_links as l', 'l.household_id', 'h.id')
    .select(['h.id', 'h.region_path', 'h.status', 'l.member_id as linkedMemberId'])
    .where('h.county_id', '=', countyId)
    .where('h.id', 'in', ids)
    .execute();
}

export function linkById(db: Kdb, countyId: number, id: number) {
  return db.selectFrom('member_household_links').selectAll().where('id', '=', id).where('county_id', '=', countyId).executeTakeFirst();
}

export async function uncoveredHouseholds(db: Kdb, countyId: number, scope: Expression<SqlBool>, prefix: string | null, after: number | null, limit: number) {
  let q = db
    .selectFrom('households as h')
    .innerJoin('regions as g', 'g.id', 'h.region_id')
    .leftJoin('regions as v', (j) => j.on(sql<SqlBool>`v.id = ${villageIdOf('h.region_path')}`))
    .select([
      'h.id', 'h.code', 'h.householder_name as householderName', 'h.address', 'h.member_count as memberCount',
      'h.region_id as regionId', sql<string | null>`case when g.level = 'group' then g.name end`.as('groupName'),
      'v.name as villageName', 'h.grid_id as gridId',
    ])
    .where('h.county_id', '=', countyId)
    .where('h.status', '=', 'active')
    .where(scope)
    .where(under('h.region_path', prefix))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('member_household_links as l').select('l.id').whereRef('l.household_id', '=', 'h.id'))));
  if (after != null) q = q.where('h.id', '>', after);
  return q.orderBy('h.id').limit(limit + 1).execute();
}

// ---- coverage ----

export interface VillageCounts {
  villageId: number | null;
  households: number;
  covered: number;
  members: number;
  underQuota: number;
}

/** Households, covered households, active members and members under quota, per village id. */
export async function coverageByVillage(db: Kdb, countyId: number, hhScope: Expression<SqlBool>, mScope: Expression<SqlBool>, prefix: string | null) {
  const hh = await db
    .selectFrom('households as h')
    .leftJoin('member_household_links as l', 'l.household_id', 'h.id')
    .select([villageIdOf('h.region_path').as('villageId'), sql<number>`count(*)`.as('households'), sql<number>`count(l.id)`.as('covered')])
    .where('h.county_id', '=', countyId)
    .where('h.status', '=', 'active')
    .where(hhScope)
    .where(under('h.region_path', prefix))
    .groupBy(sql`1`)
    .execute();
  const mem = await db
    .selectFrom('party_members as m')
    .select([
      villageIdOf('m.region_path').as('villageId'),
      sql<number>`count(*)`.as('members'),
      sql<number>`count(*) filter (where ${linkedCount} < m.link_quota)`.as('underQuota'),
    ])
    .where('m.county_id', '=', countyId)
    .where('m.status', '=', 'active')
    .where(mScope)
    .where(under('m.region_path', prefix))
    .groupBy(sql`1`)
    .execute();
  const out = new Map<number | null, VillageCounts>();
  const slot = (id: number | null) => {
    let s = out.get(id);
    if (!s) out.set(id, (s = { villageId: id, households: 0, covered: 0, members: 0, underQuota: 0 }));
    return s;
  };
  for (const r of hh) Object.assign(slot(r.villageId), { households: Number(r.households), covered: Number(r.covered) });
  for (const r of mem) Object.assign(slot(r.villageId), { members: Number(r.members), underQuota: Number(r.underQuota) });
  return [...out.values()];
}

/** Villages under `prefix` (or the one village containing it) that the caller can see. */
export function villagesFor(db: Kdb, countyId: number, scope: Expression<SqlBool>, prefix: string | null) {
  let q = db.selectFrom('regions as r').select(['r.id', 'r.name', 'r.path']).where('r.county_id', '=', countyId).where('r.level', '=', 'village').where(scope);
  if (prefix) q = q.where((eb) => eb.or([under('r.path', prefix), sql<SqlBool>`${prefix} LIKE r.path || '%'`]));
  return q.orderBy('r.sort').orderBy('r.id').execute();
}

export async function defaultLinkQuota(db: Kdb): Promise<number> {
  const s = await db.selectFrom('app_settings').select('value').where('key', '=', 'party.defaultLinkQuota').executeTakeFirst();
  const n = Number(s?.value);
  return Number.isInteger(n) && n >= 0 && n <= 100 ? n : 5; // 泸溪 "158": each member links at least 5 households
}
