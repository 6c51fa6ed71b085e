/**
 * Visits (走访) at county scale, on PostgreSQL: `npm run bench -- --only visits [--quick]`, or on its
 * own `npx tsx bench/visits.ts [--quick]` (BENCH_DATABASE_URL, default the local server).
 *
 * A county of 洞口's size (24 townships, 364 villages, 2,912 groups, 2,083 grids) with 200,000
 * households (--quick: 20,000) and a year of visits — three per household (600,000), a quarter of
 * them with an opinion, a third of those turned into cases — loaded with INSERT … SELECT. Then,
 * through the same service functions the routes call:
 *   - the county office's coverage page (every village: households, visited in N days, visits,
 *     opinions, converted, follow-ups due) for 30 and 365 days, a township's, a village's;
 *   - the first page of a village's households not visited in 30 days, and of the whole county's;
 *   - a village's visit list (first page), a household's visits;
 *   - recording a visit with one opinion: one client after another, and 20 at once.
 */
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import type {} from '../server/src/app.js';
import type { Database } from '../server/src/db/database.js';
import { migrate } from '../server/src/db/migrate.js';
import { setPiiKeys } from '../server/src/core/pii.js';
import { syncRoles } from '../server/src/core/roles.js';
import type { Actor } from '../server/src/core/actor.js';
import { insertRegion } from '../server/src/modules/regions/tree.js';
import { coverage, listVisits, recordVisit, today, unvisited } from '../server/src/modules/visits/service.js';
import { sample, stats } from './lib/machine.js';
import { benchActor as actorAt, buildRegions, freshBenchDatabase, type Place } from './lib/county.js';

export interface BenchVisitsOptions {
  databaseUrl: string;
  households?: number;
  samples?: number;
  log?: (m: string) => void;
}

async function buildCounty(db: Database['db']) {
  await syncRoles(db);
  const county = await insertRegion(db, { parentId: null, level: 'county', code: '430525000000', name: '洞口县' });
  const townships: Place[] = [];
  const villages: Place[] = [];
  const groups: (Place & { villageIndex: number })[] = [];
  for (let t = 0; t < 24; t++) {
    const town = await insertRegion(db, { parentId: county.id, level: 'township', code: `4305251${String(t).padStart(2, '0')}000`, name: `第${t + 1}镇` });
    townships.push(town);
    const nv = t < 4 ? 16 : 15; // 4×16 + 20×15 = 364
    for (let v = 0; v < nv; v++) {
      const code = `4305251${String(t).padStart(2, '0')}2${String(v).padStart(2, '0')}`;
      const village = await insertRegion(db, { parentId: town.id, level: 'village', code, name: `第${t + 1}镇${v + 1}村` });
      villages.push(village);
      for (let g = 0; g < 8; g++) groups.push({ ...(await insertRegion(db, { parentId: village.id, level: 'group', code: `${code}${String(g + 1).padStart(3, '0')}`, name: `${g + 1}组` })), villageIndex: villages.length - 1 });
    }
  }
  const gridRows = Array.from({ length: 2083 }, (_, i) => {
    const v = villages[i % villages.length]!;
    return { county_id: county.id, region_id: v.id, region_path: v.path, level: 'level1' as const, code: `G${String(i).padStart(5, '0')}`, name: `网格${i + 1}` };
  });
  const grids: { id: number; region_id: number }[] = [];
  for (let i = 0; i < gridRows.length; i += 500) grids.push(...(await db.insertInto('grids').values(gridRows.slice(i, i + 500)).returning(['id', 'region_id']).execute()));
  const gridOf = new Map<number, number>();
  for (const g of grids) if (!gridOf.has(g.region_id)) gridOf.set(g.region_id, g.id);
  return { countyId: county.id, county, townships, villages, groups, gridOf };
}


export async function benchVisits(o: BenchVisitsOptions) {
  const log = o.log ?? console.log;
  const N = o.households ?? 200_000;
  const S = o.samples ?? 40;
  setPiiKeys({ enc: Buffer.alloc(32, 7), mac: Buffer.alloc(32, 9) });
  const database = await freshBenchDatabase(o.databaseUrl, 'xz_bench_visits', 20);
  const db = database.db;
  try {
    await migrate(database);
    log('visits: building the county');
    const tStart = Date.now();
    const c = await buildCounty(db);
    const user = await db.insertInto('users').values({ county_id: c.countyId, username: 'grid', display_name: '网格员', kind: 'staff', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();

    log(`visits: ${N.toLocaleString()} households (county built in ${((Date.now() - tStart) / 1000).toFixed(0)} s)`);
    const groupIds = c.groups.map((g) => g.id);
    const groupPaths = c.groups.map((g) => g.path);
    const groupGrids = c.groups.map((g) => c.gridOf.get(c.villages[g.villageIndex]!.id) ?? null);
    await sql`
      INSERT INTO households (county_id, region_id, region_path, grid_id, code, address, householder_name, tags)
      SELECT ${c.countyId}, g.id, g.path, g.grid_id, 'H' || lpad(s::text, 8, '0'), '门牌' || s || '号', '户主' || s, '{}'
      FROM generate_series(1, ${N}) s
      JOIN unnest(${groupIds}::bigint[], ${groupPaths}::text[], ${groupGrids}::bigint[]) WITH ORDINALITY AS g(id, path, grid_id, n)
        ON g.n = (s % ${c.groups.length}) + 1`.execute(db);

    const minId = (await db.selectFrom('households').select((eb) => eb.fn.min('id').as('m')).executeTakeFirstOrThrow()).m as number;
    const V = N * 3;
    const day = today();
    log(`visits: ${V.toLocaleString()} visits over a year, opinions, latest visit per household`);
    const t0 = Date.now();
    await sql`
      INSERT INTO visits (county_id, household_id, region_path, village_id, grid_id, visitor_id, visitor_name, visited_on, met, notes, follow_up_on)
      SELECT h.county_id, h.id, h.region_path, split_part(h.region_path, '/', 4)::bigint, h.grid_id, ${user.id}, '网格员',
        ${day}::date - ((s * 7919) % 365)::int, '户主本人', '',
        CASE WHEN s % 10 = 0 THEN ${day}::date - ((s * 7919) % 365)::int + 14 END
      FROM generate_series(1::bigint, ${V}::bigint) s
      JOIN households h ON h.id = ${minId} + (s % ${N})`.execute(db);
    await sql`
      INSERT INTO visit_opinions (county_id, visit_id, seq, kind, content, village_id, visited_on, case_id, case_code)
      SELECT county_id, id, 1, CASE WHEN id % 2 = 0 THEN 'need' ELSE 'opinion' END, '村道坑洼，雨天积水', village_id, visited_on,
        CASE WHEN id % 12 = 0 THEN id END, CASE WHEN id % 12 = 0 THEN 'SJ-' || id END
      FROM visits WHERE id % 4 = 0`.execute(db);
    await sql`
      INSERT INTO household_last_visits (household_id, county_id, village_id, last_visited_on, visit_id, follow_up_on)
      SELECT DISTINCT ON (household_id) household_id, county_id, village_id, visited_on, id, follow_up_on FROM visits ORDER BY household_id, visited_on DESC, id DESC`.execute(db);
    // What autovacuum does to tables after a load: statistics and the visibility map (index-only scans).
    await sql`VACUUM ANALYZE visits`.execute(db);
    await sql`VACUUM ANALYZE visit_opinions`.execute(db);
    await sql`VACUUM ANALYZE household_last_visits`.execute(db);
    await sql`VACUUM ANALYZE households`.execute(db);
    const loadSeconds = (Date.now() - t0) / 1000;

    const countyActor = actorAt(c.countyId, user.id, 'township_cadre', c.county, 'county');
    const town = c.townships[3]!;
    const village = c.villages[100]!;
    const townActor = actorAt(c.countyId, user.id, 'township_cadre', town, 'township');
    const villageActor = actorAt(c.countyId, user.id, 'grid_worker', village, 'village');
    const ctx = (actor: Actor) => ({ db, actor });
    const household = (await db.selectFrom('households').select('id').where('region_path', 'like', `${village.path}%`).orderBy('id').executeTakeFirstOrThrow()).id;

    log('visits: reading');
    const check = await coverage(ctx(countyActor), { days: 30 });
    const r = {
      households: N, visits: V, loadSeconds,
      coverageRows: check.rows.length,
      countyVisited30: check.rows.reduce((s, x) => s + x.visited, 0),
      coverageCounty30: stats(await sample(S, () => coverage(ctx(countyActor), { days: 30 }))),
      coverageCounty365: stats(await sample(S, () => coverage(ctx(countyActor), { days: 365 }))),
      coverageTownship: stats(await sample(S, () => coverage(ctx(townActor), { regionId: town.id, days: 30 }))),
      coverageVillage: stats(await sample(S, () => coverage(ctx(villageActor), { days: 30 }))),
      unvisitedVillage: stats(await sample(S, () => unvisited(ctx(villageActor), { regionId: village.id, days: 30, limit: 50 }))),
      unvisitedCounty: stats(await sample(S, () => unvisited(ctx(countyActor), { days: 30, limit: 50 }))),
      listVillage: stats(await sample(S, () => listVisits(ctx(villageActor), { regionId: village.id, limit: 50 }))),
      listHousehold: stats(await sample(S, () => listVisits(ctx(villageActor), { householdId: household, limit: 20 }))),
      record: { sequentialPerSecond: 0, concurrentPerSecond: 0, concurrency: 20 },
    };

    log('visits: recording');
    const villageHouseholds = (await db.selectFrom('households').select('id').where('region_path', 'like', `${village.path}%`).orderBy('id').limit(200).execute()).map((h) => h.id);
    const body = (i: number) => ({ householdId: villageHouseholds[i % villageHouseholds.length]!, visitedOn: day, met: '户主本人', notes: '压测走访', opinions: [{ kind: 'need' as const, content: '希望硬化入户路' }] });
    let t = Date.now();
    const seq = 200;
    for (let i = 0; i < seq; i++) await recordVisit(ctx(villageActor), body(i));
    r.record.sequentialPerSecond = seq / ((Date.now() - t) / 1000);
    t = Date.now();
    const total = 1000;
    let next = 0;
    await Promise.all(Array.from({ length: r.record.concurrency }, async () => {
      while (next < total) await recordVisit(ctx(villageActor), body(next++));
    }));
    r.record.concurrentPerSecond = total / ((Date.now() - t) / 1000);
    return { ...r, load: loadavg().map((x) => x.toFixed(2)).join(' ') };
  } finally {
    await database.close();
  }
}

/** The section of bench/RESULTS.md for a run's result. */
export function visitsMarkdown(r: Awaited<ReturnType<typeof benchVisits>>, command: string): string {
  const f = (s: { p50: number; p95: number }) => `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`;
  return `## Visits (走访)

Command: \`${command}\`. ${r.households.toLocaleString('en-US')} households, ${r.visits.toLocaleString('en-US')} visits (loaded in ${r.loadSeconds.toFixed(1)} s); load average after the run ${r.load}.

| measure | result |
| --- | --- |
| county coverage, ${r.coverageRows} villages, last 30 days (${r.countyVisited30.toLocaleString('en-US')} households visited) | ${f(r.coverageCounty30)} |
| county coverage, last 365 days | ${f(r.coverageCounty365)} |
| township coverage, 30 days | ${f(r.coverageTownship)} |
| village coverage, 30 days | ${f(r.coverageVillage)} |
| a village's households not visited in 30 days, first page | ${f(r.unvisitedVillage)} |
| the county's households not visited in 30 days, first page | ${f(r.unvisitedCounty)} |
| a village's visits, first page (50) | ${f(r.listVillage)} |
| a household's visits | ${f(r.listHousehold)} |
| record a visit with one opinion, one client | ${r.record.sequentialPerSecond.toFixed(0)} visits/s |
| record a visit with one opinion, ${r.record.concurrency} clients | ${r.record.concurrentPerSecond.toFixed(0)} visits/s |
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const r = await benchVisits({ databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', households: quick ? 20_000 : 200_000 });
  console.log(visitsMarkdown(r, `npx tsx bench/visits.ts${quick ? ' --quick' : ''}`));
  process.exit(0);
}
