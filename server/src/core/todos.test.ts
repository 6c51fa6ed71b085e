/**
 * 待办 (GET /me/todos): each module's waiting work for the caller, counted within their scope —
 * a village cadre sees their village's inbox and overdue cases, another township's cadre none of
 * them, a villager no staff lines at all.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../testing/harness.js';
import type { App } from './module.js';
import { buildCase, buildCaseWorld, type CaseWorld } from '../modules/cases/testing/factories.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let w: CaseWorld;

beforeAll(async () => {
  database = await testDatabase();
  w = await buildCaseWorld(database.db);
  const A1 = { categoryId: w.categories.HJ01!, regionId: w.regions.groupA1.id, regionPath: w.regions.groupA1.path, createdAt: new Date(Date.now() - 10 * 86_400_000) };
  await buildCase(database.db, w.countyId, { ...A1, state: 'pending', dueAt: new Date(Date.now() + 5 * 86_400_000) });
  await buildCase(database.db, w.countyId, { ...A1, state: 'handling', dueAt: new Date(Date.now() - 86_400_000) });
  await buildCase(database.db, w.countyId, { ...A1, state: 'closed', dueAt: new Date(Date.now() - 86_400_000) });
  // The villager's own report, resolved: waiting for their rating.
  await buildCase(database.db, w.countyId, { ...A1, state: 'resolved', dueAt: new Date(Date.now() + 86_400_000), resolvedAt: new Date(), reporterUserId: w.users.villagerA1 });
  app = await testApp(database);
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const todos = async (username: string) => {
  const r = await (await new Client(app).login(username)).get('/api/v1/me/todos');
  expect(r.status).toBe(200);
  return Object.fromEntries((r.body.items as { key: string; count: number; tone: string; path: string }[]).map((t) => [t.key, t]));
};

it('counts the village cadre\'s inbox and overdue cases, with where to go', async () => {
  const t = await todos('villageA1');
  expect(t['cases.inbox']).toMatchObject({ count: 2, path: '/cases/inbox', phonePath: null, tone: 'warning' });
  expect(t['cases.overdue']).toMatchObject({ count: 1, path: '/cases/supervision', tone: 'danger' });
  // Applications to accept: a village cadre manages village-level mediation.
  expect(t['mediation.accept']).toMatchObject({ count: 0, tone: 'default' });
  expect(t['deliberation.open']).toMatchObject({ count: 0, path: '/deliberation' });
});

it('keeps to scope: another township\'s cadre counts none of them', async () => {
  const t = await todos('townB');
  expect(t['cases.inbox']?.count ?? 0).toBe(0);
  expect(t['cases.overdue']?.count ?? 0).toBe(0);
});

it('gives a villager no staff lines, only their own: a result to rate, on the phone', async () => {
  const t = await todos('villagerA1');
  expect(Object.keys(t).filter((k) => ['cases.inbox', 'cases.overdue', 'points.review', 'mediation.accept', 'service_orders.assign', 'visits.followUp', 'deliberation.open'].includes(k))).toEqual([]);
  expect(t['cases.rate']).toMatchObject({ count: 1, phonePath: '/cases/mine', tone: 'warning' });
  // Another villager has nothing to rate, so no line at all.
  expect((await todos('villagerB1'))['cases.rate']).toBeUndefined();
});

it('refuses without a session', async () => {
  expect((await new Client(app).get('/api/v1/me/todos')).status).toBe(401);
});
