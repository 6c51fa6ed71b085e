/**
 * Kysely queries for the registry. No rules: every function takes the caller's scope predicate
 * (built by inScope in the service) and applies it inside the query.
 *
 * Lists are `scope AND filters AND id > cursor ORDER BY id LIMIT n+1`. Which index serves them
 * depends on how much of the county the scope covers, and the planner cannot tell: ids are not
 * spread evenly over places, so for a village it walks the primary key through most of the
 * county filtering on region_path (measured: 40 ms to 300 ms at 200,000 households). Callers pass
 * `narrow` for a township or smaller scope; the query then orders by `id + 0`, which hides the
 * primary-key order and makes the planner range-scan region_path (a few hundred to a few
 * thousand rows) and sort — single-digit milliseconds. County-wide scopes keep the key walk,
 * which is ideal when most rows match.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { escapeLike } from '../../core/actor.js';

type Scope = Expression<SqlBool>;

const likePrefix = (p: string) => escapeLike(p) + '%';
const likeAny = (s: string) => '%' + escapeLike(s) + '%';

// ---------------------------------------------------------------- grids

export interface GridListFilter {
  narrow: boolean;
  regionPath?: string;
  level?: string;
  q?: string;
  ids?: number[];
  staffUserId?: number;
  afterId: number | null;
  limit: number;
}

export function gridBase(db: Kdb) {
  return db
    .selectFrom('grids as g')
    .innerJoin('regions as r', 'r.id', 'g.region_id')
    .select([
      'g.id', 'g.code', 'g.name', 'g.level', 'g.region_id', 'g.region_path', 'g.parent_id', 'g.version', 'g.note', 'g.boundary',
      'r.name as region_name',
    ]);
}

export async function listGrids(db: Kdb, scope: Scope, f: GridListFilter) {
  let q = gridBase(db).where(scope);
  if (f.regionPath) q = q.where('g.region_path', 'like', likePrefix(f.regionPath));
  if (f.level) q = q.where('g.level', '=', f.level as 'level1');
  if (f.q) q = q.where((eb) => eb.or([eb('g.name', 'like', likeAny(f.q!)), eb('g.code', 'like', likePrefix(f.q!))]));
  if (f.staffUserId) q = q.where('g.id', 'in', db.selectFrom('grid_staff').select('grid_id').where('user_id', '=', f.staffUserId));
  if (f.afterId) q = q.where('g.id', '>', f.afterId);
  return q.orderBy(f.narrow ? sql`g.id + 0` : sql`g.id`).limit(f.limit + 1).execute();
}

export async function findGrid(db: Kdb, id: number) {
  return gridBase(db).where('g.id', '=', id).executeTakeFirst();
}

export async function findGridByCode(db: Kdb, countyId: number, code: string) {
  return db.selectFrom('grids').select('id').where('county_id', '=', countyId).where('code', '=', code).executeTakeFirst();
}

export async function staffOfGrids(db: Kdb, gridIds: number[]) {
  if (gridIds.length === 0) return [];
  return db
    .selectFrom('grid_staff')
    .select(['id', 'grid_id', 'role', 'name', 'phone_masked', 'user_id'])
    .where('grid_id', 'in', gridIds)
    .orderBy('grid_id')
    .orderBy('id')
    .execute();
}

export async function householdCountsOfGrids(db: Kdb, gridIds: number[]): Promise<Map<number, number>> {
  if (gridIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('households')
    .select(['grid_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('grid_id', 'in', gridIds)
    .where('status', '=', 'active')
    .groupBy('grid_id')
    .execute();
  return new Map(rows.map((r) => [r.grid_id!, Number(r.n)]));
}

/** Would making `parentId` the parent of `id` close a loop? Walks up from the new parent. */
export async function gridAncestorIds(db: Kdb, id: number): Promise<number[]> {
  const r = await sql<{ id: number }>`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM grids WHERE id = ${id}
      UNION ALL SELECT g.id, g.parent_id, up.depth + 1 FROM grids g JOIN up ON g.id = up.parent_id WHERE up.depth < 20
    ) SELECT id FROM up`.execute(db);
  return r.rows.map((x) => x.id);
}

// ---------------------------------------------------------------- households

export interface HouseholdFilter {
  narrow: boolean;
  regionPath?: string;
  gridId?: number;
  q?: string;
  tag?: string;
  /** Exact-match search already resolved to household ids (see householdIdsByHash). */
  ids?: number[];
  afterId: number | null;
  limit: number;
}

export function householdBase(db: Kdb) {
  // linkedMemberName comes from the party tables; a household has at most one link (UNIQUE).
  return db
    .selectFrom('households as h')
    .innerJoin('regions as grp', 'grp.id', 'h.region_id')
    .leftJoin('regions as vil', 'vil.id', 'grp.parent_id')
    .leftJoin('grids as gr', 'gr.id', 'h.grid_id')
    .leftJoin('member_household_links as l', 'l.household_id', 'h.id')
    .leftJoin('party_members as m', 'm.id', 'l.member_id')
    .select([
      'h.id', 'h.code', 'h.address', 'h.householder_name', 'h.phone_masked', 'h.member_count', 'h.tags', 'h.status',
      'h.region_id', 'h.region_path', 'h.grid_id', 'h.version', 'h.county_id',
      'grp.name as group_name', 'grp.level as group_level', 'vil.name as village_name',
      'gr.name as grid_name', 'm.id as member_id', 'm.name as member_name',
    ]);
}
export type HouseholdRow = Awaited<ReturnType<typeof findHousehold>> & {};

/**
 * One page of households: the page's ids from households alone (filters, scope, cursor, order,
 * limit — the part that scales), then names joined for just those ids. One statement: the id
 * query has a LIMIT, so PostgreSQL plans it on its own (it is never flattened into the joins).
 */
export async function listHouseholds(db: Kdb, scope: Scope, f: HouseholdFilter) {
  let q = db.selectFrom('households as h').select('h.id').where(scope);
  if (f.regionPath) q = q.where('h.region_path', 'like', likePrefix(f.regionPath));
  if (f.gridId) q = q.where('h.grid_id', '=', f.gridId);
  if (f.q) q = q.where((eb) => eb.or([eb('h.householder_name', 'like', likeAny(f.q!)), eb('h.code', 'like', likePrefix(f.q!))]));
  if (f.tag) q = q.where(sql<SqlBool>`h.tags @> ARRAY[${f.tag}]::text[]`);
  if (f.ids) q = f.ids.length ? q.where('h.id', 'in', f.ids) : q.where(sql<SqlBool>`false`);
  if (f.afterId) q = q.where('h.id', '>', f.afterId);
  const page = q.orderBy(f.narrow ? sql`h.id + 0` : sql`h.id`).limit(f.limit + 1);
  return householdBase(db).where('h.id', 'in', page).orderBy('h.id').execute();
}

/**
 * Households holding an ID number or phone (as the householder or any member), by keyed hash.
 * Resolved first, through the hash indexes, so the list query filters a handful of ids.
 */
export async function householdIdsByHash(db: Kdb, countyId: number, h: { idHash?: string; phoneHash?: string }): Promise<number[]> {
  const find = async (hash: string, residentCol: 'id_no_hash' | 'phone_hash', householdCol: 'householder_id_hash' | 'phone_hash') => {
    const ids = new Set<number>();
    for (const r of await db.selectFrom('residents').select('household_id').where('county_id', '=', countyId).where(residentCol, '=', hash).limit(50).execute()) ids.add(r.household_id);
    for (const r of await db.selectFrom('households').select('id').where('county_id', '=', countyId).where(householdCol, '=', hash).limit(50).execute()) ids.add(r.id);
    return ids;
  };
  const byId = h.idHash ? await find(h.idHash, 'id_no_hash', 'householder_id_hash') : null;
  const byPhone = h.phoneHash ? await find(h.phoneHash, 'phone_hash', 'phone_hash') : null;
  if (byId && byPhone) return [...byId].filter((i) => byPhone.has(i)); // both given: both must match
  return [...(byId ?? byPhone ?? [])];
}

export async function findHousehold(db: Kdb, id: number) {
  return householdBase(db).where('h.id', '=', id).executeTakeFirst();
}

export async function lockHousehold(db: Kdb, id: number) {
  return db.selectFrom('households').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Highest 4-digit household suffix used under a group code. */
export async function maxHouseholdSeq(db: Kdb, countyId: number, groupCode: string): Promise<number> {
  const r = await db
    .selectFrom('households')
    .select(sql<string | null>`max(substr(code, ${groupCode.length + 1}))`.as('m'))
    .where('county_id', '=', countyId)
    .where('code', 'like', `${escapeLike(groupCode)}____`)
    .executeTakeFirst();
  const n = Number(r?.m ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export async function lockRow(db: Kdb, table: 'regions' | 'households', id: number) {
  await sql`SELECT id FROM ${sql.table(table)} WHERE id = ${id} FOR UPDATE`.execute(db);
}

export async function patronsOf(db: Kdb, householdId: number, regionIds: number[]) {
  return db
    .selectFrom('patron_assignments')
    .select(['id', 'level', 'patron_name', 'patron_title', 'target_household_id', 'starts_on'])
    .where((eb) => eb.or([
      eb('target_household_id', '=', householdId),
      ...(regionIds.length ? [eb('target_region_id', 'in', regionIds)] : []),
    ]))
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', sql<string>`current_date`)]))
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------- residents

const residentCols = [
  'p.id', 'p.household_id', 'p.region_path', 'p.name', 'p.gender', 'p.birth_date', 'p.relation', 'p.ethnicity',
  'p.id_no_masked', 'p.phone_masked', 'p.political', 'p.status', 'p.version',
] as const;

/**
 * How to reach a party member: their own mobile (their resident row), else their household's
 * contact phone — an older member without a mobile is reached at home.
 */
export async function memberContact(db: Kdb, memberId: number) {
  return db
    .selectFrom('party_members as m')
    .leftJoin('residents as r', 'r.id', 'm.resident_id')
    .leftJoin('households as mh', 'mh.id', 'r.household_id')
    .select([
      sql<string | null>`coalesce(r.phone_enc, mh.phone_enc)`.as('phone_enc'),
      sql<string | null>`CASE WHEN r.phone_enc IS NOT NULL THEN r.phone_masked ELSE mh.phone_masked END`.as('phone_masked'),
    ])
    .where('m.id', '=', memberId)
    .executeTakeFirst();
}

export async function residentsOf(db: Kdb, householdId: number) {
  return db.selectFrom('residents as p').select(residentCols).where('p.household_id', '=', householdId).orderBy('p.id').execute();
}

export interface ResidentFilter {
  narrow: boolean;
  regionPath?: string;
  q?: string;
  idHash?: string;
  phoneHash?: string;
  countyId: number;
  afterId: number | null;
  limit: number;
}

function residentBase(db: Kdb) {
  return db
    .selectFrom('residents as p')
    .innerJoin('households as h', 'h.id', 'p.household_id')
    .select([...residentCols, 'h.code as household_code', 'h.householder_name']);
}

/** One page of residents, in two steps like listHouseholds. */
export async function listResidents(db: Kdb, scope: Scope, f: ResidentFilter) {
  let q = db.selectFrom('residents as p').select('p.id').where(scope);
  if (f.regionPath) q = q.where('p.region_path', 'like', likePrefix(f.regionPath));
  if (f.q) q = q.where('p.name', 'like', likeAny(f.q));
  if (f.idHash) q = q.where('p.county_id', '=', f.countyId).where('p.id_no_hash', '=', f.idHash);
  if (f.phoneHash) q = q.where('p.county_id', '=', f.countyId).where('p.phone_hash', '=', f.phoneHash);
  if (f.afterId) q = q.where('p.id', '>', f.afterId);
  const ids = (await q.orderBy(f.narrow ? sql`p.id + 0` : sql`p.id`).limit(f.limit + 1).execute()).map((r) => r.id);
  if (ids.length === 0) return [];
  return residentBase(db).where('p.id', 'in', ids).orderBy('p.id').execute();
}

export async function findResident(db: Kdb, id: number) {
  return residentBase(db).where('p.id', '=', id).executeTakeFirst();
}

export async function lockResident(db: Kdb, id: number) {
  return db.selectFrom('residents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Only for reveal: the sealed columns and the place, nothing else. */
export async function residentSecrets(db: Kdb, id: number) {
  return db.selectFrom('residents').select(['id', 'region_path', 'id_no_enc', 'phone_enc']).where('id', '=', id).executeTakeFirst();
}

export async function residentByIdHash(db: Kdb, countyId: number, hash: string) {
  return db.selectFrom('residents').select(['id', 'household_id']).where('county_id', '=', countyId).where('id_no_hash', '=', hash).executeTakeFirst();
}

export async function recountMembers(db: Kdb, householdId: number) {
  await sql`UPDATE households SET member_count =
      (SELECT count(*) FROM residents WHERE household_id = ${householdId} AND status IN ('present', 'away'))
    WHERE id = ${householdId}`.execute(db);
}

export async function findUser(db: Kdb, id: number) {
  return db.selectFrom('users').select(['id', 'county_id', 'kind', 'display_name']).where('id', '=', id).executeTakeFirst();
}

export async function countyIdOfRegion(db: Kdb, regionId: number) {
  return (await db.selectFrom('regions').select('county_id').where('id', '=', regionId).executeTakeFirst())?.county_id ?? null;
}
