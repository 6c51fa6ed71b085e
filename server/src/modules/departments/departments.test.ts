import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase, TEST_PASSWORD } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import { currentTotp } from '../../core/auth/totp.js';
import type { App } from '../../core/module.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
let admin: Client;
const clients: Record<string, Client> = {};

async function as(username: string): Promise<Client> {
  clients[username] ??= await new Client(app).login(username);
  return clients[username]!;
}

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
  admin = new Client(app);
  await admin.post('/api/v1/auth/login', { username: 'admin', password: TEST_PASSWORD });
  const setup = await admin.post('/api/v1/auth/totp/setup');
  await admin.post('/api/v1/auth/totp/enable', { code: currentTotp(setup.body.secret) });
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('departments', () => {
  let created: number;

  it('the county admin creates, renames and links a department to villages, audited', async () => {
    const r = await admin.post('/api/v1/departments', { code: 'D002', name: '县农业农村局', phone: '0739-7221234' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ code: 'D002', name: '县农业农村局', phone: '0739-7221234', villageCount: 0, villages: [], canManage: true });
    created = r.body.id;
    expect((await admin.post('/api/v1/departments', { code: 'D002', name: '另一个局' })).body.code).toBe('DEPARTMENT_EXISTS');
    expect((await admin.post('/api/v1/departments', { code: 'D009', name: '县住建局' })).body.code).toBe('DEPARTMENT_EXISTS');
    const p = await admin.patch(`/api/v1/departments/${created}`, { name: '县农业农村局（乡村振兴局）', phone: null });
    expect(p.body).toMatchObject({ name: '县农业农村局（乡村振兴局）', phone: null });
    expect((await admin.patch(`/api/v1/departments/${created}`, { code: 'D001' })).body.code).toBe('DEPARTMENT_EXISTS');
    const v = await admin.put(`/api/v1/departments/${created}/villages`, { regionIds: [world.regions.villageA2.id, world.regions.villageB1.id, world.regions.villageB1.id] });
    expect(v.status).toBe(200);
    expect(v.body.villageCount).toBe(2);
    expect(v.body.villages.map((x: { name: string; townshipName: string }) => `${x.townshipName}/${x.name}`)).toEqual(['甲镇/二村', '乙镇/三村']);
    const v2 = await admin.put(`/api/v1/departments/${created}/villages`, { regionIds: [world.regions.villageA2.id] });
    expect(v2.body.villageCount).toBe(1);
    const audits = await database.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity', '=', 'department').where('entity_id', '=', String(created)).orderBy('id').execute();
    expect(audits.map((a) => a.action)).toEqual(['department.create', 'department.update', 'department.villages', 'department.villages']);
    expect(audits[3]).toMatchObject({ before: { regionIds: [world.regions.villageA2.id, world.regions.villageB1.id].sort((a, b) => a - b) }, after: { regionIds: [world.regions.villageA2.id] } });
  });

  it('refuses non-villages and unknown regions, writing nothing', async () => {
    const bad = await admin.put(`/api/v1/departments/${created}/villages`, { regionIds: [world.regions.villageA1.id, world.regions.townA.id] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('NOT_A_VILLAGE');
    expect((await admin.put(`/api/v1/departments/${created}/villages`, { regionIds: [987654] })).body.code).toBe('REGION_NOT_FOUND');
    expect((await admin.get(`/api/v1/departments/${created}`)).body.villageCount).toBe(1);
    expect((await admin.put('/api/v1/departments/999999/villages', { regionIds: [] })).status).toBe(404);
    expect((await admin.post('/api/v1/departments', { code: 'D 3', name: '县某局' })).body.code).toBe('VALIDATION_FAILED');
    expect((await admin.post('/api/v1/departments', { code: 'D003', name: '县某局', phone: 'call me' })).body.code).toBe('VALIDATION_FAILED');
  });

  it('lets registry readers list departments, showing linked villages in their scope only', async () => {
    const list = await (await as('villageA1')).get('/api/v1/departments');
    expect(list.body.items.map((d: { code: string }) => d.code)).toEqual(['D001', 'D002']);
    const byPlace = await (await as('townA')).get(`/api/v1/departments?regionId=${world.regions.villageA1.id}`);
    expect(byPlace.body.items.map((d: { code: string }) => d.code)).toEqual(['D001']);
    expect((await (await as('townB')).get(`/api/v1/departments?regionId=${world.regions.villageA1.id}`)).status).toBe(404);
    const d = await (await as('villageB1')).get(`/api/v1/departments/${world.departmentId}`);
    expect(d.body).toMatchObject({ name: '县住建局', villageCount: 1, villages: [], canManage: false });
    const own = await (await as('dept')).get(`/api/v1/departments/${world.departmentId}`);
    expect(own.body.villages.map((v: { name: string }) => v.name)).toEqual(['一村']);
    expect((await (await as('dept')).get('/api/v1/departments?q=住建')).body.items).toHaveLength(1);
  });

  it('refuses writes by anyone without departments.manage on the county, and reads by villagers', async () => {
    for (const u of ['townA', 'villageA1', 'dept', 'gridA1']) {
      const c = await as(u);
      expect((await c.post('/api/v1/departments', { code: 'D100', name: '县某某局' })).status).toBe(403);
      expect((await c.patch(`/api/v1/departments/${world.departmentId}`, { name: '改名局' })).status).toBe(403);
      const put = await c.put(`/api/v1/departments/${world.departmentId}/villages`, { regionIds: [] });
      expect(put.status).toBe(403);
      expect(put.body.code).toBe('FORBIDDEN');
    }
    for (const u of ['villagerA1', 'partyA1']) {
      expect((await (await as(u)).get('/api/v1/departments')).status).toBe(403);
      expect((await (await as(u)).get(`/api/v1/departments/${world.departmentId}`)).status).toBe(403);
    }
    expect((await admin.get(`/api/v1/departments/${world.departmentId}`)).body.villageCount).toBe(1);
  });
});
