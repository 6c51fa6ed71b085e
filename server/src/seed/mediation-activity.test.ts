/**
 * The demo county's mediation: after a small load mediator01 logs in to real work — disputes in
 * every state of the eight steps, one past its limit (marked on the first job run), one follow-up
 * due — and villager01 sees their own applications on the phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../core/module.js';
import { Client, testApp, testDatabase } from '../testing/harness.js';
import { runDueJobs } from '../core/jobs.js';
import { DEMO_PASSWORD } from './demo-accounts.js';
import { seedIfEmpty } from './index.js';

describe('demo mediation activity', () => {
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

  it('lays down disputes in every state, acted by the demo accounts', async () => {
    expect(log.some((l) => l.startsWith('演示调解数据：矛盾纠纷 14 件'))).toBe(true);
    const states = (await database.db.selectFrom('disputes').select('state').execute()).map((r) => r.state);
    expect(new Set(states)).toEqual(new Set(['applied', 'rejected', 'accepted', 'assigned', 'investigated', 'informed', 'mediating', 'agreed', 'failed', 'followed_up', 'archived']));
    await runDueJobs(database.db, 1000);
    const marks = await database.db.selectFrom('workflow_history').select('action').where('process', '=', 'dispute').where('action', 'in', ['overdue', 'follow_up_reminder']).execute();
    expect(marks.map((m) => m.action).sort()).toEqual(['follow_up_reminder', 'overdue']);

    const mediator = await new Client(app).login('mediator01', DEMO_PASSWORD);
    const mine = await mediator.get('/api/v1/disputes?mine=true&limit=50');
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThanOrEqual(9);
    expect(mine.body.items.some((d: { overdue: boolean }) => d.overdue)).toBe(true);
    const open = mine.body.items.find((d: { state: string }) => d.state === 'assigned');
    const detail = await mediator.get(`/api/v1/disputes/${open.id}`);
    expect(detail.body.actions.map((a: { action: string }) => a.action)).toEqual(['investigate']);

    const villager = await new Client(app).login('villager01', DEMO_PASSWORD);
    const own = await villager.get('/api/v1/me/disputes');
    expect(own.body.items.length).toBe(3);
    const cadre = await new Client(app).login('village01', DEMO_PASSWORD);
    expect((await cadre.get('/api/v1/disputes?state=applied')).body.items.length).toBe(2);
    const stats = await cadre.get(`/api/v1/mediation/stats?from=${new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}`);
    expect(stats.body.total).toMatchObject({ agreements: 3, failed: 2, concluded: 5, overdue: 1 });
  });
});
