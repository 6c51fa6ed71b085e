/**
 * The demo county's deliberation: after a small load village01 finds topics at every stage of
 * 四议两公开, villager01 sees the published ones and casts the open household vote once, party01
 * sees the review items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../core/module.js';
import { Client, testApp, testDatabase } from '../testing/harness.js';
import { DEMO_PASSWORD } from './demo-accounts.js';
import { seedIfEmpty } from './index.js';

describe('demo deliberation activity', () => {
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

  it('lays down topics at every stage; villager01 votes once; nothing in the future', async () => {
    expect(log.some((l) => l.startsWith('演示议事数据：议题 9 项'))).toBe(true);
    const states = (await database.db.selectFrom('deliberation_topics').select('state').execute()).map((r) => r.state);
    expect(new Set(states)).toEqual(new Set(['proposed', 'branch_proposed', 'committees_discussed', 'members_reviewed', 'resolved', 'rejected', 'resolution_published', 'implementing', 'done']));
    const future = await database.db.selectFrom('workflow_history').select('id').where('process', '=', 'deliberation').where('at', '>', new Date()).execute();
    expect(future).toEqual([]);

    const cadre = await new Client(app).login('village01', DEMO_PASSWORD);
    expect((await cadre.get('/api/v1/deliberation/topics')).body.items.length).toBe(9);

    const villager = await new Client(app).login('villager01', DEMO_PASSWORD);
    const mine = await villager.get('/api/v1/me/deliberation');
    expect(mine.status).toBe(200);
    expect(mine.body.published.map((p: { state: string }) => p.state).sort()).toEqual(['done', 'implementing', 'resolution_published']);
    expect(mine.body.votes).toHaveLength(1);
    const vote = mine.body.votes[0];
    expect(vote.acceptingVotes).toBe(true);
    expect((await villager.post(`/api/v1/me/deliberation/meetings/${vote.id}/vote`, { choice: 'for' })).status).toBe(200);
    expect((await villager.post(`/api/v1/me/deliberation/meetings/${vote.id}/vote`, { choice: 'for' })).status).toBe(409);

    const party = await new Client(app).login('party01', DEMO_PASSWORD);
    const reviews = await party.get('/api/v1/me/deliberation');
    expect(reviews.body.reviews.length).toBeGreaterThanOrEqual(6);
  });
});
