/** Kysely queries for regions. No rules here: callers pass the scope predicate in. */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { RegionLevel } from './schema.js';

export interface RegionRow {
  id: number;
  county_id: number | null;
  parent_id: number | null;
  level: RegionLevel;
  code: string;
  name: string;
  path: string;
  kind: string | null;
  center_lat: number | null;
  center_lng: number | null;
}

export interface RegionWithCounts extends RegionRow {
  boundary: unknown;
  child_count: number;
  household_count: number;
  resident_count: number;
  grid_count: number;
  party_member_count: number;
}

const regionCols = ['id', 'county_id', 'parent_id', 'level', 'code', 'name', 'path', 'kind', 'center_lat', 'center_lng'] as const;

export async function findRegion(db: Kdb, id: number): Promise<RegionRow | undefined> {
  return db.selectFrom('regions').select(regionCols).where('id', '=', id).executeTakeFirst();
}

export async function findRegionsByPaths(db: Kdb, paths: string[]): Promise<RegionRow[]> {
  if (paths.length === 0) return [];
  return db.selectFrom('regions').select(regionCols).where('path', 'in', paths).orderBy('path').execute();
}

export async function findRegionsByIds(db: Kdb, ids: number[]): Promise<RegionRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('regions').select(regionCols).where('id', 'in', ids).execute();
}

/**
 * Nodes with their counts, in one statement. Counts come from region_counts (kept by triggers,
 * see migration 0002): each child sums the count rows of the places under it, found by an index
 * range scan [path, path-with-last-'/'-as-'0') — the same set as LIKE 'path%' ('/' sorts just
 * before '0' and paths hold only digits and '/') but, unlike a LIKE built from a column, usable
 * by the text_pattern_ops index inside a join.
 */
export async function regionsWithCounts(db: Kdb, where: { parentId: number } | { ids: number[] }): Promise<RegionWithCounts[]> {
  const filter = 'parentId' in where
    ? sql`r.parent_id = ${where.parentId}`
    : where.ids.length ? sql`r.id IN (${sql.join(where.ids)})` : sql`false`;
  const res = await sql<RegionWithCounts>`
    SELECT c.id, c.county_id, c.parent_id, c.level, c.code, c.name, c.path, c.kind, c.center_lat, c.center_lng, c.boundary,
      (SELECT count(*) FROM regions k WHERE k.parent_id = c.id)::int AS child_count,
      coalesce(s.households, 0)::int AS household_count,
      coalesce(s.residents, 0)::int AS resident_count,
      coalesce(s.grids, 0)::int AS grid_count,
      coalesce(s.party_members, 0)::int AS party_member_count
    FROM (SELECT r.*, left(r.path, -1) || '0' AS upper FROM regions r WHERE ${filter}) c
    LEFT JOIN LATERAL (
      SELECT sum(rc.households) AS households, sum(rc.residents) AS residents, sum(rc.grids) AS grids, sum(rc.party_members) AS party_members
      FROM region_counts rc WHERE rc.region_path ~>=~ c.path AND rc.region_path ~<~ c.upper
    ) s ON true
    ORDER BY c.sort, c.code`.execute(db);
  return res.rows;
}

/** Live counts straight from the rows, for checking region_counts (tests, repair). */
export async function liveCounts(db: Kdb, path: string) {
  const like = escape(path) + '%';
  const r = await sql<{ households: number; residents: number; grids: number; party_members: number }>`
    SELECT
      (SELECT count(*) FROM households WHERE status = 'active' AND region_path LIKE ${like})::int AS households,
      (SELECT count(*) FROM residents WHERE status IN ('present', 'away') AND region_path LIKE ${like})::int AS residents,
      (SELECT count(*) FROM grids WHERE region_path LIKE ${like})::int AS grids,
      (SELECT count(*) FROM party_members WHERE status = 'active' AND region_path LIKE ${like})::int AS party_members`.execute(db);
  return r.rows[0]!;
}

/** Rebuilds region_counts from the rows (after a restore or a bulk load with triggers disabled). */
export async function rebuildRegionCounts(db: Kdb): Promise<void> {
  await sql`DELETE FROM region_counts`.execute(db);
  await sql`INSERT INTO region_counts (region_path, households, residents, grids, party_members)
    SELECT region_path, sum(h), sum(p), sum(g), sum(m) FROM (
      SELECT region_path, 1 AS h, 0 AS p, 0 AS g, 0 AS m FROM households WHERE status = 'active'
      UNION ALL SELECT region_path, 0, 1, 0, 0 FROM residents WHERE status IN ('present', 'away')
      UNION ALL SELECT region_path, 0, 0, 1, 0 FROM grids
      UNION ALL SELECT region_path, 0, 0, 0, 1 FROM party_members WHERE status = 'active'
    ) x GROUP BY region_path`.execute(db);
}

export async function searchRegions(db: Kdb, scope: Expression<SqlBool>, q: string, level: RegionLevel | undefined, limit: number): Promise<RegionRow[]> {
  let query = db
    .selectFrom('regions')
    .select(regionCols)
    .where(scope)
    .where((eb) => eb.or([eb('name', 'like', `%${escape(q)}%`), eb('code', 'like', `${escape(q)}%`)]));
  if (level) query = query.where('level', '=', level);
  // Shorter names first: '一村' before '一村二组' when searching '一村'.
  return query.orderBy(sql`length(name)`).orderBy('path').limit(limit).execute();
}

const escape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** Locks the village row so two cadres adding groups at once get different codes. */
export async function lockRegion(db: Kdb, id: number): Promise<void> {
  await sql`SELECT id FROM regions WHERE id = ${id} FOR UPDATE`.execute(db);
}

export async function childByName(db: Kdb, parentId: number, name: string): Promise<{ id: number } | undefined> {
  return db.selectFrom('regions').select('id').where('parent_id', '=', parentId).where('name', '=', name).executeTakeFirst();
}

/** Highest 3-digit group suffix used under a village code ('430525100201' + '007' → 7). */
export async function maxGroupSeq(db: Kdb, villageCode: string): Promise<number> {
  const r = await db
    .selectFrom('regions')
    .select(sql<string | null>`max(substr(code, ${villageCode.length + 1}))`.as('m'))
    .where('code', 'like', `${villageCode}___`)
    .where('level', '=', 'group')
    .executeTakeFirst();
  const n = Number(r?.m ?? 0);
  return Number.isFinite(n) ? n : 0;
}
