/**
 * The demo county's 村务公开: after a small load eval01 has expenses waiting at their step,
 * two past months are published and the last is open, and villager01 reads the published
 * months and the notices of their own village on the phone (villager02 sees none of it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../core/module.js';
import { Client, testApp, testDatabase } from '../testing/harness.js';
import { DEMO_PASSWORD } from './demo-accounts.js';
import { seedIfEmpty } from './index.js';

describe('demo disclosure activity', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let app: App;
  const log: string[] = [];

  beforeAll(async () => {
    database = await testDatabase();
    expect(await seedIfEmpty(database, '430525', (m) => log.push(m), { householdsPerVillage: 8 })).toBe(true);
    app = await testApp(database);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('lays down three months, two published, two expenses waiting for eval01, notices', async () => {
    expect(log.some((l) => l.startsWith('演示村务公开：收支 14 笔（2 笔待村务监督委员会审签），已公示 2 个月，公告 4 条'))).toBe(true);
    const evaluator = await new Client(app).login('eval01', DEMO_PASSWORD);
    const pending = await evaluator.get('/api/v1/disclosure/entries?pending=true');
    expect(pending.status).toBe(200);
    expect(pending.body.items).toHaveLength(2);
    expect(pending.body.items.every((e: { steps: { label: string }[]; currentStep: number }) => e.steps[e.currentStep]!.label === '村务监督委员会审核')).toBe(true);
    // The same two are eval01's 待办, on the console home and the phone.
    const todos = (await evaluator.get('/api/v1/me/todos')).body.items as { key: string; count: number; phonePath: string | null }[];
    expect(todos.find((x) => x.key === 'disclosure.sign')).toMatchObject({ count: 2, phonePath: '/disclosure/sign' });

    const villager = await new Client(app).login('villager01', DEMO_PASSWORD);
    const months = await villager.get('/api/v1/me/disclosure/months');
    expect(months.body.items).toHaveLength(2);
    const [later, earlier] = months.body.items as { month: string; closing: string }[];
    const m = await villager.get(`/api/v1/me/disclosure/months/${earlier!.month}`);
    expect(m.body).toMatchObject({ opening: '0.00', income: '58400.00', expense: '23086.50', closing: '35313.50', entryCount: 5 });
    const m2 = await villager.get(`/api/v1/me/disclosure/months/${later!.month}`);
    expect(m2.body).toMatchObject({ opening: '35313.50', income: '2650.35', expense: '14240.00', closing: '23723.85' });
    expect((await villager.get('/api/v1/me/disclosure/notices')).body.items).toHaveLength(4);

    const other = await new Client(app).login('villager02', DEMO_PASSWORD);
    expect((await other.get('/api/v1/me/disclosure/months')).body.items).toEqual([]);
    expect((await other.get(`/api/v1/me/disclosure/months/${earlier!.month}`)).status).toBe(404);
  });
});
