import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import type { App } from '../../core/module.js';
import { buildCaseWorld, type CaseWorld } from '../cases/testing/factories.js';
import { addDays, today } from './service.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let w: CaseWorld;
const c: Record<string, Client> = {};
const day = (n: number) => addDays(today(), n);

beforeAll(async () => {
  database = await testDatabase();
  w = await buildCaseWorld(database.db);
  app = await testApp(database);
  for (const u of ['gridA1', 'villageA1', 'villageA2', 'villageB1', 'townA', 'townB', 'villagerA1', 'partyA1', 'evalA1']) c[u] = await new Client(app).login(u);
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const count = async (table: 'visits' | 'visit_opinions' | 'cases' | 'household_last_visits') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function visit(client: Client, body: Record<string, unknown>, headers?: Record<string, string>) {
  const r = await client.post('/api/v1/visits', { visitedOn: today(), met: '户主本人', ...body }, headers);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

describe('record a visit', () => {
  it('records who was met, notes, needs and opinions, follow-up; a resent record exists once', async () => {
    const before = await count('visits');
    const body = {
      householdId: w.households.hA1a, visitedOn: today(), met: '户主本人', notes: '老人身体尚可，家中屋顶漏雨', followUpOn: day(14),
      opinions: [{ kind: 'need', content: '屋顶漏雨，希望帮忙申请危房改造' }, { kind: 'opinion', content: '村口路灯坏了两个月' }],
      clientId: 'visit-client-0001',
    };
    const first = await c.gridA1!.post('/api/v1/visits', body, { 'idempotency-key': 'v-1' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({
      householdId: w.households.hA1a, householderName: '张建国', villageId: w.regions.villageA1.id, villageName: '一村', gridId: w.grids.gA1,
      visitorId: w.users.gridA1, visitedOn: today(), met: '户主本人', followUpOn: day(14), replayed: false, can: { convert: true },
    });
    expect(first.body.opinions.map((o: { seq: number; kind: string; case: unknown }) => [o.seq, o.kind, o.case])).toEqual([[1, 'need', null], [2, 'opinion', null]]);
    // the same Idempotency-Key replays the stored answer; a new key with the same client id finds the record
    const replay = await c.gridA1!.post('/api/v1/visits', body, { 'idempotency-key': 'v-1' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    const again = await c.gridA1!.post('/api/v1/visits', body, { 'idempotency-key': 'v-2' });
    expect(again.body).toMatchObject({ id: first.body.id, replayed: true });
    expect(await count('visits')).toBe(before + 1);
    const a = await database.db.selectFrom('audit_log').select(['action', 'region_path', 'actor_id']).where('entity', '=', 'visit').where('entity_id', '=', String(first.body.id)).execute();
    expect(a).toEqual([{ action: 'visit.record', region_path: w.regions.groupA1.path, actor_id: w.users.gridA1 }]);
    const lv = await database.db.selectFrom('household_last_visits').selectAll().where('household_id', '=', w.households.hA1a).executeTakeFirstOrThrow();
    expect(lv).toMatchObject({ village_id: w.regions.villageA1.id, last_visited_on: today(), visit_id: first.body.id });
  });

  it('answers 404 for a household out of scope and 403 for a role that does not visit', async () => {
    const before = await count('visits');
    const out = await c.gridA1!.post('/api/v1/visits', { householdId: w.households.hB1a, visitedOn: today(), met: '户主' });
    expect(out.status).toBe(404);
    expect((await c.villageA2!.post('/api/v1/visits', { householdId: w.households.hA1b, visitedOn: today(), met: '户主' })).status).toBe(404);
    expect((await c.gridA1!.post('/api/v1/visits', { householdId: 999_999, visitedOn: today(), met: '户主' })).status).toBe(404);
    const villager = await c.villagerA1!.post('/api/v1/visits', { householdId: w.households.hA1a, visitedOn: today(), met: '户主' });
    expect(villager.status).toBe(403);
    expect((await c.evalA1!.post('/api/v1/visits', { householdId: w.households.hA1a, visitedOn: today(), met: '户主' })).status).toBe(403);
    expect(await count('visits')).toBe(before);
  });

  it('refuses bad input with a Chinese message and writes nothing', async () => {
    const before = { v: await count('visits'), o: await count('visit_opinions') };
    const bad = async (body: Record<string, unknown>, code: string) => {
      const r = await c.gridA1!.post('/api/v1/visits', { householdId: w.households.hA1b, visitedOn: today(), met: '户主本人', ...body });
      expect(r.body.code, JSON.stringify(r.body)).toBe(code);
      expect(r.body.message).toMatch(/[\u4e00-\u9fa5]/);
      return r;
    };
    await bad({ visitedOn: day(1) }, 'VISIT_DATE_INVALID');
    await bad({ visitedOn: day(-400) }, 'VISIT_DATE_INVALID');
    await bad({ visitedOn: '2026-02-30' }, 'VISIT_DATE_INVALID');
    await bad({ visitedOn: '2026/03/01' }, 'VALIDATION_FAILED');
    await bad({ followUpOn: day(-1) }, 'VISIT_FOLLOW_UP_INVALID');
    await bad({ followUpOn: day(400) }, 'VISIT_FOLLOW_UP_INVALID');
    await bad({ met: '   ' }, 'VISIT_MET_REQUIRED');
    const empty = await bad({ opinions: [{ kind: 'need', content: '要修路' }, { kind: 'opinion', content: '   ' }] }, 'VISIT_OPINION_EMPTY');
    expect(empty.body.details).toMatchObject({ field: 'opinions.1.content' });
    await bad({ opinions: [{ kind: 'complaint', content: '有意见' }] }, 'VALIDATION_FAILED');
    await bad({ opinions: Array.from({ length: 21 }, () => ({ kind: 'need', content: '需求' })) }, 'VALIDATION_FAILED');
    await bad({ extra: 1 }, 'VALIDATION_FAILED');
    expect({ v: await count('visits'), o: await count('visit_opinions') }).toEqual(before);
  });

  it('refuses a household that moved away', async () => {
    const h = await database.db.insertInto('households').values({
      county_id: w.countyId, region_id: w.regions.groupA1.id, region_path: w.regions.groupA1.path, grid_id: w.grids.gA1,
      code: 'HMOVED01', address: '已迁出', householder_name: '周迁出', tags: [], status: 'moved',
    }).returning('id').executeTakeFirstOrThrow();
    const r = await c.gridA1!.post('/api/v1/visits', { householdId: h.id, visitedOn: today(), met: '邻居' });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('VISIT_HOUSEHOLD_INACTIVE');
  });

  it('a visit entered late for an earlier day does not move the latest visit backwards', async () => {
    const late = await visit(c.villageA1!, { householdId: w.households.hA1a, visitedOn: day(-20), met: '配偶' });
    const lv = await database.db.selectFrom('household_last_visits').selectAll().where('household_id', '=', w.households.hA1a).executeTakeFirstOrThrow();
    expect(lv.last_visited_on).toBe(today());
    expect(lv.visit_id).not.toBe(late.id);
  });
});

describe('reading visits', () => {
  let a1b: number;
  let a2a: number;
  beforeAll(async () => {
    a1b = (await visit(c.villageA1!, { householdId: w.households.hA1b, visitedOn: day(-40), met: '户主本人', followUpOn: day(-5), opinions: [{ kind: 'need', content: '想学电商卖茶油' }] })).id;
    a2a = (await visit(c.villageA2!, { householdId: w.households.hA2a, visitedOn: day(-3), met: '户主本人' })).id;
  });

  it('shows a visit to people in scope and to its visitor only', async () => {
    expect((await c.townA!.get(`/api/v1/visits/${a1b}`)).status).toBe(200);
    expect((await c.gridA1!.get(`/api/v1/visits/${a1b}`)).body.opinions[0].content).toBe('想学电商卖茶油');
    expect((await c.villageB1!.get(`/api/v1/visits/${a1b}`)).status).toBe(404);
    expect((await c.townB!.get(`/api/v1/visits/${a1b}`)).status).toBe(404);
    expect((await c.villageA2!.get(`/api/v1/visits/${a1b}`)).status).toBe(404);
    expect((await c.villagerA1!.get(`/api/v1/visits/${a1b}`)).status).toBe(404);
    expect((await c.gridA1!.get('/api/v1/visits/999999')).status).toBe(404);
  });

  it('lists by household, visitor, place, dates, opinions and due follow-ups, newest first, paged', async () => {
    const ids = async (client: Client, qs: string) => {
      const r = await client.get(`/api/v1/visits?${qs}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items.map((v: { id: number }) => v.id) as number[];
    };
    const byHousehold = await ids(c.gridA1!, `householdId=${w.households.hA1a}`);
    expect(byHousehold.length).toBe(2);
    expect(byHousehold[0]).toBeGreaterThan(byHousehold[1]!);
    expect(await ids(c.villageB1!, `householdId=${w.households.hA1a}`)).toEqual([]);
    const mine = await ids(c.gridA1!, 'mine=true');
    expect(mine.length).toBe(1);
    expect(await ids(c.townA!, `visitorId=${w.users.villageA1}`)).toEqual(expect.arrayContaining([a1b]));
    expect(await ids(c.townA!, `regionId=${w.regions.villageA2.id}`)).toEqual([a2a]);
    expect((await c.gridA1!.get(`/api/v1/visits?regionId=${w.regions.villageB1.id}`)).status).toBe(404);
    expect(await ids(c.townA!, `from=${day(-45)}&to=${day(-30)}`)).toEqual([a1b]);
    const withOpinions = await ids(c.townA!, 'withOpinions=true');
    expect(withOpinions).toContain(a1b);
    expect(withOpinions).not.toContain(a2a);
    expect(await ids(c.townA!, 'followUpDue=true')).toEqual([a1b]);
    // townB sees none of 甲镇's visits; a villager may not list
    expect(await ids(c.townB!, '')).toEqual([]);
    expect((await c.villagerA1!.get('/api/v1/visits')).status).toBe(403);
    // paging
    const all = await ids(c.townA!, 'limit=200');
    const p1 = await c.townA!.get('/api/v1/visits?limit=2');
    expect(p1.body.items).toHaveLength(2);
    const p2 = await c.townA!.get(`/api/v1/visits?limit=2&cursor=${p1.body.nextCursor}`);
    expect([...p1.body.items, ...p2.body.items].map((v: { id: number }) => v.id)).toEqual(all.slice(0, 4));
  });

  it('counts households not visited in the last N days per village', async () => {
    const r = await c.townA!.get(`/api/v1/visits/coverage?regionId=${w.regions.townA.id}&days=30`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.since).toBe(day(-29));
    const row = (name: string) => r.body.rows.find((x: { villageName: string }) => x.villageName === name);
    // 一村: 张建国 (today) visited; 李秀英 (40 days ago) and 王德明 not; a moved household does not count
    expect(row('一村')).toMatchObject({ households: 3, visited: 1, unvisited: 2, visits: 2, opinions: 2, converted: 0, followUpsDue: 1, townshipName: '甲镇' });
    expect(row('二村')).toMatchObject({ households: 2, visited: 1, unvisited: 1, visits: 1 });
    expect(r.body.rows.map((x: { villageName: string }) => x.villageName)).not.toContain('三村');
    const wide = await c.townA!.get(`/api/v1/visits/coverage?regionId=${w.regions.villageA1.id}&days=60`);
    expect(wide.body.rows).toHaveLength(1);
    expect(wide.body.rows[0]).toMatchObject({ visited: 2, unvisited: 1, visits: 3, opinions: 3 });
    // without a region: the caller's own places
    const own = await c.villageA1!.get('/api/v1/visits/coverage');
    expect(own.body.rows.map((x: { villageId: number }) => x.villageId)).toEqual([w.regions.villageA1.id]);
    expect((await c.villageB1!.get(`/api/v1/visits/coverage?regionId=${w.regions.townA.id}`)).status).toBe(404);
    expect((await c.townA!.get(`/api/v1/visits/coverage?regionId=${w.regions.groupA1.id}`)).body.code).toBe('VISIT_REGION_LEVEL');
    expect((await c.townA!.get('/api/v1/visits/coverage?days=0')).body.code).toBe('VALIDATION_FAILED');
  });

  it('lists the households nobody visited lately, by place or grid', async () => {
    const names = async (client: Client, qs: string) => {
      const r = await client.get(`/api/v1/visits/unvisited?${qs}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items.map((h: { householderName: string }) => h.householderName) as string[];
    };
    expect(await names(c.gridA1!, `gridId=${w.grids.gA1}&days=30`)).toEqual(['李秀英', '王德明']);
    expect(await names(c.gridA1!, `gridId=${w.grids.gA1}&days=60`)).toEqual(['王德明']);
    expect(await names(c.townA!, `regionId=${w.regions.villageA2.id}`)).toEqual(['刘志强']);
    const first = await c.gridA1!.get(`/api/v1/visits/unvisited?regionId=${w.regions.villageA1.id}&days=30`);
    expect(first.body.items.find((h: { householderName: string }) => h.householderName === '李秀英').lastVisitedOn).toBe(day(-40));
    expect((await c.gridA1!.get(`/api/v1/visits/unvisited?gridId=${w.grids.gB1}`)).status).toBe(404);
    expect((await c.villageB1!.get(`/api/v1/visits/unvisited?regionId=${w.regions.villageA1.id}`)).status).toBe(404);
    // without a place: only households in the caller's scope
    expect(await names(c.villageA2!, 'days=1')).toEqual(['赵春华', '刘志强']);
  });
});

describe('opinion → case', () => {
  let v: { id: number; opinions: { id: number }[] };
  beforeAll(async () => {
    v = await visit(c.gridA1!, {
      householdId: w.households.hA1c, met: '户主本人',
      opinions: [{ kind: 'opinion', content: '组里水渠堵塞，雨天漫到田里' }, { kind: 'need', content: '孩子上学需要办理助学贷款' }, { kind: 'need', content: '想咨询低保' }],
    });
  });

  it('turns one opinion into a case that keeps its source; twice gives the same case', async () => {
    const before = await count('cases');
    const [o1] = v.opinions;
    const r = await c.gridA1!.post(`/api/v1/visits/${v.id}/opinions/${o1!.id}/case`, { categoryId: w.categories.JC04 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.replayed).toBe(false);
    expect(r.body.opinion.case).toMatchObject({ code: expect.stringMatching(/^SJ\d{8}-\d{7}$/), state: 'pending', stateLabel: expect.any(String) });
    const caseId = r.body.opinion.case.id;
    const d = await c.gridA1!.get(`/api/v1/cases/${caseId}`);
    expect(d.body).toMatchObject({ source: 'household_visit', sourceRef: `走访记录#${v.id}：王德明户（${today()}）`, description: '组里水渠堵塞，雨天漫到田里', gridId: w.grids.gA1, isReporter: true });
    // again, by the same worker or by the village cadre: the same case
    const again = await c.gridA1!.post(`/api/v1/visits/${v.id}/opinions/${o1!.id}/case`, { categoryId: w.categories.HJ01 });
    expect(again.body).toMatchObject({ replayed: true, opinion: { case: { id: caseId } } });
    const cadre = await c.villageA1!.post(`/api/v1/visits/${v.id}/opinions/${o1!.id}/case`, { categoryId: w.categories.JC04 });
    expect(cadre.body.opinion.case.id).toBe(caseId);
    expect(await count('cases')).toBe(before + 1);
    // the visit shows the case number and status
    const detail = await c.gridA1!.get(`/api/v1/visits/${v.id}`);
    expect(detail.body.opinions[0].case).toMatchObject({ id: caseId, code: r.body.opinion.case.code, state: 'pending' });
    expect(detail.body.opinions[1].case).toBeNull();
    const audit = await database.db.selectFrom('audit_log').select(['action', 'after']).where('entity', '=', 'visit').where('entity_id', '=', String(v.id)).orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(['visit.record', 'visit.opinion_to_case']);
  });

  it('two conversions at once make one case', async () => {
    const before = await count('cases');
    const o2 = v.opinions[1]!;
    const [x, y] = await Promise.all([
      c.gridA1!.post(`/api/v1/visits/${v.id}/opinions/${o2.id}/case`, { categoryId: w.categories.JC04 }),
      c.villageA1!.post(`/api/v1/visits/${v.id}/opinions/${o2.id}/case`, { categoryId: w.categories.JC04 }),
    ]);
    expect([x.status, y.status]).toEqual([200, 200]);
    expect(x.body.opinion.case.id).toBe(y.body.opinion.case.id);
    expect([x.body.replayed, y.body.replayed].sort()).toEqual([false, true]);
    expect(await count('cases')).toBe(before + 1);
  });

  it('refuses a bad category (nothing converted), out of scope (404) and non-visitors (403)', async () => {
    const o3 = v.opinions[2]!;
    const before = await count('cases');
    const bad = await c.gridA1!.post(`/api/v1/visits/${v.id}/opinions/${o3.id}/case`, { categoryId: 999_999 });
    expect(bad.body.code).toBe('CASE_CATEGORY_NOT_FOUND');
    const row = await database.db.selectFrom('visit_opinions').select(['case_id', 'case_code']).where('id', '=', o3.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ case_id: null, case_code: null });
    expect((await c.villageB1!.post(`/api/v1/visits/${v.id}/opinions/${o3.id}/case`, { categoryId: w.categories.JC04 })).status).toBe(404);
    // the opinion must belong to the visit named in the path
    const other = await visit(c.gridA1!, { householdId: w.households.hA1b, opinions: [{ kind: 'need', content: '另一户的需求' }] });
    expect((await c.gridA1!.post(`/api/v1/visits/${other.id}/opinions/${o3.id}/case`, { categoryId: w.categories.JC04 })).status).toBe(404);
    expect((await c.evalA1!.post(`/api/v1/visits/${v.id}/opinions/${o3.id}/case`, { categoryId: w.categories.JC04 })).status).toBe(403);
    // a reader without visits.record sees the visit but may not convert
    expect((await c.townB!.get(`/api/v1/visits/${v.id}`)).status).toBe(404);
    expect((await c.townA!.get(`/api/v1/visits/${v.id}`)).body.can.convert).toBe(true);
    expect(await count('cases')).toBe(before);
  });

  it('coverage counts converted opinions', async () => {
    const r = await c.townA!.get(`/api/v1/visits/coverage?regionId=${w.regions.villageA1.id}&days=1`);
    expect(r.body.rows[0]).toMatchObject({ converted: 2 });
  });
});

describe('the latest-visit summary follows the household', () => {
  it('moves with a household to another village and drops out while the household is not active', async () => {
    const row = async (name: string) => {
      const r = await c.townA!.get(`/api/v1/visits/coverage?regionId=${w.regions.townA.id}&days=30`);
      return r.body.rows.find((x: { villageName: string }) => x.villageName === name) as { households: number; visited: number; unvisited: number };
    };
    const before = { a1: await row('一村'), a2: await row('二村') };
    expect(before.a1.visited).toBeGreaterThanOrEqual(1);
    // 张建国's household (visited today) moves to 二村's group, as the registry would write it
    await database.db.updateTable('households').set({ region_id: w.regions.groupA2.id, region_path: w.regions.groupA2.path }).where('id', '=', w.households.hA1a).execute();
    const moved = { a1: await row('一村'), a2: await row('二村') };
    expect(moved.a1).toMatchObject({ households: before.a1.households - 1, visited: before.a1.visited - 1 });
    expect(moved.a2).toMatchObject({ households: before.a2.households + 1, visited: before.a2.visited + 1 });
    // merged into another household: neither counted nor visited any more
    await database.db.updateTable('households').set({ status: 'merged' }).where('id', '=', w.households.hA1a).execute();
    expect(await row('二村')).toMatchObject({ households: before.a2.households, visited: before.a2.visited });
    expect((await database.db.selectFrom('household_last_visits').select('village_id').where('household_id', '=', w.households.hA1a).executeTakeFirstOrThrow()).village_id).toBeNull();
    // an edit that changes neither place nor status leaves the summary alone
    await database.db.updateTable('households').set({ status: 'active' }).where('id', '=', w.households.hA1a).execute();
    await database.db.updateTable('households').set({ address: '新门牌1号' }).where('id', '=', w.households.hA1a).execute();
    expect((await database.db.selectFrom('household_last_visits').select('village_id').where('household_id', '=', w.households.hA1a).executeTakeFirstOrThrow()).village_id).toBe(w.regions.villageA2.id);
  });
});
