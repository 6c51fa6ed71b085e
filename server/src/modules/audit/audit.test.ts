import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import { currentTotp } from '../../core/auth/totp.js';
import type { App } from '../../core/module.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
const clients: Record<string, Client> = {};
const as = async (u: string) => (clients[u] ??= await new Client(app).login(u));

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
  // Some history: edits in 一村 and 三村, a failed login (no place), and a security row
  const a1 = await as('villageA1');
  const b1 = await as('villageB1');
  await a1.patch(`/api/v1/households/${world.households.hA1a}`, { version: 1, address: '一村新址1号' });
  await a1.patch(`/api/v1/households/${world.households.hA1b}`, { version: 1, tags: ['低保户'] });
  await a1.post('/api/v1/regions', { parentId: world.regions.villageA1.id, name: '二组' });
  await b1.patch(`/api/v1/households/${world.households.hB1a}`, { version: 1, address: '三村新址' });
  await new Client(app).post('/api/v1/auth/login', { username: 'nobody', password: 'x' });
}, 600_000); // a loaded CI machine can take minutes to build the world
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('GET /audit', () => {
  it('shows a village cadre only the rows of their village, newest first', async () => {
    const r = await (await as('villageA1')).get('/api/v1/audit');
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: any) => i.action)).toEqual(['region.create', 'household.update', 'household.update']);
    const ids = r.body.items.map((i: any) => i.id);
    expect([...ids].sort((x: number, y: number) => y - x)).toEqual(ids);
    expect(r.body.items[1]).toMatchObject({ actorName: 'villageA1', entity: 'household', entityId: String(world.households.hA1b), after: { tags: ['低保户'] }, before: { tags: [] } });
    expect(r.body.items.every((i: any) => i.actorId === world.users.villageA1)).toBe(true);
  });

  it('lets a township see its villages but not the other township, nor placeless security rows', async () => {
    const r = await (await as('townA')).get('/api/v1/audit?limit=200');
    expect(r.body.items).toHaveLength(3);
    const b = await (await as('townB')).get('/api/v1/audit?limit=200');
    expect(b.body.items.map((i: any) => i.entityId)).toEqual([String(world.households.hB1a)]);
  });

  it('filters by entity, entityId, action (exact or prefix), actor, time and region', async () => {
    const c = await as('townA');
    const q = async (s: string) => (await c.get(`/api/v1/audit?${s}`)).body.items.map((i: any) => i.action);
    expect(await q('entity=region')).toEqual(['region.create']);
    expect(await q(`entity=household&entityId=${world.households.hA1a}`)).toEqual(['household.update']);
    expect(await q('action=household.')).toEqual(['household.update', 'household.update']);
    expect(await q('action=household')).toEqual([]);
    expect(await q(`actorId=${world.users.villageA1}`)).toHaveLength(3);
    expect(await q(`actorId=${world.users.villageB1}`)).toEqual([]);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // the county's (UTC+8) date
    expect(await q(`from=${today}&to=${today}`)).toHaveLength(3);
    expect(await q('to=2000-01-01')).toEqual([]);
    expect(await q(`regionId=${world.regions.villageA2.id}`)).toEqual([]);
    expect(await q(`regionId=${world.regions.villageA1.id}`)).toHaveLength(3);
  });

  it('pages by cursor', async () => {
    const c = await as('townA');
    const p1 = await c.get('/api/v1/audit?limit=2');
    expect(p1.body.items).toHaveLength(2);
    const p2 = await c.get(`/api/v1/audit?limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body.items).toHaveLength(1);
    expect(p2.body.nextCursor).toBeNull();
    expect(p2.body.items[0].id).toBeLessThan(p1.body.items[1].id);
  });

  it('refuses without audit.read (403), outside scope (404) and bad filters (400)', async () => {
    expect((await (await as('dept')).get('/api/v1/audit')).status).toBe(403);
    expect((await (await as('gridA1')).get('/api/v1/audit')).status).toBe(403);
    expect((await (await as('villagerA1')).get('/api/v1/audit')).status).toBe(403);
    const out = await (await as('villageA1')).get(`/api/v1/audit?regionId=${world.regions.villageB1.id}`);
    expect(out.status).toBe(404);
    expect(out.body.code).toBe('REGION_NOT_FOUND');
    const badDate = await (await as('villageA1')).get('/api/v1/audit?from=yesterday-ish');
    expect(badDate.status).toBe(400);
    expect(badDate.body.message).toMatch(/日期/);
    expect((await (await as('villageA1')).get('/api/v1/audit?actorId=x')).status).toBe(400);
    expect((await (await as('villageA1')).get('/api/v1/audit?secret=1')).status).toBe(400);
  });

  it('shows security rows (no place) to a county admin only', async () => {
    const admin = new Client(app);
    await admin.post('/api/v1/auth/login', { username: 'admin', password: 'Test@2026pass' });
    const setup = await admin.post('/api/v1/auth/totp/setup');
    expect((await admin.post('/api/v1/auth/totp/enable', { code: currentTotp(setup.body.secret) })).status).toBe(200);
    const r = await admin.get('/api/v1/audit?limit=200');
    expect(r.status).toBe(200);
    const actions = r.body.items.map((i: any) => i.action);
    expect(actions).toContain('auth.login_failed');
    expect(actions).toContain('household.update');
    expect(r.body.items.find((i: any) => i.action === 'auth.login_failed').note).toMatch(/nobody/);
  });
});
