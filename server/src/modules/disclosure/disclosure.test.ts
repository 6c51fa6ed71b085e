import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, TEST_PASSWORD, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import { hashPassword } from '../../core/auth/password.js';
import { grantRole } from '../../core/roles.js';
import { beijingDay } from '../../core/calendar/index.js';
import type { App } from '../../core/module.js';
import { nextMonth, parseYuan, yuan } from './service.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let w: World;
const c: Record<string, Client> = {};
const today = beijingDay(new Date());
const thisMonth = today.slice(0, 7);
const thisYear = Number(today.slice(0, 4));

beforeAll(async () => {
  database = await testDatabase();
  w = await buildWorld(database.db);
  // two more cadres in 一村 (村委会主任, 村党支部书记) so the default five-step chain has five different people
  const pw = await hashPassword(TEST_PASSWORD);
  for (const u of ['directorA1', 'secretaryA1']) {
    const row = await database.db.insertInto('users').values({ county_id: w.countyId, username: u, display_name: u, kind: 'staff', password_hash: pw }).returning('id').executeTakeFirstOrThrow();
    await grantRole(database.db, row.id, 'village_cadre', w.regions.villageA1.id);
    w.users[u] = row.id;
  }
  app = await testApp(database);
  for (const u of ['villageA1', 'directorA1', 'secretaryA1', 'evalA1', 'townA', 'townB', 'villageA2', 'villageB1', 'villagerA1', 'villagerB1', 'gridA1']) c[u] = await new Client(app).login(u);
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const A1 = () => w.regions.villageA1.id;
const entry = (over: Record<string, unknown> = {}) => ({
  villageId: A1(), entryDate: today, kind: 'expense', category: '办公经费', amount: '1280.50', counterparty: '县城文具店',
  purpose: '购买村委会办公用品', voucherNo: `PZ-${Math.random().toString(36).slice(2, 8)}`, payMethod: 'official_card', ...over,
});
async function enter(client: Client, over: Record<string, unknown> = {}) {
  const r = await client.post('/api/v1/disclosure/entries', entry(over));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
async function step(who: string, id: number, action: string, body: Record<string, unknown> = {}) {
  return c[who]!.post(`/api/v1/disclosure/entries/${id}/${action}`, body);
}
const CHAIN_SIGNERS = ['villageA1', 'evalA1', 'directorA1', 'secretaryA1', 'townA'];
async function signAll(id: number, from = 0) {
  let last;
  for (const who of CHAIN_SIGNERS.slice(from)) {
    last = await step(who, id, 'sign', { comment: `${who} 同意` });
    expect(last.status, `${who}: ${JSON.stringify(last.body)}`).toBe(200);
  }
  return last!.body;
}
const count = async (table: 'finance_entries' | 'disclosure_signoffs' | 'disclosure_months') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('money', () => {
  it('parses yuan exactly into fen and refuses junk', () => {
    expect(parseYuan('0.1')).toBe(10);
    expect(parseYuan(0.1)).toBe(10);
    expect(parseYuan('1234567.89')).toBe(123456789);
    expect(yuan(123456789)).toBe('1234567.89');
    expect(yuan(-5)).toBe('-0.05');
    for (const bad of ['0', '0.00', '-1', '1.234', 'abc', '1e3', '']) expect(() => parseYuan(bad)).toThrow();
    expect(nextMonth('2026-12')).toBe('2027-01');
  });
});

describe('sign-off chain', () => {
  it('goes step by step in order, only the step role holder signs, then posts', async () => {
    const e = await enter(c.villageA1!);
    expect(e).toMatchObject({ state: 'signing', currentStep: 0, amount: '1280.50', amountFen: 128050, kindLabel: '支出', payMethodLabel: '公务卡' });
    expect(e.steps.map((s: { label: string }) => s.label)).toEqual(['经办人', '村务监督委员会审核', '村委会主任审批', '村党支部书记审批', '乡镇农经站审核']);
    expect(e.steps[0].status).toBe('process');
    // out of order: the supervision committee cannot sign the 经办人 step; the township cannot either
    expect((await step('evalA1', e.id, 'sign')).body.code).toBe('WORKFLOW_FORBIDDEN');
    expect((await step('townA', e.id, 'sign')).body.code).toBe('WORKFLOW_FORBIDDEN');
    expect((await step('villageA1', e.id, 'sign')).status).toBe(200);
    // a village cadre does not hold the supervision step; another township's cadre never sees it
    expect((await step('directorA1', e.id, 'sign')).body.code).toBe('WORKFLOW_FORBIDDEN');
    expect((await step('townB', e.id, 'sign')).status).toBe(404);
    const after = await signAll(e.id, 1);
    expect(after.state).toBe('posted');
    expect(after.period).toBe(thisMonth);
    expect(after.steps.every((s: { status: string }) => s.status === 'finish')).toBe(true);
    expect(after.steps.map((s: { by: string }) => s.by)).toEqual(CHAIN_SIGNERS);
    const hist = await database.db.selectFrom('workflow_history').select(['action', 'to_state', 'actor_id']).where('process', '=', 'finance_entry').where('entity_id', '=', e.id).orderBy('id').execute();
    expect(hist.map((h) => h.action)).toEqual(['enter', 'sign', 'sign', 'sign', 'sign', 'sign']);
    expect(hist.at(-1)).toMatchObject({ to_state: 'posted', actor_id: w.users.townA });
    // posted: no more signing
    expect((await step('townA', e.id, 'sign')).body.code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');
  });

  it('nobody signs twice in one chain', async () => {
    const e = await enter(c.villageA1!);
    expect((await step('villageA1', e.id, 'sign')).status).toBe(200);
    expect((await step('evalA1', e.id, 'sign')).status).toBe(200);
    // step 3 is a village cadre's: villageA1 already signed this round
    const twice = await step('villageA1', e.id, 'sign');
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'DISCLOSURE_ALREADY_SIGNED', message: '同一审签流程中每人只能签一次' });
    expect((await step('directorA1', e.id, 'sign')).status).toBe(200);
    const signs = await database.db.selectFrom('disclosure_signoffs').select('user_id').where('entry_id', '=', e.id).execute();
    expect(signs.map((s) => s.user_id)).toEqual([w.users.villageA1, w.users.evalA1, w.users.directorA1]);
  });

  it('two signers racing for one step: exactly one signature lands', async () => {
    const e = await enter(c.villageA1!);
    await step('villageA1', e.id, 'sign');
    await step('evalA1', e.id, 'sign');
    // directorA1 and secretaryA1 both hold step 3 (村委会主任审批) and press at the same moment;
    // whatever the interleaving, no step is signed twice and nobody signs twice
    const [a, b] = await Promise.all([step('directorA1', e.id, 'sign'), step('secretaryA1', e.id, 'sign')]);
    // truly concurrent (PostgreSQL): one wins step 3, the other gets 409; serialised (PGlite): the
    // second finds step 4 (村党支部书记审批, also a village cadre's) and signs that one instead
    const ok = [a, b].filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(1);
    for (const r of [a, b]) expect([200, 409]).toContain(r.status);
    const rows = await database.db.selectFrom('disclosure_signoffs').select(['step_index', 'user_id']).where('entry_id', '=', e.id).execute();
    expect(rows.map((r) => r.step_index).sort()).toEqual([0, 1, 2, 3].slice(0, 2 + ok));
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(rows.length);
    const after = await c.villageA1!.get(`/api/v1/disclosure/entries/${e.id}`);
    expect(after.body.currentStep).toBe(2 + ok);
  });

  it('return with a reason, resubmit starts a new round from the first step', async () => {
    const e = await enter(c.villageA1!, { amount: '500' });
    await step('villageA1', e.id, 'sign');
    expect((await step('evalA1', e.id, 'return', {})).body.code).toBe('DISCLOSURE_REASON_REQUIRED');
    const ret = await step('evalA1', e.id, 'return', { comment: '缺少验收单' });
    expect(ret.status).toBe(200);
    expect(ret.body.state).toBe('returned');
    expect(ret.body.steps[1]).toMatchObject({ status: 'error', comment: '缺少验收单', by: 'evalA1' });
    expect((await step('directorA1', e.id, 'sign')).body.code).toBe('WORKFLOW_TRANSITION_NOT_ALLOWED');
    // the supervision committee cannot resubmit; the village cadre can, correcting the amount
    expect((await step('evalA1', e.id, 'resubmit')).body.code).toBe('WORKFLOW_FORBIDDEN');
    const again = await step('villageA1', e.id, 'resubmit', { amount: '480.00', comment: '已补验收单' });
    expect(again.body).toMatchObject({ state: 'signing', round: 2, currentStep: 0, amount: '480.00' });
    // a new round: villageA1 may sign the first step again
    const done = await signAll(e.id);
    expect(done).toMatchObject({ state: 'posted', amountFen: 48000 });
    expect(done.signoffs.filter((s: { round: number }) => s.round === 1).map((s: { action: string }) => s.action)).toEqual(['sign', 'return']);
  });

  it('pending my sign-off lists only entries at my step', async () => {
    const e = await enter(c.villageA1!);
    await step('villageA1', e.id, 'sign');
    const mine = await c.evalA1!.get(`/api/v1/disclosure/entries?pending=true`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { id: number }) => i.id)).toContain(e.id);
    expect(mine.body.items.every((i: { canSign: boolean }) => i.canSign)).toBe(true);
    const dir = await c.directorA1!.get(`/api/v1/disclosure/entries?pending=true`);
    expect(dir.body.items.map((i: { id: number }) => i.id)).not.toContain(e.id);
  });

  it('the chain is data: township sets a village chain (≤ 8 steps), entries keep their snapshot', async () => {
    const inFlight = await enter(c.villageA1!, { villageId: w.regions.villageA2.id, voucherNo: 'A2-1' }).catch(() => null);
    expect(inFlight).toBeNull(); // villageA1's cadre cannot enter for 二村
    const nine = Array.from({ length: 9 }, (_, i) => ({ label: `第${i + 1}步`, role: 'village_cadre' }));
    expect((await c.townA!.put('/api/v1/disclosure/chain', { villageId: w.regions.villageA2.id, steps: nine })).status).toBe(400);
    expect((await c.townA!.put('/api/v1/disclosure/chain', { villageId: w.regions.villageA2.id, steps: [{ label: '会计', role: 'cashier' }] })).body.code).toBe('DISCLOSURE_CHAIN_INVALID');
    expect((await c.villageA2!.put('/api/v1/disclosure/chain', { villageId: w.regions.villageA2.id, steps: [{ label: '经办人', role: 'village_cadre' }] })).status).toBe(403);
    expect((await c.townB!.put('/api/v1/disclosure/chain', { villageId: w.regions.villageA2.id, steps: [{ label: '经办人', role: 'village_cadre' }] })).status).toBe(404);
    const before = await enter(c.villageA2!, { villageId: w.regions.villageA2.id });
    const set = await c.townA!.put('/api/v1/disclosure/chain', { villageId: w.regions.villageA2.id, steps: [{ label: '经办人', role: 'village_cadre' }, { label: '农经站', role: 'township_cadre' }] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ source: 'village', steps: [{ label: '经办人', level: 'village' }, { label: '农经站', level: 'township' }] });
    const after = await enter(c.villageA2!, { villageId: w.regions.villageA2.id });
    expect(after.steps).toHaveLength(2);
    expect((await c.villageA2!.get(`/api/v1/disclosure/entries/${before.id}`)).body.steps).toHaveLength(5);
    expect((await step('villageA2', after.id, 'sign')).status).toBe(200);
    const posted = await step('townA', after.id, 'sign');
    expect(posted.body.state).toBe('posted');
  });
});

describe('entries', () => {
  it('refuses cash with a clear Chinese error, and bad input, writing nothing', async () => {
    const before = await count('finance_entries');
    const cash = await c.villageA1!.post('/api/v1/disclosure/entries', entry({ payMethod: 'cash' }));
    expect(cash.status).toBe(400);
    expect(cash.body).toMatchObject({ code: 'FINANCE_CASH_REFUSED' });
    expect(cash.body.message).toContain('不得使用现金');
    expect((await c.villageA1!.post('/api/v1/disclosure/entries', entry({ payMethod: '现金' }))).body.code).toBe('FINANCE_CASH_REFUSED');
    const bad: [Record<string, unknown>, number, string?][] = [
      [{ amount: '0' }, 400, 'FINANCE_AMOUNT_INVALID'],
      [{ amount: '-3' }, 400, 'FINANCE_AMOUNT_INVALID'],
      [{ amount: '1.005' }, 400, 'FINANCE_AMOUNT_INVALID'],
      [{ amount: 'abc' }, 400, 'FINANCE_AMOUNT_INVALID'],
      [{ category: '吃喝' }, 400, 'FINANCE_CATEGORY_INVALID'],
      [{ payMethod: 'cheque' }, 400, 'FINANCE_PAY_METHOD_INVALID'],
      [{ kind: 'gift' }, 400, 'VALIDATION_FAILED'],
      [{ extra: 1 }, 400, 'VALIDATION_FAILED'],
      [{ purpose: 'x'.repeat(501) }, 400, 'VALIDATION_FAILED'],
      [{ purpose: '   ' }, 400, 'FINANCE_FIELD_REQUIRED'],
      [{ entryDate: '2026-02-30' }, 400, 'FINANCE_DATE_INVALID'],
      [{ entryDate: `${thisYear + 1}-01-01` }, 400, 'FINANCE_DATE_INVALID'],
      [{ villageId: w.regions.villageB1.id }, 404],
      [{ villageId: w.regions.townA.id }, 404],
      [{ villageId: 'x' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [over, status, code] of bad) {
      const r = await c.villageA1!.post('/api/v1/disclosure/entries', entry(over));
      expect(r.status, JSON.stringify([over, r.body])).toBe(status);
      if (code) expect(r.body.code).toBe(code);
    }
    const { voucherNo: _v, ...missing } = entry();
    expect((await c.villageA1!.post('/api/v1/disclosure/entries', missing)).status).toBe(400);
    // people without disclosure.finance
    expect((await c.evalA1!.post('/api/v1/disclosure/entries', entry())).status).toBe(403);
    expect((await c.villagerA1!.post('/api/v1/disclosure/entries', entry())).status).toBe(403);
    expect(await count('finance_entries')).toBe(before);
  });

  it('amounts stay exact: a hundred 0.1s sum to 10.00, income posts at once', async () => {
    const v = w.regions.villageB1.id;
    for (let i = 0; i < 100; i++) {
      const r = await c.villageB1!.post('/api/v1/disclosure/entries', entry({ villageId: v, kind: 'income', category: '集体经营收入', amount: 0.1, voucherNo: `B-${i}`, payMethod: 'bank_transfer' }));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.state).toBe('posted');
    }
    const m = await c.villageB1!.get(`/api/v1/disclosure/villages/${v}/months/${thisMonth}`);
    expect(m.body).toMatchObject({ income: '10.00', incomeFen: 1000, expense: '0.00', opening: '0.00', closing: '10.00', entryCount: 100 });
  });

  it('posted entries are immutable; a correction is a reversing entry, once', async () => {
    const e = await enter(c.villageA1!, { amount: '300.30' });
    await signAll(e.id);
    await expect(database.db.updateTable('finance_entries').set({ amount_fen: 1 }).where('id', '=', e.id).execute()).rejects.toThrow();
    await expect(database.db.deleteFrom('finance_entries').where('id', '=', e.id).execute()).rejects.toThrow();
    expect((await c.evalA1!.post(`/api/v1/disclosure/entries/${e.id}/reverse`, { reason: '重复报销' })).status).toBe(403);
    const rev = await c.villageA1!.post(`/api/v1/disclosure/entries/${e.id}/reverse`, { reason: '重复报销' });
    expect(rev.status, JSON.stringify(rev.body)).toBe(200);
    expect(rev.body).toMatchObject({ state: 'posted', amountFen: -30030, amount: '-300.30', reversesId: e.id, kind: 'expense' });
    expect((await c.villageA1!.post(`/api/v1/disclosure/entries/${e.id}/reverse`, { reason: '再冲' })).body.code).toBe('FINANCE_ALREADY_REVERSED');
    expect((await c.villageA1!.post(`/api/v1/disclosure/entries/${rev.body.id}/reverse`, { reason: '冲冲销' })).body.code).toBe('FINANCE_NOT_REVERSIBLE');
    const unposted = await enter(c.villageA1!);
    expect((await c.villageA1!.post(`/api/v1/disclosure/entries/${unposted.id}/reverse`, { reason: 'x' })).body.code).toBe('FINANCE_NOT_REVERSIBLE');
    const orig = await c.villageA1!.get(`/api/v1/disclosure/entries/${e.id}`);
    expect(orig.body).toMatchObject({ amountFen: 30030, reversedById: rev.body.id });
  });

  it('scope: another village or township answers 404 like a missing id', async () => {
    const e = await enter(c.villageA1!);
    for (const who of ['villageA2', 'villageB1', 'townB']) expect((await c[who]!.get(`/api/v1/disclosure/entries/${e.id}`)).status).toBe(404);
    expect((await c.villageA1!.get('/api/v1/disclosure/entries/99999999')).status).toBe(404);
    expect((await c.townA!.get(`/api/v1/disclosure/entries/${e.id}`)).status).toBe(200);
    expect((await c.villageA2!.get(`/api/v1/disclosure/villages/${A1()}/months/${thisMonth}`)).status).toBe(404);
    const list = await c.villageB1!.get('/api/v1/disclosure/entries?limit=200');
    expect(list.body.items.every((i: { villageId: number }) => i.villageId === w.regions.villageB1.id)).toBe(true);
    // villagers never read the staff lists
    expect((await c.villagerA1!.get('/api/v1/disclosure/entries')).status).toBe(403);
    expect((await c.villagerA1!.get(`/api/v1/disclosure/entries/${e.id}`)).status).toBe(403);
  });
});

describe('monthly disclosure, audit and year close', () => {
  let v: number;
  const lastMonth = (() => {
    const [y, m] = thisMonth.split('-').map(Number) as [number, number];
    return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  })();
  it('totals by category and balances on a known data set; publishing freezes the month', async () => {
    v = w.regions.villageA2.id;
    await c.townA!.put('/api/v1/disclosure/chain', { villageId: v, steps: [{ label: '经办人', role: 'village_cadre' }, { label: '农经站', role: 'township_cadre' }] });
    const add = async (kind: string, category: string, amount: string, entryDate: string) => {
      const e = await enter(c.villageA2!, { villageId: v, kind, category, amount, entryDate, payMethod: 'corporate_transfer' });
      if (kind === 'expense') {
        await step('villageA2', e.id, 'sign');
        expect((await step('townA', e.id, 'sign')).body.state).toBe('posted');
      }
      return e;
    };
    // earlier months of the previous test left 二村 with posted entries in thisMonth; use lastMonth as the known set
    const d = `${lastMonth}-15`;
    await add('income', '上级补助', '50000', d);
    await add('income', '集体经营收入', '1200.35', d);
    await add('expense', '工程款', '30000.10', d);
    await add('expense', '办公经费', '99.99', d);
    await add('expense', '办公经费', '0.01', d);
    const m = await c.villageA2!.get(`/api/v1/disclosure/villages/${v}/months/${lastMonth}`);
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ published: false, opening: '0.00', income: '51200.35', expense: '30100.10', closing: '21100.25', entryCount: 5, canPublish: false });
    expect(m.body.byCategory.map((x: { kind: string; category: string; amount: string; count: number }) => [x.kind, x.category, x.amount, x.count])).toEqual([
      ['expense', '办公经费', '100.00', 2], ['expense', '工程款', '30000.10', 1], ['income', '上级补助', '50000.00', 1], ['income', '集体经营收入', '1200.35', 1],
    ]);
    // an entry waiting in the chain, dated last month
    const late = await enter(c.villageA2!, { villageId: v, amount: '10', entryDate: d });
    // only the supervision committee publishes (no evaluation group in 二村: the cadre is refused, so is 一村's committee)
    expect((await c.villageA2!.post(`/api/v1/disclosure/villages/${v}/months/${lastMonth}/publish`, {})).status).toBe(403);
    expect((await c.evalA1!.post(`/api/v1/disclosure/villages/${v}/months/${lastMonth}/publish`, {})).status).toBe(404);
    // 一村's committee publishes 一村's month
    const pubA1 = await c.evalA1!.post(`/api/v1/disclosure/villages/${A1()}/months/${thisMonth}/publish`, { note: '经村务监督委员会审核无误' });
    expect(pubA1.status, JSON.stringify(pubA1.body)).toBe(200);
    expect(pubA1.body).toMatchObject({ published: true, publishedBy: 'evalA1', note: '经村务监督委员会审核无误' });
    expect((await c.evalA1!.post(`/api/v1/disclosure/villages/${A1()}/months/${thisMonth}/publish`, {})).body.code).toBe('DISCLOSURE_MONTH_PUBLISHED');
    expect((await c.evalA1!.post(`/api/v1/disclosure/villages/${A1()}/months/${nextMonth(thisMonth)}/publish`, {})).body.code).toBe('DISCLOSURE_MONTH_INVALID');
    const frozen = pubA1.body;
    // a late entry for 一村 this month is posted into next month; the published month does not move
    const lateA1 = await enter(c.villageA1!, { amount: '77.70' });
    const posted = await signAll(lateA1.id);
    expect(posted.period).toBe(nextMonth(thisMonth));
    const again = await c.villageA1!.get(`/api/v1/disclosure/villages/${A1()}/months/${thisMonth}`);
    expect(again.body.expense).toBe(frozen.expense);
    expect(again.body.entries.length).toBe(frozen.entries.length);
    const next = await c.villageA1!.get(`/api/v1/disclosure/villages/${A1()}/months/${nextMonth(thisMonth)}`);
    expect(next.body).toMatchObject({ opening: frozen.closing, expense: '77.70' });
    expect(late.state).toBe('signing');
  });

  it('villagers read published months and current notices of their own village only', async () => {
    const months = await c.villagerA1!.get('/api/v1/me/disclosure/months');
    expect(months.status).toBe(200);
    expect(months.body.items.map((i: { month: string }) => i.month)).toEqual([thisMonth]);
    const m = await c.villagerA1!.get(`/api/v1/me/disclosure/months/${thisMonth}`);
    expect(m.status).toBe(200);
    expect(m.body.entries.length).toBeGreaterThan(0);
    expect((await c.villagerA1!.get(`/api/v1/me/disclosure/months/${nextMonth(thisMonth)}`)).status).toBe(404);
    expect((await c.villagerB1!.get(`/api/v1/me/disclosure/months/${thisMonth}`)).status).toBe(404);
    expect((await c.villagerB1!.get('/api/v1/me/disclosure/months')).body.items).toEqual([]);
    expect((await c.villageA1!.get('/api/v1/me/disclosure/months')).status).toBe(404);

    const n = await c.villageA1!.post('/api/v1/disclosure/notices', { villageId: A1(), kind: 'finance', title: '本月财务公开', body: '详见公开栏', publishFrom: today });
    expect(n.status, JSON.stringify(n.body)).toBe(200);
    expect(n.body.kindLabel).toBe('财务公开');
    await c.villageA1!.post('/api/v1/disclosure/notices', { villageId: A1(), kind: 'policy', title: '过期的公告', body: '已过期', publishFrom: '2020-01-01', publishTo: '2020-02-01' });
    expect((await c.villageA1!.post('/api/v1/disclosure/notices', { villageId: A1(), kind: 'policy', title: 't', body: 'b', publishFrom: today, publishTo: '2020-01-01' })).body.code).toBe('DISCLOSURE_NOTICE_DATES');
    expect((await c.villageA1!.post('/api/v1/disclosure/notices', { villageId: w.regions.villageB1.id, kind: 'policy', title: 't', body: 'b', publishFrom: today })).status).toBe(404);
    expect((await c.evalA1!.post('/api/v1/disclosure/notices', { villageId: A1(), kind: 'policy', title: 't', body: 'b', publishFrom: today })).status).toBe(403);
    const mine = await c.villagerA1!.get('/api/v1/me/disclosure/notices');
    expect(mine.body.items.map((i: { title: string }) => i.title)).toEqual(['本月财务公开']);
    expect((await c.villagerB1!.get('/api/v1/me/disclosure/notices')).body.items).toEqual([]);
  });

  it('publishes in order; township audits each quarter once and closes the year', async () => {
    // 二村: this month cannot be published before last month
    const ev2 = await database.db.insertInto('users').values({ county_id: w.countyId, username: 'evalA2', display_name: 'evalA2', kind: 'staff', password_hash: await hashPassword(TEST_PASSWORD) }).returning('id').executeTakeFirstOrThrow();
    await grantRole(database.db, ev2.id, 'evaluation_group', v);
    const evalA2 = await new Client(app).login('evalA2');
    expect((await evalA2.post(`/api/v1/disclosure/villages/${v}/months/${thisMonth}/publish`, {})).body.code).toBe('DISCLOSURE_EARLIER_MONTH_OPEN');
    const p = await evalA2.post(`/api/v1/disclosure/villages/${v}/months/${lastMonth}/publish`, {});
    expect(p.body).toMatchObject({ published: true, closing: '21100.25' });
    expect((await evalA2.post(`/api/v1/disclosure/villages/${v}/months/${thisMonth}/publish`, {})).status).toBe(200);

    const q = Math.ceil(Number(thisMonth.slice(5)) / 3);
    expect((await c.villageA2!.post(`/api/v1/disclosure/villages/${v}/audits`, { year: thisYear, quarter: q, opinion: '账实相符' })).status).toBe(403);
    expect((await c.townB!.post(`/api/v1/disclosure/villages/${v}/audits`, { year: thisYear, quarter: q, opinion: '账实相符' })).status).toBe(404);
    expect((await c.townA!.post(`/api/v1/disclosure/villages/${v}/audits`, { year: thisYear, quarter: 5, opinion: 'x' })).status).toBe(400);
    const a = await c.townA!.post(`/api/v1/disclosure/villages/${v}/audits`, { year: thisYear, quarter: q, opinion: '账实相符，票据齐全' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect((await c.townA!.post(`/api/v1/disclosure/villages/${v}/audits`, { year: thisYear, quarter: q, opinion: '再审' })).body.code).toBe('DISCLOSURE_AUDIT_EXISTS');
    const month = await c.townA!.get(`/api/v1/disclosure/villages/${v}/months/${thisMonth}`);
    expect(month.body.audits).toEqual([expect.objectContaining({ quarter: q, opinion: '账实相符，票据齐全', by: 'townA' })]);

    // close last year (nothing there) and check entries dated in it are refused
    expect((await c.villageA2!.post(`/api/v1/disclosure/villages/${v}/close-year`, { year: thisYear - 1 })).status).toBe(403);
    expect((await c.townA!.post(`/api/v1/disclosure/villages/${v}/close-year`, { year: thisYear + 1 })).body.code).toBe('DISCLOSURE_YEAR_INVALID');
    const close = await c.townA!.post(`/api/v1/disclosure/villages/${v}/close-year`, { year: thisYear - 1 });
    expect(close.status, JSON.stringify(close.body)).toBe(200);
    expect((await c.townA!.post(`/api/v1/disclosure/villages/${v}/close-year`, { year: thisYear - 1 })).body.code).toBe('FINANCE_YEAR_CLOSED');
    const refused = await c.villageA2!.post('/api/v1/disclosure/entries', entry({ villageId: v, entryDate: `${thisYear - 1}-12-31` }));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('FINANCE_YEAR_CLOSED');

    const ov = await c.townA!.get(`/api/v1/disclosure/overview?year=${thisYear}`);
    expect(ov.status).toBe(200);
    expect(ov.body.items.map((i: { villageName: string }) => i.villageName).sort()).toEqual(['一村', '二村']);
    // published snapshots + live open months = the posted entries of the year, exactly
    for (const item of ov.body.items as { villageId: number; income: string; expense: string; monthsPublished: number }[]) {
      const rows = await database.db.selectFrom('finance_entries').select(['kind', 'amount_fen']).where('village_id', '=', item.villageId).where('state', '=', 'posted')
        .where('period', '>=', `${thisYear}-01`).where('period', '<=', `${thisYear}-12`).execute();
      const sum = (k: string) => yuan(rows.filter((r) => r.kind === k).reduce((a, r) => a + r.amount_fen, 0));
      expect([item.income, item.expense]).toEqual([sum('income'), sum('expense')]);
    }
    expect((ov.body.items as { villageId: number; monthsPublished: number }[]).find((i) => i.villageId === v)!.monthsPublished).toBe(lastMonth.startsWith(String(thisYear)) ? 2 : 1);
    const ovB = await c.townB!.get(`/api/v1/disclosure/overview?year=${thisYear}`);
    expect(ovB.body.items.map((i: { villageName: string }) => i.villageName)).toEqual(['三村']);
  });
});
