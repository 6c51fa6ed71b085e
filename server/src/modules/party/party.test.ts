import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import { buildMember, buildOrg, householderOf } from './testing/factories.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
const clients: Record<string, Client> = {};
let orgA1: number, orgA2: number, orgB1: number, committeeA: number;

async function as(username: string): Promise<Client> {
  clients[username] ??= await new Client(app).login(username);
  return clients[username]!;
}
const linkCount = async () => Number((await database.db.selectFrom('member_household_links').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const auditCount = async (action: string) =>
  Number((await database.db.selectFrom('audit_log').select((e) => e.fn.countAll().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
  committeeA = await buildOrg(database.db, world, world.regions.townA, '甲镇党委', 'committee');
  orgA1 = await buildOrg(database.db, world, world.regions.villageA1, '一村党支部', 'branch', committeeA);
  orgA2 = await buildOrg(database.db, world, world.regions.villageA2, '二村党支部');
  orgB1 = await buildOrg(database.db, world, world.regions.villageB1, '三村党支部');
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('party orgs', () => {
  it('lets a village cadre create a branch in the village, under the township committee', async () => {
    const c = await as('villageA1');
    const r = await c.post('/api/v1/party/orgs', { regionId: world.regions.groupA1.id, kind: 'group', name: '一组党小组', parentId: orgA1 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: '一组党小组', kind: 'group', regionId: world.regions.groupA1.id, parentId: orgA1, parentName: '一村党支部', memberCount: 0 });
    expect(await auditCount('party_org.create')).toBe(1);
  });

  it('refuses misplaced orgs and places out of scope', async () => {
    const c = await as('villageA1');
    expect((await c.post('/api/v1/party/orgs', { regionId: world.regions.villageA1.id, kind: 'committee', name: '一村党委' })).body.code).toBe('ORG_KIND_LEVEL_MISMATCH');
    const badParent = await c.post('/api/v1/party/orgs', { regionId: world.regions.villageA1.id, kind: 'group', name: '党小组', parentId: orgB1 });
    expect(badParent.body.code).toBe('ORG_PARENT_INVALID');
    const other = await c.post('/api/v1/party/orgs', { regionId: world.regions.villageA2.id, kind: 'branch', name: '二村第二支部' });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('REGION_NOT_FOUND');
    // a grid worker reads the registry but does not run the party organisation
    expect((await (await as('gridA1')).post('/api/v1/party/orgs', { regionId: world.regions.villageA1.id, kind: 'branch', name: '支部' })).status).toBe(404);
    expect((await c.post('/api/v1/party/orgs', { regionId: world.regions.villageA1.id, kind: 'branch', name: 'x' })).body.code).toBe('VALIDATION_FAILED');
    expect((await c.post('/api/v1/party/orgs', { regionId: world.regions.villageA1.id, kind: 'cell', name: '支部名' })).body.code).toBe('VALIDATION_FAILED');
  });

  it('lists only orgs in scope', async () => {
    const a2 = await (await as('villageA2')).get('/api/v1/party/orgs');
    expect(a2.body.items.map((o: { id: number }) => o.id)).toEqual([orgA2]);
    const town = await (await as('townA')).get('/api/v1/party/orgs');
    expect(town.body.items.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['甲镇党委', '一村党支部', '二村党支部', '一组党小组']));
    expect(town.body.items.map((o: { id: number }) => o.id)).not.toContain(orgB1);
    expect((await (await as('villageA2')).get(`/api/v1/party/orgs?regionId=${world.regions.villageA1.id}`)).status).toBe(404);
    expect((await (await as('villageA2')).get(`/api/v1/party/orgs/${orgA1}`)).status).toBe(404);
  });
});

describe('party members', () => {
  let fromResident: number;

  it('registers a resident as a member: name from the register, placed at home, default quota 5', async () => {
    const holder = await householderOf(database.db, world.households.hA1a);
    const r = await (await as('villageA1')).post('/api/v1/party/members', { orgId: orgA1, residentId: holder.id, joinedOn: '2001-07-01' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: holder.name, orgName: '一村党支部', villageName: '一村', linkQuota: 5, linkedCount: 0, status: 'active', underQuota: true, households: [] });
    expect(r.body.can).toEqual({ edit: true, link: true });
    fromResident = r.body.id;
    const row = await database.db.selectFrom('party_members').select('region_path').where('id', '=', fromResident).executeTakeFirstOrThrow();
    expect(row.region_path).toBe(world.regions.groupA1.path);
    const again = await (await as('villageA1')).post('/api/v1/party/members', { orgId: orgA1, residentId: holder.id });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('MEMBER_EXISTS');
  });

  it('registers a member by name and refuses bad input', async () => {
    const c = await as('villageA1');
    const r = await c.post('/api/v1/party/members', { orgId: orgA1, name: '周红梅', linkQuota: 8 });
    expect(r.status).toBe(201);
    expect(r.body.linkQuota).toBe(8);
    expect((await c.post('/api/v1/party/members', { orgId: orgA1 })).body.code).toBe('MEMBER_NAME_REQUIRED');
    expect((await c.post('/api/v1/party/members', { orgId: orgA1, name: '甲', joinedOn: '2999-01-01' })).body.code).toBe('JOINED_ON_INVALID');
    expect((await c.post('/api/v1/party/members', { orgId: orgA1, name: '甲', joinedOn: '2020-02-30' })).body.code).toBe('JOINED_ON_INVALID');
    expect((await c.post('/api/v1/party/members', { orgId: orgA1, name: '甲', linkQuota: 500 })).body.code).toBe('VALIDATION_FAILED');
    expect((await c.post('/api/v1/party/members', { orgId: orgA2, name: '甲' })).body.code).toBe('PARTY_ORG_NOT_FOUND');
    // a resident of another village: out of sight for the village cadre, misplaced for the township
    const other = await householderOf(database.db, world.households.hA2a);
    expect((await c.post('/api/v1/party/members', { orgId: orgA1, residentId: other.id })).body.code).toBe('RESIDENT_NOT_FOUND');
    expect((await (await as('townA')).post('/api/v1/party/members', { orgId: orgA1, residentId: other.id })).body.code).toBe('RESIDENT_OUTSIDE_ORG');
  });

  it('updates with an optimistic version and audits the change', async () => {
    const c = await as('villageA1');
    const m = (await c.get(`/api/v1/party/members/${fromResident}`)).body;
    const ok = await c.patch(`/api/v1/party/members/${fromResident}`, { version: m.version, linkQuota: 6 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ linkQuota: 6, version: m.version + 1 });
    const stale = await c.patch(`/api/v1/party/members/${fromResident}`, { version: m.version, linkQuota: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CONFLICT');
    const a = await database.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'party_member.update').executeTakeFirstOrThrow();
    expect(a).toEqual({ before: { linkQuota: 5 }, after: { linkQuota: 6 } });
  });
});

describe('member–household links', () => {
  let m1: number, m2: number, mA2: number;

  beforeAll(async () => {
    m1 = await buildMember(database.db, world, orgA1, { name: '党员甲', path: world.regions.groupA1.path, linkQuota: 3 });
    m2 = await buildMember(database.db, world, orgA1, { name: '党员乙' });
    mA2 = await buildMember(database.db, world, orgA2, { name: '党员丙', linkQuota: 2 });
  });

  it('links many households in one go and reports them on the member', async () => {
    const c = await as('villageA1');
    const r = await c.post('/api/v1/party/links', { memberId: m1, householdIds: [world.households.hA1a, world.households.hA1b, world.households.hA1a] });
    expect(r.status).toBe(201);
    expect(r.body.linked.map((l: { householdId: number }) => l.householdId).sort()).toEqual([world.households.hA1a, world.households.hA1b].sort());
    expect(r.body).toMatchObject({ linkedCount: 2, linkQuota: 3, alreadyLinked: [] });
    const m = (await c.get(`/api/v1/party/members/${m1}`)).body;
    expect(m.households.map((h: { householderName: string }) => h.householderName).sort()).toEqual(['李秀英', '张建国'].sort());
    expect(m.underQuota).toBe(true);
    expect(await auditCount('party_link.create')).toBe(2);
    // linking again to the same member changes nothing
    const again = await c.post('/api/v1/party/links', { memberId: m1, householdIds: [world.households.hA1a] });
    expect(again.body).toMatchObject({ linked: [], alreadyLinked: [world.households.hA1a], linkedCount: 2 });
  });

  it('refuses a household linked to another member and writes nothing at all', async () => {
    const before = await linkCount();
    const audits = await auditCount('party_link.create');
    const r = await (await as('villageA1')).post('/api/v1/party/links', { memberId: m2, householdIds: [world.households.hA1c, world.households.hA1a] });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('HOUSEHOLD_ALREADY_LINKED');
    expect(r.body.message).toBe('所选农户已由其他党员联系，一户只能由一名党员联系');
    expect(r.body.details.householdIds).toEqual([world.households.hA1a]);
    expect(await linkCount()).toBe(before);
    expect(await auditCount('party_link.create')).toBe(audits);
  });

  it('enforces one member per household in the database as well', async () => {
    await expect(database.db.insertInto('member_household_links').values({ county_id: world.countyId, member_id: m2, household_id: world.households.hA1a, region_path: world.regions.groupA1.path }).execute()).rejects.toThrow();
  });

  it('refuses households of another village, even to a township cadre who sees both', async () => {
    const r = await (await as('townA')).post('/api/v1/party/links', { memberId: m2, householdIds: [world.households.hA1c, world.households.hA2a] });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('LINK_OUTSIDE_VILLAGE');
    expect(r.body.details.householdIds).toEqual([world.households.hA2a]);
    const v = await (await as('villageA1')).post('/api/v1/party/links', { memberId: m2, householdIds: [world.households.hA2a] });
    expect(v.status).toBe(404);
    expect(v.body.code).toBe('HOUSEHOLD_NOT_FOUND');
    const missing = await (await as('villageA1')).post('/api/v1/party/links', { memberId: m2, householdIds: [999999] });
    expect(missing.body.code).toBe('HOUSEHOLD_NOT_FOUND');
  });

  it('refuses members away or not placed in a village, moved households and bad input', async () => {
    const c = await as('townA');
    const away = await buildMember(database.db, world, orgA1, { name: '外出党员', status: 'away' });
    expect((await c.post('/api/v1/party/links', { memberId: away, householdIds: [world.households.hA1c] })).body.code).toBe('MEMBER_NOT_ACTIVE');
    const townLevel = await buildMember(database.db, world, committeeA, { name: '机关党员' });
    expect((await c.post('/api/v1/party/links', { memberId: townLevel, householdIds: [world.households.hA1c] })).body.code).toBe('MEMBER_NO_VILLAGE');
    await database.db.updateTable('households').set({ status: 'moved' }).where('id', '=', world.households.hA2b).execute();
    expect((await c.post('/api/v1/party/links', { memberId: mA2, householdIds: [world.households.hA2b] })).body.code).toBe('HOUSEHOLD_NOT_ACTIVE');
    await database.db.updateTable('households').set({ status: 'active' }).where('id', '=', world.households.hA2b).execute();
    expect((await c.post('/api/v1/party/links', { memberId: m2, householdIds: [] })).body.code).toBe('VALIDATION_FAILED');
    expect((await c.post('/api/v1/party/links', { memberId: m2, householdIds: ['x'] })).body.code).toBe('VALIDATION_FAILED');
    expect((await c.post('/api/v1/party/links', { memberId: m2, householdIds: [1], extra: 1 })).body.code).toBe('VALIDATION_FAILED');
    expect((await c.post('/api/v1/party/links', { memberId: 424242, householdIds: [1] })).body.code).toBe('PARTY_MEMBER_NOT_FOUND');
  });

  it('counts coverage on a known data set', async () => {
    // 一村: hA1a, hA1b linked to m1 ; 二村: hA2a linked to mA2 ; 三村: nothing.
    await (await as('villageA2')).post('/api/v1/party/links', { memberId: mA2, householdIds: [world.households.hA2a] });
    const county = (await (await as('dept')).get('/api/v1/party/coverage')).body;
    // active members: 一村 fromResident, 周红梅, 党员甲, 党员乙 (away and township ones excluded from villages) …
    expect(county).toMatchObject({ households: 7, covered: 3, uncovered: 4 });
    const byName = Object.fromEntries(county.byVillage.map((v: { name: string }) => [v.name, v]));
    expect(byName['一村']).toMatchObject({ households: 3, covered: 2, uncovered: 1, members: 4, underQuota: 4 });
    expect(byName['二村']).toMatchObject({ households: 2, covered: 1, uncovered: 1, members: 1, underQuota: 1 });
    expect(byName['三村']).toMatchObject({ households: 2, covered: 0, uncovered: 2, members: 0, underQuota: 0 });
    // the township committee member counts in the township total but in no village
    expect(county.members).toBe(6);
    const town = (await (await as('townA')).get(`/api/v1/party/coverage?regionId=${world.regions.townA.id}`)).body;
    expect(town).toMatchObject({ households: 5, covered: 3, uncovered: 2 });
    expect(town.byVillage.map((v: { name: string }) => v.name)).toEqual(['一村', '二村']);
    const group = (await (await as('villageA1')).get(`/api/v1/party/coverage?regionId=${world.regions.groupA1.id}`)).body;
    expect(group).toMatchObject({ households: 3, covered: 2 });
    expect(group.byVillage.map((v: { name: string }) => v.name)).toEqual(['一村']);
    expect((await (await as('villageA1')).get(`/api/v1/party/coverage?regionId=${world.regions.villageB1.id}`)).status).toBe(404);
  });

  it('lists uncovered households and members under quota in scope', async () => {
    const u = (await (await as('townA')).get('/api/v1/party/uncovered-households')).body;
    expect(u.items.map((h: { id: number }) => h.id).sort()).toEqual([world.households.hA1c, world.households.hA2b].sort());
    expect(u.items[0]).toHaveProperty('villageName');
    const q = (await (await as('villageA2')).get('/api/v1/party/members-under-quota')).body;
    expect(q.items.map((m: { id: number }) => m.id)).toEqual([mA2]);
    await (await as('villageA2')).post('/api/v1/party/links', { memberId: mA2, householdIds: [world.households.hA2b] });
    expect((await (await as('villageA2')).get('/api/v1/party/members-under-quota')).body.items).toEqual([]);
    expect((await (await as('villageA2')).get('/api/v1/party/members?underQuota=1')).body.items).toEqual([]);
    const page1 = (await (await as('townA')).get('/api/v1/party/members?limit=2')).body;
    expect(page1.items).toHaveLength(2);
    const page2 = (await (await as('townA')).get(`/api/v1/party/members?limit=2&cursor=${page1.nextCursor}`)).body;
    expect(page2.items[0].id).toBeGreaterThan(page1.items[1].id);
    expect((await (await as('townA')).get('/api/v1/party/members?q=党员甲')).body.items.map((m: { id: number }) => m.id)).toEqual([m1]);
  });

  it('unlinks in scope only', async () => {
    const m = (await (await as('villageA1')).get(`/api/v1/party/members/${m1}`)).body;
    const linkId = m.households[0].linkId;
    expect((await (await as('villageA2')).delete(`/api/v1/party/links/${linkId}`)).status).toBe(404);
    expect((await (await as('gridA1')).delete(`/api/v1/party/links/${linkId}`)).status).toBe(404);
    expect((await (await as('villageA1')).delete(`/api/v1/party/links/${linkId}`)).status).toBe(200);
    expect((await (await as('villageA1')).delete(`/api/v1/party/links/${linkId}`)).status).toBe(404);
    expect(await auditCount('party_link.delete')).toBe(1);
  });

  it('frees the households of a member who transfers out', async () => {
    const c = await as('villageA2');
    const m = (await c.get(`/api/v1/party/members/${mA2}`)).body;
    expect(m.linkedCount).toBe(2);
    const r = await c.patch(`/api/v1/party/members/${mA2}`, { version: m.version, status: 'transferred' });
    expect(r.body).toMatchObject({ status: 'transferred', linkedCount: 0, households: [], can: { edit: true, link: false } });
    const cov = (await c.get('/api/v1/party/coverage')).body;
    expect(cov).toMatchObject({ households: 2, covered: 0, members: 0 });
    expect(await auditCount('party_link.release')).toBe(1);
  });

  it('keeps a member with links in their village when their org changes', async () => {
    const c = await as('townA');
    const m = (await c.get(`/api/v1/party/members/${m1}`)).body;
    const r = await c.patch(`/api/v1/party/members/${m1}`, { version: m.version, orgId: orgA2 });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('MEMBER_HAS_LINKS');
    // without links the member simply moves to the other village's branch
    const free = await buildMember(database.db, world, orgA1, { name: '无联户党员' });
    const moved = await c.patch(`/api/v1/party/members/${free}`, { version: 1, orgId: orgA2 });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ orgName: '二村党支部', villageName: '二村' });
  });
});

describe('scope matrix', () => {
  let memberA1: number, linkHousehold: number;
  beforeAll(async () => {
    memberA1 = await buildMember(database.db, world, orgA1, { name: '矩阵党员', linkQuota: 1 });
    linkHousehold = world.households.hA1c;
  });

  // own village / other village / other township, for every world role but the TOTP-bound admin
  const read: Record<string, number> = {
    dept: 200, townA: 200, townB: 404, villageA1: 200, villageA2: 404, villageB1: 404,
    gridA1: 200, evalA1: 200, mediatorA1: 200, partyA1: 404, villagerA1: 404, villagerB1: 404,
  };
  for (const [user, status] of Object.entries(read)) {
    it(`${user} reading a 一村 member → ${status}`, async () => {
      const c = await as(user);
      const r = await c.get(`/api/v1/party/members/${memberA1}`);
      expect(r.status).toBe(status);
      if (status === 404) expect(r.body.code).toBe('NOT_FOUND');
      const list = await c.get('/api/v1/party/members?limit=200');
      expect(list.body.items.some((m: { id: number }) => m.id === memberA1)).toBe(status === 200);
    });
  }

  const write: Record<string, number> = {
    dept: 404, townA: 200, townB: 404, villageA1: 200, villageA2: 404, villageB1: 404,
    gridA1: 404, evalA1: 404, mediatorA1: 404, partyA1: 404, villagerA1: 404, villagerB1: 404,
  };
  for (const [user, status] of Object.entries(write)) {
    it(`${user} editing a 一村 member → ${status}`, async () => {
      const c = await as(user);
      const version = (await database.db.selectFrom('party_members').select('version').where('id', '=', memberA1).executeTakeFirstOrThrow()).version;
      const r = await c.patch(`/api/v1/party/members/${memberA1}`, { version, linkQuota: 1 });
      expect(r.status).toBe(status);
      const l = await c.post('/api/v1/party/links', { memberId: memberA1, householdIds: [linkHousehold] });
      if (status === 404) expect(l.body.code).toBe('PARTY_MEMBER_NOT_FOUND');
      else expect([201, 409]).toContain(l.status);
    });
  }
});

describe('API surface', () => {
  it('documents every party, assignment, department and account route in OpenAPI with Chinese tags', async () => {
    const spec = (await new Client(app).get('/api/openapi.json')).body;
    for (const p of ['/api/v1/party/orgs', '/api/v1/party/members/{id}', '/api/v1/party/links', '/api/v1/party/coverage', '/api/v1/party/uncovered-households',
      '/api/v1/party/members-under-quota', '/api/v1/assignments', '/api/v1/departments/{id}/villages', '/api/v1/accounts/{id}/grants/{grantId}', '/api/v1/roles', '/api/v1/permissions']) {
      expect(Object.keys(spec.paths)).toContain(p);
      for (const op of Object.values(spec.paths[p]) as { tags?: string[]; summary?: string }[]) {
        expect(op.tags?.[0]).toMatch(/[\u4e00-\u9fa5]/);
        expect(op.summary).toMatch(/[\u4e00-\u9fa5]/);
      }
    }
  });

  it('replays a retried link request with the same Idempotency-Key instead of acting twice', async () => {
    const c = await as('villageB1');
    const m = await buildMember(database.db, world, orgB1, { name: '幂等党员' });
    const body = { memberId: m, householdIds: [world.households.hB1a] };
    const first = await c.post('/api/v1/party/links', body, { 'idempotency-key': 'link-retry-1' });
    const retry = await c.post('/api/v1/party/links', body, { 'idempotency-key': 'link-retry-1' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
  });
});
