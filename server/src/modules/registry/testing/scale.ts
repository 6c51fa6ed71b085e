/**
 * Fills a buildWorld() county up to 洞口县's size with plain SQL (seconds, not minutes):
 * 24 more townships × 15 villages × 10 groups, one grid per village, 56 households per group
 * (≈201,600) and 4 residents each (≈806,400). Personal data columns hold placeholders — this is
 * for timing queries, not for reading people. Returns a village and its township to query.
 */
import { sql } from 'kysely';
import type { Kdb } from '../../../db/database.js';
import type { World } from '../../../testing/world.js';

export async function populateCounty(db: Kdb, world: World): Promise<{ villageId: number; townshipId: number }> {
  const c = world.countyId;
  const cp = world.regions.county.path;
  await sql`INSERT INTO regions (county_id, parent_id, level, code, name, path, kind)
    SELECT ${c}, ${c}, 'township', '430525' || (300 + t) || '000', '第' || t || '镇', 'pending', '镇' FROM generate_series(1, 24) t`.execute(db);
  await sql`UPDATE regions SET path = ${cp} || id || '/' WHERE path = 'pending'`.execute(db);
  await sql`INSERT INTO regions (county_id, parent_id, level, code, name, path, kind)
    SELECT ${c}, t.id, 'village', substr(t.code, 1, 9) || lpad(v::text, 3, '0'), t.name || v || '村', 'pending', '村'
    FROM regions t, generate_series(1, 15) v WHERE t.level = 'township' AND t.code LIKE '4305253%'`.execute(db);
  await sql`UPDATE regions r SET path = p.path || r.id || '/' FROM regions p WHERE r.path = 'pending' AND p.id = r.parent_id`.execute(db);
  await sql`INSERT INTO regions (county_id, parent_id, level, code, name, path)
    SELECT ${c}, v.id, 'group', v.code || lpad(g::text, 3, '0'), g || '组', 'pending'
    FROM regions v, generate_series(1, 10) g WHERE v.level = 'village' AND v.code LIKE '4305253%'`.execute(db);
  await sql`UPDATE regions r SET path = p.path || r.id || '/' FROM regions p WHERE r.path = 'pending' AND p.id = r.parent_id`.execute(db);
  await sql`INSERT INTO grids (county_id, region_id, region_path, level, code, name)
    SELECT ${c}, v.id, v.path, 'level2', 'SG-' || v.code, v.name || '网格' FROM regions v WHERE v.level = 'village' AND v.code LIKE '4305253%'`.execute(db);
  await sql`INSERT INTO households (county_id, region_id, region_path, grid_id, code, address, householder_name, phone_masked, member_count)
    SELECT ${c}, g.id, g.path, gr.id, g.code || lpad(s::text, 4, '0'), g.name || s || '号',
      (ARRAY['张','李','王','赵','刘','陈','杨','黄'])[1 + s % 8] || '某' || s, '138****0000', 4
    FROM regions g JOIN grids gr ON gr.region_id = g.parent_id, generate_series(1, 56) s
    WHERE g.level = 'group' AND g.code LIKE '4305253%'`.execute(db);
  await sql`INSERT INTO residents (county_id, household_id, region_path, name, gender, birth_date, relation, id_no_enc, id_no_hash, id_no_masked)
    SELECT ${c}, h.id, h.region_path, h.householder_name || k, CASE WHEN k % 2 = 0 THEN 'M' ELSE 'F' END, DATE '1970-01-01' + (h.id % 15000)::int,
      CASE WHEN k = 0 THEN '户主' ELSE '子女' END, 'v1.x', md5(h.id || '-' || k), '430525********0000'
    FROM households h, generate_series(0, 3) k WHERE h.code LIKE '4305253%'`.execute(db);
  // As autovacuum would have by now: statistics, and a visibility map so index-only scans work.
  await sql`VACUUM ANALYZE`.execute(db);
  const v = await db.selectFrom('regions').select(['id', 'parent_id']).where('level', '=', 'village').where('code', 'like', '4305253%').orderBy('id').offset(100).limit(1).executeTakeFirstOrThrow();
  return { villageId: v.id, townshipId: v.parent_id! };
}

