import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import type { App } from '../../core/module.js';
import { runDueJobs } from '../../core/jobs.js';
import { loadCalendar } from '../../core/calendar/index.js';
import { loggingSender, deliverOutbox } from '../../core/notify/index.js';
import { buildCaseWorld, multipart, type CaseWorld } from './testing/factories.js';

process.env.UPLOADS_DIR = mkdtempSync(join(tmpdir(), 'xz-cases-'));

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let w: CaseWorld;
const c: Record<string, Client> = {};

beforeAll(async () => {
  database = await testDatabase();
  w = await buildCaseWorld(database.db);
  app = await testApp(database);
  for (const u of ['villagerA1', 'villagerB1', 'gridA1', 'villageA1', 'villageA2', 'villageB1', 'townA', 'townB', 'dept', 'partyA1']) c[u] = await new Client(app).login(u);
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const count = async (table: 'cases' | 'workflow_history' | 'case_photos') => Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const history = async (id: number) => (await database.db.selectFrom('workflow_history').select(['action', 'from_state', 'to_state', 'actor_name', 'comment', 'data']).where('process', '=', 'case').where('entity_id', '=', id).orderBy('id').execute());

async function report(client: Client, body: Record<string, unknown>) {
  const r = await client.post('/api/v1/cases', body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { id: number; code: string; replayed: boolean; possibleDuplicates: { id: number }[] };
}

describe('report', () => {
  it('a villager reports; the same phone submission twice exists once', async () => {
    const before = await count('cases');
    const body = { categoryId: w.categories.HJ01, description: '村口垃圾堆放一周没人清运，气味很大', clientId: 'phone-0001-abcdef' };
    const first = await c.villagerA1!.post('/api/v1/cases', body, { 'idempotency-key': 'k-1' });
    expect(first.status).toBe(200);
    expect(first.body.code).toMatch(/^SJ\d{8}-\d{7}$/);
    const replay = await c.villagerA1!.post('/api/v1/cases', body, { 'idempotency-key': 'k-1' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    // a retry that lost its Idempotency-Key still carries the client id
    const again = await c.villagerA1!.post('/api/v1/cases', body, { 'idempotency-key': 'k-2' });
    expect(again.body).toMatchObject({ id: first.body.id, replayed: true });
    expect(again.headers['idempotent-replayed']).toBe('true');
    // The client id is the key: the report's POST records no Idempotency-Key row of its own.
    expect(await database.db.selectFrom('idempotency_keys').select('key').where('key', 'in', ['k-1', 'k-2']).execute()).toEqual([]);
    // Without a client id the Idempotency-Key alone keeps a resend single.
    const noClient = { categoryId: w.categories.HJ01, description: '组里路灯坏了两盏，晚上出行不便' };
    const k1 = await c.villagerA1!.post('/api/v1/cases', noClient, { 'idempotency-key': 'k-3' });
    const k2 = await c.villagerA1!.post('/api/v1/cases', noClient, { 'idempotency-key': 'k-3' });
    expect(k2.headers['idempotent-replayed']).toBe('true');
    expect(k2.body.id).toBe(k1.body.id);
    expect(await count('cases')).toBe(before + 2);
    const d = await c.villagerA1!.get(`/api/v1/cases/${first.body.id}`);
    expect(d.body).toMatchObject({ state: 'pending', level: 'village', regionId: w.regions.groupA1.id, gridId: w.grids.gA1, source: 'phone', isReporter: true });
    expect(d.body.history.map((h: { action: string }) => h.action)).toEqual(['report']);
    // the village is told
    const n = await c.villageA1!.get('/api/v1/notifications');
    expect(n.body.items.some((x: { kind: string; entityId: number }) => x.kind === 'case.assigned' && x.entityId === first.body.id)).toBe(true);
  });

  it('refuses bad input with a clear error and creates nothing', async () => {
    const before = await count('cases');
    const unknown = await c.villagerA1!.post('/api/v1/cases', { categoryId: 999999, description: '路灯坏了' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'CASE_CATEGORY_NOT_FOUND', message: '事件分类不存在或已停用' });
    const parentOnly = await c.villagerA1!.post('/api/v1/cases', { categoryId: w.categories.HJ01, description: '', });
    expect(parentOnly.body.code).toBe('VALIDATION_FAILED');
    const extra = await c.villagerA1!.post('/api/v1/cases', { categoryId: w.categories.HJ01, description: '路灯坏了', admin: true });
    expect(extra.body.code).toBe('VALIDATION_FAILED');
    // staff must say where; out of their scope is "not found"
    const noPlace = await c.gridA1!.post('/api/v1/cases', { categoryId: w.categories.JC04, description: '路灯坏了' });
    expect(noPlace.body.code).toBe('CASE_PLACE_REQUIRED');
    const outside = await c.gridA1!.post('/api/v1/cases', { categoryId: w.categories.JC04, description: '路灯坏了', gridId: w.grids.gB1 });
    expect(outside.status).toBe(404);
    const notMine = await c.villagerA1!.post('/api/v1/cases', { categoryId: w.categories.JC04, description: '路灯坏了', photoIds: [424242] });
    expect(notMine.body.code).toBe('CASE_PHOTO_NOT_FOUND');
    expect(await count('cases')).toBe(before);
  });

  it('turns courtyard-meeting opinions into cases in one step, keeping the source', async () => {
    const r = await c.villageA1!.post('/api/v1/cases/from-opinions', {
      source: 'courtyard_meeting', sourceRef: '2026年3月一组院坝会',
      opinions: [
        { categoryId: w.categories.JC04, description: '一组路灯坏了三盏', gridId: w.grids.gA1 },
        { categoryId: w.categories.AQ05, description: '水塘边没有护栏，孩子放学经过很危险', regionId: w.regions.groupA1.id },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items).toHaveLength(2);
    const d = await c.villageA1!.get(`/api/v1/cases/${r.body.items[1].id}`);
    expect(d.body).toMatchObject({ source: 'courtyard_meeting', sourceRef: '2026年3月一组院坝会' });
    // all or nothing
    const before = await count('cases');
    const bad = await c.villageA1!.post('/api/v1/cases/from-opinions', {
      source: 'household_visit', sourceRef: '走访', opinions: [{ categoryId: w.categories.JC04, description: '好的', gridId: w.grids.gA1 }, { categoryId: 999999, description: '坏的', gridId: w.grids.gA1 }],
    });
    expect(bad.body.code).toBe('CASE_CATEGORY_NOT_FOUND');
    expect(await count('cases')).toBe(before);
  });
});

describe('report path caches', () => {
  // The report keeps catalogue entries and grids per process and re-checks them inside its one
  // statement. Edits made elsewhere (another server process, plain SQL) must be seen at once.
  it('sees a category or grid edited behind its back, and writes nothing on a stale guess', async () => {
    const cat = (await database.db.insertInto('case_categories')
      .values({ county_id: w.countyId, parent_id: null, code: 'T-CACHE', name: '缓存测试', handling_level: 'village', response_days: 1, handling_days: 3 })
      .returning('id').executeTakeFirstOrThrow()).id;
    const grid = (await database.db.insertInto('grids')
      .values({ county_id: w.countyId, region_id: w.regions.villageA1.id, region_path: w.regions.villageA1.path, level: 'level2', code: 'G-CACHE', name: '缓存测试网格' })
      .returning('id').executeTakeFirstOrThrow()).id;
    const body = { categoryId: cat, description: '缓存测试：路口积水', gridId: grid };
    const first = await report(c.gridA1!, body);
    expect((await c.gridA1!.get(`/api/v1/cases/${first.id}`)).body).toMatchObject({ level: 'village', gridId: grid });

    // the category now goes to the township with other limits: the next report uses them
    await database.db.updateTable('case_categories').set({ handling_level: 'township', handling_days: 9 }).where('id', '=', cat).execute();
    const second = await report(c.gridA1!, body);
    const row = await database.db.selectFrom('cases').select(['level', 'due_at', 'created_at']).where('id', '=', second.id).executeTakeFirstOrThrow();
    expect(row.level).toBe('township');
    const cal = await loadCalendar(database.db, w.countyId);
    expect(new Date(row.due_at!).getTime()).toBe(cal.addWorkingDays(new Date(row.created_at), 9).getTime());

    // switched off: refused, nothing written
    const before = await count('cases');
    await database.db.updateTable('case_categories').set({ active: false }).where('id', '=', cat).execute();
    expect((await c.gridA1!.post('/api/v1/cases', body)).body.code).toBe('CASE_CATEGORY_NOT_FOUND');
    await database.db.updateTable('case_categories').set({ active: true }).where('id', '=', cat).execute();

    // the grid moved to another village, out of this worker's scope: not found, nothing written
    await database.db.updateTable('grids').set({ region_id: w.regions.villageA2.id, region_path: w.regions.villageA2.path }).where('id', '=', grid).execute();
    expect((await c.gridA1!.post('/api/v1/cases', body)).status).toBe(404);
    expect(await count('cases')).toBe(before);
    // and a worker of that village reports there, under its new path
    const moved = await report(c.villageA2!, body);
    expect((await database.db.selectFrom('cases').select('region_path').where('id', '=', moved.id).executeTakeFirstOrThrow()).region_path).toBe(w.regions.villageA2.path);
  });
});

describe('flow: village → township → department → revisit → close', () => {
  let id: number;
  it('runs the whole loop with every step in the history', async () => {
    id = (await report(c.villagerA1!, { categoryId: w.categories.HJ02, description: '养猪场污水直接排进小河，河水发黑发臭' })).id;
    // HJ02's default level is department: it starts at the township, which dispatches
    let d = (await c.villagerA1!.get(`/api/v1/cases/${id}`)).body;
    expect(d.level).toBe('township');
    // a village-level case for the escalate path
    const v = (await report(c.villagerA1!, { categoryId: w.categories.XF01, description: '邻居家建房占了我家的通道，多次协商不成' })).id;

    // who may do what
    expect((await c.gridA1!.post(`/api/v1/cases/${v}/accept`, {})).body.code).toBe('WORKFLOW_FORBIDDEN');
    expect((await c.villageA2!.post(`/api/v1/cases/${v}/accept`, {})).status).toBe(404); // another village: not found
    expect((await c.townB!.get(`/api/v1/cases/${v}`)).status).toBe(404);
    expect((await c.villagerB1!.get(`/api/v1/cases/${v}`)).status).toBe(404);
    expect((await c.dept!.get(`/api/v1/cases/${v}`)).status).toBe(404); // not dispatched to the department
    expect((await c.villageA1!.post(`/api/v1/cases/${v}/dispatch`, { departmentId: w.departmentId })).body.code).toBe('WORKFLOW_FORBIDDEN');
    expect((await c.villageA1!.post(`/api/v1/cases/${v}/rate`, { rating: 5 })).body.code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');
    expect((await c.villageA1!.post(`/api/v1/cases/${v}/escalate`, {})).body.code).toBe('CASE_COMMENT_REQUIRED');

    const inbox = (await c.villageA1!.get('/api/v1/cases?list=inbox')).body.items.map((x: { id: number }) => x.id);
    expect(inbox).toContain(v);
    expect(inbox).not.toContain(id);
    const acc = await c.villageA1!.post(`/api/v1/cases/${v}/accept`, {});
    expect(acc.body.case.actions.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['escalate', 'resolve', 'request_extension']));
    const esc = await c.villageA1!.post(`/api/v1/cases/${v}/escalate`, { comment: '涉及宅基地审批，村级无法协调' });
    expect(esc.body).toMatchObject({ state: 'pending', level: 'township' });
    expect((await c.townA!.get('/api/v1/cases?list=inbox')).body.items.map((x: { id: number }) => x.id)).toEqual(expect.arrayContaining([v, id]));

    // township dispatches the pollution case to the department
    expect((await c.townA!.post(`/api/v1/cases/${id}/dispatch`, {})).body.code).toBe('CASE_DEPARTMENT_REQUIRED');
    expect((await c.townA!.post(`/api/v1/cases/${id}/dispatch`, { departmentId: 987654 })).body.code).toBe('CASE_DEPARTMENT_NOT_FOUND');
    const dis = await c.townA!.post(`/api/v1/cases/${id}/dispatch`, { departmentId: w.departmentId, comment: '请县住建局核查' });
    expect(dis.body).toMatchObject({ state: 'pending', level: 'department' });
    expect((await c.townB!.post(`/api/v1/cases/${id}/dispatch`, { departmentId: w.departmentId })).status).toBe(404);

    // the department sees it in its inbox, accepts, resolves
    const dInbox = (await c.dept!.get('/api/v1/cases?list=inbox')).body.items.map((x: { id: number }) => x.id);
    expect(dInbox).toEqual([id]);
    expect((await c.dept!.post(`/api/v1/cases/${id}/accept`, {})).body.state).toBe('handling');
    expect((await c.dept!.post(`/api/v1/cases/${id}/resolve`, { result: ' ' })).body.code).toBe('CASE_RESULT_REQUIRED');
    expect((await c.dept!.post(`/api/v1/cases/${id}/resolve`, { result: '已责令养猪场停止直排并建设沉淀池' })).body.state).toBe('resolved');
    // only the reporter (or a revisit holder) rates
    expect((await c.dept!.post(`/api/v1/cases/${id}/rate`, { rating: 5 })).body.code).toBe('WORKFLOW_FORBIDDEN');

    // unsatisfied → rework with a new deadline
    const bad = await c.villagerA1!.post(`/api/v1/cases/${id}/rate`, { rating: 2, comment: '还在排' });
    expect(bad.body).toMatchObject({ state: 'handling' });
    expect(bad.body.case.reworkCount).toBe(1);
    expect((await c.dept!.post(`/api/v1/cases/${id}/resolve`, { result: '沉淀池已建成，经复查不再直排' })).body.state).toBe('resolved');
    const good = await c.villagerA1!.post(`/api/v1/cases/${id}/rate`, { rating: 5, comment: '满意' });
    expect(good.body.case).toMatchObject({ state: 'closed', rating: 5, closeReason: 'rated' });

    d = (await c.villagerA1!.get(`/api/v1/cases/${id}`)).body;
    expect(d.history.map((h: { action: string }) => h.action)).toEqual(['report', 'dispatch', 'accept', 'resolve', 'rate', 'resolve', 'rate']);
    expect(d.history[1]).toMatchObject({ actorName: 'townA', comment: '请县住建局核查', from: 'pending', to: 'pending' });
    expect(d.history[4]).toMatchObject({ to: 'handling', actorName: 'villagerA1' });
    // closed list and the audit trail
    expect((await c.townA!.get('/api/v1/cases?list=closed')).body.items.map((x: { id: number }) => x.id)).toContain(id);
    expect((await c.townA!.get('/api/v1/cases?list=assigned')).body.items.map((x: { id: number }) => x.id)).toContain(id);
    const audits = await database.db.selectFrom('audit_log').select('action').where('entity', '=', 'case').where('entity_id', '=', String(id)).execute();
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['case.report', 'case.dispatch', 'case.accept', 'case.resolve', 'case.rate']));
  });

  it('closed is not fixed: the reporter can reopen, and answers the follow-up question', async () => {
    const r = await c.villagerA1!.post(`/api/v1/cases/${id}/confirm`, { fixed: false, comment: '又开始排了' });
    expect(r.body).toMatchObject({ state: 'handling' });
    expect(r.body.case).toMatchObject({ confirmedFixed: false, reopenCount: 1 });
    await c.dept!.post(`/api/v1/cases/${id}/resolve`, { result: '查封排污口' });
    await c.villagerA1!.post(`/api/v1/cases/${id}/rate`, { rating: 4 });
    expect((await c.villagerA1!.post(`/api/v1/cases/${id}/confirm`, { fixed: true })).body.case.confirmedFixed).toBe(true);
    expect((await c.villagerB1!.post(`/api/v1/cases/${id}/reopen`, { comment: 'x' })).status).toBe(404);
    const re = await c.villagerA1!.post(`/api/v1/cases/${id}/reopen`, { comment: '下雨天又有污水' });
    expect(re.body.state).toBe('handling');
  });

  it('a department sends a misrouted case back; it leaves the department’s sight', async () => {
    const x = (await report(c.villagerA1!, { categoryId: w.categories.JC02, description: '自来水三天没来了' })).id;
    await c.townA!.post(`/api/v1/cases/${x}/dispatch`, { departmentId: w.departmentId });
    expect((await c.dept!.post(`/api/v1/cases/${x}/send_back`, {})).body.code).toBe('CASE_COMMENT_REQUIRED');
    const back = await c.dept!.post(`/api/v1/cases/${x}/send_back`, { comment: '供水归水务公司，非本局职责' });
    expect(back.body).toMatchObject({ state: 'pending', level: 'township', case: null });
    expect((await c.dept!.get(`/api/v1/cases/${x}`)).status).toBe(404);
    const h = await history(x);
    expect(h.map((s) => s.action)).toEqual(['report', 'dispatch', 'send_back']);
    expect((h[2]!.data as Record<string, unknown>).toLevel).toBe('township');
  });
});

describe('deadlines move visibly', () => {
  it('an extension is approved one level up and moves the deadline by working days', async () => {
    const x = (await report(c.villagerA1!, { categoryId: w.categories.JC04, description: '路灯不亮了' })).id;
    await c.villageA1!.post(`/api/v1/cases/${x}/accept`, {});
    const due0 = (await c.villageA1!.get(`/api/v1/cases/${x}`)).body.dueAt;
    expect((await c.villageA1!.post(`/api/v1/cases/${x}/request_extension`, { days: 3 })).body.code).toBe('CASE_COMMENT_REQUIRED');
    await c.villageA1!.post(`/api/v1/cases/${x}/request_extension`, { days: 3, comment: '灯具需从县城采购' });
    expect((await c.villageA1!.post(`/api/v1/cases/${x}/request_extension`, { days: 3, comment: '再申请' })).body.code).toBe('CASE_EXTENSION_PENDING');
    expect((await c.villageA1!.post(`/api/v1/cases/${x}/approve_extension`, {})).body.code).toBe('WORKFLOW_FORBIDDEN');
    expect((await c.townB!.post(`/api/v1/cases/${x}/approve_extension`, {})).status).toBe(404);
    const ok = await c.townA!.post(`/api/v1/cases/${x}/approve_extension`, { comment: '同意' });
    expect(ok.status).toBe(200);
    const d = (await c.villageA1!.get(`/api/v1/cases/${x}`)).body;
    expect(new Date(d.dueAt).getTime()).toBeGreaterThan(new Date(due0).getTime() + 3 * 86_400_000 - 1000);
    const step = d.history.find((h: { action: string }) => h.action === 'approve_extension');
    expect(step.data).toMatchObject({ days: 3 });
    expect(step.data.previousDueAt).toBeTruthy();
  });

  it('suspension stops the clock and resume moves the deadline', async () => {
    const x = (await report(c.villagerA1!, { categoryId: w.categories.JC04, description: '健身器材坏了' })).id;
    await c.villageA1!.post(`/api/v1/cases/${x}/accept`, {});
    expect((await c.villageA1!.post(`/api/v1/cases/${x}/suspend`, { comment: '等待' })).body.code).toBe('WORKFLOW_FORBIDDEN');
    await c.townA!.post(`/api/v1/cases/${x}/suspend`, { comment: '等待县里统一采购' });
    // pretend it was suspended 10 days ago
    await database.db.updateTable('cases').set({ suspended_at: new Date(Date.now() - 10 * 86_400_000) }).where('id', '=', x).execute();
    const due0 = (await c.villageA1!.get(`/api/v1/cases/${x}`)).body.dueAt;
    expect((await c.villageA1!.post(`/api/v1/cases/${x}/resolve`, { result: 'x' })).body.code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');
    const r = await c.townA!.post(`/api/v1/cases/${x}/resume`, {});
    expect(r.body.state).toBe('handling');
    const step = r.body.case.history.at(-1);
    expect(step.action).toBe('resume');
    expect(step.data.suspendedWorkingDays).toBeGreaterThanOrEqual(6);
    expect(new Date(r.body.case.dueAt).getTime()).toBeGreaterThan(new Date(due0).getTime() + 6 * 86_400_000);
  });
});

describe('timers', () => {
  it('turns a case yellow then red once, notifying the handler and the level above, and puts it on the supervision list', async () => {
    const x = (await report(c.villagerA1!, { categoryId: w.categories.HJ03, description: '有人在田里焚烧秸秆，浓烟很大' })).id;
    await c.villageA1!.post(`/api/v1/cases/${x}/accept`, {});
    const due = (await database.db.selectFrom('cases').select('due_at').where('id', '=', x).executeTakeFirstOrThrow()).due_at!;
    const later = new Date(new Date(due).getTime() + 3600_000);
    // two job loops at once (on PostgreSQL: two connections racing with SKIP LOCKED)
    await Promise.all([runDueJobs(database.db, 200, later), runDueJobs(database.db, 200, later), runDueJobs(database.db, 200, later)]);
    await Promise.all([runDueJobs(database.db, 200, later), runDueJobs(database.db, 200, later)]);
    const h = (await history(x)).map((s) => s.action);
    expect(h.filter((a) => a === 'overdue')).toHaveLength(1);
    expect(h.filter((a) => a === 'warn')).toHaveLength(1);
    const row = await database.db.selectFrom('cases').select('warn_level').where('id', '=', x).executeTakeFirstOrThrow();
    expect(row.warn_level).toBe('red');
    const notes = await database.db.selectFrom('notifications').select(['user_id', 'kind']).where('entity_id', '=', x).where('kind', '=', 'case.overdue').execute();
    // the handler, and the level above: the township and the county command centre
    expect(notes.map((n) => n.user_id).sort()).toEqual([w.users.villageA1!, w.users.townA!, w.users.admin!].sort());
    // the supervision list shows it (its deadline is today or past), and a supervisor issues a notice
    await database.db.updateTable('cases').set({ due_at: new Date(Date.now() - 3600_000) }).where('id', '=', x).execute();
    const sup = (await c.townA!.get('/api/v1/cases?list=supervision')).body.items.find((i: { id: number }) => i.id === x);
    expect(sup.light).toBe('red');
    expect((await c.villageA1!.post(`/api/v1/cases/${x}/supervise`, { comment: '请今天办结' })).body.code).toBe('WORKFLOW_FORBIDDEN');
    const s = await c.townA!.post(`/api/v1/cases/${x}/supervise`, { comment: '请于今日下班前办结并反馈' });
    expect(s.body.case.supervisions[0].notice).toBe('请于今日下班前办结并反馈');
    expect(s.body.case.supervised).toBe(true);
  });

  it('warns once when nobody accepts within the response limit, telling the unit and the level above; moving the case re-arms it', async () => {
    const x = (await report(c.villagerA1!, { categoryId: w.categories.HJ03, description: '河边有人倾倒建筑垃圾' })).id;
    const y = (await report(c.villagerA1!, { categoryId: w.categories.HJ03, description: '路边有人倾倒建筑垃圾，已经堆了一大片' })).id;
    const respDue = (await database.db.selectFrom('cases').select('response_due_at').where('id', '=', x).executeTakeFirstOrThrow()).response_due_at!;
    // before the limit nothing fires
    await runDueJobs(database.db, 500, new Date(new Date(respDue).getTime() - 3600_000));
    const responseSteps = async (id: number) => (await history(id)).filter((s) => s.action !== 'warn' && s.action !== 'overdue');
    expect((await responseSteps(x)).map((s) => s.action)).toEqual(['report']);
    // y is escalated in time: its village-level response timer goes stale, the township gets its own
    expect((await c.villageA1!.post(`/api/v1/cases/${y}/escalate`, { comment: '需乡镇协调' })).status).toBe(200);
    const later = new Date(new Date(respDue).getTime() + 3600_000);
    await Promise.all([runDueJobs(database.db, 500, later), runDueJobs(database.db, 500, later)]);
    await runDueJobs(database.db, 500, later);
    // (the handling-limit lights are separate timers; this test is about the response limit)
    const hx = await responseSteps(x);
    expect(hx.map((s) => s.action)).toEqual(['report', 'response_overdue']);
    expect(hx[1]).toMatchObject({ from_state: 'pending', to_state: 'pending', actor_name: '系统' });
    const notes = await database.db.selectFrom('notifications').select('user_id').where('entity_id', '=', x).where('kind', '=', 'case.response_overdue').execute();
    // the village that should have accepted, and above it the township and the county
    expect(notes.map((n) => n.user_id).sort()).toEqual([w.users.villageA1!, w.users.townA!, w.users.admin!].sort());
    const d = await c.villageA1!.get(`/api/v1/cases/${x}`);
    expect(d.body.state).toBe('pending');
    expect(d.body.history.find((h: { action: string }) => h.action === 'response_overdue').actionLabel).toBe('超过响应时限');
    // y: two response timers exist (the village's, now stale, and the township's); one warning, for the township
    const yDue = (await database.db.selectFrom('cases').select('response_due_at').where('id', '=', y).executeTakeFirstOrThrow()).response_due_at!;
    await runDueJobs(database.db, 500, new Date(new Date(yDue).getTime() + 3600_000));
    const hy = await responseSteps(y);
    expect(hy.map((s) => s.action)).toEqual(['report', 'escalate', 'response_overdue']);
    expect(hy[2]!.data).toMatchObject({ level: 'township' });
    const yNotes = await database.db.selectFrom('notifications').select('user_id').where('entity_id', '=', y).where('kind', '=', 'case.response_overdue').execute();
    expect(yNotes.map((n) => n.user_id).sort()).toEqual([w.users.townA!, w.users.admin!].sort());
    // accepted cases are never warned about the response limit
    await c.villageA1!.post(`/api/v1/cases/${x}/accept`, {});
    await runDueJobs(database.db, 500, new Date(new Date(respDue).getTime() + 5 * 86_400_000));
    expect((await history(x)).filter((s) => s.action === 'response_overdue')).toHaveLength(1);
  });

  it('a stale timer does nothing after the deadline moved', async () => {
    const x = (await report(c.villagerA1!, { categoryId: w.categories.HJ03, description: '又有人烧秸秆' })).id;
    await c.villageA1!.post(`/api/v1/cases/${x}/accept`, {});
    const due = (await database.db.selectFrom('cases').select('due_at').where('id', '=', x).executeTakeFirstOrThrow()).due_at!;
    await c.villageA1!.post(`/api/v1/cases/${x}/resolve`, { result: '已扑灭并教育' });
    await runDueJobs(database.db, 200, new Date(new Date(due).getTime() + 3600_000));
    expect((await history(x)).map((s) => s.action)).not.toContain('overdue');
  });

  it('closes a resolved case when the revisit times out, then asks the reporter whether it is really fixed', async () => {
    const x = (await report(c.villagerA1!, { categoryId: w.categories.JC04, description: '广场的灯不亮' })).id;
    await c.villageA1!.post(`/api/v1/cases/${x}/accept`, {});
    await c.villageA1!.post(`/api/v1/cases/${x}/resolve`, { result: '已更换灯泡' });
    await runDueJobs(database.db, 500, new Date(Date.now() + 20 * 86_400_000));
    const row = await database.db.selectFrom('cases').select(['state', 'close_reason', 'confirm_asked_at']).where('id', '=', x).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'closed', close_reason: 'revisit_timeout', confirm_asked_at: null });
    await runDueJobs(database.db, 500, new Date(Date.now() + 60 * 86_400_000));
    const after = await database.db.selectFrom('cases').select('confirm_asked_at').where('id', '=', x).executeTakeFirstOrThrow();
    expect(after.confirm_asked_at).not.toBeNull();
    const h = await history(x);
    expect(h.map((s) => s.action)).toEqual(['report', 'accept', 'resolve', 'close_timeout', 'confirm_asked']);
    expect(h[3]!.actor_name).toBe('系统');
    const n = (await c.villagerA1!.get('/api/v1/notifications')).body.items;
    expect(n.some((i: { kind: string; entityId: number }) => i.kind === 'case.confirm' && i.entityId === x)).toBe(true);
  });

  it('delivers the outbox through the pluggable sender', async () => {
    const before = loggingSender.recent.length;
    await deliverOutbox(database.db);
    expect(loggingSender.recent.length).toBeGreaterThan(before);
    const pending = await database.db.selectFrom('notification_outbox').select('id').where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(0);
    const r = await c.villagerA1!.post('/api/v1/notifications/read', {});
    expect(r.body.updated).toBeGreaterThan(0);
    expect((await c.villagerA1!.get('/api/v1/notifications?unread=true')).body.items).toHaveLength(0);
  });
});

describe('duplicates', () => {
  it('flags a likely duplicate nearby and lets the handler merge it', async () => {
    const a = await report(c.gridA1!, { categoryId: w.categories.JC01, description: '村道中间塌陷一个大坑，车辆通行危险', gridId: w.grids.gA1, lat: 27.06, lng: 110.57 });
    const b = await report(c.villagerA1!, { categoryId: w.categories.JC01, description: '村道塌陷一个大坑，晚上车辆通行很危险', lat: 27.0605, lng: 110.5705 });
    expect(b.possibleDuplicates.map((d) => d.id)).toContain(a.id);
    const far = await report(c.villagerA1!, { categoryId: w.categories.JC01, description: '村道塌陷一个大坑，车辆通行危险', lat: 27.08, lng: 110.57 });
    expect(far.possibleDuplicates.map((d) => d.id)).not.toContain(a.id);
    const other = await report(c.villagerA1!, { categoryId: w.categories.JC01, description: '桥面栏杆松动', lat: 27.0601, lng: 110.5701 });
    expect(other.possibleDuplicates.map((d) => d.id)).not.toContain(a.id);
    expect((await c.townA!.get(`/api/v1/cases/${b.id}/duplicates`)).body.items.map((d: { id: number }) => d.id)).toContain(a.id);

    expect((await c.townA!.post(`/api/v1/cases/${b.id}/merge`, { targetId: b.id })).body.code).toBe('CASE_MERGE_TARGET_INVALID');
    expect((await c.townA!.post(`/api/v1/cases/${b.id}/merge`, { targetId: 999999 })).body.code).toBe('CASE_MERGE_TARGET_INVALID');
    const m = await c.townA!.post(`/api/v1/cases/${b.id}/merge`, { targetId: a.id, comment: '同一处坑洞' });
    expect(m.body.case).toMatchObject({ state: 'merged', mergedIntoId: a.id });
    expect((await history(a.id)).map((s) => s.action)).toContain('merged_in');
    expect((await c.townA!.post(`/api/v1/cases/${b.id}/accept`, {})).body.code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');
  });
});

describe('photos', () => {
  it('stores a photo and strips EXIF from the copy that is shown', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#884422' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'secret-gps-house', Artist: '张三' } })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeTruthy();
    const mp = multipart('file', 'a.jpg', jpeg, 'image/jpeg');
    const up = await c.villagerA1!.req('POST', '/api/v1/cases/photos', mp.body, { 'content-type': mp.contentType });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    const r = await report(c.villagerA1!, { categoryId: w.categories.HJ01, description: '垃圾桶满了溢出来', photoIds: [up.body.id] });
    const d = (await c.villageA1!.get(`/api/v1/cases/${r.id}`)).body;
    expect(d.photos).toHaveLength(1);
    const img = await c.villageA1!.app.inject({ method: 'GET', url: d.photos[0].url, headers: { cookie: c.villageA1!.cookie } });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(img.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(img.rawPayload.includes(Buffer.from('secret-gps-house'))).toBe(false);
    // someone outside the case's scope cannot fetch it
    const other = await c.villagerB1!.app.inject({ method: 'GET', url: d.photos[0].url, headers: { cookie: c.villagerB1!.cookie } });
    expect(other.statusCode).toBe(404);
    // a photo is used once
    const again = await c.villagerA1!.post('/api/v1/cases', { categoryId: w.categories.HJ01, description: '再次使用', photoIds: [up.body.id] });
    expect(again.body.code).toBe('CASE_PHOTO_NOT_FOUND');
  });

  it('refuses what is not an image, and what is too large', async () => {
    const before = await count('case_photos');
    const txt = multipart('file', 'photo.jpg', Buffer.from('this is not a picture at all'), 'image/jpeg');
    const r1 = await c.villagerA1!.req('POST', '/api/v1/cases/photos', txt.body, { 'content-type': txt.contentType });
    expect(r1.status).toBe(415);
    expect(r1.body.code).toBe('CASE_PHOTO_NOT_IMAGE');
    const big = multipart('file', 'big.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(9 * 1024 * 1024, 1)]), 'image/jpeg');
    const r2 = await c.villagerA1!.req('POST', '/api/v1/cases/photos', big.body, { 'content-type': big.contentType });
    expect(r2.status).toBe(413);
    expect(r2.body.code).toBe('CASE_PHOTO_TOO_LARGE');
    expect(await count('case_photos')).toBe(before);
  });
});

describe('triage', () => {
  it('suggests the category and the unit from the text, top three with confidence', async () => {
    const r = await c.villagerA1!.post('/api/v1/cases/triage', { text: '村口的垃圾堆了好几天没人清运，臭气熏天' });
    expect(r.status).toBe(200);
    expect(r.body.categories).toHaveLength(3);
    expect(r.body.categories[0].categoryId).toBe(w.categories.HJ01);
    expect(r.body.categories[0].confidence).toBeGreaterThan(r.body.categories[1].confidence);
    expect(r.body.units[0].unit).toBe('village');
    const sum = r.body.categories.reduce((a: number, x: { confidence: number }) => a + x.confidence, 0);
    expect(sum).toBeLessThanOrEqual(1.001);
  });

  it('learns the county’s own routing when retrained', async () => {
    // This county routes 污水 cases to 县住建局; after retraining, the unit suggestion follows.
    for (const text of ['养猪场污水排进水渠', '养殖场粪污直排小河', '屠宰点污水横流排到河里']) {
      const x = (await report(c.villagerA1!, { categoryId: w.categories.HJ02, description: text })).id;
      await c.townA!.post(`/api/v1/cases/${x}/dispatch`, { departmentId: w.departmentId });
      await c.dept!.post(`/api/v1/cases/${x}/accept`, {});
      expect((await c.dept!.post(`/api/v1/cases/${x}/resolve`, { result: '已整改' })).body.state).toBe('resolved');
    }
    const cannot = await c.villageA1!.post('/api/v1/cases/triage/retrain', {});
    expect(cannot.status).toBe(403);
    const { retrainTriage } = await import('./triage.js');
    const r = await retrainTriage(database.db, w.countyId);
    expect(r.samples).toBeGreaterThan(0);
    const s = await c.villagerA1!.post('/api/v1/cases/triage', { text: '养猪场的污水排到河里' });
    expect(s.body.categories[0].categoryId).toBe(w.categories.HJ02);
    expect(s.body.units[0]).toMatchObject({ unit: `department:${w.departmentId}`, name: '县住建局' });
  });
});

describe('catalogue and calendar', () => {
  it('lists the default tree and lets only the catalogue holder change it', async () => {
    const r = await c.villagerA1!.get('/api/v1/cases/categories');
    const names = r.body.items.map((x: { name: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(['土地与建房', '生态环境与人居环境', '信访与矛盾纠纷', '社会治安', '安全生产与防灾', '民生服务', '基础设施']));
    expect((await c.townA!.post('/api/v1/cases/categories', { code: 'X1', name: '新分类', handlingLevel: 'village', responseDays: 1, handlingDays: 3 })).status).toBe(403);
    expect((await c.townA!.patch(`/api/v1/cases/categories/${w.categories.HJ01}`, { handlingDays: 2 })).status).toBe(403);
    const gm = await c.gridA1!.get('/api/v1/cases/grid-matters');
    expect(gm.body.items.length).toBeGreaterThanOrEqual(8);
  });

  it('shows the work calendar', async () => {
    const r = await c.villageA1!.get('/api/v1/calendar?month=2026-10');
    expect(r.body.days).toHaveLength(31);
    expect(r.body.days.find((d: { day: string }) => d.day === '2026-10-10').workday).toBe(true);
    expect(r.body.days.find((d: { day: string }) => d.day === '2026-10-02')).toMatchObject({ workday: false, name: '国庆节' });
    expect((await c.villageA1!.put('/api/v1/calendar/days/2026-10-12', { kind: 'holiday', name: '县庆' })).status).toBe(403);
  });
});

describe('lists and export', () => {
  it('gives each role its own lists, paged', async () => {
    const mine = await c.villagerA1!.get('/api/v1/cases?list=mine&limit=2');
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.nextCursor).toBeTruthy();
    const next = await c.villagerA1!.get(`/api/v1/cases?list=mine&limit=2&cursor=${mine.body.nextCursor}`);
    expect(next.body.items[0].id).toBeLessThan(mine.body.items[1].id);
    // villagers see their own reports only
    const all = await c.villagerA1!.get('/api/v1/cases?list=problem');
    const ids = new Set((await database.db.selectFrom('cases').select('id').where('reporter_user_id', '=', w.users.villagerA1!).execute()).map((x) => x.id));
    expect(all.body.items.every((i: { id: number }) => ids.has(i.id))).toBe(true);
    expect((await c.villageB1!.get('/api/v1/cases?list=problem')).body.items).toHaveLength(0);
  });

  it('exports a list as .xlsx', async () => {
    const r = await c.townA!.app.inject({ method: 'GET', url: '/api/v1/cases/export.xlsx?list=problem', headers: { cookie: c.townA!.cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(r.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
