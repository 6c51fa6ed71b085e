/**
 * A small county every test can stand on: two townships, three villages, groups, grids,
 * households with residents, and one account per role at a known place.
 *
 *   县 (admin, dept)
 *   ├── 甲镇 (townA)
 *   │   ├── 一村 (villageA1, gridA1, evalA1, mediatorA1, partyA1, villagerA1)   households hA1a hA1b hA1c
 *   │   └── 二村 (villageA2)                                                   households hA2a hA2b
 *   └── 乙镇 (townB)
 *       └── 三村 (villageB1)                                                   households hB1a hB1b
 */
import type { Kdb } from '../db/database.js';
import { insertRegion } from '../modules/regions/tree.js';
import { syncRoles, grantRole } from '../core/roles.js';
import { hashPassword } from '../core/auth/password.js';
import { makeIdNumber, sealIdNumber, sealPhone } from '../core/pii.js';
import { TEST_PASSWORD } from './harness.js';

export interface World {
  countyId: number;
  regions: Record<'county' | 'townA' | 'townB' | 'villageA1' | 'villageA2' | 'villageB1' | 'groupA1' | 'groupA2' | 'groupB1', { id: number; path: string }>;
  grids: Record<'gA1' | 'gA2' | 'gB1', number>;
  households: Record<'hA1a' | 'hA1b' | 'hA1c' | 'hA2a' | 'hA2b' | 'hB1a' | 'hB1b', number>;
  /** A resident's plain ID number per household key (its householder). */
  idNumbers: Record<string, string>;
  users: Record<string, number>;
  departmentId: number;
}

let seq = 0;

export async function buildHousehold(db: Kdb, countyId: number, group: { id: number; path: string }, gridId: number | null, name: string, members = 3) {
  seq++;
  const idNo = makeIdNumber('430525', `19${60 + (seq % 30)}-0${1 + (seq % 9)}-1${seq % 10}`, seq * 7, 'M');
  const phone = `1380000${String(1000 + seq).slice(-4)}`;
  const hh = await db
    .insertInto('households')
    .values({
      county_id: countyId, region_id: group.id, region_path: group.path, grid_id: gridId,
      code: `H${String(seq).padStart(6, '0')}`, address: `${name}家，门牌${seq}号`, householder_name: name,
      member_count: members, tags: [], ...sealPhone(phone),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('households').set({ householder_id_hash: sealIdNumber(idNo).id_no_hash }).where('id', '=', hh.id).execute();
  for (let i = 0; i < members; i++) {
    const g = i % 2 === 0 ? 'M' : 'F';
    const id = i === 0 ? idNo : makeIdNumber('430525', `19${70 + i}-05-2${i}`, seq * 7 + i + 100, g);
    await db
      .insertInto('residents')
      .values({
        county_id: countyId, household_id: hh.id, region_path: group.path,
        name: i === 0 ? name : `${name.slice(0, 1)}家${i}`, gender: g, birth_date: id.slice(6, 10) + '-' + id.slice(10, 12) + '-' + id.slice(12, 14),
        relation: i === 0 ? '户主' : i === 1 ? '配偶' : '子女', ...sealIdNumber(id), ...sealPhone(i === 0 ? phone : null),
      })
      .execute();
  }
  return { id: hh.id, idNo };
}

export async function buildWorld(db: Kdb): Promise<World> {
  await syncRoles(db);
  const county = await insertRegion(db, { parentId: null, level: 'county', code: '430525000000', name: '洞口县' });
  const townA = await insertRegion(db, { parentId: county.id, level: 'township', code: '430525100000', name: '甲镇', kind: '镇' });
  const townB = await insertRegion(db, { parentId: county.id, level: 'township', code: '430525200000', name: '乙镇', kind: '镇' });
  const villageA1 = await insertRegion(db, { parentId: townA.id, level: 'village', code: '430525100201', name: '一村', kind: '村' });
  const villageA2 = await insertRegion(db, { parentId: townA.id, level: 'village', code: '430525100202', name: '二村', kind: '村' });
  const villageB1 = await insertRegion(db, { parentId: townB.id, level: 'village', code: '430525200201', name: '三村', kind: '村' });
  const groupA1 = await insertRegion(db, { parentId: villageA1.id, level: 'group', code: '430525100201001', name: '一组' });
  const groupA2 = await insertRegion(db, { parentId: villageA2.id, level: 'group', code: '430525100202001', name: '一组' });
  const groupB1 = await insertRegion(db, { parentId: villageB1.id, level: 'group', code: '430525200201001', name: '一组' });
  const countyId = county.id;

  const grid = async (v: { id: number; path: string }, code: string) =>
    (await db.insertInto('grids').values({ county_id: countyId, region_id: v.id, region_path: v.path, level: 'level2', code, name: `${code}网格` }).returning('id').executeTakeFirstOrThrow()).id;
  const grids = { gA1: await grid(villageA1, 'G-A1'), gA2: await grid(villageA2, 'G-A2'), gB1: await grid(villageB1, 'G-B1') };

  const idNumbers: Record<string, string> = {};
  const hh = async (key: string, g: { id: number; path: string }, gridId: number, name: string) => {
    const r = await buildHousehold(db, countyId, g, gridId, name);
    idNumbers[key] = r.idNo;
    return r.id;
  };
  const households = {
    hA1a: await hh('hA1a', groupA1, grids.gA1, '张建国'),
    hA1b: await hh('hA1b', groupA1, grids.gA1, '李秀英'),
    hA1c: await hh('hA1c', groupA1, grids.gA1, '王德明'),
    hA2a: await hh('hA2a', groupA2, grids.gA2, '赵春华'),
    hA2b: await hh('hA2b', groupA2, grids.gA2, '刘志强'),
    hB1a: await hh('hB1a', groupB1, grids.gB1, '陈桂兰'),
    hB1b: await hh('hB1b', groupB1, grids.gB1, '杨国庆'),
  };

  const dept = await db.insertInto('departments').values({ county_id: countyId, code: 'D001', name: '县住建局' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('department_villages').values({ department_id: dept.id, region_id: villageA1.id, county_id: countyId }).execute();

  const pw = await hashPassword(TEST_PASSWORD);
  const users: Record<string, number> = {};
  const user = async (username: string, role: string, regionId: number, extra: { household_id?: number; department_id?: number } = {}) => {
    const u = await db
      .insertInto('users')
      .values({ county_id: countyId, username, display_name: username, kind: role === 'villager' ? 'villager' : 'staff', password_hash: pw, ...extra })
      .returning('id')
      .executeTakeFirstOrThrow();
    await grantRole(db, u.id, role, regionId);
    users[username] = u.id;
  };
  await user('admin', 'county_admin', county.id);
  await user('dept', 'department_staff', county.id, { department_id: dept.id });
  await user('townA', 'township_cadre', townA.id);
  await user('townB', 'township_cadre', townB.id);
  await user('villageA1', 'village_cadre', villageA1.id);
  await user('villageA2', 'village_cadre', villageA2.id);
  await user('villageB1', 'village_cadre', villageB1.id);
  await user('gridA1', 'grid_worker', villageA1.id);
  await user('evalA1', 'evaluation_group', villageA1.id);
  await user('mediatorA1', 'mediator', villageA1.id);
  await user('partyA1', 'party_member', villageA1.id);
  await user('villagerA1', 'villager', villageA1.id, { household_id: households.hA1a });
  await user('villagerB1', 'villager', villageB1.id, { household_id: households.hB1a });

  const pick = (r: { id: number; path: string }) => ({ id: r.id, path: r.path });
  return {
    countyId,
    regions: {
      county: pick(county), townA: pick(townA), townB: pick(townB), villageA1: pick(villageA1), villageA2: pick(villageA2),
      villageB1: pick(villageB1), groupA1: pick(groupA1), groupA2: pick(groupA2), groupB1: pick(groupB1),
    },
    grids,
    households,
    idNumbers,
    users,
    departmentId: dept.id,
  };
}
