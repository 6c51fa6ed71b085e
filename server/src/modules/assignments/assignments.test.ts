import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import { buildMember, buildOrg } from '../party/testing/factories.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
const clients: Record<string, Client> = {};
let memberA1: number, memberA2: number;

async function as(username: string): Promise<Client> {
  clients[username] ??= await new Client(app).login(username);
  return clients[username]!;
}

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
  memberA1 = await buildMember(database.db, world, await buildOrg(database.db, world, world.regions.villageA1, '一村党支部'), { name: '党员甲' });
  memberA2 = await buildMember(database.db, world, await buildOrg(database.db, world, world.regions.villageA2, '二村党支部'), { name: '党员乙' });
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('包保 levels', () => {
  let townVillage: number, groupAssignment: number, householdAssignment: number;

  it('a township assigns its cadre to a village', async () => {
    const r = await (await as('townA')).post('/api/v1/assignments', {
      level: 'township_village', targetId: world.regions.villageA1.id, patronUserId: world.users.townA, patronTitle: '副镇长', startsOn: '2026-01-01',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      level: 'township_village', patronName: 'townA', patronTitle: '副镇长', patronUserId: world.users.townA,
      target: { type: 'region', id: world.regions.villageA1.id, name: '一村' }, startsOn: '2026-01-01', endsOn: null, active: true,
    });
    townVillage = r.body.id;
    const dup = await (await as('townA')).post('/api/v1/assignments', { level: 'township_village', targetId: world.regions.villageA1.id, patronUserId: world.users.townA });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('ASSIGNMENT_EXISTS');
  });

  it('a village assigns a cadre to a group, and a party member to a household of the village', async () => {
    const c = await as('villageA1');
    const g = await c.post('/api/v1/assignments', { level: 'village_group', targetId: world.regions.groupA1.id, patronUserId: world.users.villageA1 });
    expect(g.status).toBe(201);
    groupAssignment = g.body.id;
    const h = await c.post('/api/v1/assignments', { level: 'member_household', targetId: world.households.hA1a, patronMemberId: memberA1 });
    expect(h.status).toBe(201);
    expect(h.body).toMatchObject({ patronName: '党员甲', patronMemberId: memberA1, target: { type: 'household', id: world.households.hA1a, name: '张建国' } });
    householdAssignment = h.body.id;
  });

  it('refuses targets of the wrong kind, patrons who do not fit, and decisions above the caller', async () => {
    const v = await as('villageA1');
    expect((await v.post('/api/v1/assignments', { level: 'village_group', targetId: world.regions.villageA1.id, patronName: '某人' })).status).toBe(404);
    const t = await as('townA');
    expect((await t.post('/api/v1/assignments', { level: 'township_village', targetId: world.regions.groupA1.id, patronName: '某人' })).body.code).toBe('ASSIGNMENT_TARGET_LEVEL');
    // a county leader → township is the county's call, not the township's
    const up = await t.post('/api/v1/assignments', { level: 'county_township', targetId: world.regions.townA.id, patronName: '县长' });
    expect(up.status).toBe(404);
    expect(up.body.code).toBe('ASSIGNMENT_TARGET_NOT_FOUND');
    // a village cadre of 二村 does not patronise a 一村 group; a 一村 member no household of 二村
    expect((await t.post('/api/v1/assignments', { level: 'village_group', targetId: world.regions.groupA1.id, patronUserId: world.users.villageA2 })).body.code).toBe('PATRON_NOT_FOUND');
    expect((await t.post('/api/v1/assignments', { level: 'member_household', targetId: world.households.hA2a, patronMemberId: memberA1 })).body.code).toBe('PATRON_MEMBER_NOT_FOUND');
    expect((await t.post('/api/v1/assignments', { level: 'member_household', targetId: world.households.hA2a })).body.code).toBe('PATRON_REQUIRED');
    expect((await t.post('/api/v1/assignments', { level: 'village_group', targetId: world.regions.groupA1.id })).body.code).toBe('PATRON_REQUIRED');
    expect((await t.post('/api/v1/assignments', { level: 'village_group', targetId: world.regions.groupA1.id, patronName: '某', startsOn: '2026-02-31' })).body.code).toBe('STARTS_ON_INVALID');
    expect((await t.post('/api/v1/assignments', { level: 'region_county', targetId: 1, patronName: '某' })).body.code).toBe('VALIDATION_FAILED');
    // grid workers and others without assignments.manage decide nothing
    expect((await (await as('gridA1')).post('/api/v1/assignments', { level: 'member_household', targetId: world.households.hA1b, patronMemberId: memberA1 })).status).toBe(404);
    expect((await (await as('townB')).post('/api/v1/assignments', { level: 'member_household', targetId: world.households.hA2a, patronMemberId: memberA2 })).status).toBe(404);
  });

  it('lists by level and place within scope', async () => {
    const town = await (await as('townA')).get('/api/v1/assignments');
    expect(town.body.items.map((a: { id: number }) => a.id)).toEqual([townVillage, groupAssignment, householdAssignment]);
    const lvl = await (await as('townA')).get('/api/v1/assignments?level=member_household');
    expect(lvl.body.items.map((a: { id: number }) => a.id)).toEqual([householdAssignment]);
    expect((await (await as('villageA2')).get('/api/v1/assignments')).body.items).toEqual([]);
    expect((await (await as('townB')).get(`/api/v1/assignments/${townVillage}`)).status).toBe(404);
    expect((await (await as('gridA1')).get(`/api/v1/assignments/${townVillage}`)).status).toBe(200);
    expect((await (await as('villagerA1')).get(`/api/v1/assignments/${householdAssignment}`)).status).toBe(404);
    expect((await (await as('villageA2')).get(`/api/v1/assignments?regionId=${world.regions.villageA1.id}`)).status).toBe(404);
  });

  it('ends an assignment and keeps it as history', async () => {
    // a village cadre sees the township's assignment of their village but may not end it
    expect((await (await as('villageA1')).delete(`/api/v1/assignments/${townVillage}`)).status).toBe(404);
    const r = await (await as('villageA1')).delete(`/api/v1/assignments/${groupAssignment}`);
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    expect(r.body.endsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const again = await (await as('villageA1')).delete(`/api/v1/assignments/${groupAssignment}`);
    expect(again.body.code).toBe('ASSIGNMENT_ENDED');
    const c = await as('townA');
    expect((await c.get('/api/v1/assignments')).body.items.map((a: { id: number }) => a.id)).not.toContain(groupAssignment);
    expect((await c.get('/api/v1/assignments?status=ended')).body.items.map((a: { id: number }) => a.id)).toEqual([groupAssignment]);
    expect((await c.get('/api/v1/assignments?status=all')).body.items).toHaveLength(3);
    // the slot is free again for the same patron
    expect((await (await as('villageA1')).post('/api/v1/assignments', { level: 'village_group', targetId: world.regions.groupA1.id, patronUserId: world.users.villageA1 })).status).toBe(201);
    const audits = await database.db.selectFrom('audit_log').select('action').where('entity', '=', 'patron_assignment').execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['assignment.create', 'assignment.create', 'assignment.create', 'assignment.create', 'assignment.end']);
  });

  it("ends a party member's 包户 assignments when the member transfers out", async () => {
    const c = await as('villageA1');
    const m = (await c.get(`/api/v1/party/members/${memberA1}`)).body;
    expect((await c.patch(`/api/v1/party/members/${memberA1}`, { version: m.version, status: 'transferred' })).status).toBe(200);
    const a = (await c.get(`/api/v1/assignments/${householdAssignment}`)).body;
    expect(a.active).toBe(false);
    expect((await c.get(`/api/v1/assignments?patronMemberId=${memberA1}`)).body.items).toEqual([]);
    const row = await database.db.selectFrom('audit_log').select('note').where('action', '=', 'assignment.end').where('entity_id', '=', String(householdAssignment)).executeTakeFirstOrThrow();
    expect(row.note).toBe('党员转出，包户关系结束');
  });
});

describe('scope matrix: a township → 一村 assignment', () => {
  let id: number;
  beforeAll(async () => {
    id = (await (await as('townA')).post('/api/v1/assignments', { level: 'township_village', targetId: world.regions.villageA1.id, patronName: '矩阵干部' })).body.id;
  });
  // read: registry.read on 一村 ; end: assignments.manage on 甲镇 (the decider)
  const expected: Record<string, [number, number]> = {
    dept: [200, 404], townA: [200, 200], townB: [404, 404], villageA1: [200, 404], villageA2: [404, 404], villageB1: [404, 404],
    gridA1: [200, 404], evalA1: [200, 404], mediatorA1: [200, 404], partyA1: [404, 404], villagerA1: [404, 404], villagerB1: [404, 404],
  };
  for (const [user, [read, end]] of Object.entries(expected)) {
    it(`${user} reads ${read}, ends ${end}`, async () => {
      const c = await as(user);
      expect((await c.get(`/api/v1/assignments/${id}`)).status).toBe(read);
      expect((await c.get('/api/v1/assignments?limit=200')).body.items?.some((a: { id: number }) => a.id === id) ?? false).toBe(read === 200);
      if (user !== 'townA') expect((await c.delete(`/api/v1/assignments/${id}`)).status).toBe(end);
    });
  }
});
