import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import { sql } from 'kysely';
import { liveCounts, rebuildRegionCounts } from './queries.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
const clients: Record<string, Client> = {};
const as = async (u: string) => (clients[u] ??= await new Client(app).login(u));

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
}, 600_000); // a loaded CI machine can take minutes to build the world
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('GET /regions/tree', () => {
  it('gives a township cadre their township as the root, with counts', async () => {
    const c = await as('townA');
    const r = await c.get('/api/v1/regions/tree');
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(1);
    expect(r.body[0]).toMatchObject({ id: world.regions.townA.id, name: '甲镇', level: 'township', childCount: 2, householdCount: 5, residentCount: 15, gridCount: 2, partyMemberCount: 0 });
  });

  it('lists children with counts per child in one request', async () => {
    const c = await as('townA');
    const r = await c.get(`/api/v1/regions/tree?parentId=${world.regions.townA.id}`);
    expect(r.status).toBe(200);
    expect(r.body.map((n: any) => [n.name, n.householdCount, n.residentCount, n.gridCount, n.childCount])).toEqual([
      ['一村', 3, 9, 1, 1],
      ['二村', 2, 6, 1, 1],
    ]);
  });

  it('counts only active households and living residents', async () => {
    await database.db.updateTable('households').set({ status: 'moved' }).where('id', '=', world.households.hB1b).execute();
    const c = await as('townB');
    const r = await c.get(`/api/v1/regions/tree?parentId=${world.regions.townB.id}`);
    expect(r.body[0]).toMatchObject({ name: '三村', householdCount: 1, residentCount: 6 });
    await database.db.updateTable('households').set({ status: 'active' }).where('id', '=', world.households.hB1b).execute();
  });

  it('answers 404 for a node outside the grants and for an unknown id, 403 without the permission', async () => {
    const c = await as('townA');
    const out = await c.get(`/api/v1/regions/tree?parentId=${world.regions.townB.id}`);
    expect(out.status).toBe(404);
    expect(out.body.code).toBe('REGION_NOT_FOUND');
    expect(out.body.message).toMatch(/区划/);
    const missing = await c.get('/api/v1/regions/tree?parentId=999999');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('REGION_NOT_FOUND');
    const villager = await as('villagerA1');
    expect((await villager.get('/api/v1/regions/tree')).status).toBe(403);
    const bad = await c.get('/api/v1/regions/tree?parentId=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /regions/:id', () => {
  it('returns ancestors and counts', async () => {
    const c = await as('villageA1');
    const r = await c.get(`/api/v1/regions/${world.regions.groupA1.id}`);
    expect(r.status).toBe(200);
    expect(r.body.ancestors.map((a: any) => a.name)).toEqual(['洞口县', '甲镇', '一村']);
    expect(r.body.counts).toMatchObject({ householdCount: 3, residentCount: 9, childCount: 0 });
    expect(r.body.path).toBe(world.regions.groupA1.path);
  });
  it('hides other villages', async () => {
    const c = await as('villageA1');
    expect((await c.get(`/api/v1/regions/${world.regions.villageA2.id}`)).status).toBe(404);
    expect((await c.get(`/api/v1/regions/${world.regions.townA.id}`)).status).toBe(404);
  });
});

describe('GET /regions/search', () => {
  it('finds in-scope nodes with their ancestor text', async () => {
    const c = await as('townA');
    const r = await c.get(`/api/v1/regions/search?q=${encodeURIComponent('村')}`);
    expect(r.status).toBe(200);
    expect(r.body.map((h: any) => h.ancestorsText)).toEqual(['洞口县/甲镇/一村', '洞口县/甲镇/二村']);
    const lvl = await c.get(`/api/v1/regions/search?q=${encodeURIComponent('组')}&level=group`);
    expect(lvl.body.every((h: any) => h.level === 'group')).toBe(true);
    expect(lvl.body).toHaveLength(2);
  });
  it('never returns nodes outside the grants, and treats % literally', async () => {
    const c = await as('villageB1');
    const r = await c.get(`/api/v1/regions/search?q=${encodeURIComponent('村')}`);
    expect(r.body.map((h: any) => h.name)).toEqual(['三村']);
    expect((await c.get('/api/v1/regions/search?q=%25')).body).toEqual([]);
    expect((await c.get('/api/v1/regions/search')).status).toBe(400);
  });
});

describe('POST /regions (villager group)', () => {
  it('creates a group with the next 3-digit code and audits it', async () => {
    const c = await as('villageA1');
    const r = await c.post('/api/v1/regions', { parentId: world.regions.villageA1.id, name: '二组' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ code: '430525100201002', name: '二组', level: 'group', parentId: world.regions.villageA1.id });
    const row = await database.db.selectFrom('regions').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
    expect(row.path).toBe(`${world.regions.villageA1.path}${r.body.id}/`);
    const a = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'region.create').where('entity_id', '=', String(r.body.id)).executeTakeFirstOrThrow();
    expect(a.region_path).toBe(row.path);
  });
  it('refuses a duplicate name, a non-village parent, an out-of-scope village and a reader', async () => {
    const c = await as('villageA1');
    const count = async () => (await database.db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const dup = await c.post('/api/v1/regions', { parentId: world.regions.villageA1.id, name: '一组' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('REGION_NAME_TAKEN');
    const notVillage = await c.post('/api/v1/regions', { parentId: world.regions.groupA1.id, name: '三组' });
    expect(notVillage.status).toBe(400);
    expect(notVillage.body.code).toBe('REGION_PARENT_NOT_VILLAGE');
    const other = await c.post('/api/v1/regions', { parentId: world.regions.villageA2.id, name: '三组' });
    expect(other.status).toBe(404);
    const reader = await (await as('evalA1')).post('/api/v1/regions', { parentId: world.regions.villageA1.id, name: '三组' });
    expect(reader.status).toBe(403);
    const extra = await c.post('/api/v1/regions', { parentId: world.regions.villageA1.id, name: '三组', code: '1' });
    expect(extra.status).toBe(400);
    const blank = await c.post('/api/v1/regions', { parentId: world.regions.villageA1.id, name: '  ' });
    expect(blank.status).toBe(400);
    expect(await count()).toBe(before);
  });
});

describe('GET /regions/:id/children-geo', () => {
  it('returns a FeatureCollection with counts, points from centres', async () => {
    await database.db.updateTable('regions').set({ center_lat: 27.06, center_lng: 110.57 }).where('id', '=', world.regions.villageA1.id).execute();
    const c = await as('townA');
    const r = await c.get(`/api/v1/regions/${world.regions.townA.id}/children-geo`);
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('FeatureCollection');
    const one = r.body.features.find((f: any) => f.id === world.regions.villageA1.id);
    expect(one.geometry).toEqual({ type: 'Point', coordinates: [110.57, 27.06] });
    expect(one.properties).toMatchObject({ name: '一村', householdCount: 3 });
    const two = r.body.features.find((f: any) => f.id === world.regions.villageA2.id);
    expect(two.geometry).toBeNull();
    expect((await c.get(`/api/v1/regions/${world.regions.townB.id}/children-geo`)).status).toBe(404);
  });
});

describe('region_counts (trigger-kept rollup behind the tree counts)', () => {
  const nodes = () => Object.values(world.regions);
  async function expectInStep() {
    for (const r of nodes()) {
      const live = await liveCounts(database.db, r.path);
      const rolled = await sql<{ households: number; residents: number; grids: number; party_members: number }>`
        SELECT coalesce(sum(households), 0)::int AS households, coalesce(sum(residents), 0)::int AS residents,
               coalesce(sum(grids), 0)::int AS grids, coalesce(sum(party_members), 0)::int AS party_members
        FROM region_counts WHERE region_path LIKE ${r.path + '%'}`.execute(database.db);
      expect([r.path, rolled.rows[0]]).toEqual([r.path, live]);
    }
  }

  it('stays in step through inserts, status changes, moves between places and deletes', async () => {
    await expectInStep();
    const db = database.db;
    // a household moved to another group (region_path change), one marked moved, residents dying
    await db.updateTable('households').set({ region_id: world.regions.groupA2.id, region_path: world.regions.groupA2.path }).where('id', '=', world.households.hA1c).execute();
    await db.updateTable('residents').set({ region_path: world.regions.groupA2.path }).where('household_id', '=', world.households.hA1c).execute();
    await db.updateTable('households').set({ status: 'moved' }).where('id', '=', world.households.hB1a).execute();
    await db.updateTable('residents').set({ status: 'deceased' }).where('household_id', '=', world.households.hA2b).execute();
    await db.updateTable('residents').set({ status: 'away' }).where('household_id', '=', world.households.hA2a).execute();
    await db.insertInto('grids').values({ county_id: world.countyId, region_id: world.regions.villageB1.id, region_path: world.regions.villageB1.path, level: 'micro', code: 'RC-1', name: '计数' }).execute();
    const org = await db.insertInto('party_orgs').values({ county_id: world.countyId, region_id: world.regions.villageA1.id, region_path: world.regions.villageA1.path, kind: 'branch', name: '一村党支部' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('party_members').values([
      { county_id: world.countyId, org_id: org.id, region_path: world.regions.villageA1.path, name: '党员甲' },
      { county_id: world.countyId, org_id: org.id, region_path: world.regions.villageA1.path, name: '党员乙', status: 'away' },
    ]).execute();
    await db.deleteFrom('grids').where('code', '=', 'RC-1').execute();
    // a no-op update must not create or touch rows
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM region_counts`.execute(db);
    await db.updateTable('households').set({ address: sql`address` }).execute();
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM region_counts`.execute(db)).rows[0]!.n).toBe(before.rows[0]!.n);
    await expectInStep();
    const tree = await (await as('townA')).get(`/api/v1/regions/tree?parentId=${world.regions.townA.id}`);
    const one = tree.body.find((n: any) => n.name === '一村');
    expect(one).toMatchObject({ partyMemberCount: 1 });
  });

  it('can be rebuilt from the rows', async () => {
    await sql`UPDATE region_counts SET households = households + 7`.execute(database.db);
    await rebuildRegionCounts(database.db);
    await expectInStep();
  });
});
