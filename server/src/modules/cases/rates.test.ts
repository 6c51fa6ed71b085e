import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../testing/harness.js';
import { actorFromToken } from '../../core/auth/sessions.js';
import { ratesReport } from './rates.js';
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
