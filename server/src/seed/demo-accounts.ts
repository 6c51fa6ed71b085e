/**
 * Demo accounts: one per role, each at a real place of the loaded county, so a tester can see
 * the same county through every pair of eyes. They share one documented password and the admin's
 * TOTP secret is fixed and published here — which is exactly why they exist only in a demo
 * database (seedIfEmpty loads them with the demo county; a county deployment sets
 * XZ_SEED_COUNTY=none and creates real accounts).
 */
import { writeFileSync } from 'node:fs';
import type { Kdb } from '../db/database.js';
import { hashPassword } from '../core/auth/password.js';
import { encrypt } from '../core/pii.js';
import { grantRole } from '../core/roles.js';
import type { CountyPlan, TownshipPlan, VillagePlan } from './generate.js';
import { Rng } from './prng.js';
import { fullName, commonSurname } from './names.js';

/** Passes the password rule (≥ 8 characters, upper, lower, digit, symbol). */
export const DEMO_PASSWORD = 'Demo@2026';

/**
 * Base32 TOTP secret of the demo `admin` (county_admin needs TOTP). Add it to any authenticator
 * app, or compute a code: `node -e "import('otpauth').then(({TOTP})=>console.log(new TOTP({secret:'…'}).generate()))"`.
 */
export const DEMO_ADMIN_TOTP_SECRET = 'XIANGZHIDEMOADMINTOTPKEYABCDEFGH';

export type DemoPlace = 'county' | 'town01' | 'town02' | 'village01' | 'village02';

export interface DemoAccount {
  username: string;
  role: string; // built-in role key
  roleName: string;
  place: DemoPlace;
  password: string;
  note: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', role: 'county_admin', roleName: '县级管理员', place: 'county', password: DEMO_PASSWORD, note: '配置目录与规则、账号授权；登录需动态口令（TOTP，密钥见下）' },
  { username: 'county', role: 'township_cadre', roleName: '县指挥部值班员', place: 'county', password: DEMO_PASSWORD, note: '乡镇干部权限授予在全县：全县分拨、督办、排名，不能改系统配置，无需动态口令' },
  { username: 'dept01', role: 'department_staff', roleName: '县直部门工作人员', place: 'county', password: DEMO_PASSWORD, note: '所属部门联系 village01 所在村，接收交办的事件' },
  { username: 'town01', role: 'township_cadre', roleName: '乡镇干部', place: 'town01', password: DEMO_PASSWORD, note: '第一个乡镇的党委书记（总网格长），包保 village01' },
  { username: 'town02', role: 'township_cadre', roleName: '乡镇干部', place: 'town02', password: DEMO_PASSWORD, note: '另一个乡镇，用来对照看不到 town01 的数据' },
  { username: 'village01', role: 'village_cadre', roleName: '村两委干部', place: 'village01', password: DEMO_PASSWORD, note: '村党支部书记，包保本村小组' },
  { username: 'village02', role: 'village_cadre', roleName: '村两委干部', place: 'village02', password: DEMO_PASSWORD, note: '同乡镇的另一个村，用来对照' },
  { username: 'grid01', role: 'grid_worker', roleName: '网格员', place: 'village01', password: DEMO_PASSWORD, note: 'village01 第一个二级网格的网格员' },
  { username: 'eval01', role: 'evaluation_group', roleName: '评议小组/村务监督委员会', place: 'village01', password: DEMO_PASSWORD, note: '审核积分、监督村务' },
  { username: 'mediator01', role: 'mediator', roleName: '调解员', place: 'village01', password: DEMO_PASSWORD, note: '村级调解员' },
  { username: 'party01', role: 'party_member', roleName: '党员', place: 'village01', password: DEMO_PASSWORD, note: '本村一名在册党员，有联系户' },
  { username: 'villager01', role: 'villager', roleName: '村民', place: 'village01', password: DEMO_PASSWORD, note: '本村一户的户主' },
  { username: 'villager02', role: 'villager', roleName: '村民', place: 'village02', password: DEMO_PASSWORD, note: '另一个村的户主' },
];

export interface DemoPlaces {
  county: { code: string; name: string };
  town01: TownshipPlan;
  town02: TownshipPlan;
  village01: VillagePlan;
  village02: VillagePlan;
}

/**
 * Picks the demo places from the plan: the first rural township (镇/乡, not a 街道) with two
 * villages, its first two 村, and the next rural township for contrast.
 */
export function chooseDemoPlaces(plan: CountyPlan): DemoPlaces {
  const rural = plan.townships.filter((t) => (t.kind === '镇' || t.kind === '乡') && t.villages.length >= 2);
  const usable = rural.length >= 2 ? rural : plan.townships.filter((t) => t.villages.length >= 1);
  const town01 = usable[0] ?? plan.townships[0]!;
  const town02 = usable.find((t) => t !== town01) ?? town01;
  const villagesFirst = [...town01.villages.filter((v) => v.kind === '村'), ...town01.villages.filter((v) => v.kind !== '村')];
  const village01 = villagesFirst[0]!;
  const village02 = villagesFirst[1] ?? town02.villages[0] ?? village01;
  return { county: { code: plan.county.code, name: plan.county.name }, town01, town02, village01, village02 };
}

function placeName(places: DemoPlaces, p: DemoPlace): string {
  switch (p) {
    case 'county': return places.county.name;
    case 'town01': return places.town01.name;
    case 'town02': return places.town02.name;
    case 'village01': return `${places.town01.name}${places.village01.name}`;
    case 'village02': {
      const town = places.town01.villages.includes(places.village02) ? places.town01 : places.town02;
      return `${town.name}${places.village02.name}`;
    }
  }
}

function placeCode(places: DemoPlaces, p: DemoPlace): string {
  return p === 'county' ? places.county.code : places[p].code;
}

/** The table docs/demo-accounts.md holds (and the README includes). */
export function demoAccountsMarkdown(plan: CountyPlan): string {
  const places = chooseDemoPlaces(plan);
  const rows = DEMO_ACCOUNTS.map((a) => `| \`${a.username}\` | ${a.roleName}（\`${a.role}\`） | ${placeName(places, a.place)} | \`${a.password}\` | ${a.note} |`);
  return [
    '# 演示账号',
    '',
    `首次启动（嵌入式数据库为空时）会载入演示县 **${plan.county.name}**（${plan.county.code6}）：真实的乡镇和村名单，`,
    '其下的村民小组、网格、户、居民、党员等都是按固定种子合成的虚构数据（身份证号校验位正确，但不对应真实的人）。',
    '下列账号每个角色一个，密码相同。**演示账号的密码和动态口令密钥是公开的，正式部署请设置 `XZ_SEED_COUNTY=none`，不要载入演示数据。**',
    '',
    '| 用户名 | 角色 | 所在区划 | 密码 | 说明 |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `\`admin\` 的动态口令（TOTP，30 秒，6 位，SHA-1）密钥：\`${DEMO_ADMIN_TOTP_SECRET}\`。把它加入任一身份验证器 App，`,
    '或在项目目录运行：',
    '',
    '```sh',
    `node -e "import('otpauth').then(({TOTP})=>console.log(new TOTP({secret:'${DEMO_ADMIN_TOTP_SECRET}'}).generate()))"`,
    '```',
    '',
    '换一个县：`npm run seed -- --county 433122 --reset`（任何县级代码都可以；账号落在该县第一个乡镇的前两个村）。',
    '',
  ].join('\n');
}

export function writeDemoAccountsDoc(plan: CountyPlan, file: string): void {
  writeFileSync(file, demoAccountsMarkdown(plan));
}

/** Creates the demo accounts in a freshly loaded county. Run inside the load's transaction. */
export async function createDemoAccounts(db: Kdb, plan: CountyPlan, countyId: number, log: (m: string) => void = () => {}): Promise<Record<string, number>> {
  const places = chooseDemoPlaces(plan);
  const codes = [...new Set((['county', 'town01', 'town02', 'village01', 'village02'] as const).map((p) => placeCode(places, p)))];
  const regionRows = await db.selectFrom('regions').select(['id', 'code', 'path']).where('county_id', '=', countyId).where('code', 'in', codes).execute();
  const region = (p: DemoPlace) => regionRows.find((r) => r.code === placeCode(places, p))!;
  const v1 = region('village01');
  const v2 = region('village02');

  // The people behind the accounts are the ones the data already names.
  const rng = new Rng(`${plan.seed}:demo-accounts`);
  const dept = await db
    .selectFrom('department_villages as dv')
    .innerJoin('departments as d', 'd.id', 'dv.department_id')
    .select(['d.id', 'd.name'])
    .where('dv.region_id', '=', v1.id)
    .orderBy('d.id')
    .executeTakeFirstOrThrow();
  const townPatron = await db.selectFrom('patron_assignments').select(['patron_name'])
    .where('level', '=', 'township_village').where('target_region_id', '=', v1.id).executeTakeFirst();
  const villagePatron = await db.selectFrom('patron_assignments').select(['patron_name'])
    .where('level', '=', 'village_group').where('region_path', 'like', `${v1.path}%`).orderBy('id').executeTakeFirst();
  const worker = await db
    .selectFrom('grid_staff as s')
    .innerJoin('grids as g', 'g.id', 's.grid_id')
    .select(['s.id', 's.name'])
    .where('g.region_id', '=', v1.id).where('g.level', '=', 'level2').where('s.role', '=', 'worker')
    .orderBy('g.code')
    .executeTakeFirstOrThrow();
  // party01 is a member who links households, so the phone page has something to show.
  const member = await db
    .selectFrom('party_members as m')
    .select(['m.id', 'm.name', 'm.resident_id'])
    .where('m.region_path', 'like', `${v1.path}%`).where('m.status', '=', 'active')
    .orderBy((eb) => eb.exists(eb.selectFrom('member_household_links as l').select('l.id').whereRef('l.member_id', '=', 'm.id')), 'desc')
    .orderBy('m.id')
    .executeTakeFirst();
  const householder = async (villagePath: string) =>
    db.selectFrom('households as h')
      .innerJoin('residents as r', (j) => j.onRef('r.household_id', '=', 'h.id').on('r.relation', '=', '户主'))
      .select(['h.id as householdId', 'r.id as residentId', 'r.name'])
      .where('h.region_path', 'like', `${villagePath}%`)
      .orderBy('h.code')
      .executeTakeFirst();
  const h1 = await householder(v1.path);
  const h2 = await householder(v2.path);
  const someone = () => fullName(rng, commonSurname(rng), rng.chance(0.6) ? 'M' : 'F', 1975 + rng.int(0, 20));
  const town2Patron = await db.selectFrom('patron_assignments').select(['patron_name'])
    .where('level', '=', 'township_village').where('region_path', 'like', `${region('town02').path}%`).orderBy('id').executeTakeFirst();

  const pw = await hashPassword(DEMO_PASSWORD);
  const users: Record<string, number> = {};
  for (const a of DEMO_ACCOUNTS) {
    const extra: { department_id?: number; resident_id?: number; household_id?: number; totp_secret_enc?: string; totp_enabled?: boolean } = {};
    let displayName = someone();
    switch (a.username) {
      case 'admin':
        displayName = '县指挥部管理员';
        extra.totp_secret_enc = encrypt(DEMO_ADMIN_TOTP_SECRET);
        extra.totp_enabled = true;
        break;
      case 'dept01':
        extra.department_id = dept.id;
        displayName = `${someone()}（${dept.name}）`;
        break;
      case 'town01':
        displayName = townPatron?.patron_name ?? displayName;
        break;
      case 'town02':
        displayName = town2Patron?.patron_name ?? displayName;
        break;
      case 'village01':
        displayName = villagePatron?.patron_name ?? displayName;
        break;
      case 'grid01':
        displayName = worker.name;
        break;
      case 'party01':
        if (member?.resident_id) extra.resident_id = member.resident_id;
        displayName = member?.name ?? displayName;
        break;
      case 'villager01':
      case 'villager02': {
        const h = a.username === 'villager01' ? h1 : h2;
        if (h) {
          extra.household_id = h.householdId;
          extra.resident_id = h.residentId;
          displayName = h.name;
        }
        break;
      }
    }
    const u = await db
      .insertInto('users')
      .values({ county_id: countyId, username: a.username, display_name: displayName, kind: a.role === 'villager' ? 'villager' : 'staff', password_hash: pw, ...extra })
      .returning('id')
      .executeTakeFirstOrThrow();
    await grantRole(db, u.id, a.role, region(a.place).id);
    users[a.username] = u.id;
  }

  // Tie the accounts to the rows that name them: the grid worker's staff row, the patrons.
  await db.updateTable('grid_staff').set({ user_id: users.grid01! }).where('id', '=', worker.id).execute();
  if (townPatron) {
    await db.updateTable('patron_assignments').set({ patron_user_id: users.town01! })
      .where('level', '=', 'township_village').where('patron_name', '=', townPatron.patron_name).where('region_path', 'like', `${region('town01').path}%`).execute();
  }
  if (villagePatron) {
    await db.updateTable('patron_assignments').set({ patron_user_id: users.village01! })
      .where('level', '=', 'village_group').where('patron_name', '=', villagePatron.patron_name).where('region_path', 'like', `${v1.path}%`).execute();
  }
  if (member) {
    await db.updateTable('patron_assignments').set({ patron_user_id: users.party01! })
      .where('level', '=', 'member_household').where('patron_name', '=', member.name).where('region_path', 'like', `${v1.path}%`).execute();
  }
  await db.insertInto('audit_log').values({
    county_id: countyId, actor_id: null, actor_name: '系统初始化', ip: null, action: 'seed.demo_accounts_created', entity: 'user',
    entity_id: null, region_path: `/${countyId}/`, before: null,
    after: JSON.stringify(DEMO_ACCOUNTS.map((a) => ({ username: a.username, role: a.role, place: placeName(places, a.place) }))), note: '创建演示账号',
  }).execute();
  log(`演示账号：${DEMO_ACCOUNTS.map((a) => a.username).join('、')}（密码 ${DEMO_PASSWORD}，见 docs/demo-accounts.md）`);
  return users;
}
