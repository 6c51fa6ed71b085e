import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { decrypt, keyedHash, parseIdNumber } from '../core/pii.js';
import { currentTotp } from '../core/auth/totp.js';
import type { App } from '../core/module.js';
import { Client, testApp, testDatabase } from '../testing/harness.js';
import { readDivision } from './division.js';
import { generateCounty, generateVillage, HOUSEHOLDS_PER_LEVEL2_GRID, planCounty, type VillageData } from './generate.js';
import { IdAllocator, REFERENCE_YEAR } from './families.js';
import { DEMO_ACCOUNTS, DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD, demoAccountsMarkdown } from './demo-accounts.js';
import { loadCounty, seedIfEmpty } from './index.js';

describe('real division data', () => {
  it('reads 洞口县: 24 townships and 364 villages with their 12-digit codes', async () => {
    const d = await readDivision('430525');
    expect(d.county).toEqual({ code: '430525000000', code6: '430525', name: '洞口县' });
    expect(d.townships).toHaveLength(24);
    expect(d.villages).toHaveLength(364);
    expect(d.townships.find((t) => t.code === '430525101000')).toMatchObject({ name: '江口镇', kind: '镇' });
    expect(d.townships.find((t) => t.code === '430525001000')).toMatchObject({ name: '文昌街道', kind: '街道' });
    expect(d.townships.find((t) => t.code === '430525202000')).toMatchObject({ name: '长塘瑶族乡', kind: '乡' });
    for (const v of d.villages) {
      expect(v.code).toMatch(/^430525\d{6}$/);
      expect(d.townships.some((t) => t.code === v.townshipCode)).toBe(true);
    }
  });

  it('works for any county and refuses unknown or malformed codes in Chinese', async () => {
    const luxi = await readDivision('433122');
    expect(luxi.county.name).toBe('泸溪县');
    expect(luxi.townships.length).toBeGreaterThan(5);
    await expect(readDivision('999999')).rejects.toMatchObject({ code: 'SEED_COUNTY_NOT_FOUND', message: '行政区划数据中没有这个县级代码' });
    await expect(readDivision('4305')).rejects.toMatchObject({ code: 'SEED_COUNTY_CODE_INVALID' });
    await expect(readDivision('43052a')).rejects.toBeInstanceOf(AppError);
  });
});

describe('synthetic generator', () => {
  it('is deterministic for a seed and differs for another seed', async () => {
    const first = async (seed: number) => (await generateCounty({ countyCode: '430525', householdsPerVillage: 5, seed }).next()).value as VillageData;
    const a = await first(7);
    const b = await first(7);
    const c = await first(8);
    expect(JSON.stringify(a.households)).toBe(JSON.stringify(b.households));
    expect(JSON.stringify(a.households)).not.toBe(JSON.stringify(c.households));
  });

  it('makes valid, unique ID numbers matching birth date and gender, and families whose ages hang together', async () => {
    const seen = new Set<string>();
    let residents = 0;
    const tagged = new Map<string, number>();
    let households = 0;
    for await (const v of generateCounty({ countyCode: '430525', householdsPerVillage: 8 })) {
      for (const h of v.households) {
        households++;
        for (const t of h.tags) tagged.set(t, (tagged.get(t) ?? 0) + 1);
        const head = h.residents[0]!;
        expect(head.relation).toBe('户主');
        const year = (r: { birthDate: string }) => Number(r.birthDate.slice(0, 4));
        for (const r of h.residents) {
          residents++;
          const p = parseIdNumber(r.idNumber);
          if ('error' in p) throw new Error(`${r.idNumber}: ${p.error}`);
          expect(p.birthDate).toBe(r.birthDate);
          expect(p.gender).toBe(r.gender);
          expect(r.idNumber.slice(0, 6)).toBe('430525');
          expect(seen.has(r.idNumber)).toBe(false);
          seen.add(r.idNumber);
          expect(year(r)).toBeLessThanOrEqual(REFERENCE_YEAR);
          if (r.phone) expect(r.phone).toMatch(/^1[3-9]\d{9}$/);
          if (r.relation === '父亲' || r.relation === '母亲') expect(year(head) - year(r)).toBeGreaterThanOrEqual(20);
          if ((r.relation === '子' || r.relation === '女') && head.relation === '户主') {
            const mother = h.residents.find((x) => (x.relation === '户主' || x.relation === '配偶') && x.gender === 'F');
            if (mother) expect(year(r) - year(mother)).toBeGreaterThanOrEqual(18);
          }
          if (r.relation === '孙子' || r.relation === '孙女') {
            const parents = h.residents.filter((x) => x.relation === '子' || x.relation === '儿媳');
            for (const p2 of parents) expect(year(r) - year(p2)).toBeGreaterThanOrEqual(18);
          }
          if (r.relation === '配偶') expect(r.gender).not.toBe(head.gender);
        }
      }
    }
    expect(households).toBe(364 * 8);
    expect(residents / households).toBeGreaterThan(3.3);
    expect(residents / households).toBeLessThan(4.5);
    // assistance tags exist but stay rare
    for (const t of ['低保户', '脱贫户', '独居老人', '留守儿童', '残疾人']) {
      const rate = (tagged.get(t) ?? 0) / households;
      expect(rate, t).toBeGreaterThan(0.005);
      expect(rate, t).toBeLessThan(0.12);
    }
  });

  it('builds level-2 grids of about 30 households at real village size, nested in level-1 grids of 1–2 groups', async () => {
    const plan = await planCounty({ countyCode: '430525', householdsPerVillage: 550 });
    const ids = new IdAllocator('430525');
    const town = plan.townships.find((t) => t.name === '江口镇')!;
    let level2 = 0;
    let households = 0;
    for (const village of town.villages.slice(0, 4)) {
      const v = generateVillage(plan, town, village, ids);
      expect(v.groups.length).toBeGreaterThanOrEqual(5);
      expect(v.groups.length).toBeLessThanOrEqual(12);
      expect(v.groups[0]).toEqual({ code: village.code + '001', name: '一组' });
      const l1 = v.grids.filter((g) => g.level === 'level1');
      expect(l1.length).toBeGreaterThanOrEqual(Math.ceil(v.groups.length / 2));
      expect(l1.length).toBeLessThanOrEqual(v.groups.length);
      for (const g of v.grids.filter((x) => x.level === 'level2')) expect(v.grids[g.parentIndex!]!.level).toBe('level1');
      for (const h of v.households) expect(v.grids[h.gridIndex]!.level).toBe('level2');
      level2 += v.grids.filter((g) => g.level === 'level2').length;
      households += v.households.length;
      // party members: about 4 % of adults, each linking ~5+ households, some under quota, some households uncovered
      const adults = v.households.flatMap((h) => h.residents).filter((r) => REFERENCE_YEAR - Number(r.birthDate.slice(0, 4)) >= 18).length;
      expect(v.members.length / adults).toBeGreaterThan(0.02);
      expect(v.members.length / adults).toBeLessThan(0.07);
      const linked = new Set(v.members.flatMap((m) => m.links));
      expect(linked.size).toBe(v.members.reduce((a, m) => a + m.links.length, 0)); // a household has one linked member
      expect(linked.size).toBeLessThan(v.households.length);
      expect(v.members.some((m) => m.status === 'active' && m.links.length < m.linkQuota)).toBe(true);
      expect(v.members.filter((m) => m.links.length >= 5).length).toBeGreaterThan(v.members.length / 2);
    }
    const avg = households / level2;
    expect(avg).toBeGreaterThan(HOUSEHOLDS_PER_LEVEL2_GRID * 0.8);
    expect(avg).toBeLessThan(HOUSEHOLDS_PER_LEVEL2_GRID * 1.25);
  });

  it('spreads a total over the villages for benchmarks', async () => {
    const plan = await planCounty({ countyCode: '430525', totalHouseholds: 200_000 });
    expect(Math.abs(plan.totalHouseholds - 200_000)).toBeLessThan(400);
    const sizes = plan.townships.flatMap((t) => t.villages.map((v) => v.households));
    expect(Math.min(...sizes)).toBeGreaterThan(350);
    expect(Math.max(...sizes)).toBeLessThan(800);
  });

  it('keeps docs/demo-accounts.md in step with the code', async () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/demo-accounts.md'), 'utf8');
    expect(doc).toBe(demoAccountsMarkdown(await planCounty({ countyCode: '430525' })));
  });
});

describe('loading the demo county', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let app: App;
  const log: string[] = [];

  beforeAll(async () => {
    database = await testDatabase();
    expect(await seedIfEmpty(database, '430525', (m) => log.push(m), { householdsPerVillage: 3 })).toBe(true);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const count = async (table: 'regions' | 'households' | 'residents' | 'grids' | 'users' | 'party_members' | 'departments') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('writes the real townships and villages with materialised paths and map points', async () => {
    const d = await readDivision('430525');
    const regions = await database.db.selectFrom('regions').selectAll().execute();
    const county = regions.find((r) => r.level === 'county')!;
    expect(county).toMatchObject({ code: '430525000000', name: '洞口县', path: `/${county.id}/`, county_id: county.id });
    const towns = regions.filter((r) => r.level === 'township');
    const villages = regions.filter((r) => r.level === 'village');
    expect(towns.map((t) => t.code).sort()).toEqual(d.townships.map((t) => t.code).sort());
    expect(villages.map((v) => v.code).sort()).toEqual(d.villages.map((v) => v.code).sort());
    const byId = new Map(regions.map((r) => [r.id, r]));
    for (const r of regions.filter((x) => x.level !== 'county')) {
      expect(r.path).toBe(`${byId.get(r.parent_id!)!.path}${r.id}/`);
      expect(r.county_id).toBe(county.id);
    }
    for (const r of [...towns, ...villages]) {
      expect(Math.abs(r.center_lat! - 27.06)).toBeLessThan(0.4);
      expect(Math.abs(r.center_lng! - 110.58)).toBeLessThan(0.4);
    }
    expect(regions.filter((r) => r.level === 'group').length).toBeGreaterThanOrEqual(364 * 5);
    expect(log.some((m) => m.includes('洞口县'))).toBe(true);
  });

  it('does not duplicate anything when seeded again', async () => {
    const before = await Promise.all((['regions', 'households', 'residents', 'grids', 'users', 'party_members', 'departments'] as const).map(count));
    expect(await seedIfEmpty(database, '430525', () => {}, { householdsPerVillage: 3 })).toBe(false);
    const after = await Promise.all((['regions', 'households', 'residents', 'grids', 'users', 'party_members', 'departments'] as const).map(count));
    expect(after).toEqual(before);
    expect(before[1]).toBe(364 * 3);
  });

  it('stores ID numbers and phones sealed: decryptable, hash-findable, masked, never plaintext', async () => {
    const rows = await database.db.selectFrom('residents').selectAll().execute();
    expect(rows.length).toBeGreaterThan(364 * 3 * 3);
    for (const r of rows) {
      const id = decrypt(r.id_no_enc);
      const p = parseIdNumber(id);
      if ('error' in p) throw new Error(p.error);
      expect(p.birthDate).toBe(r.birth_date);
      expect(p.gender).toBe(r.gender);
      expect(r.id_no_hash).toBe(keyedHash(id));
      expect(r.id_no_masked).toBe(id.slice(0, 6) + '********' + id.slice(-4));
      expect(r.id_no_enc).not.toContain(id);
      if (r.phone_enc) {
        const phone = decrypt(r.phone_enc);
        expect(r.phone_masked).toBe(phone.slice(0, 3) + '****' + phone.slice(-4));
      }
    }
    const households = await database.db.selectFrom('households').selectAll().execute();
    for (const h of households) {
      expect(h.address).toMatch(/组\d+号$/);
      if (h.phone_enc) expect(h.phone_enc).toMatch(/^v1\./);
      expect(h.member_count).toBeGreaterThan(0);
    }
  });

  it('builds the party organisation, links, patrons at all four levels and department links', async () => {
    const orgs = await database.db.selectFrom('party_orgs').select(['kind']).execute();
    expect(orgs.filter((o) => o.kind === 'committee')).toHaveLength(24);
    expect(orgs.filter((o) => o.kind === 'branch' || o.kind === 'general_branch')).toHaveLength(364);
    expect(orgs.some((o) => o.kind === 'group')).toBe(true);
    const members = await database.db.selectFrom('party_members as m').innerJoin('residents as r', 'r.id', 'm.resident_id').select(['r.political', 'm.region_path', 'r.region_path as rp']).execute();
    expect(members.length).toBeGreaterThanOrEqual(364 * 3);
    for (const m of members) {
      expect(m.political).toBe('party');
      expect(m.region_path).toBe(m.rp);
    }
    const levels = await database.db.selectFrom('patron_assignments').select(['level']).distinct().execute();
    expect(levels.map((l) => l.level).sort()).toEqual(['county_township', 'member_household', 'township_village', 'village_group']);
    expect(await count('departments')).toBeGreaterThanOrEqual(20);
    const unlinked = await database.db.selectFrom('regions').select('id').where('level', '=', 'village')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('department_villages as dv').select('dv.region_id').whereRef('dv.region_id', '=', 'regions.id'))))
      .execute();
    expect(unlinked).toHaveLength(0);
    const audit = await database.db.selectFrom('audit_log').select('action').where('action', 'like', 'seed.%').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['seed.county_loaded', 'seed.demo_accounts_created']);
  });

  it('lets every demo account log in, each scoped to its place', async () => {
    const regions = await database.db.selectFrom('regions').select(['id', 'code', 'level', 'parent_id']).execute();
    for (const a of DEMO_ACCOUNTS) {
      const c = new Client(app);
      if (a.username === 'admin') await c.login('admin', DEMO_PASSWORD, currentTotp(DEMO_ADMIN_TOTP_SECRET));
      else await c.login(a.username, DEMO_PASSWORD);
      const me = await c.get('/api/v1/auth/me');
      expect(me.status, a.username).toBe(200);
      expect(me.body.username).toBe(a.username);
      const grant = await database.db.selectFrom('user_grants as g').innerJoin('users as u', 'u.id', 'g.user_id').innerJoin('roles as r', 'r.id', 'g.role_id')
        .select(['r.key', 'g.region_id']).where('u.username', '=', a.username).executeTakeFirstOrThrow();
      expect(grant.key).toBe(a.role);
      const level = regions.find((r) => r.id === grant.region_id)!.level;
      expect(level).toBe(a.place === 'county' ? 'county' : a.place.startsWith('town') ? 'township' : 'village');
    }
    const wrong = await new Client(app).post('/api/v1/auth/login', { username: 'admin', password: DEMO_PASSWORD });
    expect(wrong.body.code).toBe('TOTP_CODE_REQUIRED');
  });

  it('ties the demo accounts to real rows of their village', async () => {
    const users = await database.db.selectFrom('users').selectAll().execute();
    const u = (name: string) => users.find((x) => x.username === name)!;
    const grant = async (name: string) =>
      (await database.db.selectFrom('user_grants').select(['region_path', 'region_id']).where('user_id', '=', u(name).id).executeTakeFirstOrThrow());
    const v1 = await grant('village01');
    const v2 = await grant('village02');
    expect(v1.region_id).not.toBe(v2.region_id);
    const t1 = await grant('town01');
    expect(v1.region_path.startsWith(t1.region_path)).toBe(true);
    expect((await grant('town02')).region_id).not.toBe(t1.region_id);

    const villager = u('villager01');
    const hh = await database.db.selectFrom('households').select(['region_path']).where('id', '=', villager.household_id!).executeTakeFirstOrThrow();
    expect(hh.region_path.startsWith(v1.region_path)).toBe(true);
    const head = await database.db.selectFrom('residents').select(['relation', 'household_id', 'name']).where('id', '=', villager.resident_id!).executeTakeFirstOrThrow();
    expect(head).toMatchObject({ relation: '户主', household_id: villager.household_id, name: villager.display_name });

    const party = u('party01');
    const member = await database.db.selectFrom('party_members').select(['region_path']).where('resident_id', '=', party.resident_id!).executeTakeFirstOrThrow();
    expect(member.region_path.startsWith(v1.region_path)).toBe(true);

    const staff = await database.db.selectFrom('grid_staff as s').innerJoin('grids as g', 'g.id', 's.grid_id').select(['g.region_id', 'g.level', 's.role'])
      .where('s.user_id', '=', u('grid01').id).executeTakeFirstOrThrow();
    expect(staff).toMatchObject({ region_id: v1.region_id, level: 'level2', role: 'worker' });

    const dept = await database.db.selectFrom('department_villages').select('region_id').where('department_id', '=', u('dept01').department_id!).execute();
    expect(dept.map((d) => d.region_id)).toContain(v1.region_id);
    expect(u('admin').totp_enabled).toBe(true);
    expect(users.every((x) => x.password_hash.startsWith('$argon2'))).toBe(true);
  });
});

describe('seed switches and failures', () => {
  // One fresh database for the three steps: it stays empty until the last one loads a county.
  let database: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('only syncs roles when the demo county is turned off', async () => {
    expect(await seedIfEmpty(database, 'none', () => {})).toBe(false);
    expect(await database.db.selectFrom('regions').select('id').executeTakeFirst()).toBeUndefined();
    expect((await database.db.selectFrom('roles').select('key').execute()).map((r) => r.key)).toContain('villager');
  });

  it('refuses an unknown county with a Chinese message and writes nothing', async () => {
    await expect(loadCounty(database, { countyCode: '999999' })).rejects.toMatchObject({ code: 'SEED_COUNTY_NOT_FOUND' });
    expect(await database.db.selectFrom('regions').select('id').executeTakeFirst()).toBeUndefined();
  });

  it('loads another county (泸溪县) the same way', async () => {
    const r = await loadCounty(database, { countyCode: '433122', householdsPerVillage: 1, demoAccounts: false });
    expect(r.plan.county.name).toBe('泸溪县');
    expect(r.villages).toBe((await readDivision('433122')).villages.length);
    const c = await database.db.selectFrom('regions').select(['center_lat', 'center_lng']).where('level', '=', 'village').executeTakeFirstOrThrow();
    expect(Math.abs(c.center_lat! - 28.22)).toBeLessThan(0.4);
  });
});
