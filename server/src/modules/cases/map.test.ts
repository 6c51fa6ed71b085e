/**
 * 挂图作战: the open cases per village (open, yellow, red, supervised) at the village's centre, and
 * the open cases with their own coordinates — scoped like every case list.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import type { App } from '../../core/module.js';
import { buildCase, buildCaseWorld, type CaseWorld } from './testing/factories.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let w: CaseWorld;
const HOUR = 3_600_000;
const at = (hours: number) => new Date(Date.now() + hours * HOUR);

beforeAll(async () => {
  database = await testDatabase();
  w = await buildCaseWorld(database.db);
  const db = database.db;
  await db.updateTable('regions').set({ center_lat: 27.1, center_lng: 110.6 }).where('id', '=', w.regions.villageA1.id).execute();
  const A1 = { categoryId: w.categories.JC04!, regionId: w.regions.groupA1.id, regionPath: w.regions.groupA1.path, createdAt: at(-240) };
  await buildCase(db, w.countyId, { ...A1, state: 'handling', dueAt: at(-5), lat: 27.11, lng: 110.61 }); // red, with a place
  await buildCase(db, w.countyId, { ...A1, state: 'pending', dueAt: at(10) }); // yellow
  await buildCase(db, w.countyId, { ...A1, state: 'pending', dueAt: at(100) }); // green
  await buildCase(db, w.countyId, { ...A1, state: 'suspended', dueAt: at(-50) }); // clock stopped: not red
  await buildCase(db, w.countyId, { ...A1, state: 'closed', dueAt: at(-100), resolvedAt: at(-120), closedAt: at(-110) }); // not open
  const supervised = await buildCase(db, w.countyId, { ...A1, state: 'handling', dueAt: at(200) });
  await db.updateTable('cases').set({ supervised_at: new Date() }).where('id', '=', supervised).execute();
  // Another township's village: never on townA's map.
  await buildCase(db, w.countyId, { categoryId: w.categories.JC04!, regionId: w.regions.groupB1.id, regionPath: w.regions.groupB1.path, createdAt: at(-10), state: 'handling', dueAt: at(-1), lat: 27.5, lng: 110.9 });
  app = await testApp(database);
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

it('sums the open cases per village by light, at the village centre, and lists the placed ones', async () => {
  const c = await new Client(app).login('townA');
  const r = await c.get('/api/v1/cases/map');
  expect(r.status).toBe(200);
  expect(r.body.villages).toEqual([
    { id: w.regions.villageA1.id, name: '一村', townshipName: expect.any(String), lat: 27.1, lng: 110.6, open: 5, yellow: 1, red: 1, supervised: 1 },
  ]);
  expect(r.body.points).toEqual([expect.objectContaining({ lat: 27.11, lng: 110.61, light: 'red', supervised: false })]);
});

it('keeps to the caller\'s scope and to the region asked for', async () => {
  const b = await (await new Client(app).login('villageB1')).get('/api/v1/cases/map');
  expect(b.body.villages.map((v: { name: string }) => v.name)).toEqual(['三村']);
  expect(b.body.points).toHaveLength(1);
  const a = await (await new Client(app).login('villageA1')).get(`/api/v1/cases/map?regionId=${w.regions.villageB1.id}`);
  expect(a.body).toEqual({ villages: [], points: [] });
});

it('refuses a villager and a bad region', async () => {
  const v = await (await new Client(app).login('villagerA1')).get('/api/v1/cases/map');
  expect(v.status).toBe(403);
  const bad = await (await new Client(app).login('townA')).get('/api/v1/cases/map?regionId=abc');
  expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  const missing = await (await new Client(app).login('townA')).get('/api/v1/cases/map?regionId=999999');
  expect(missing.status).toBe(404);
});
