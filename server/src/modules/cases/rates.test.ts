import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../testing/harness.js';
import { actorFromToken } from '../../core/auth/sessions.js';
import { sql } from 'kysely';
import { ratesReport } from './rates.js';
import { reportCase, stepCase } from './service.js';
import { systemActor } from '../../core/workflow/index.js';
import { ratesWorkbook } from './export.js';
import { buildCase, buildCaseWorld, type CaseWorld } from './testing/factories.js';
import type { Actor } from '../../core/actor.js';
import { login } from '../auth/service.js';
import { TEST_PASSWORD } from '../../testing/harness.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let w: CaseWorld;
const t = (s: string) => new Date(`2026-${s}:00+08:00`);
const NOW = t('04-10T00:00');

async function actorOf(username: string): Promise<Actor> {
  const r = await login(database.db, { username, password: TEST_PASSWORD }, '127.0.0.1', null);
  return actorFromToken(database.db, r.token, '127.0.0.1');
}

beforeAll(async () => {
  database = await testDatabase();
  w = await buildCaseWorld(database.db);
  const A1 = { regionId: w.regions.groupA1.id, regionPath: w.regions.groupA1.path };
  const cat = w.categories.JC04!;
  const base = { categoryId: cat };
  // A known month. Numbers in comments are the case numbers used in the expectations.
  await buildCase(database.db, w.countyId, { ...base, ...A1, gridId: w.grids.gA1, state: 'closed', createdAt: t('03-02T10:00'), firstResponseDueAt: t('03-03T23:59'), firstResponseAt: t('03-02T12:00'), dueAt: t('03-10T23:59'), resolvedAt: t('03-09T10:00'), closedAt: t('03-10T10:00'), rating: 5 }); // 1
  await buildCase(database.db, w.countyId, { ...base, ...A1, gridId: w.grids.gA1, state: 'closed', createdAt: t('03-02T10:00'), firstResponseDueAt: t('03-03T23:59'), firstResponseAt: t('03-05T09:00'), dueAt: t('03-10T23:59'), resolvedAt: t('03-12T10:00'), closedAt: t('03-13T10:00'), rating: 2 }); // 2
  await buildCase(database.db, w.countyId, { ...base, ...A1, gridId: w.grids.gA1, state: 'handling', createdAt: t('03-06T10:00'), firstResponseDueAt: t('03-09T23:59'), firstResponseAt: t('03-07T09:00'), dueAt: t('03-20T23:59') }); // 3 overdue
  await buildCase(database.db, w.countyId, { ...base, ...A1, state: 'pending', createdAt: t('03-24T10:00'), firstResponseDueAt: t('03-25T23:59'), dueAt: t('04-20T23:59') }); // 4 not due
  await buildCase(database.db, w.countyId, { ...base, ...A1, state: 'suspended', createdAt: t('03-02T10:00'), firstResponseDueAt: t('03-03T23:59'), firstResponseAt: t('03-02T11:00'), dueAt: t('03-15T23:59') }); // 5 clock stopped
  await buildCase(database.db, w.countyId, { ...base, regionId: w.regions.groupA2.id, regionPath: w.regions.groupA2.path, state: 'closed', createdAt: t('03-05T10:00'), firstResponseDueAt: t('03-06T23:59'), firstResponseAt: t('03-05T11:00'), dueAt: t('03-15T23:59'), resolvedAt: t('03-14T10:00'), closedAt: t('03-16T10:00'), rating: 4 }); // 6
  await buildCase(database.db, w.countyId, { ...base, ...A1, state: 'merged', createdAt: t('03-05T10:00'), dueAt: t('03-06T23:59') }); // 7 excluded
  await buildCase(database.db, w.countyId, { ...base, ...A1, state: 'closed', createdAt: t('02-20T10:00'), dueAt: t('02-26T23:59'), resolvedAt: t('02-25T10:00'), closedAt: t('02-26T10:00'), rating: 1 }); // 8 other period
  await buildCase(database.db, w.countyId, { ...base, regionId: w.regions.groupB1.id, regionPath: w.regions.groupB1.path, state: 'resolved', createdAt: t('03-03T10:00'), firstResponseDueAt: t('03-04T23:59'), firstResponseAt: t('03-03T11:00'), dueAt: t('03-10T23:59'), resolvedAt: t('03-11T10:00') }); // 9 late, awaiting revisit
  await buildCase(database.db, w.countyId, { ...base, ...A1, level: 'department', departmentId: w.departmentId, state: 'closed', createdAt: t('03-03T10:00'), firstResponseDueAt: t('03-04T23:59'), firstResponseAt: t('03-03T15:00'), dueAt: t('03-10T23:59'), resolvedAt: t('03-07T10:00'), closedAt: t('03-08T10:00'), rating: 5 }); // 10
}, 240_000);
afterAll(async () => {
  await database?.drop();
});

describe('rates on a known data set', () => {
  it('computes every figure for the county exactly as defined', async () => {
    const admin = await actorOf('townA'); // any cases.read holder; the county view is checked below with a county grant
    expect(admin).toBeTruthy();
    // a county-level reader: the county admin (TOTP is a login concern, not a scope one)
    const county = await actorOf('admin');
    const r = await ratesReport(database.db, county, { from: '2026-03-01', to: '2026-03-31' }, NOW);
    expect(r.unit.rates).toMatchObject({
      total: 8, dueRespond: 8, respondedOnTime: 6, responseRate: 0.75,
      dueClose: 6, closed: 4, completionRate: 0.6667,
      closedOnTime: 3, onTimeRate: 0.75,
      overdue: 3, overdueRate: 0.5,
      rated: 4, satisfied: 3, satisfactionRate: 0.75,
      meanHoursToClose: 210,
    });
    const byName = Object.fromEntries(r.children.map((c) => [c.name, c.rates]));
    expect(byName['甲镇']).toMatchObject({ total: 7, dueClose: 5, closed: 4, completionRate: 0.8, overdue: 2, overdueRate: 0.4 });
    expect(byName['乙镇']).toMatchObject({ total: 1, dueClose: 1, closed: 0, completionRate: 0, overdue: 1, overdueRate: 1, satisfactionRate: null });
    expect(r.departments).toHaveLength(1);
    expect(r.departments[0]).toMatchObject({ name: '县住建局', rates: { total: 1, closed: 1, onTimeRate: 1 } });
    expect(r.definitions.map((d) => d.name)).toEqual(['响应率', '结案率', '按期结案率', '超期率', '满意率', '平均结案时长']);
    expect(r.trend.reduce((a, x) => a + x.reported, 0)).toBe(8);
  });

  it('drills down township → village → grid with the same numbers', async () => {
    const town = await actorOf('townA');
    const t1 = await ratesReport(database.db, town, { regionId: w.regions.townA.id, from: '2026-03-01', to: '2026-03-31' }, NOW);
    expect(t1.unit.rates.total).toBe(7);
    const v = Object.fromEntries(t1.children.map((c) => [c.name, c.rates.total]));
    expect(v).toEqual({ 一村: 6, 二村: 1 });
    const v1 = await ratesReport(database.db, town, { regionId: w.regions.villageA1.id, from: '2026-03-01', to: '2026-03-31' }, NOW);
    expect(v1.children).toEqual([expect.objectContaining({ kind: 'grid', id: w.grids.gA1, rates: expect.objectContaining({ total: 3, closed: 2, overdue: 2 }) })]);
    // out of scope answers not found
    await expect(ratesReport(database.db, town, { regionId: w.regions.townB.id, from: '2026-03-01', to: '2026-03-31' }, NOW)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ratesReport(database.db, town, { from: '2026-03-31', to: '2026-03-01' }, NOW)).rejects.toMatchObject({ code: 'CASE_PERIOD_INVALID' });
    const xlsx = await ratesWorkbook(t1);
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  });
});

/**
 * The dashboard reads settled cases from case_daily_stats (kept by triggers) and counts the rest
 * live. It must give exactly what counting every case row gives (aggregateFromScratch, the query
 * the dashboard ran before), for every unit, period and reading time — also after cases move
 * through the flow: closed, reopened, sent back by a poor rating, closed by the revisit timeout.
 */
describe('rates from the daily aggregates', () => {
  const periods = [
    { from: '2026-03-01', to: '2026-03-31' },
    { from: '2026-05-01', to: '2026-05-31' },
    { from: '2026-05-12', to: '2026-05-12' },
    { from: '2026-01-01', to: '2026-12-31' },
  ];
  const nows = [NOW, t('05-20T12:00'), t('06-30T00:00'), new Date()];

  async function expectSameAsFromScratch(readAt = nows) {
    const county = await actorOf('admin');
    let compared = 0;
    for (const region of [w.regions.county, w.regions.townA, w.regions.townB, w.regions.villageA1, w.regions.villageA2, w.regions.groupA1]) {
      for (const q of periods) {
        for (const now of readAt) {
          const fast = await ratesReport(database.db, county, { regionId: region.id, ...q }, now);
          const slow = await ratesReport(database.db, county, { regionId: region.id, ...q }, now, { fromScratch: true });
          expect(fast, `${region.path} ${q.from}..${q.to} at ${now.toISOString()}`).toEqual(slow);
          compared += fast.unit.rates.total;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  }

  /** The triggers' running sums equal a rebuild from scratch (zero rows left by reopened cases aside). */
  async function expectStatsEqualRebuild() {
    const rows = async () =>
      (await sql<Record<string, unknown>>`SELECT * FROM case_daily_stats WHERE county_id = ${w.countyId} AND total <> 0 ORDER BY kind, path, day, grid_id, department_id`.execute(database.db)).rows;
    const kept = await rows();
    await sql`SELECT case_daily_stats_rebuild(${w.countyId})`.execute(database.db);
    expect(await rows()).toEqual(kept);
    expect(kept.length).toBeGreaterThan(0);
  }

  it('match a count from scratch on the known set and on cases in every odd state', async () => {
    const A1 = { regionId: w.regions.groupA1.id, regionPath: w.regions.groupA1.path, gridId: w.grids.gA1 };
    const A2 = { regionId: w.regions.villageA2.id, regionPath: w.regions.villageA2.path };
    const B1 = { regionId: w.regions.groupB1.id, regionPath: w.regions.groupB1.path, gridId: w.grids.gB1 };
    const cat = w.categories.XF01!;
    // May: closed without a recorded first response or resolution (never settled), a department
    // case, a late one, open ones past and before their deadlines, a suspended one, ratings 1–5.
    await buildCase(database.db, w.countyId, { ...A1, categoryId: cat, state: 'closed', createdAt: t('05-12T09:00'), firstResponseDueAt: t('05-13T23:59'), dueAt: t('05-19T23:59'), resolvedAt: t('05-15T10:00'), closedAt: t('05-16T10:00'), rating: 3 });
    await buildCase(database.db, w.countyId, { ...A1, categoryId: cat, state: 'closed', createdAt: t('05-12T23:30'), firstResponseDueAt: t('05-13T23:59'), firstResponseAt: t('05-13T08:00'), dueAt: t('05-19T23:59'), closedAt: t('05-20T10:00') });
    await buildCase(database.db, w.countyId, { ...A2, categoryId: cat, level: 'department', departmentId: w.departmentId, state: 'closed', createdAt: t('05-03T10:00'), firstResponseDueAt: t('05-04T23:59'), firstResponseAt: t('05-05T10:00'), dueAt: t('05-10T23:59'), resolvedAt: t('05-12T10:00'), closedAt: t('05-13T10:00'), rating: 1 });
    await buildCase(database.db, w.countyId, { ...B1, categoryId: cat, state: 'handling', createdAt: t('05-04T10:00'), firstResponseDueAt: t('05-05T23:59'), firstResponseAt: t('05-05T09:00'), dueAt: t('05-18T23:59') });
    await buildCase(database.db, w.countyId, { ...B1, categoryId: cat, state: 'pending', createdAt: t('05-12T08:00'), firstResponseDueAt: t('05-13T23:59'), dueAt: t('05-25T23:59') });
    await buildCase(database.db, w.countyId, { ...A1, categoryId: cat, state: 'suspended', createdAt: t('05-06T10:00'), firstResponseDueAt: t('05-07T23:59'), firstResponseAt: t('05-06T11:00'), dueAt: t('05-12T23:59') });
    await buildCase(database.db, w.countyId, { ...A1, categoryId: cat, state: 'resolved', createdAt: t('05-08T10:00'), firstResponseDueAt: t('05-09T23:59'), firstResponseAt: t('05-08T11:00'), dueAt: t('05-15T23:59'), resolvedAt: t('05-16T10:00') });
    for (const [day, rating] of [['05-01', 5], ['05-12', 4], ['05-12', 2], ['05-31', null]] as const) {
      await buildCase(database.db, w.countyId, { ...A2, categoryId: cat, state: 'closed', createdAt: t(`${day}T15:00`), firstResponseDueAt: t(`${day}T23:59`), firstResponseAt: t(`${day}T16:00`), dueAt: t('06-05T23:59'), resolvedAt: t('06-01T10:00'), closedAt: t('06-02T11:30'), rating });
    }
    await expectSameAsFromScratch();
    await expectStatsEqualRebuild();
    // A settled case edited in place (a corrected rating), and one deleted: the sums follow.
    const settled = await buildCase(database.db, w.countyId, { ...B1, categoryId: cat, state: 'closed', createdAt: t('05-12T10:00'), firstResponseDueAt: t('05-13T23:59'), firstResponseAt: t('05-12T11:00'), dueAt: t('05-19T23:59'), resolvedAt: t('05-20T10:00'), closedAt: t('05-21T10:00'), rating: 5 });
    await database.db.updateTable('cases').set({ rating: 2 }).where('id', '=', settled).execute();
    const gone = await buildCase(database.db, w.countyId, { ...B1, categoryId: cat, state: 'closed', createdAt: t('05-14T10:00'), firstResponseDueAt: t('05-15T23:59'), firstResponseAt: t('05-14T11:00'), dueAt: t('05-19T23:59'), resolvedAt: t('05-18T10:00'), closedAt: t('05-19T10:00'), rating: 4 });
    await database.db.deleteFrom('cases').where('id', '=', gone).execute();
    await expectSameAsFromScratch();
    await expectStatsEqualRebuild();
  });

  it('stay exact while a case is closed, reopened, sent back by a poor rating and closed by the revisit timeout', async () => {
    const village = await actorOf('villageA1');
    const town = await actorOf('townA');
    const sys = systemActor(w.countyId);
    const { id } = await reportCase({ db: database.db, actor: village }, { categoryId: w.categories.JC04!, description: '一组路灯坏了两盏', gridId: w.grids.gA1 });
    const step = async (actor: Actor, action: string, input: Record<string, unknown> = {}) => {
      await stepCase({ db: database.db, actor }, id, action, input);
      await expectSameAsFromScratch([NOW, new Date()]);
    };
    const settledRows = async () => Number((await sql<{ n: number }>`SELECT coalesce(sum(total), 0)::int AS n FROM case_daily_stats WHERE county_id = ${w.countyId} AND kind = 'grid'`.execute(database.db)).rows[0]!.n);
    const before = await settledRows();
    await step(village, 'accept');
    await step(village, 'resolve', { result: '已更换灯泡' });
    await step(village, 'rate', { rating: 4 }); // closed: now counted in the aggregates
    expect(await settledRows()).toBe(before + 1);
    await step(town, 'reopen', { comment: '又不亮了' }); // back to work: out of them again
    expect(await settledRows()).toBe(before);
    await step(village, 'resolve', { result: '更换了线路' });
    await step(village, 'rate', { rating: 1 }); // not satisfied: rework
    await step(village, 'resolve', { result: '重新接线并测试' });
    await step(sys, 'close_timeout', { comment: '回访超时' });
    expect(await settledRows()).toBe(before + 1);
    await step(village, 'confirm', { fixed: true }); // settled before and after, nothing moves
    expect(await settledRows()).toBe(before + 1);
    await expectStatsEqualRebuild();
  });
});
