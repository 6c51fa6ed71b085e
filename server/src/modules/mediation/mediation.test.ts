import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase, TEST_PASSWORD } from '../../testing/harness.js';
import type { App } from '../../core/module.js';
import type { Actor } from '../../core/actor.js';
import type { Ctx } from '../../core/context.js';
import { runDueJobs } from '../../core/jobs.js';
import { grantRole } from '../../core/roles.js';
import { hashPassword } from '../../core/auth/password.js';
import { loadGrants } from '../../core/auth/sessions.js';
import { buildCaseWorld, type CaseWorld } from '../cases/testing/factories.js';
import { disputeStats, FOLLOW_UP_DAYS, MEDIATION_DAYS, registerDispute, stepDispute } from './service.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let w: CaseWorld;
const c: Record<string, Client> = {};
const api = '/api/v1';

async function addUser(username: string, role: string, regionId: number) {
  const u = await database.db.insertInto('users').values({ county_id: w.countyId, username, display_name: username, kind: 'staff', password_hash: await hashPassword(TEST_PASSWORD) }).returning('id').executeTakeFirstOrThrow();
  await grantRole(database.db, u.id, role, regionId);
  w.users[username] = u.id;
}

async function actorOf(userId: number): Promise<Actor> {
  const u = await database.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  return {
    userId: u.id, username: u.username, displayName: u.display_name, kind: u.kind, countyId: u.county_id, householdId: u.household_id, residentId: u.resident_id,
    departmentId: u.department_id, grants: await loadGrants(database.db, u.id), totpPassed: true, ip: null,
  };
}
const at = async (username: string, now: Date): Promise<Ctx> => ({ db: database.db, actor: await actorOf(w.users[username]!), now });

beforeAll(async () => {
  database = await testDatabase();
  w = await buildCaseWorld(database.db);
  await addUser('mediatorT', 'mediator', w.regions.townA.id); // the township's mediator: in 一村's pool too
  await addUser('mediatorA2', 'mediator', w.regions.villageA2.id);
  await addUser('mediatorB1', 'mediator', w.regions.villageB1.id);
  app = await testApp(database);
  for (const u of ['villagerA1', 'villagerB1', 'villageA1', 'villageA2', 'villageB1', 'townA', 'townB', 'mediatorA1', 'mediatorT', 'mediatorB1', 'gridA1']) c[u] = await new Client(app).login(u);
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const counts = async () => ({
  disputes: Number((await database.db.selectFrom('disputes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  parties: Number((await database.db.selectFrom('dispute_parties').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  history: Number((await database.db.selectFrom('workflow_history').select((eb) => eb.fn.countAll().as('n')).where('process', '=', 'dispute').executeTakeFirstOrThrow()).n),
});
const history = async (id: number) => database.db.selectFrom('workflow_history').select(['action', 'from_state', 'to_state', 'actor_name', 'comment', 'data']).where('process', '=', 'dispute').where('entity_id', '=', id).orderBy('id').execute();
const row = (id: number) => database.db.selectFrom('disputes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function step(client: Client, id: number, action: string, body: Record<string, unknown> = {}, status = 200) {
  const r = await client.post(`${api}/disputes/${id}/${action}`, body);
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
}

const apply = (client: Client, body: Record<string, unknown> = {}) => client.post(`${api}/me/disputes`, {
  type: 'neighbour', summary: '邻居在我家屋后砌墙，挡住排水沟，雨天积水进屋', claim: '拆除挡水墙，恢复排水', otherParty: { name: '李秀英', phone: '13912345678' },
  phone: '13800001234', ...body,
});

describe('a villager applies on the phone', () => {
  let id: number;
  it('applies choosing a mediator from the pool; phones are masked; only they see it', async () => {
    const before = await counts();
    const pool = await c.villagerA1!.get(`${api}/me/mediators`);
    expect(pool.status).toBe(200);
    const names = pool.body.items.map((m: { name: string }) => m.name).sort();
    expect(names).toEqual(['mediatorA1', 'mediatorT']); // the village's and the township's, not another village's
    const r = await apply(c.villagerA1!, { preferredMediatorId: w.users.mediatorA1 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    id = r.body.id;
    expect(r.body).toMatchObject({ state: 'applied', stateLabel: '待受理', type: 'neighbour', typeLabel: '邻里纠纷', level: 'village', source: 'phone', preferredMediator: { id: w.users.mediatorA1 }, actions: [] });
    expect(r.body.code).toMatch(/^TJ\d{8}-\d{7}$/);
    expect(r.body.parties.map((p: { side: string; name: string; phoneMasked: string }) => [p.side, p.name, p.phoneMasked])).toEqual([['applicant', 'villagerA1', '138****1234'], ['respondent', '李秀英', '139****5678']]);
    expect(JSON.stringify(r.body)).not.toContain('13912345678');
    const stored = await database.db.selectFrom('dispute_parties').select(['phone_enc', 'phone_hash']).where('dispute_id', '=', id).execute();
    expect(stored.every((p) => p.phone_enc!.startsWith('v1.') && !p.phone_enc!.includes('139'))).toBe(true);
    expect(r.body.steps.map((s: { status: string }) => s.status)).toEqual(['process', 'wait', 'wait', 'wait', 'wait', 'wait', 'wait', 'wait']);
    expect(await counts()).toEqual({ disputes: before.disputes + 1, parties: before.parties + 2, history: before.history + 1 });
    // the village cadres are told
    const note = await database.db.selectFrom('notifications').select('user_id').where('kind', '=', 'dispute.applied').where('entity_id', '=', id).execute();
    expect(note.map((n) => n.user_id)).toContain(w.users.villageA1);

    expect((await c.villagerA1!.get(`${api}/me/disputes`)).body.items.map((d: { id: number }) => d.id)).toEqual([id]);
    expect((await c.villagerA1!.get(`${api}/me/disputes/${id}`)).status).toBe(200);
    expect((await c.villagerB1!.get(`${api}/me/disputes/${id}`)).status).toBe(404);
    expect((await c.villagerB1!.get(`${api}/me/disputes`)).body.items).toEqual([]);
    // never by arbitrary id or through the staff list
    expect((await c.villagerA1!.get(`${api}/disputes/${id}`)).status).toBe(404);
    expect((await c.villagerA1!.get(`${api}/disputes`)).status).toBe(403);
    expect((await c.villagerA1!.post(`${api}/disputes/${id}/accept`, {})).status).toBe(404);
  });

  it('refuses bad input with a stable code and a Chinese message, writing nothing', async () => {
    const before = await counts();
    const bad = async (r: Promise<{ status: number; body: any }>, status: number, code: string) => {
      const res = await r;
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
      return res;
    };
    await bad(apply(c.villagerA1!, { type: 'feud' }), 400, 'VALIDATION_FAILED');
    await bad(apply(c.villagerA1!, { summary: '长'.repeat(2001) }), 400, 'VALIDATION_FAILED');
    await bad(apply(c.villagerA1!, { claim: '' }), 400, 'VALIDATION_FAILED');
    await bad(apply(c.villagerA1!, { summary: '   ' }), 400, 'MEDIATION_FIELD_REQUIRED');
    await bad(apply(c.villagerA1!, { extra: 1 }), 400, 'VALIDATION_FAILED');
    await bad(apply(c.villagerA1!, { otherParty: undefined }), 400, 'VALIDATION_FAILED');
    await bad(apply(c.villagerA1!, { otherParty: { name: '王五', phone: '12345' } }), 400, 'INVALID_PHONE');
    await bad(apply(c.villagerA1!, { preferredMediatorId: w.users.mediatorB1 }), 400, 'MEDIATION_MEDIATOR_NOT_IN_POOL');
    await bad(apply(c.villagerA1!, { preferredMediatorId: w.users.villageA1 }), 400, 'MEDIATION_MEDIATOR_NOT_IN_POOL');
    const register = (body: Record<string, unknown>) => c.villageA1!.post(`${api}/disputes`, {
      regionId: w.regions.groupA1.id, type: 'homestead', summary: '宅基地界址争议', claim: '确认界址', source: 'walk_in',
      parties: [{ side: 'applicant', name: '王德明' }, { side: 'respondent', name: '张建国' }], ...body,
    });
    const missing = await bad(register({ parties: [{ side: 'applicant', name: '王德明' }] }), 400, 'MEDIATION_PARTIES_REQUIRED');
    expect(missing.body.details).toMatchObject({ field: 'parties' });
    await bad(register({ parties: [{ side: 'applicant', name: '王德明' }, { side: 'enemy', name: '张建国' }] }), 400, 'VALIDATION_FAILED');
    await bad(register({ parties: [{ side: 'applicant', name: '王德明' }, { side: 'respondent', name: '  ' }] }), 400, 'MEDIATION_FIELD_REQUIRED');
    await bad(register({ parties: [{ side: 'applicant', name: '王德明', residentId: 999_999 }, { side: 'respondent', name: '张建国' }] }), 400, 'MEDIATION_RESIDENT_NOT_FOUND');
    await bad(register({ amount: -5 }), 400, 'VALIDATION_FAILED');
    await bad(register({ regionId: w.regions.townA.id }), 404, 'REGION_NOT_FOUND'); // a village cadre holds nothing at the township node
    await bad(register({ regionId: w.regions.groupB1.id }), 404, 'REGION_NOT_FOUND');
    await bad(register({ level: 'township' }), 403, 'MEDIATION_LEVEL_FORBIDDEN');
    await bad(c.townA!.post(`${api}/disputes`, { regionId: w.regions.townA.id, type: 'other', summary: 'x', claim: 'y', source: 'hotline', parties: [{ side: 'applicant', name: 'a' }, { side: 'respondent', name: 'b' }] }), 400, 'MEDIATION_PLACE_INVALID');
    await bad(c.mediatorA1!.post(`${api}/disputes`, { regionId: w.regions.groupA1.id, type: 'other', summary: 'x', claim: 'y', source: 'hotline', parties: [{ side: 'applicant', name: 'a' }, { side: 'respondent', name: 'b' }] }), 403, 'FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('scope: another village and another township get 404, the township sees it', async () => {
    for (const u of ['villageA2', 'townB', 'villageB1', 'mediatorB1']) {
      expect((await c[u]!.get(`${api}/disputes/${id}`)).status, u).toBe(404);
      expect((await c[u]!.post(`${api}/disputes/${id}/accept`, {})).status, u).toBe(404);
      expect((await c[u]!.get(`${api}/disputes`)).body.items.map((d: { id: number }) => d.id), u).not.toContain(id);
    }
    expect((await c.townA!.get(`${api}/disputes/${id}`)).status).toBe(200);
    expect((await c.townA!.get(`${api}/disputes?state=applied`)).body.items.map((d: { id: number }) => d.id)).toContain(id);
    expect((await c.townA!.get(`${api}/disputes?state=nonsense`)).body.code).toBe('MEDIATION_STATE_UNKNOWN');
    expect((await c.gridA1!.get(`${api}/disputes`)).status).toBe(403);
  });

  it('takes the eight steps, each by the right person in the right state', async () => {
    // the mediator cannot accept, nothing can skip ahead
    expect((await step(c.mediatorA1!, id, 'accept', {}, 403)).code).toBe('WORKFLOW_FORBIDDEN');
    expect((await step(c.villageA1!, id, 'investigate', { findings: 'x' }, 409)).code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');
    const accepted = await step(c.villageA1!, id, 'accept', { comment: '属本村调解范围' });
    expect(accepted.state).toBe('accepted');
    const r1 = await row(id);
    const days = (new Date(r1.deadline_at!).getTime() - new Date(r1.accepted_at!).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(MEDIATION_DAYS - 1);
    expect(days).toBeLessThanOrEqual(MEDIATION_DAYS + 1);
    const timers = await database.db.selectFrom('jobs').select('kind').where('dedupe_key', 'like', `dispute.%:${id}:%`).execute();
    expect(timers.map((t) => t.kind).sort()).toEqual(['dispute.overdue', 'dispute.warn']);
    expect((await step(c.villageA1!, id, 'accept', {}, 409)).code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');

    // the parties chose mediatorA1: anyone else only with a reason (回避)
    const detail = (await c.villageA1!.get(`${api}/disputes/${id}`)).body;
    expect(detail.actions.map((a: { action: string }) => a.action)).toEqual(['assign', 'escalate']);
    expect((await step(c.villageA1!, id, 'assign', { mediatorUserId: w.users.mediatorT }, 400)).code).toBe('MEDIATION_RECUSAL_REASON_REQUIRED');
    expect((await step(c.villageA1!, id, 'assign', { mediatorUserId: w.users.mediatorB1, reason: 'x' }, 400)).code).toBe('MEDIATION_MEDIATOR_NOT_IN_POOL');
    expect((await step(c.villageA1!, id, 'assign', {}, 400)).code).toBe('MEDIATION_FIELD_REQUIRED');
    const recused = await step(c.villageA1!, id, 'assign', { mediatorUserId: w.users.mediatorT, reason: '回避：所选调解员与被申请人系亲属' });
    expect(recused.dispute).toMatchObject({ mediatorUserId: w.users.mediatorT, preferredMediator: { id: w.users.mediatorA1 }, assignReason: '回避：所选调解员与被申请人系亲属' });
    const chosen = await step(c.villageA1!, id, 'assign', { mediatorUserId: w.users.mediatorA1 });
    expect(chosen.dispute).toMatchObject({ mediatorUserId: w.users.mediatorA1, mediatorName: 'mediatorA1', assignReason: null, state: 'assigned' });
    const h = (await history(id)).filter((x) => x.action === 'assign');
    expect(h.map((x) => (x.data as { followedPreference: boolean }).followedPreference)).toEqual([false, true]);
    const told = await database.db.selectFrom('notifications').select('user_id').where('kind', '=', 'dispute.assigned').where('entity_id', '=', id).execute();
    expect(told.map((n) => n.user_id).sort()).toEqual([w.users.mediatorA1, w.users.mediatorT].sort());

    // only the assigned mediator does the mediator's steps
    expect((await step(c.villageA1!, id, 'investigate', { findings: 'x' }, 403)).code).toBe('WORKFLOW_FORBIDDEN');
    expect((await step(c.mediatorT!, id, 'investigate', { findings: 'x' }, 403)).code).toBe('WORKFLOW_FORBIDDEN');
    expect((await step(c.mediatorA1!, id, 'investigate', { findings: '  ' }, 400)).code).toBe('MEDIATION_FIELD_REQUIRED');
    expect((await step(c.mediatorA1!, id, 'investigate', { findings: 'x'.repeat(4001) }, 400)).code).toBe('VALIDATION_FAILED');
    expect((await step(c.mediatorA1!, id, 'investigate', { findings: 'x', bogus: true }, 400)).code).toBe('VALIDATION_FAILED');
    await step(c.mediatorA1!, id, 'investigate', { findings: '现场查看：围墙建在李家宅基地内，但堵住了两户共用的排水沟' });
    expect((await step(c.mediatorA1!, id, 'inform', { rightsTold: false, sessionAt: '2026-03-02T02:00:00Z', sessionPlace: '村调委会' }, 400)).code).toBe('MEDIATION_RIGHTS_NOT_TOLD');
    expect((await step(c.mediatorA1!, id, 'inform', { rightsTold: true, sessionAt: 'tomorrow', sessionPlace: '村调委会' }, 400)).code).toBe('VALIDATION_FAILED');
    await step(c.mediatorA1!, id, 'inform', { rightsTold: true, sessionAt: '2026-03-02T02:00:00Z', sessionPlace: '江口村调委会' });
    expect((await step(c.mediatorA1!, id, 'agree', { agreementText: 'x', terms: ['y'] }, 409)).code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');
    await step(c.mediatorA1!, id, 'mediate', { place: '江口村调委会', attendees: '张建国、李秀英', record: '双方陈述，分歧在排水沟改道费用' });
    const second = await step(c.mediatorA1!, id, 'mediate', { place: '江口村调委会', record: '李家同意留出排水口，张家承担一半材料费' });
    expect(second.dispute.sessions.map((s: { seq: number }) => s.seq)).toEqual([1, 2]);
    expect(second.state).toBe('mediating');

    // the agreement needs both sides' sign-off
    const parties = second.dispute.parties as { id: number; side: string }[];
    const agree = { agreementText: '经调解，双方自愿达成如下协议', terms: ['李秀英在围墙底部留出排水口', '张建国承担材料费 300 元'] };
    const inc = await step(c.mediatorA1!, id, 'agree', { ...agree, signedPartyIds: [parties[0]!.id] }, 400);
    expect(inc.code).toBe('MEDIATION_SIGNOFF_INCOMPLETE');
    expect(inc.details.missing).toEqual(['李秀英']);
    expect((await step(c.mediatorA1!, id, 'agree', { ...agree, terms: [], signedPartyIds: parties.map((p) => p.id) }, 400)).code).toBe('MEDIATION_FIELD_REQUIRED');
    const agreed = await step(c.mediatorA1!, id, 'agree', { ...agree, signedPartyIds: parties.map((p) => p.id) });
    expect(agreed.dispute).toMatchObject({ state: 'agreed', outcome: 'agreed', agreementTerms: agree.terms });
    expect(agreed.dispute.parties.every((p: { signedAt: string | null }) => p.signedAt)).toBe(true);
    const due = new Date(agreed.dispute.followUpDueAt).getTime() - new Date(agreed.dispute.agreedAt).getTime();
    expect(due).toBe(FOLLOW_UP_DAYS * 86_400_000);
  });

  it('the follow-up timer reminds the mediator once; the deadline timers are now stale', async () => {
    const r = await row(id);
    const later = new Date(new Date(r.follow_up_due_at!).getTime() + 3600_000);
    await runDueJobs(database.db, 500, new Date(new Date(r.follow_up_due_at!).getTime() - 3600_000));
    expect((await history(id)).map((h) => h.action)).not.toContain('follow_up_reminder');
    await Promise.all([runDueJobs(database.db, 500, later), runDueJobs(database.db, 500, later)]);
    await runDueJobs(database.db, 500, new Date(later.getTime() + 40 * 86_400_000));
    const h = (await history(id)).map((x) => x.action);
    expect(h.filter((a) => a === 'follow_up_reminder')).toHaveLength(1);
    expect(h).not.toContain('warn');
    expect(h).not.toContain('overdue');
    const notes = await database.db.selectFrom('notifications').select('user_id').where('kind', '=', 'dispute.follow_up_due').where('entity_id', '=', id).execute();
    expect(notes.map((n) => n.user_id)).toEqual([w.users.mediatorA1]);
    expect((await row(id)).follow_up_reminded_at).not.toBeNull();
  });

  it('follows up and archives; an archived dispute is read-only', async () => {
    expect((await step(c.mediatorA1!, id, 'follow_up', {}, 400)).code).toBe('MEDIATION_FIELD_REQUIRED');
    expect((await step(c.mediatorA1!, id, 'follow_up', { performed: 'maybe' }, 400)).code).toBe('VALIDATION_FAILED');
    await step(c.mediatorA1!, id, 'follow_up', { performed: 'performed', note: '排水口已留，材料费已付' });
    expect((await step(c.mediatorA1!, id, 'archive', {}, 400)).code).toBe('MEDIATION_FIELD_REQUIRED');
    const done = await step(c.mediatorA1!, id, 'archive', { dossierNo: '江调〔2026〕1号' });
    expect(done.dispute).toMatchObject({ state: 'archived', readOnly: true, dossierNo: '江调〔2026〕1号', actions: [], can: { edit: false } });
    expect(done.dispute.steps.map((s: { status: string }) => s.status)).toEqual(Array(8).fill('finish'));
    expect(done.dispute.history.map((h: { action: string }) => h.action)).toEqual(
      ['apply', 'accept', 'assign', 'assign', 'investigate', 'inform', 'mediate', 'mediate', 'agree', 'follow_up_reminder', 'follow_up', 'archive']);
    const before = await counts();
    for (const [a, b] of [['mediate', { place: 'x', record: 'y' }], ['follow_up', { performed: 'partly' }], ['archive', { dossierNo: 'x' }], ['assign', { mediatorUserId: w.users.mediatorA1 }]] as const) {
      const r = await c[a === 'assign' ? 'villageA1' : 'mediatorA1']!.post(`${api}/disputes/${id}/${a}`, b);
      expect(r.status, a).toBe(409);
    }
    const edit = await c.villageA1!.patch(`${api}/disputes/${id}`, { version: done.dispute.version, summary: '改一下' });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('MEDIATION_READ_ONLY');
    expect(await counts()).toEqual(before);
    // the villager follows it to the end
    const mine = (await c.villagerA1!.get(`${api}/me/disputes/${id}`)).body;
    expect(mine).toMatchObject({ state: 'archived', stateLabel: '已归档', actions: [] });
  });
});

describe('other paths', () => {
  const register = async (client: Client, body: Record<string, unknown> = {}) => {
    const r = await client.post(`${api}/disputes`, {
      regionId: w.regions.villageA1.id, type: 'contract_debt', summary: '借款三万元到期未还', claim: '归还借款', amount: 30000, source: 'walk_in',
      parties: [{ side: 'applicant', name: '王德明', phone: '13700001111' }, { side: 'respondent', name: '刘志强' }, { side: 'third', name: '担保人赵某' }], ...body,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  it('mediation fails and is referred (诉调对接); a failed dispute is archived without follow-up', async () => {
    const d = await register(c.villageA1!);
    expect(d).toMatchObject({ source: 'walk_in', amount: '30000.00', parties: [{ phoneMasked: '137****1111' }, { phoneMasked: null }, { side: 'third' }] });
    await step(c.villageA1!, d.id, 'accept');
    await step(c.villageA1!, d.id, 'assign', { mediatorUserId: w.users.mediatorA1 }); // no preference: no reason needed
    await step(c.mediatorA1!, d.id, 'investigate', { findings: '借条属实' });
    await step(c.mediatorA1!, d.id, 'inform', { rightsTold: true, sessionAt: '2026-03-05T02:00:00Z', sessionPlace: '村部' });
    await step(c.mediatorA1!, d.id, 'mediate', { place: '村部', record: '被申请人称无力偿还' });
    expect((await step(c.mediatorA1!, d.id, 'fail', { reason: '分歧大' }, 400)).code).toBe('MEDIATION_FIELD_REQUIRED');
    expect((await step(c.mediatorA1!, d.id, 'fail', { referral: 'court' }, 400)).code).toBe('MEDIATION_FIELD_REQUIRED');
    expect((await step(c.mediatorA1!, d.id, 'fail', { referral: 'police', reason: 'x' }, 400)).code).toBe('VALIDATION_FAILED');
    const failed = await step(c.mediatorA1!, d.id, 'fail', { referral: 'court', reason: '被申请人拒绝还款方案，引导诉讼' });
    expect(failed.dispute).toMatchObject({ state: 'failed', outcome: 'failed', referral: 'court', referralLabel: '诉调对接（法院）' });
    expect((await step(c.mediatorA1!, d.id, 'follow_up', { performed: 'performed' }, 409)).code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');
    expect((await step(c.mediatorA1!, d.id, 'archive', { dossierNo: '江调〔2026〕1号' }, 409)).code).toBe('MEDIATION_DOSSIER_TAKEN');
    const archived = await step(c.villageA1!, d.id, 'archive', { dossierNo: '江调〔2026〕2号' });
    expect(archived.dispute.steps.map((s: { status: string }) => s.status)).toEqual(['finish', 'finish', 'finish', 'finish', 'finish', 'error', 'skipped', 'finish']);
  });

  it('not accepted (不予受理) needs a reason; edit is optimistic and by managers only', async () => {
    const d = await register(c.villageA1!, { type: 'other' });
    const edit = await c.villageA1!.patch(`${api}/disputes/${d.id}`, { version: d.version, type: 'damages', amount: null });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(edit.body).toMatchObject({ type: 'damages', amount: null, version: d.version + 1 });
    expect((await c.villageA1!.patch(`${api}/disputes/${d.id}`, { version: d.version, type: 'other' })).status).toBe(409);
    expect((await c.mediatorA1!.patch(`${api}/disputes/${d.id}`, { version: d.version + 1, type: 'other' })).status).toBe(403);
    expect((await c.villageA1!.patch(`${api}/disputes/${d.id}`, { version: d.version + 1, level: 'township' })).body.code).toBe('MEDIATION_LEVEL_FORBIDDEN');
    expect((await step(c.villageA1!, d.id, 'reject', {}, 400)).code).toBe('MEDIATION_FIELD_REQUIRED');
    const rej = await step(c.villageA1!, d.id, 'reject', { reason: '已进入诉讼程序，不属于人民调解受理范围' });
    expect(rej.dispute).toMatchObject({ state: 'rejected', rejectReason: '已进入诉讼程序，不属于人民调解受理范围' });
    expect(rej.dispute.steps[0].status).toBe('error');
    expect((await step(c.villageA1!, d.id, 'accept', {}, 409)).code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');
  });

  it('a village hands an open dispute up to the township (上报乡镇调解), which assigns its own mediator', async () => {
    const d = await register(c.villageA1!, { type: 'land_forest' });
    await step(c.villageA1!, d.id, 'accept');
    await step(c.villageA1!, d.id, 'assign', { mediatorUserId: w.users.mediatorA1 });
    await step(c.mediatorA1!, d.id, 'investigate', { findings: '山林界址涉及两个村' });
    expect((await step(c.villageA1!, d.id, 'escalate', {}, 400)).code).toBe('MEDIATION_FIELD_REQUIRED');
    expect((await step(c.mediatorA1!, d.id, 'escalate', { reason: 'x' }, 403)).code).toBe('WORKFLOW_FORBIDDEN');
    const up = await step(c.villageA1!, d.id, 'escalate', { reason: '涉及邻村山林界址，村级调解不了' });
    expect(up.dispute).toMatchObject({ state: 'accepted', level: 'township', mediatorUserId: null });
    // The township's to-do counts it; the village can no longer act, nor hand it up twice.
    const todos = (await c.townA!.get(`${api}/me/todos`)).body.items as { key: string; count: number }[];
    expect(todos.find((x) => x.key === 'mediation.accept')!.count).toBeGreaterThanOrEqual(1);
    expect((await step(c.villageA1!, d.id, 'assign', { mediatorUserId: w.users.mediatorA1 }, 403)).code).toBe('WORKFLOW_FORBIDDEN');
    expect((await step(c.townA!, d.id, 'escalate', { reason: 'again' }, 403)).code).toBe('WORKFLOW_FORBIDDEN');
    await step(c.townA!, d.id, 'assign', { mediatorUserId: w.users.mediatorT });
    const h = (await c.townA!.get(`${api}/disputes/${d.id}`)).body.history as { action: string }[];
    expect(h.map((x) => x.action)).toEqual(['register', 'accept', 'assign', 'investigate', 'escalate', 'assign']);
  });

  it('a township-level dispute is the township\'s to accept, not the village\'s', async () => {
    const d = await register(c.townA!, { level: 'township', regionId: w.regions.villageA2.id });
    expect((await c.villageA2!.get(`${api}/disputes/${d.id}`)).status).toBe(200); // the village still sees it
    expect((await step(c.villageA2!, d.id, 'accept', {}, 403)).code).toBe('WORKFLOW_FORBIDDEN');
    await step(c.townA!, d.id, 'accept');
    expect((await step(c.townA!, d.id, 'assign', { mediatorUserId: w.users.mediatorT })).dispute.mediatorName).toBe('mediatorT');
    // the assigned mediator finds it under "mine"
    expect((await c.mediatorT!.get(`${api}/disputes?mine=true`)).body.items.map((x: { id: number }) => x.id)).toContain(d.id);
    expect((await c.mediatorA1!.get(`${api}/disputes?mine=true`)).body.items.map((x: { id: number }) => x.id)).not.toContain(d.id);
  });

  it('the deadline timers warn once and mark overdue once', async () => {
    const past = new Date(Date.now() - (MEDIATION_DAYS + 5) * 86_400_000);
    const d = await registerDispute(await at('villageA1', past), {
      regionId: w.regions.groupA1.id, type: 'land_forest', summary: '山林界址不清', claim: '确认界址', source: 'hotline',
      parties: [{ side: 'applicant', name: '甲' }, { side: 'respondent', name: '乙' }],
    });
    await stepDispute(await at('villageA1', new Date(past.getTime() + 3600_000)), d.id, 'accept', {});
    await stepDispute(await at('villageA1', new Date(past.getTime() + 7200_000)), d.id, 'assign', { mediatorUserId: w.users.mediatorA1 });
    const deadline = new Date((await row(d.id)).deadline_at!);
    // the warning when it is due (a day before the limit), then the overdue mark: each once, however many runners
    await Promise.all([runDueJobs(database.db, 500, new Date(deadline.getTime() - 86_400_000)), runDueJobs(database.db, 500, new Date(deadline.getTime() - 86_400_000))]);
    expect((await history(d.id)).map((x) => x.action).filter((a) => a === 'warn')).toHaveLength(1);
    await Promise.all([runDueJobs(database.db, 500), runDueJobs(database.db, 500)]);
    await runDueJobs(database.db, 500);
    const h = (await history(d.id)).map((x) => x.action);
    expect(h.filter((a) => a === 'warn')).toHaveLength(1);
    expect(h.filter((a) => a === 'overdue')).toHaveLength(1);
    expect((await row(d.id)).overdue_at).not.toBeNull();
    const list = await c.villageA1!.get(`${api}/disputes?overdue=true`);
    expect(list.body.items.filter((x: { overdue: boolean }) => x.overdue).map((x: { id: number }) => x.id)).toContain(d.id);
    const notes = await database.db.selectFrom('notifications').select('user_id').where('kind', '=', 'dispute.overdue').where('entity_id', '=', d.id).execute();
    expect(notes.map((n) => n.user_id)).toContain(w.users.mediatorA1);
    expect(notes.map((n) => n.user_id)).toContain(w.users.villageA1);
  });
});

describe('a case becomes a dispute', () => {
  it('in one step, keeping its source; the same case twice gives the same dispute', async () => {
    const rep = await c.villagerA1!.post(`${api}/cases`, { categoryId: w.categories.XF01, description: '邻居家的狗多次咬伤我家鸡鸭，协商不成' });
    expect(rep.status, JSON.stringify(rep.body)).toBe(200);
    const before = await counts();
    const first = await c.villageA1!.post(`${api}/disputes/from-case`, { caseId: rep.body.id, respondentName: '王德明' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.replayed).toBe(false);
    expect(first.body.dispute).toMatchObject({ source: 'case', sourceLabel: '事件转入', caseId: rep.body.id, sourceRef: rep.body.code, type: 'neighbour', state: 'applied', applicantNames: 'villagerA1', respondentNames: '王德明' });
    const again = await c.villageA1!.post(`${api}/disputes/from-case`, { caseId: rep.body.id });
    expect(again.body).toMatchObject({ replayed: true, dispute: { id: first.body.dispute.id } });
    const both = await Promise.all([c.townA!.post(`${api}/disputes/from-case`, { caseId: rep.body.id }), c.villageA1!.post(`${api}/disputes/from-case`, { caseId: rep.body.id })]);
    expect(both.map((b) => b.body.dispute.id)).toEqual([first.body.dispute.id, first.body.dispute.id]);
    expect((await counts()).disputes).toBe(before.disputes + 1);
    // the reporting villager follows it as their own application
    expect((await c.villagerA1!.get(`${api}/me/disputes/${first.body.dispute.id}`)).status).toBe(200);

    const road = await c.villagerA1!.post(`${api}/cases`, { categoryId: w.categories.HJ01, description: '村口垃圾堆放无人清运' });
    const notDispute = await c.villageA1!.post(`${api}/disputes/from-case`, { caseId: road.body.id });
    expect(notDispute.status).toBe(400);
    expect(notDispute.body.code).toBe('MEDIATION_CASE_NOT_DISPUTE');
    const other = await c.villagerB1!.post(`${api}/cases`, { categoryId: w.categories.XF01, description: '三村邻里纠纷' });
    expect((await c.villageA1!.post(`${api}/disputes/from-case`, { caseId: other.body.id })).status).toBe(404);
    expect((await c.villageA1!.post(`${api}/disputes/from-case`, { caseId: 99_999_999 })).status).toBe(404);
    expect((await c.mediatorA1!.post(`${api}/disputes/from-case`, { caseId: rep.body.id })).status).toBe(403);
    expect((await counts()).disputes).toBe(before.disputes + 1);
  });
});

describe('the mediator pool', () => {
  it('lists the mediators serving the caller\'s places with open counts and success rate', async () => {
    const r = await c.villageA1!.get(`${api}/mediation/mediators`);
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.items.map((m: { name: string }) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['mediatorA1', 'mediatorT']);
    // mediatorA1: one agreement, one failure concluded; one overdue dispute still open
    expect(byName.mediatorA1).toMatchObject({ regionName: '一村', concluded: 2, agreements: 1, successRate: 0.5, openDisputes: 1 });
    const town = await c.townA!.get(`${api}/mediation/mediators`);
    expect(town.body.items.map((m: { name: string }) => m.name).sort()).toEqual(['mediatorA1', 'mediatorA2', 'mediatorT']);
    expect((await c.villagerA1!.get(`${api}/mediation/mediators`)).status).toBe(403);
  });

  it('a profile is kept by the mediator or a manager over them', async () => {
    const own = await c.mediatorA1!.put(`${api}/mediation/mediators/${w.users.mediatorA1}/profile`, { specialties: ['neighbour', 'homestead'], intro: '从事人民调解十年' });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body).toMatchObject({ specialtyLabels: ['邻里纠纷', '宅基地'], intro: '从事人民调解十年' });
    expect((await c.villageA1!.put(`${api}/mediation/mediators/${w.users.mediatorA1}/profile`, { specialties: ['neighbour'], intro: '村级调解员' })).status).toBe(200);
    expect((await c.villageA2!.put(`${api}/mediation/mediators/${w.users.mediatorA1}/profile`, { specialties: [], intro: '' })).status).toBe(404);
    expect((await c.mediatorA1!.put(`${api}/mediation/mediators/${w.users.mediatorT}/profile`, { specialties: [], intro: '' })).status).toBe(404);
    expect((await c.mediatorA1!.put(`${api}/mediation/mediators/${w.users.mediatorA1}/profile`, { specialties: ['gossip'], intro: '' })).status).toBe(400);
    expect((await c.villagerA1!.get(`${api}/me/mediators`)).body.items.find((m: { id: number }) => m.id === w.users.mediatorA1).intro).toBe('村级调解员');
  });
});

describe('the figures', () => {
  it('counts accepted, concluded, agreements, success rate and overdue on a known data set', async () => {
    // 二村, laid down in a fixed past month: 2 agreements, 1 failure, 1 left open past its limit, 1 never accepted
    const base = new Date('2025-06-02T01:00:00Z');
    const t = (days: number, hours = 0) => new Date(base.getTime() + days * 86_400_000 + hours * 3600_000);
    const make = async (type: 'neighbour' | 'land_forest' | 'damages', day: number) =>
      (await registerDispute(await at('villageA2', t(day)), {
        regionId: w.regions.groupA2.id, type, summary: '纠纷', claim: '诉求', source: 'walk_in', parties: [{ side: 'applicant', name: '甲' }, { side: 'respondent', name: '乙' }],
      })).id;
    const run = async (id: number, day: number, end: 'agree' | 'fail' | null) => {
      const s = async (h: number, who: string, action: string, input: Record<string, unknown> = {}) => stepDispute(await at(who, t(day, h)), id, action, input);
      await s(1, 'villageA2', 'accept');
      await s(2, 'villageA2', 'assign', { mediatorUserId: w.users.mediatorA2 });
      if (!end) return;
      await s(3, 'mediatorA2', 'investigate', { findings: '属实' });
      await s(4, 'mediatorA2', 'inform', { rightsTold: true, sessionAt: t(day + 1).toISOString(), sessionPlace: '村部' });
      await s(30, 'mediatorA2', 'mediate', { place: '村部', record: '笔录' });
      const ids = (await database.db.selectFrom('dispute_parties').select('id').where('dispute_id', '=', id).execute()).map((p) => p.id);
      await s(31, 'mediatorA2', end, end === 'agree' ? { agreementText: '协议', terms: ['条款'], signedPartyIds: ids } : { referral: 'arbitration', reason: '不同意' });
    };
    await run(await make('neighbour', 0), 0, 'agree');
    await run(await make('neighbour', 3), 3, 'agree');
    await run(await make('land_forest', 5), 5, 'fail');
    await run(await make('damages', 6), 6, null);
    await make('damages', 7);
    await runDueJobs(database.db, 500);

    const stats = await c.villageA2!.get(`${api}/mediation/stats?from=2025-06-01&to=2025-08-31`);
    expect(stats.status, JSON.stringify(stats.body)).toBe(200);
    expect(stats.body.unit).toMatchObject({ id: w.regions.villageA2.id, name: '二村' });
    // open counts now, whatever the period: the one left open here and the township-level one above
    expect(stats.body.total).toEqual({ accepted: 4, concluded: 3, agreements: 2, failed: 1, successRate: 2 / 3, overdue: 1, open: 2 });
    const type = (k: string) => stats.body.byType.find((x: { type: string }) => x.type === k);
    expect(type('neighbour')).toMatchObject({ accepted: 2, concluded: 2, agreements: 2, successRate: 1 });
    expect(type('land_forest')).toMatchObject({ accepted: 1, concluded: 1, agreements: 0, successRate: 0 });
    expect(type('damages')).toMatchObject({ accepted: 1, concluded: 0, overdue: 1, successRate: null });
    expect(stats.body.byVillage).toEqual([expect.objectContaining({ villageName: '二村', townshipName: '甲镇', accepted: 4, agreements: 2 })]);
    expect(stats.body.definitions.find((d: { key: string }) => d.key === 'successRate').formula).toContain('调解成功数 ÷ 调结数');

    // a period before: nothing; the township sees 二村 among its villages; another township nothing of it
    const before = await c.villageA2!.get(`${api}/mediation/stats?from=2025-01-01&to=2025-05-31`);
    expect(before.body.total).toMatchObject({ accepted: 0, concluded: 0, overdue: 0, successRate: null, open: 2 });
    const town = await c.townA!.get(`${api}/mediation/stats?from=2025-06-01&to=2025-08-31`);
    expect(town.body.byVillage.find((v: { villageName: string }) => v.villageName === '二村')).toMatchObject({ accepted: 4, concluded: 3, agreements: 2 });
    expect((await c.townB!.get(`${api}/mediation/stats?from=2025-06-01&to=2025-08-31&regionId=${w.regions.villageA2.id}`)).status).toBe(404);
    expect((await c.townB!.get(`${api}/mediation/stats?from=2025-06-01&to=2025-08-31`)).body.total.accepted).toBe(0);
    expect((await c.villageA2!.get(`${api}/mediation/stats?from=2025-09-01&to=2025-08-31`)).body.code).toBe('MEDIATION_PERIOD_INVALID');
    expect((await c.villageA2!.get(`${api}/mediation/stats?from=2025-9-1&to=2025-08-31`)).status).toBe(400);
    // the service answers the same for a direct call
    expect((await disputeStats(await at('villageA2', new Date()), { from: '2025-06-01', to: '2025-08-31' })).total.agreements).toBe(2);
  });
});
