/**
 * Writes a generated county into the database: the real townships and villages, then village by
 * village the synthetic groups, grids, households, residents, party organisation, links and
 * patrons, in multi-row INSERTs of a few hundred rows. The caller decides the transaction
 * (seedIfEmpty wraps the whole load in one, so a county is either fully there or not at all).
 *
 * Region paths are computed here as insertRegion() does for one node: rows go in with
 * path 'pending' and one UPDATE per level joins them to their parent's path.
 */
import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { Kdb } from '../db/database.js';
import type { DB } from '../db/types.js';
import { keyedHash, sealIdNumber, sealPhone } from '../core/pii.js';
import { generateCounty, type CountyPlan, type VillageData } from './generate.js';
import { Rng } from './prng.js';

const BATCH = 500;

export interface LoadCounts {
  countyId: number;
  townships: number;
  villages: number;
  groups: number;
  grids: number;
  households: number;
  residents: number;
  partyMembers: number;
  memberLinks: number;
  patrons: number;
  departments: number;
}

interface Place {
  id: number;
  path: string;
}

function chunks<T>(rows: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * INSERT … SELECT FROM json_populate_recordset($1): a whole batch travels as one JSON parameter
 * instead of thousands of bind parameters, which is several times faster on PGlite and pg alike.
 * Column types come from the table's own row type; columns not named keep their defaults.
 */
async function bulkInsert<T extends keyof DB & string, R extends string = never>(
  db: Kdb,
  table: T,
  rows: Insertable<DB[T]>[],
  returning: readonly R[] = [],
): Promise<Record<R, any>[]> {
  const out: Record<R, any>[] = [];
  if (rows.length === 0) return out;
  const columns = Object.keys(rows[0] as object);
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const ret = returning.length ? sql` RETURNING ${sql.join(returning.map((c) => sql.ref(c)))}` : sql``;
  for (const part of chunks(rows)) {
    const r = await sql<Record<R, any>>`INSERT INTO ${sql.table(table)} (${cols})
      SELECT ${cols} FROM json_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(part)})${ret}`.execute(db);
    out.push(...r.rows);
  }
  return out;
}

/** Fills `path` (and county_id) of freshly inserted regions from their parents' paths. */
async function settlePaths(db: Kdb, countyId: number): Promise<void> {
  await sql`UPDATE regions c SET path = p.path || c.id::text || '/'
            FROM regions p
            WHERE c.parent_id = p.id AND c.path = 'pending' AND c.county_id = ${countyId}`.execute(db);
}

type RegionRow = { code: string; name: string; level: 'township' | 'village' | 'group'; kind: string | null; lat: number | null; lng: number | null; sort: number; parentId: number };

/** Inserts regions under already-settled parents; returns code → {id, path}. */
async function insertRegions(db: Kdb, countyId: number, parentPaths: Map<number, string>, rows: RegionRow[]): Promise<Map<string, Place>> {
  const out = new Map<string, Place>();
  const inserted = await bulkInsert(db, 'regions', rows.map((r) => ({
    county_id: countyId, parent_id: r.parentId, level: r.level, code: r.code, name: r.name, path: 'pending',
    kind: r.kind, center_lat: r.lat, center_lng: r.lng, sort: r.sort,
  })), ['id', 'code', 'parent_id']);
  for (const r of inserted) out.set(r.code, { id: Number(r.id), path: `${parentPaths.get(Number(r.parent_id))!}${r.id}/` });
  await settlePaths(db, countyId);
  return out;
}

export interface LoadProgress {
  (message: string): void;
}

/** Loads a planned county. Returns what it wrote. */
export async function loadPlan(db: Kdb, plan: CountyPlan, log: LoadProgress = () => {}): Promise<LoadCounts> {
  const started = Date.now();
  const county = await db
    .insertInto('regions')
    .values({ county_id: null, parent_id: null, level: 'county', code: plan.county.code, name: plan.county.name, path: 'pending', kind: '县', center_lat: plan.county.lat, center_lng: plan.county.lng, sort: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const countyId = county.id;
  const countyPath = `/${countyId}/`;
  await db.updateTable('regions').set({ path: countyPath, county_id: countyId }).where('id', '=', countyId).execute();

  const towns = await insertRegions(db, countyId, new Map([[countyId, countyPath]]), plan.townships.map((t) => ({
    code: t.code, name: t.name, level: 'township', kind: t.kind, lat: t.lat, lng: t.lng, sort: t.index, parentId: countyId,
  })));
  const townPaths = new Map([...towns.values()].map((p) => [p.id, p.path]));
  const villages = await insertRegions(db, countyId, townPaths, plan.townships.flatMap((t) => t.villages.map((v) => ({
    code: v.code, name: v.name, level: 'village' as const, kind: v.kind, lat: v.lat, lng: v.lng, sort: v.index, parentId: towns.get(t.code)!.id,
  }))));
  log(`区划：${plan.county.name} ${plan.townships.length} 个乡镇（街道）、${villages.size} 个村（社区）`);

  // 县直部门 and their linked villages (联村).
  const depts = await db
    .insertInto('departments')
    .values(plan.departments.map((d) => ({ county_id: countyId, code: d.code, name: d.name, phone: d.phone })))
    .returning(['id', 'code'])
    .execute();
  const deptId = new Map(depts.map((d) => [d.code, d.id]));
  const links = plan.townships.flatMap((t) => t.villages.map((v) => ({
    department_id: deptId.get(plan.departments[v.departmentIndex]!.code)!, region_id: villages.get(v.code)!.id, county_id: countyId,
  })));
  for (const part of chunks(links)) await db.insertInto('department_villages').values(part).execute();

  // 乡镇党委 and the two upper patron levels: county leader → township, township cadre → village.
  const committees = await db
    .insertInto('party_orgs')
    .values(plan.townships.map((t) => ({ county_id: countyId, region_id: towns.get(t.code)!.id, region_path: towns.get(t.code)!.path, parent_id: null, kind: 'committee' as const, name: t.committeeName })))
    .returning(['id', 'region_id'])
    .execute();
  const committeeOf = new Map(committees.map((c) => [c.region_id, c.id]));
  const upperPatrons = [
    ...plan.townshipPatrons.map(({ leaderIndex, townshipIndex }) => {
      const t = plan.townships[townshipIndex]!;
      const leader = plan.leaders[leaderIndex]!;
      const place = towns.get(t.code)!;
      return { level: 'county_township' as const, name: leader.name, title: leader.title, region: place };
    }),
    ...plan.townships.flatMap((t) => t.villages.map((v, vi) => {
      const cadre = t.cadres[vi % t.cadres.length]!;
      return { level: 'township_village' as const, name: cadre.name, title: cadre.title, region: villages.get(v.code)! };
    })),
  ];
  for (const part of chunks(upperPatrons)) {
    await db.insertInto('patron_assignments').values(part.map((p) => ({
      county_id: countyId, level: p.level, patron_user_id: null, patron_name: p.name, patron_title: p.title,
      target_region_id: p.region.id, target_household_id: null, region_path: p.region.path, starts_on: '2025-01-01',
    }))).execute();
  }

  const counts: LoadCounts = {
    countyId, townships: towns.size, villages: villages.size, groups: 0, grids: 0, households: 0, residents: 0,
    partyMembers: 0, memberLinks: 0, patrons: upperPatrons.length, departments: depts.length,
  };
  const ctx: FlushContext = { db, countyId, villages, committeeOf, towns, counts, seed: plan.seed };

  // Village by village, flushed whenever a few hundred households have piled up.
  let buffer: VillageData[] = [];
  let buffered = 0;
  let currentTown = '';
  for await (const v of generateCounty({ countyCode: plan.county.code6, seed: plan.seed }, plan)) {
    if (v.township.code !== currentTown) {
      if (currentTown) log(`  ${plan.townships.find((t) => t.code === currentTown)!.name} 完成（累计 ${counts.households + buffered} 户）`);
      currentTown = v.township.code;
    }
    buffer.push(v);
    buffered += v.households.length;
    if (buffered >= BATCH) {
      await flushVillages(ctx, buffer);
      buffer = [];
      buffered = 0;
    }
  }
  if (buffer.length > 0) await flushVillages(ctx, buffer);
  if (currentTown) log(`  ${plan.townships.find((t) => t.code === currentTown)!.name} 完成`);

  // One audit row for the whole load, like an import job: who (the system), what, how much.
  await db.insertInto('audit_log').values({
    county_id: countyId, actor_id: null, actor_name: '系统初始化', ip: null, action: 'seed.county_loaded', entity: 'region',
    entity_id: String(countyId), region_path: countyPath, before: null,
    after: JSON.stringify({ county: plan.county.name, code: plan.county.code, seed: plan.seed, ...counts }), note: '载入演示县数据（合成）',
  }).execute();
  log(`合成数据：${counts.groups} 个村民小组、${counts.grids} 个网格、${counts.households} 户、${counts.residents} 人、${counts.partyMembers} 名党员（${((Date.now() - started) / 1000).toFixed(1)} 秒）`);
  return counts;
}

interface FlushContext {
  db: Kdb;
  countyId: number;
  villages: Map<string, Place>;
  committeeOf: Map<number, number>;
  towns: Map<string, Place>;
  counts: LoadCounts;
  seed: number;
}

/** Writes a handful of generated villages, table by table, each in multi-row INSERTs. */
async function flushVillages(ctx: FlushContext, batch: VillageData[]): Promise<void> {
  const { db, countyId, counts } = ctx;

  // 村民小组
  const villagePaths = new Map(batch.map((v) => [ctx.villages.get(v.village.code)!.id, ctx.villages.get(v.village.code)!.path]));
  const groups = await insertRegions(db, countyId, villagePaths, batch.flatMap((v) => {
    const rng = new Rng(`${ctx.seed}:group-pos:${v.village.code}`);
    return v.groups.map((g, gi) => ({
      code: g.code, name: g.name, level: 'group' as const, kind: null, sort: gi, parentId: ctx.villages.get(v.village.code)!.id,
      lat: Math.round((v.village.lat + (rng.next() - 0.5) * 0.012) * 1e6) / 1e6,
      lng: Math.round((v.village.lng + (rng.next() - 0.5) * 0.012) * 1e6) / 1e6,
    }));
  }));
  counts.groups += groups.size;

  // 网格: level 1 first, then level 2 under them.
  const gridIds = new Map<string, number>();
  for (const level of ['level1', 'level2'] as const) {
    const rows = batch.flatMap((v) => {
      const village = ctx.villages.get(v.village.code)!;
      return v.grids.filter((g) => g.level === level).map((g) => ({
        county_id: countyId, region_id: village.id, region_path: village.path, level, code: g.code, name: g.name,
        parent_id: g.parentIndex === null ? null : gridIds.get(v.grids[g.parentIndex]!.code)!, boundary: null, note: null,
      }));
    });
    for (const r of await bulkInsert(db, 'grids', rows, ['id', 'code'])) gridIds.set(r.code, Number(r.id));
    counts.grids += rows.length;
  }
  const staff = batch.flatMap((v) => v.grids.flatMap((g) => g.staff.map((s) => ({
    county_id: countyId, grid_id: gridIds.get(g.code)!, role: s.role, user_id: null, name: s.name, ...sealPhone(s.phone),
  }))));
  await bulkInsert(db, 'grid_staff', staff);

  // 户
  const householdIds = new Map<string, number>();
  const householdRows = batch.flatMap((v) => v.households.map((h) => {
    const group = groups.get(v.groups[h.groupIndex]!.code)!;
    return {
      county_id: countyId, region_id: group.id, region_path: group.path, grid_id: gridIds.get(v.grids[h.gridIndex]!.code)!,
      code: h.code, address: h.address, householder_name: h.residents[0]!.name, householder_id_hash: keyedHash(h.residents[0]!.idNumber),
      member_count: h.residents.length, tags: h.tags, ...sealPhone(h.phone),
    };
  }));
  for (const r of await bulkInsert(db, 'households', householdRows, ['id', 'code'])) householdIds.set(r.code, Number(r.id));
  counts.households += householdRows.length;

  // 居民 (ID numbers and phones sealed: ciphertext, keyed hash, masked form — never plaintext)
  const residentRows = batch.flatMap((v) => v.households.flatMap((h) => {
    const path = groups.get(v.groups[h.groupIndex]!.code)!.path;
    const householdId = householdIds.get(h.code)!;
    return h.residents.map((r) => ({
      county_id: countyId, household_id: householdId, region_path: path, name: r.name, gender: r.gender, birth_date: r.birthDate,
      relation: r.relation, ethnicity: r.ethnicity, political: r.political, status: r.status, ...sealIdNumber(r.idNumber), ...sealPhone(r.phone),
    }));
  }));
  await bulkInsert(db, 'residents', residentRows);
  // Only party members need their resident id back; RETURNING for every resident costs more.
  const residentByHash = new Map<string, number>();
  const memberHashes = batch.flatMap((v) => v.members.map((m) => keyedHash(v.households[m.householdIndex]!.residents[m.residentIndex]!.idNumber)));
  for (const part of chunks(memberHashes)) {
    const found = await db.selectFrom('residents').select(['id', 'id_no_hash']).where('county_id', '=', countyId).where('id_no_hash', 'in', part).execute();
    for (const r of found) residentByHash.set(r.id_no_hash, r.id);
  }
  counts.residents += residentRows.length;

  // 村党支部/党总支 and 党小组
  const branches = await db
    .insertInto('party_orgs')
    .values(batch.map((v) => {
      const village = ctx.villages.get(v.village.code)!;
      const town = ctx.towns.get(v.township.code)!;
      return { county_id: countyId, region_id: village.id, region_path: village.path, parent_id: ctx.committeeOf.get(town.id)!, kind: v.branch.kind, name: v.branch.name };
    }))
    .returning(['id', 'region_id'])
    .execute();
  const branchOf = new Map(branches.map((b) => [b.region_id, b.id]));
  const groupOrgRows = batch.flatMap((v) => {
    const village = ctx.villages.get(v.village.code)!;
    return v.partyGroups.map((g) => ({
      county_id: countyId, region_id: village.id, region_path: village.path, parent_id: branchOf.get(village.id)!, kind: 'group' as const, name: g.name,
    }));
  });
  const partyGroupId = new Map<string, number>(); // `${branchId}|${name}`
  if (groupOrgRows.length > 0) {
    for (const r of await db.insertInto('party_orgs').values(groupOrgRows).returning(['id', 'parent_id', 'name']).execute()) {
      partyGroupId.set(`${r.parent_id}|${r.name}`, r.id);
    }
  }

  // 党员 (linked to their resident row) and 联户
  const memberRows = batch.flatMap((v) => {
    const village = ctx.villages.get(v.village.code)!;
    const branchId = branchOf.get(village.id)!;
    return v.members.map((m) => {
      const h = v.households[m.householdIndex]!;
      const r = h.residents[m.residentIndex]!;
      return {
        county_id: countyId,
        org_id: m.partyGroupIndex === null ? branchId : partyGroupId.get(`${branchId}|${v.partyGroups[m.partyGroupIndex]!.name}`)!,
        region_path: groups.get(v.groups[h.groupIndex]!.code)!.path,
        resident_id: residentByHash.get(keyedHash(r.idNumber))!,
        name: r.name, joined_on: m.joinedOn, link_quota: m.linkQuota, status: m.status,
      };
    });
  });
  const memberIdOfResident = new Map<number, number>();
  for (const r of await bulkInsert(db, 'party_members', memberRows, ['id', 'resident_id'])) memberIdOfResident.set(Number(r.resident_id), Number(r.id));
  counts.partyMembers += memberRows.length;
  const memberId = (v: VillageData, mi: number) => {
    const m = v.members[mi]!;
    return memberIdOfResident.get(residentByHash.get(keyedHash(v.households[m.householdIndex]!.residents[m.residentIndex]!.idNumber))!)!;
  };
  const linkRows = batch.flatMap((v) => v.members.flatMap((m, mi) => m.links.map((hi) => {
    const h = v.households[hi]!;
    return { county_id: countyId, member_id: memberId(v, mi), household_id: householdIds.get(h.code)!, region_path: groups.get(v.groups[h.groupIndex]!.code)!.path };
  })));
  await bulkInsert(db, 'member_household_links', linkRows);
  counts.memberLinks += linkRows.length;

  // 包保: village cadre → group, party member → household in need.
  const patronRows = batch.flatMap((v) => [
    ...v.groupPatrons.map((p) => {
      const g = groups.get(v.groups[p.groupIndex]!.code)!;
      const c = v.cadres[p.cadreIndex]!;
      return { level: 'village_group' as const, patron_name: c.name, patron_title: c.title, target_region_id: g.id, target_household_id: null, region_path: g.path };
    }),
    ...v.householdPatrons.map((p) => {
      const h = v.households[p.householdIndex]!;
      const m = v.members[p.memberIndex]!;
      const name = v.households[m.householdIndex]!.residents[m.residentIndex]!.name;
      return { level: 'member_household' as const, patron_name: name, patron_title: '党员', target_region_id: null, target_household_id: householdIds.get(h.code)!, region_path: groups.get(v.groups[h.groupIndex]!.code)!.path };
    }),
  ]);
  await bulkInsert(db, 'patron_assignments', patronRows.map((p) => ({ ...p, county_id: countyId, patron_user_id: null, starts_on: '2025-01-01' })));
  counts.patrons += patronRows.length;
}
