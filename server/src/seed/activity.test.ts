/**
 * The demo county's activity: after a small load, each demo account opens on a living system —
 * the villager's points and rank, eval01's review queue, the township's case lists and supervision
 * list, the published quarter, the black list, the store — and the points chains verify.
 * The mediation, deliberation and village-affairs demos are checked here too, on the same load
 * (one demo county per file: loading it is the slow part).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../core/module.js';
import { Client, testApp, testDatabase } from '../testing/harness.js';
import { verifyChain } from '../modules/points/ledger.js';
import { DEMO_PASSWORD } from './demo-accounts.js';
import { seedIfEmpty } from './index.js';
import { runDueJobs } from '../core/jobs.js';

describe('demo activity', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let app: App;
  const log: string[] = [];
  const clients: Record<string, Client> = {};
  const as = async (username: string) => {
    if (!clients[username]) {
      const c = new Client(app);
      await c.login(username, DEMO_PASSWORD);
      clients[username] = c;
    }
    return clients[username]!;
  };
  const villageOf = async (username: string) => {
    const u = await database.db.selectFrom('users as u').innerJoin('user_grants as g', 'g.user_id', 'u.id').select(['g.region_id']).where('u.username', '=', username).executeTakeFirstOrThrow();
    return u.region_id;
  };

  beforeAll(async () => {
    database = await testDatabase();
    expect(await seedIfEmpty(database, '430525', (m) => log.push(m), { householdsPerVillage: 8 })).toBe(true);
    app = await testApp(database);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('logs what it generated', () => {
    const line = log.find((l) => l.startsWith('演示业务数据：'));
    expect(line).toBeDefined();
  });

  it('shows villager01 non-zero points, a rank, entries and an open appeal', async () => {
    const c = await as('villager01');
    const me = await c.get('/api/v1/points/my');
    expect(me.status).toBe(200);
    expect(me.body.year.score).toBeGreaterThan(0);
    expect(me.body.year.rank).toBeGreaterThanOrEqual(1);
    expect(me.body.year.of).toBeGreaterThan(1);
    expect(me.body.earned).toBeGreaterThan(0);
    expect(me.body.published).not.toBeNull();
    const entries = await c.get('/api/v1/points/my/entries');
    expect(entries.status).toBe(200);
    expect(entries.body.items.length).toBeGreaterThan(3);
    const appeals = await c.get('/api/v1/points/my/appeals');
    expect(appeals.status).toBe(200);
    expect(appeals.body.items.some((a: { status: string }) => a.status === 'open')).toBe(true);
  });

  it('gives eval01 a review queue with pending records and declarations', async () => {
    const c = await as('eval01');
    const r = await c.get('/api/v1/points/claims?status=pending');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.items.some((i: { source: string }) => i.source === 'declare')).toBe(true);
    const rejected = await c.get('/api/v1/points/claims?status=rejected');
    expect(rejected.body.items.length).toBeGreaterThan(0);
  });

  it('publishes the last quarter, lists someone on the black list and stocks the store', async () => {
    const c = await as('village01');
    const v1 = await villageOf('village01');
    const pubs = await c.get(`/api/v1/points/publications?villageId=${v1}`);
    expect(pubs.status).toBe(200);
    expect((Array.isArray(pubs.body) ? pubs.body : pubs.body.items).some((p: { status: string }) => p.status === 'published')).toBe(true);
    const black = await database.db.selectFrom('points_blacklist').select(['id', 'helper_name']).execute();
    expect(black.length).toBeGreaterThan(0);
    expect(black.every((b) => b.helper_name)).toBe(true);
    const redemptions = await database.db.selectFrom('store_redemptions').select('id').execute();
    expect(redemptions.length).toBeGreaterThan(0);
  });

  it('keeps every village chain intact', async () => {
    const villages = await database.db.selectFrom('points_chains').select('village_id').execute();
    expect(villages.length).toBeGreaterThanOrEqual(2);
    for (const v of villages) {
      const r = await verifyChain(database.db, v.village_id);
      expect(r.ok).toBe(true);
      expect(r.checked).toBeGreaterThan(50);
    }
  });

  it('fills the case lists of village01 and town01, in every state, with a supervision list', async () => {
    const village = await as('village01');
    const vAll = await village.get('/api/v1/cases?list=all&limit=100');
    expect(vAll.status).toBe(200);
    expect(vAll.body.items.length).toBeGreaterThan(5);
    const town = await as('town01');
    const tAll = await town.get('/api/v1/cases?list=all&limit=100');
    expect(tAll.body.items.length).toBeGreaterThanOrEqual(40);
    const states = new Set(tAll.body.items.map((i: { state: string }) => i.state));
    for (const s of ['pending', 'handling', 'suspended', 'resolved', 'closed']) expect(states).toContain(s);
    const assigned = await town.get('/api/v1/cases?list=assigned&limit=100');
    expect(assigned.body.items.length).toBeGreaterThan(0);
    const sup = await town.get('/api/v1/cases?list=supervision&limit=100');
    expect(sup.status).toBe(200);
    expect(sup.body.items.some((i: { supervised: boolean }) => i.supervised)).toBe(true);
    // dept01 has dispatched cases in its inbox
    const dept = await as('dept01');
    const inbox = await dept.get('/api/v1/cases?list=inbox&limit=100');
    expect(inbox.body.items.length).toBeGreaterThan(0);
    // town02 sees none of town01's cases
    const other = await as('town02');
    const o = await other.get('/api/v1/cases?list=all&limit=100');
    expect(o.body.items.length).toBe(0);
  });

  it('records each case history step and a few service orders in different states', async () => {
    const steps = await database.db.selectFrom('workflow_history').select(['action']).where('process', '=', 'case').execute();
    const actions = new Set(steps.map((s) => s.action));
    for (const a of ['report', 'accept', 'escalate', 'dispatch', 'resolve', 'rate', 'reopen', 'approve_extension', 'suspend', 'supervise']) expect(actions).toContain(a);
    const orders = await database.db.selectFrom('service_orders').select('state').execute();
    expect(new Set(orders.map((o) => o.state)).size).toBeGreaterThanOrEqual(4);
  });

  it('lays the cases down in the past, each step after the one before, and the first job run finds real overdue cases', async () => {
    const DAY = 86_400_000;
    const now = Date.now();
    const cases = await database.db.selectFrom('cases').select(['id', 'state', 'created_at', 'closed_at', 'due_at', 'warn_level']).execute();
    // Reported over the past weeks, not all at load time; closed cases took real time to close.
    const ages = cases.map((c) => (now - new Date(c.created_at).getTime()) / DAY);
    expect(Math.max(...ages)).toBeGreaterThan(14);
    expect(ages.filter((a) => a < 1.5).length).toBeGreaterThan(0);
    for (const c of cases.filter((x) => x.closed_at)) expect(new Date(c.closed_at!).getTime() - new Date(c.created_at).getTime()).toBeGreaterThan(DAY / 2);
    // Each case's history runs forward in time from its report, which carries the case's time.
    const hist = await database.db.selectFrom('workflow_history').select(['entity_id', 'action', 'at']).where('process', '=', 'case').orderBy('id').execute();
    const byCase = new Map<number, { action: string; at: number }[]>();
    for (const h of hist) byCase.set(h.entity_id, [...(byCase.get(h.entity_id) ?? []), { action: h.action, at: new Date(h.at).getTime() }]);
    for (const c of cases) {
      const steps = byCase.get(c.id)!;
      expect(steps[0]!.action).toBe('report');
      expect(steps[0]!.at).toBe(new Date(c.created_at).getTime());
      for (let k = 1; k < steps.length; k++) expect(steps[k]!.at).toBeGreaterThanOrEqual(steps[k - 1]!.at);
      expect(steps.at(-1)!.at).toBeLessThan(now);
    }
    // Open cases already past their limit: red on the supervision list at once (by due date),
    // and the first run of the job queue records 超期 and tells the unit, as on the day.
    const late = cases.filter((c) => (c.state === 'pending' || c.state === 'handling') && c.due_at && new Date(c.due_at).getTime() < now);
    expect(late.length).toBeGreaterThan(0);
    const town = await as('town01');
    const sup = (await town.get('/api/v1/cases?list=supervision&limit=100')).body.items as { id: number; light: string; supervised: boolean }[];
    expect(sup.some((i) => i.light === 'red' && !i.supervised)).toBe(true);
    while ((await runDueJobs(database.db, 200)) > 0);
    for (const c of late) {
      const steps = await database.db.selectFrom('workflow_history').select('action').where('process', '=', 'case').where('entity_id', '=', c.id).execute();
      expect(steps.map((x) => x.action)).toContain('overdue');
    }
    const red = await database.db.selectFrom('cases').select('id').where('id', 'in', late.map((c) => c.id)).where('warn_level', '=', 'red').execute();
    expect(red).toHaveLength(late.length);
    const told = await database.db.selectFrom('notifications').select('entity_id').where('kind', '=', 'case.overdue').execute();
    expect(new Set(told.map((n) => n.entity_id))).toEqual(new Set(late.map((c) => c.id)));
  });

  describe('mediation (矛盾纠纷调解)', () => {
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

  describe('deliberation (议事协商)', () => {
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

  describe('village affairs in the open (村务公开)', () => {
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
});
