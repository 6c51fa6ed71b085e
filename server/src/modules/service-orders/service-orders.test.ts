import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import type { Kdb } from '../../db/database.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let w: World;
const c: Record<string, Client> = {};
let linked: number;
let other: number;
let farAway: number;

/** A branch in 一村 with two members: partyA1's member (linked to hA1a) and another; one in 三村. */
async function party(db: Kdb, w: World) {
  const org = async (v: { id: number; path: string }) => (await db.insertInto('party_orgs').values({ county_id: w.countyId, region_id: v.id, region_path: v.path, kind: 'branch', name: '党支部' }).returning('id').executeTakeFirstOrThrow()).id;
  const resident = async (hh: number) => (await db.selectFrom('residents').select('id').where('household_id', '=', hh).orderBy('id').executeTakeFirstOrThrow()).id;
  const member = async (orgId: number, path: string, residentId: number, name: string) =>
    (await db.insertInto('party_members').values({ county_id: w.countyId, org_id: orgId, region_path: path, resident_id: residentId, name }).returning('id').executeTakeFirstOrThrow()).id;
  const a1 = await org(w.regions.villageA1);
  const r1 = await resident(w.households.hA1b);
  linked = await member(a1, w.regions.groupA1.path, r1, '李秀英');
  other = await member(a1, w.regions.groupA1.path, await resident(w.households.hA1c), '王德明');
  farAway = await member(await org(w.regions.villageB1), w.regions.groupB1.path, await resident(w.households.hB1b), '杨国庆');
  await db.insertInto('member_household_links').values({ county_id: w.countyId, member_id: linked, household_id: w.households.hA1a, region_path: w.regions.groupA1.path }).execute();
  await db.updateTable('users').set({ resident_id: r1 }).where('id', '=', w.users.partyA1!).execute();
}

beforeAll(async () => {
  database = await testDatabase();
  w = await buildWorld(database.db);
  await party(database.db, w);
  app = await testApp(database);
  for (const u of ['villagerA1', 'villagerB1', 'villageA1', 'villageB1', 'partyA1', 'townA']) c[u] = await new Client(app).login(u);
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('三单: request → assign → take → complete → rate', () => {
  it('runs the loop, preferring the member linked to the household', async () => {
    const body = { kind: '助老助残', title: '帮忙代购降压药', description: '老人行动不便，需每月代购药品', clientId: 'order-client-0001' };
    const r = await c.villagerA1!.post('/api/v1/service-orders', body, { 'idempotency-key': 'o-1' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const again = await c.villagerA1!.post('/api/v1/service-orders', body, { 'idempotency-key': 'o-2' });
    expect(again.body).toMatchObject({ id: r.body.id, replayed: true });
    const id = r.body.id;

    // scope
    expect((await c.villagerB1!.get(`/api/v1/service-orders/${id}`)).status).toBe(404);
    expect((await c.villageB1!.post(`/api/v1/service-orders/${id}/assign`, {})).status).toBe(404);
    expect((await c.villagerA1!.post(`/api/v1/service-orders/${id}/assign`, {})).body.code).toBe('WORKFLOW_FORBIDDEN');
    expect((await c.partyA1!.post(`/api/v1/service-orders/${id}/take`, {})).status).toBe(404); // not assigned to them yet

    const cand = await c.villageA1!.get(`/api/v1/service-orders/${id}/candidates`);
    expect(cand.body.items[0]).toMatchObject({ memberId: linked, linked: true });
    expect(cand.body.items.map((m: { memberId: number }) => m.memberId)).not.toContain(farAway);
    expect((await c.villageA1!.post(`/api/v1/service-orders/${id}/assign`, { memberId: farAway })).body.code).toBe('SERVICE_ORDER_MEMBER_NOT_FOUND');
    const as = await c.villageA1!.post(`/api/v1/service-orders/${id}/assign`, {});
    expect(as.body.order).toMatchObject({ state: 'assigned', memberId: linked, memberName: '李秀英' });
    expect((await c.villageA1!.post(`/api/v1/service-orders/${id}/assign`, {})).body.code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');

    const mine = await c.partyA1!.get('/api/v1/service-orders?list=member');
    expect(mine.body.items.map((o: { id: number }) => o.id)).toEqual([id]);
    const note = await c.partyA1!.get('/api/v1/notifications');
    expect(note.body.items.some((n: { entityId: number; kind: string }) => n.entityId === id && n.kind === 'service_order.assign')).toBe(true);
    expect((await c.partyA1!.post(`/api/v1/service-orders/${id}/take`, {})).body.state).toBe('taken');
    expect((await c.partyA1!.post(`/api/v1/service-orders/${id}/complete`, {})).body.code).toBe('CASE_RESULT_REQUIRED');
    expect((await c.partyA1!.post(`/api/v1/service-orders/${id}/complete`, { result: '已代购一个月药品送到家' })).body.state).toBe('completed');
    expect((await c.partyA1!.post(`/api/v1/service-orders/${id}/rate`, { rating: 5 })).body.code).toBe('WORKFLOW_FORBIDDEN');
    const done = await c.villagerA1!.post(`/api/v1/service-orders/${id}/rate`, { rating: 5, comment: '很贴心' });
    expect(done.body.order).toMatchObject({ state: 'closed', rating: 5 });
    expect(done.body.order.history.map((h: { action: string }) => h.action)).toEqual(['request', 'assign', 'take', 'complete', 'rate']);
  });

  it('a member may decline; the branch then picks another member', async () => {
    const r = await c.villagerA1!.post('/api/v1/service-orders', { kind: '家电维修', title: '电视机没有信号' });
    const id = r.body.id;
    await c.villageA1!.post(`/api/v1/service-orders/${id}/assign`, {});
    expect((await c.partyA1!.post(`/api/v1/service-orders/${id}/decline`, {})).body.code).toBe('CASE_COMMENT_REQUIRED');
    const dec = await c.partyA1!.post(`/api/v1/service-orders/${id}/decline`, { comment: '这周在外地' });
    expect(dec.body).toMatchObject({ state: 'requested', order: null });
    const as = await c.villageA1!.post(`/api/v1/service-orders/${id}/assign`, { memberId: other });
    expect(as.body.order).toMatchObject({ state: 'assigned', memberName: '王德明' });
    expect((await c.villagerA1!.post(`/api/v1/service-orders/${id}/cancel`, {})).body.state).toBe('cancelled');
  });

  it('refuses bad input', async () => {
    expect((await c.villagerA1!.post('/api/v1/service-orders', { kind: '算命', title: '看看运势' })).body.code).toBe('VALIDATION_FAILED');
    expect((await c.villageA1!.post('/api/v1/service-orders', { kind: '其他', title: '干部不能点单' })).status).toBe(403);
    expect((await c.townA!.get('/api/v1/service-orders?list=village')).body.items.length).toBeGreaterThanOrEqual(2);
    expect((await c.villageB1!.get('/api/v1/service-orders?list=village')).body.items).toHaveLength(0);
  });
});
