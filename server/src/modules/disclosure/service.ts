/**
 * 村务公开 use cases: finance entries with a per-village sign-off chain (expenses) — enter, sign,
 * return, resubmit, reverse; the monthly disclosure (live totals, publication that freezes the
 * month), the township's quarterly audit notes and year-end close; the notice board; and what
 * villagers read on the phone (published months and notices of their own village only).
 * Money is integer fen throughout; amounts go out as exact 'yuan.fen' strings.
 */
import { sql } from 'kysely';
import type { Ctx } from '../../core/context.js';
import { inTransaction, nowOf } from '../../core/context.js';
import { assertCovers, covers, inScope, pathsWith, requirePermission, type Actor } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { beijingDay } from '../../core/calendar/index.js';
import { readHistory, writeHistory } from '../../core/workflow/index.js';
import { decodeCursor, pageOf } from '../../core/paging.js';
import type { Kdb } from '../../db/database.js';
import './tables.js';
import type { ChainStep, CategoryTotal, EntryKind, NoticeKind, PayMethod } from './tables.js';
import { AUDIT, CHAIN, FINANCE, NOTICE, PUBLISH, READ, SIGN, canEnter, canSign, holdsStep, isStaffReader, type EntryRes } from './policy.js';
import { CATEGORIES, DEFAULT_CHAIN, ENTRY_STATES, KIND_LABELS, MAX_STEPS, NOTICE_LABELS, PAY_LABELS, STEP_ROLES, entryProcess } from './process.js';

// ── money and months ────────────────────────────────────────────────────────────────────────

/** '12.3' / 12.3 → 1230 fen, exactly (no float arithmetic). Refuses ≤ 0, > 2 decimals, junk. */
export function parseYuan(v: string | number): number {
  const s = typeof v === 'number' ? String(v) : v.trim();
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new AppError('FINANCE_AMOUNT_INVALID', { field: 'amount', value: String(v) });
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (fen <= 0) throw new AppError('FINANCE_AMOUNT_INVALID', { field: 'amount', value: String(v) });
  return fen;
}
export function yuan(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
const monthOf = (day: string) => day.slice(0, 7);
export function nextMonth(m: string): string {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
}
function validDay(day: string): boolean {
  const t = Date.parse(day + 'T00:00:00Z');
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const staffOnly = (a: Actor) => {
  if (a.kind !== 'staff') throw new AppError('FORBIDDEN');
};

// ── places ──────────────────────────────────────────────────────────────────────────────────

async function village(ctx: Ctx, villageId: number, permission: string) {
  const r = await ctx.db.selectFrom('regions').select(['id', 'path', 'name', 'level', 'county_id']).where('id', '=', villageId).executeTakeFirst();
  if (!r || r.level !== 'village' || r.county_id !== ctx.actor.countyId) throw new AppError('NOT_FOUND', { villageId });
  assertCovers(ctx.actor, permission, r.path);
  return r;
}

/** Villages the caller may read in 村务公开 (for pickers), with their township's name. */
export async function myVillages(ctx: Ctx) {
  staffOnly(ctx.actor);
  requirePermission(ctx.actor, READ);
  const rows = await ctx.db.selectFrom('regions as v').innerJoin('regions as t', 't.id', 'v.parent_id').select(['v.id', 'v.name', 't.name as township_name'])
    .where('v.level', '=', 'village').where('v.county_id', '=', ctx.actor.countyId).where(inScope(ctx.actor, READ, 'v.path')).orderBy('v.path').limit(2000).execute();
  return { items: rows.map((r) => ({ id: r.id, name: r.name, townshipName: r.township_name })) };
}

// ── the chain ───────────────────────────────────────────────────────────────────────────────

async function chainRow(db: Kdb, countyId: number, regionId: number | null) {
  let q = db.selectFrom('disclosure_chains').selectAll().where('county_id', '=', countyId);
  q = regionId === null ? q.where('region_id', 'is', null) : q.where('region_id', '=', regionId);
  return q.executeTakeFirst();
}

/** A village's chain: its own, else the county's default, else the built-in default. */
export async function chainOf(ctx: Ctx, villageId: number | null) {
  if (villageId !== null) {
    const own = await chainRow(ctx.db, ctx.actor.countyId, villageId);
    if (own) return { steps: own.steps as ChainStep[], source: 'village' as const, updatedBy: own.updated_by_name, updatedAt: iso(own.updated_at) };
  }
  const county = await chainRow(ctx.db, ctx.actor.countyId, null);
  if (county) return { steps: county.steps as ChainStep[], source: 'county' as const, updatedBy: county.updated_by_name, updatedAt: iso(county.updated_at) };
  return { steps: DEFAULT_CHAIN, source: 'builtin' as const, updatedBy: null, updatedAt: null };
}

export async function getChain(ctx: Ctx, villageId: number | undefined) {
  staffOnly(ctx.actor);
  if (villageId !== undefined) await village(ctx, villageId, READ);
  else requirePermission(ctx.actor, READ);
  return { villageId: villageId ?? null, ...(await chainOf(ctx, villageId ?? null)), roles: Object.entries(STEP_ROLES).map(([key, r]) => ({ key, ...r })) };
}

export async function setChain(ctx: Ctx, input: { villageId?: number | null; steps: { label: string; role: string }[] }) {
  const { actor } = ctx;
  requirePermission(actor, CHAIN);
  let regionId: number | null = null;
  let path: string;
  if (input.villageId != null) {
    const v = await village(ctx, input.villageId, CHAIN);
    regionId = v.id;
    path = v.path;
  } else {
    const county = await ctx.db.selectFrom('regions').select('path').where('id', '=', actor.countyId).executeTakeFirstOrThrow();
    if (!covers(actor, CHAIN, county.path)) throw new AppError('FORBIDDEN', { permission: CHAIN, reason: '只有县级可以修改全县默认审签流程' });
    path = county.path;
  }
  if (input.steps.length < 1 || input.steps.length > MAX_STEPS) throw new AppError('DISCLOSURE_CHAIN_INVALID', { field: 'steps', max: MAX_STEPS });
  const steps: ChainStep[] = input.steps.map((s, i) => {
    const role = STEP_ROLES[s.role];
    const label = s.label.trim();
    if (!role || !label) throw new AppError('DISCLOSURE_CHAIN_INVALID', { field: `steps.${i}` });
    return { label, role: s.role, level: role.level };
  });
  await inTransaction(ctx, async (tx) => {
    const before = await chainRow(tx.db, actor.countyId, regionId);
    if (before) {
      await tx.db.updateTable('disclosure_chains').set({ steps: JSON.stringify(steps), updated_by: actor.userId, updated_by_name: actor.displayName, updated_at: nowOf(ctx) }).where('id', '=', before.id).execute();
    } else {
      await tx.db.insertInto('disclosure_chains').values({ county_id: actor.countyId, region_id: regionId, region_path: path, steps: JSON.stringify(steps), updated_by: actor.userId, updated_by_name: actor.displayName, updated_at: nowOf(ctx) }).execute();
    }
    await audit(tx, { action: 'disclosure.chain', entity: 'disclosure_chain', entityId: regionId ?? 0, regionPath: path, before: before?.steps ?? null, after: steps });
  });
  return getChain(ctx, input.villageId ?? undefined);
}

// ── periods (a published month is frozen; a closed year takes nothing) ─────────────────────────

async function closedYears(db: Kdb, villageId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('disclosure_year_closes').select('year').where('village_id', '=', villageId).execute();
  return new Set(rows.map((r) => r.year));
}
async function lastPublished(db: Kdb, villageId: number): Promise<string | null> {
  const r = await db.selectFrom('disclosure_months').select((eb) => eb.fn.max('month').as('m')).where('village_id', '=', villageId).executeTakeFirst();
  return (r?.m as string | null) ?? null;
}
/** The month an entry dated `day` counts in when posted now: never a published month or a closed year. */
export async function periodFor(db: Kdb, villageId: number, day: string): Promise<string> {
  let p = monthOf(day);
  const last = await lastPublished(db, villageId);
  if (last && p <= last) p = nextMonth(last);
  const closed = await closedYears(db, villageId);
  while (closed.has(Number(p.slice(0, 4)))) p = `${Number(p.slice(0, 4)) + 1}-01`;
  return p;
}

// ── entries ─────────────────────────────────────────────────────────────────────────────────

export interface EntryBody {
  villageId: number; entryDate: string; kind: EntryKind; category: string; amount: string;
  counterparty: string; purpose: string; voucherNo: string; payMethod: string; attachments?: { name: string; url?: string }[];
}

const CASH = /^(cash|现金|现金支付|现金收付)$/i;
function checkPayMethod(m: string): PayMethod {
  if (CASH.test(m.trim())) throw new AppError('FINANCE_CASH_REFUSED', { field: 'payMethod' });
  if (!(m in PAY_LABELS)) throw new AppError('FINANCE_PAY_METHOD_INVALID', { field: 'payMethod', allowed: Object.keys(PAY_LABELS) });
  return m as PayMethod;
}
function text(v: string, field: string): string {
  const t = v.trim();
  if (!t) throw new AppError('FINANCE_FIELD_REQUIRED', { field });
  return t;
}

export async function createEntry(ctx: Ctx, input: EntryBody) {
  const { actor } = ctx;
  staffOnly(actor);
  requirePermission(actor, FINANCE);
  const payMethod = checkPayMethod(input.payMethod);
  const fen = parseYuan(input.amount);
  if (!(CATEGORIES as readonly string[]).includes(input.category)) throw new AppError('FINANCE_CATEGORY_INVALID', { field: 'category', allowed: CATEGORIES });
  const counterparty = text(input.counterparty, 'counterparty');
  const purpose = text(input.purpose, 'purpose');
  const voucherNo = text(input.voucherNo, 'voucherNo');
  const v = await village(ctx, input.villageId, FINANCE);
  const today = beijingDay(nowOf(ctx));
  if (!validDay(input.entryDate) || input.entryDate > today) throw new AppError('FINANCE_DATE_INVALID', { field: 'entryDate', today });
  const year = Number(input.entryDate.slice(0, 4));
  if ((await closedYears(ctx.db, v.id)).has(year)) throw new AppError('FINANCE_YEAR_CLOSED', { field: 'entryDate', year });
  const at = nowOf(ctx);
  const id = await inTransaction(ctx, async (tx) => {
    const expense = input.kind === 'expense';
    const steps = expense ? (await chainOf(tx, v.id)).steps : [];
    const period = expense ? null : await periodFor(tx.db, v.id, input.entryDate);
    const row = await tx.db.insertInto('finance_entries').values({
      county_id: actor.countyId, village_id: v.id, region_path: v.path, entry_date: input.entryDate, kind: input.kind, category: input.category,
      amount_fen: fen, counterparty, purpose, voucher_no: voucherNo, pay_method: payMethod, attachments: JSON.stringify(input.attachments ?? []),
      state: expense ? 'signing' : 'posted', steps: JSON.stringify(steps), period, reverses_id: null,
      created_by: actor.userId, created_by_name: actor.displayName, created_at: at, posted_at: expense ? null : at,
    }).returning('id').executeTakeFirstOrThrow();
    await writeHistory(tx, { process: 'finance_entry', entityId: row.id, regionPath: v.path, action: 'enter', from: null, to: expense ? 'signing' : 'posted', data: { amountFen: fen, kind: input.kind } });
    await audit(tx, { action: 'finance_entry.create', entity: 'finance_entry', entityId: row.id, regionPath: v.path, after: { kind: input.kind, category: input.category, amountFen: fen, entryDate: input.entryDate, voucherNo } });
    return row.id;
  });
  return getEntry(ctx, id);
}

async function entryRow(db: Kdb, countyId: number, id: number) {
  return db.selectFrom('finance_entries as e').innerJoin('regions as r', 'r.id', 'e.village_id').selectAll('e').select('r.name as village_name')
    .where('e.id', '=', id).where('e.county_id', '=', countyId).executeTakeFirst();
}
type EntryRow = NonNullable<Awaited<ReturnType<typeof entryRow>>>;

async function signoffsOf(db: Kdb, ids: number[]) {
  if (!ids.length) return [];
  return db.selectFrom('disclosure_signoffs').selectAll().where('entry_id', 'in', ids).orderBy('id').execute();
}
type SignoffRow = Awaited<ReturnType<typeof signoffsOf>>[number];

function resOf(e: EntryRow, signoffs: SignoffRow[]): EntryRes {
  return {
    id: e.id, countyId: e.county_id, regionPath: e.region_path, state: e.state, steps: e.steps as ChainStep[], currentStep: e.current_step, round: e.round,
    signers: signoffs.filter((s) => s.entry_id === e.id && s.round === e.round && s.action === 'sign').map((s) => s.user_id), version: e.version,
  };
}

function present(ctx: Ctx, e: EntryRow, signoffs: SignoffRow[], reversedById: number | null = null) {
  const res = resOf(e, signoffs);
  const mine = signoffs.filter((s) => s.entry_id === e.id && s.round === e.round);
  const lastReturn = [...signoffs].reverse().find((s) => s.entry_id === e.id && s.action === 'return' && s.round === e.round);
  return {
    id: e.id, villageId: e.village_id, villageName: e.village_name, entryDate: e.entry_date, kind: e.kind, kindLabel: KIND_LABELS[e.kind],
    category: e.category, amount: yuan(e.amount_fen), amountFen: e.amount_fen, counterparty: e.counterparty, purpose: e.purpose, voucherNo: e.voucher_no,
    payMethod: e.pay_method, payMethodLabel: PAY_LABELS[e.pay_method], attachments: e.attachments as unknown[],
    state: e.state, stateLabel: ENTRY_STATES[e.state], period: e.period, reversesId: e.reverses_id, reversedById,
    round: e.round, currentStep: e.current_step, createdByName: e.created_by_name, createdAt: iso(e.created_at), postedAt: iso(e.posted_at),
    steps: (e.steps as ChainStep[]).map((s, i) => {
      const signed = mine.find((x) => x.step_index === i && x.action === 'sign');
      const returned = lastReturn && lastReturn.step_index === i ? lastReturn : null;
      const status = signed ? 'finish' : returned ? 'error' : e.state === 'signing' && i === e.current_step ? 'process' : 'wait';
      return { index: i, label: s.label, role: s.role, level: s.level, status, by: (signed ?? returned)?.user_name ?? null, at: iso((signed ?? returned)?.at ?? null), comment: (signed ?? returned)?.comment ?? null };
    }),
    canSign: canSign(ctx.actor, res),
  };
}

export async function getEntry(ctx: Ctx, id: number) {
  staffOnly(ctx.actor);
  const e = await entryRow(ctx.db, ctx.actor.countyId, id);
  if (!e || !isStaffReader(ctx.actor, e.region_path)) throw new AppError('NOT_FOUND', { id });
  const signoffs = await signoffsOf(ctx.db, [e.id]);
  const rev = await ctx.db.selectFrom('finance_entries').select('id').where('reverses_id', '=', e.id).executeTakeFirst();
  const res = resOf(e, signoffs);
  const actions = entryProcess.available(ctx.actor, res);
  if (e.state === 'posted' && !e.reverses_id && !rev && canEnter(ctx.actor, e.region_path)) actions.push({ action: 'reverse', label: '冲销' });
  return {
    ...present(ctx, e, signoffs, rev?.id ?? null),
    signoffs: signoffs.map((s) => ({ round: s.round, stepIndex: s.step_index, label: s.label, action: s.action, by: s.user_name, comment: s.comment, at: iso(s.at)! })),
    history: await readHistory(ctx.db, 'finance_entry', e.id),
    actions,
  };
}

export interface ListQuery { villageId?: number; state?: 'signing' | 'returned' | 'posted'; kind?: EntryKind; period?: string; pending?: boolean; cursor?: string; limit?: number }

export async function listEntries(ctx: Ctx, query: ListQuery) {
  const { actor } = ctx;
  staffOnly(actor);
  requirePermission(actor, READ);
  const limit = query.limit ?? 50;
  let q = ctx.db.selectFrom('finance_entries as e').innerJoin('regions as r', 'r.id', 'e.village_id').selectAll('e').select('r.name as village_name')
    .where('e.county_id', '=', actor.countyId).where(inScope(actor, READ, 'e.region_path'));
  if (query.villageId) q = q.where('e.village_id', '=', query.villageId);
  if (query.kind) q = q.where('e.kind', '=', query.kind);
  if (query.period) q = q.where('e.period', '=', query.period);
  if (query.pending) q = q.where('e.state', '=', 'signing').where(inScope(actor, SIGN, 'e.region_path'));
  else if (query.state) q = q.where('e.state', '=', query.state);
  const after = decodeCursor(query.cursor);
  if (after) q = q.where('e.id', '<', after);
  // "pending my sign-off" is decided per row (role, level, earlier signers): read a wider window.
  const rows = await q.orderBy('e.id', 'desc').limit(query.pending ? 1000 : limit + 1).execute();
  const signoffs = await signoffsOf(ctx.db, rows.map((r) => r.id));
  let items = rows.map((r) => present(ctx, r, signoffs));
  if (query.pending) items = items.filter((i) => i.canSign);
  return pageOf(items, limit);
}

export async function stepEntry(ctx: Ctx, id: number, action: 'sign' | 'return' | 'resubmit', input: { comment?: string | null; amount?: string; purpose?: string; voucherNo?: string }) {
  const { actor } = ctx;
  staffOnly(actor);
  await inTransaction(ctx, async (tx) => {
    const e = await entryRow(tx.db, actor.countyId, id);
    if (!e || !(isStaffReader(actor, e.region_path) || (e.state === 'signing' && (e.steps as ChainStep[]).some((s) => holdsStep(actor, e.region_path, s))))) throw new AppError('NOT_FOUND', { id });
    const signoffs = await signoffsOf(tx.db, [e.id]);
    const r = resOf(e, signoffs);
    if (action === 'sign' && r.state === 'signing' && r.signers.includes(actor.userId)) throw new AppError('DISCLOSURE_ALREADY_SIGNED', { id });
    const step = r.steps[r.currentStep];
    const at = nowOf(ctx);
    await entryProcess.fire(tx, r, action, {
      input: { comment: input.comment ?? null },
      data: step && action !== 'resubmit' ? { step: r.currentStep, label: step.label, round: r.round } : { round: r.round + 1 },
      apply: async (to) => {
        if (action === 'resubmit') {
          const edits: Record<string, unknown> = {};
          if (input.amount !== undefined) edits.amount_fen = parseYuan(input.amount);
          if (input.purpose !== undefined) edits.purpose = text(input.purpose, 'purpose');
          if (input.voucherNo !== undefined) edits.voucher_no = text(input.voucherNo, 'voucherNo');
          const u = await tx.db.updateTable('finance_entries').set({ ...edits, state: to, current_step: 0, round: r.round + 1, version: r.version + 1 })
            .where('id', '=', r.id).where('version', '=', r.version).executeTakeFirst();
          return Number(u.numUpdatedRows) === 1;
        }
        try {
          await tx.db.insertInto('disclosure_signoffs').values({
            county_id: actor.countyId, entry_id: r.id, round: r.round, step_index: r.currentStep, label: step!.label, role: step!.role,
            action: action === 'sign' ? 'sign' : 'return', user_id: actor.userId, user_name: actor.displayName, comment: input.comment?.trim() || null, at,
          }).execute();
        } catch (err) {
          const msg = String((err as Error).message);
          // the same person twice in a round, or someone else signed this step a moment ago
          if (msg.includes('disclosure_signoffs_user_uq')) throw new AppError('DISCLOSURE_ALREADY_SIGNED', { id });
          if (/duplicate key|unique/i.test(msg)) throw new AppError('CONFLICT', { id });
          throw err;
        }
        const posted = to === 'posted';
        const u = await tx.db.updateTable('finance_entries').set({
          state: to, current_step: action === 'sign' ? r.currentStep + 1 : r.currentStep, version: r.version + 1,
          ...(posted ? { period: await periodFor(tx.db, e.village_id, e.entry_date), posted_at: at } : {}),
        }).where('id', '=', r.id).where('version', '=', r.version).executeTakeFirst();
        return Number(u.numUpdatedRows) === 1;
      },
    });
    await audit(tx, { action: `finance_entry.${action}`, entity: 'finance_entry', entityId: r.id, regionPath: r.regionPath, note: input.comment ?? null, after: { step: r.currentStep, round: r.round } });
  });
  return getEntry(ctx, id).catch((err) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  });
}

/** A posted entry is never changed: a correction is a reversing entry (negative, posted in the open month). */
export async function reverseEntry(ctx: Ctx, id: number, input: { reason: string }) {
  const { actor } = ctx;
  staffOnly(actor);
  const reason = text(input.reason, 'reason');
  const newId = await inTransaction(ctx, async (tx) => {
    const e = await entryRow(tx.db, actor.countyId, id);
    if (!e || !isStaffReader(actor, e.region_path)) throw new AppError('NOT_FOUND', { id });
    if (!canEnter(actor, e.region_path)) throw new AppError('FORBIDDEN', { permission: FINANCE });
    if (e.state !== 'posted' || e.reverses_id) throw new AppError('FINANCE_NOT_REVERSIBLE', { id, state: e.state });
    const at = nowOf(ctx);
    const day = beijingDay(at);
    let row;
    try {
      row = await tx.db.insertInto('finance_entries').values({
        county_id: e.county_id, village_id: e.village_id, region_path: e.region_path, entry_date: day, kind: e.kind, category: e.category,
        amount_fen: -e.amount_fen, counterparty: e.counterparty, purpose: `冲销第 ${e.id} 号（凭证 ${e.voucher_no}）：${reason}`, voucher_no: `${e.voucher_no}-冲`,
        pay_method: e.pay_method, attachments: '[]', state: 'posted', steps: '[]', period: await periodFor(tx.db, e.village_id, day), reverses_id: e.id,
        created_by: actor.userId, created_by_name: actor.displayName, created_at: at, posted_at: at,
      }).returning('id').executeTakeFirstOrThrow();
    } catch (err) {
      if (/duplicate key|unique/i.test(String((err as Error).message))) throw new AppError('FINANCE_ALREADY_REVERSED', { id });
      throw err;
    }
    await writeHistory(tx, { process: 'finance_entry', entityId: row.id, regionPath: e.region_path, action: 'reverse', from: null, to: 'posted', comment: reason, data: { reverses: e.id } });
    await audit(tx, { action: 'finance_entry.reverse', entity: 'finance_entry', entityId: row.id, regionPath: e.region_path, note: reason, after: { reverses: e.id, amountFen: -e.amount_fen } });
    return row.id;
  });
  return getEntry(ctx, newId);
}

// ── the month ───────────────────────────────────────────────────────────────────────────────

const signed = sql<number>`coalesce(sum(case when kind = 'income' then amount_fen else -amount_fen end), 0)::bigint`;

async function liveMonth(db: Kdb, villageId: number, month: string) {
  const opening = await db.selectFrom('finance_entries').select(signed.as('n')).where('village_id', '=', villageId).where('state', '=', 'posted').where('period', '<', month).executeTakeFirstOrThrow();
  const cats = await db.selectFrom('finance_entries').select(['kind', 'category', sql<number>`sum(amount_fen)::bigint`.as('fen'), sql<number>`count(*)::int`.as('count')])
    .where('village_id', '=', villageId).where('state', '=', 'posted').where('period', '=', month).groupBy(['kind', 'category']).orderBy('kind').orderBy('category').execute();
  const byCategory: CategoryTotal[] = cats.map((c) => ({ kind: c.kind, category: c.category, fen: Number(c.fen), count: Number(c.count) }));
  const income = byCategory.filter((c) => c.kind === 'income').reduce((s, c) => s + c.fen, 0);
  const expense = byCategory.filter((c) => c.kind === 'expense').reduce((s, c) => s + c.fen, 0);
  const openingFen = Number(opening.n);
  return { openingFen, incomeFen: income, expenseFen: expense, closingFen: openingFen + income - expense, byCategory, entryCount: byCategory.reduce((s, c) => s + c.count, 0) };
}

function presentMonth(v: { id: number; name: string }, month: string, t: Awaited<ReturnType<typeof liveMonth>>, pub: { confirmed_by_name: string; published_at: Date; note: string | null } | undefined, entries: unknown[]) {
  return {
    villageId: v.id, villageName: v.name, month, published: !!pub, publishedBy: pub?.confirmed_by_name ?? null, publishedAt: iso(pub?.published_at ?? null), note: pub?.note ?? null,
    opening: yuan(t.openingFen), income: yuan(t.incomeFen), expense: yuan(t.expenseFen), closing: yuan(t.closingFen),
    openingFen: t.openingFen, incomeFen: t.incomeFen, expenseFen: t.expenseFen, closingFen: t.closingFen, entryCount: t.entryCount,
    byCategory: t.byCategory.map((c) => ({ ...c, kindLabel: KIND_LABELS[c.kind], amount: yuan(c.fen) })),
    entries,
  };
}

async function monthEntries(ctx: Ctx, villageId: number, month: string) {
  const rows = await ctx.db.selectFrom('finance_entries').select(['id', 'entry_date', 'kind', 'category', 'amount_fen', 'counterparty', 'purpose', 'voucher_no', 'pay_method', 'reverses_id'])
    .where('village_id', '=', villageId).where('state', '=', 'posted').where('period', '=', month).orderBy('entry_date').orderBy('id').execute();
  return rows.map((e) => ({ id: e.id, entryDate: e.entry_date, kind: e.kind, kindLabel: KIND_LABELS[e.kind], category: e.category, amount: yuan(e.amount_fen), amountFen: e.amount_fen, counterparty: e.counterparty, purpose: e.purpose, voucherNo: e.voucher_no, payMethodLabel: PAY_LABELS[e.pay_method], reversesId: e.reverses_id }));
}

async function publication(db: Kdb, villageId: number, month: string) {
  return db.selectFrom('disclosure_months').selectAll().where('village_id', '=', villageId).where('month', '=', month).executeTakeFirst();
}
function snapshotOf(p: NonNullable<Awaited<ReturnType<typeof publication>>>) {
  return { openingFen: p.opening_fen, incomeFen: p.income_fen, expenseFen: p.expense_fen, closingFen: p.closing_fen, byCategory: p.by_category as CategoryTotal[], entryCount: p.entry_count };
}

/** The month as staff see it: live totals, or the published snapshot once published. */
export async function monthView(ctx: Ctx, villageId: number, month: string) {
  staffOnly(ctx.actor);
  const v = await village(ctx, villageId, READ);
  const pub = await publication(ctx.db, v.id, month);
  const totals = pub ? snapshotOf(pub) : await liveMonth(ctx.db, v.id, month);
  const pending = await ctx.db.selectFrom('finance_entries').select(sql<number>`count(*)::int`.as('n')).where('village_id', '=', v.id).where('state', '<>', 'posted')
    .where('entry_date', '>=', `${month}-01`).where('entry_date', '<', `${nextMonth(month)}-01`).executeTakeFirstOrThrow();
  const audits = await ctx.db.selectFrom('disclosure_audits').selectAll().where('village_id', '=', v.id).where('year', '=', Number(month.slice(0, 4))).orderBy('quarter').execute();
  const closed = await ctx.db.selectFrom('disclosure_year_closes').selectAll().where('village_id', '=', v.id).where('year', '=', Number(month.slice(0, 4))).executeTakeFirst();
  return {
    ...presentMonth(v, month, totals, pub, await monthEntries(ctx, v.id, month)),
    pendingCount: pending.n,
    canPublish: !pub && covers(ctx.actor, PUBLISH, v.path),
    canAudit: covers(ctx.actor, AUDIT, v.path),
    audits: audits.map((a) => ({ year: a.year, quarter: a.quarter, opinion: a.opinion, by: a.auditor_name, at: iso(a.at) })),
    yearClosed: closed ? { by: closed.closed_by_name, at: iso(closed.at), closing: yuan(closed.closing_fen) } : null,
  };
}

export async function listMonths(ctx: Ctx, villageId: number) {
  staffOnly(ctx.actor);
  const v = await village(ctx, villageId, READ);
  const pubs = await ctx.db.selectFrom('disclosure_months').select(['month', 'income_fen', 'expense_fen', 'closing_fen', 'confirmed_by_name', 'published_at']).where('village_id', '=', v.id).orderBy('month', 'desc').execute();
  const periods = await ctx.db.selectFrom('finance_entries').select('period').distinct().where('village_id', '=', v.id).where('state', '=', 'posted').execute();
  const months = new Set([...periods.map((p) => p.period!), ...pubs.map((p) => p.month), monthOf(beijingDay(nowOf(ctx)))]);
  return {
    villageId: v.id, villageName: v.name,
    items: [...months].sort().reverse().map((m) => {
      const p = pubs.find((x) => x.month === m);
      return { month: m, published: !!p, publishedBy: p?.confirmed_by_name ?? null, publishedAt: iso(p?.published_at ?? null), income: p ? yuan(p.income_fen) : null, expense: p ? yuan(p.expense_fen) : null, closing: p ? yuan(p.closing_fen) : null };
    }),
  };
}

/** The supervision committee confirms the month and it is published (frozen from then on). */
export async function publishMonth(ctx: Ctx, villageId: number, month: string, input: { note?: string | null }) {
  const { actor } = ctx;
  staffOnly(actor);
  requirePermission(actor, PUBLISH);
  const v = await village(ctx, villageId, PUBLISH);
  const now = monthOf(beijingDay(nowOf(ctx)));
  if (month > now) throw new AppError('DISCLOSURE_MONTH_INVALID', { field: 'month', month });
  await inTransaction(ctx, async (tx) => {
    if (await publication(tx.db, v.id, month)) throw new AppError('DISCLOSURE_MONTH_PUBLISHED', { month });
    const last = await lastPublished(tx.db, v.id);
    if (last && month < last) throw new AppError('DISCLOSURE_MONTH_PUBLISHED', { month, lastPublished: last });
    const earlier = await tx.db.selectFrom('finance_entries').select('period').where('village_id', '=', v.id).where('state', '=', 'posted').where('period', '<', month)
      .$if(!!last, (q) => q.where('period', '>', last!)).limit(1).executeTakeFirst();
    if (earlier) throw new AppError('DISCLOSURE_EARLIER_MONTH_OPEN', { month: earlier.period });
    const t = await liveMonth(tx.db, v.id, month);
    try {
      await tx.db.insertInto('disclosure_months').values({
        county_id: actor.countyId, village_id: v.id, region_path: v.path, month, opening_fen: t.openingFen, income_fen: t.incomeFen, expense_fen: t.expenseFen,
        closing_fen: t.closingFen, by_category: JSON.stringify(t.byCategory), entry_count: t.entryCount, confirmed_by: actor.userId, confirmed_by_name: actor.displayName,
        note: input.note?.trim() || null, published_at: nowOf(ctx),
      }).execute();
    } catch (err) {
      if (/duplicate key|unique/i.test(String((err as Error).message))) throw new AppError('DISCLOSURE_MONTH_PUBLISHED', { month });
      throw err;
    }
    await audit(tx, { action: 'disclosure.publish', entity: 'disclosure_month', entityId: `${v.id}:${month}`, regionPath: v.path, after: { month, incomeFen: t.incomeFen, expenseFen: t.expenseFen, closingFen: t.closingFen } });
  });
  return monthView(ctx, villageId, month);
}

export async function auditQuarter(ctx: Ctx, villageId: number, input: { year: number; quarter: number; opinion: string }) {
  const { actor } = ctx;
  staffOnly(actor);
  requirePermission(actor, AUDIT);
  const v = await village(ctx, villageId, AUDIT);
  const opinion = text(input.opinion, 'opinion');
  await inTransaction(ctx, async (tx) => {
    try {
      await tx.db.insertInto('disclosure_audits').values({ county_id: actor.countyId, village_id: v.id, region_path: v.path, year: input.year, quarter: input.quarter, opinion, auditor_id: actor.userId, auditor_name: actor.displayName, at: nowOf(ctx) }).execute();
    } catch (err) {
      if (/duplicate key|unique/i.test(String((err as Error).message))) throw new AppError('DISCLOSURE_AUDIT_EXISTS', { year: input.year, quarter: input.quarter });
      throw err;
    }
    await audit(tx, { action: 'disclosure.audit', entity: 'disclosure_audit', entityId: `${v.id}:${input.year}Q${input.quarter}`, regionPath: v.path, after: { opinion } });
  });
  return { villageId: v.id, year: input.year, quarter: input.quarter, opinion, by: actor.displayName };
}

/** Year-end close: from then on no entry dated in that year is accepted. */
export async function closeYear(ctx: Ctx, villageId: number, year: number) {
  const { actor } = ctx;
  staffOnly(actor);
  requirePermission(actor, AUDIT);
  const v = await village(ctx, villageId, AUDIT);
  if (year > Number(beijingDay(nowOf(ctx)).slice(0, 4))) throw new AppError('DISCLOSURE_YEAR_INVALID', { year });
  const closing = await ctx.db.selectFrom('finance_entries').select(signed.as('n')).where('village_id', '=', v.id).where('state', '=', 'posted').where('period', '<=', `${year}-12`).executeTakeFirstOrThrow();
  await inTransaction(ctx, async (tx) => {
    try {
      await tx.db.insertInto('disclosure_year_closes').values({ county_id: actor.countyId, village_id: v.id, region_path: v.path, year, closing_fen: Number(closing.n), closed_by: actor.userId, closed_by_name: actor.displayName, at: nowOf(ctx) }).execute();
    } catch (err) {
      if (/duplicate key|unique/i.test(String((err as Error).message))) throw new AppError('FINANCE_YEAR_CLOSED', { year });
      throw err;
    }
    await audit(tx, { action: 'disclosure.close_year', entity: 'disclosure_year', entityId: `${v.id}:${year}`, regionPath: v.path, after: { year, closingFen: Number(closing.n) } });
  });
  return { villageId: v.id, year, closing: yuan(Number(closing.n)), by: actor.displayName };
}

/**
 * The county (or township) at a glance: per village, a year's posted income and expense, entries
 * waiting, months published. Published months are read from their frozen snapshots; only the
 * periods after a village's last published month are summed from the entries (an index-only
 * range scan per village), so the cost follows the open months, not the year's entries.
 */
export async function overview(ctx: Ctx, year: number) {
  const { actor } = ctx;
  staffOnly(actor);
  requirePermission(actor, READ);
  const from = `${year}-01`;
  const to = `${year}-12`;
  const rows = await ctx.db.selectFrom('regions as v')
    .innerJoin('regions as t', 't.id', 'v.parent_id')
    .leftJoinLateral((eb) => eb.selectFrom('disclosure_months as m').whereRef('m.village_id', '=', 'v.id').select([
      sql<string | null>`max(m.month)`.as('last'),
      sql<number>`coalesce(sum(m.income_fen) filter (where m.month between ${from} and ${to}), 0)::bigint`.as('income'),
      sql<number>`coalesce(sum(m.expense_fen) filter (where m.month between ${from} and ${to}), 0)::bigint`.as('expense'),
      sql<number>`(count(*) filter (where m.month between ${from} and ${to}))::int`.as('n'),
      sql<string | null>`max(m.month) filter (where m.month between ${from} and ${to})`.as('last_in_year'),
    ]).as('p'), (j) => j.onTrue())
    .leftJoinLateral((eb) => eb.selectFrom('finance_entries as e').whereRef('e.village_id', '=', 'v.id').where('e.state', '=', 'posted')
      .where('e.period', '>=', from).where('e.period', '<=', to).where('e.period', '>', sql<string>`coalesce(p.last, '')`)
      .select([
        sql<number>`coalesce(sum(e.amount_fen) filter (where e.kind = 'income'), 0)::bigint`.as('income'),
        sql<number>`coalesce(sum(e.amount_fen) filter (where e.kind = 'expense'), 0)::bigint`.as('expense'),
      ]).as('l'), (j) => j.onTrue())
    .leftJoinLateral((eb) => eb.selectFrom('finance_entries as w').whereRef('w.village_id', '=', 'v.id').where('w.county_id', '=', actor.countyId).where('w.state', '<>', 'posted')
      .select(sql<number>`count(*)::int`.as('n')).as('q'), (j) => j.onTrue())
    .select(['v.id', 'v.name', 't.name as township_name', 'p.income as p_income', 'p.expense as p_expense', 'p.n as months', 'p.last_in_year', 'l.income as l_income', 'l.expense as l_expense', 'q.n as waiting'])
    .where('v.level', '=', 'village').where('v.county_id', '=', actor.countyId).where(inScope(actor, READ, 'v.path'))
    .orderBy('v.path').execute();
  return {
    year,
    items: rows
      .map((r) => ({
        villageId: r.id, villageName: r.name, townshipName: r.township_name,
        income: yuan(Number(r.p_income ?? 0) + Number(r.l_income ?? 0)), expense: yuan(Number(r.p_expense ?? 0) + Number(r.l_expense ?? 0)),
        waiting: Number(r.waiting ?? 0), monthsPublished: Number(r.months ?? 0), lastPublished: r.last_in_year ?? null,
        active: Number(r.p_income ?? 0) + Number(r.l_income ?? 0) + Number(r.p_expense ?? 0) + Number(r.l_expense ?? 0) + Number(r.waiting ?? 0) > 0,
      }))
      .filter((x) => x.active)
      .map(({ active: _a, ...x }) => x),
  };
}

// ── notices ─────────────────────────────────────────────────────────────────────────────────

export interface NoticeBody { villageId: number; kind: NoticeKind; title: string; body: string; publishFrom: string; publishTo?: string | null }

export async function createNotice(ctx: Ctx, input: NoticeBody) {
  const { actor } = ctx;
  staffOnly(actor);
  requirePermission(actor, NOTICE);
  const v = await village(ctx, input.villageId, NOTICE);
  const title = text(input.title, 'title');
  const body = text(input.body, 'body');
  if (!validDay(input.publishFrom) || (input.publishTo != null && (!validDay(input.publishTo) || input.publishTo < input.publishFrom))) throw new AppError('DISCLOSURE_NOTICE_DATES', { field: 'publishTo' });
  const id = await inTransaction(ctx, async (tx) => {
    const r = await tx.db.insertInto('disclosure_notices').values({ county_id: actor.countyId, village_id: v.id, region_path: v.path, kind: input.kind, title, body, publish_from: input.publishFrom, publish_to: input.publishTo ?? null, created_by: actor.userId, created_by_name: actor.displayName, created_at: nowOf(ctx) }).returning('id').executeTakeFirstOrThrow();
    await audit(tx, { action: 'disclosure.notice', entity: 'disclosure_notice', entityId: r.id, regionPath: v.path, after: { kind: input.kind, title } });
    return r.id;
  });
  const n = await ctx.db.selectFrom('disclosure_notices as n').innerJoin('regions as r', 'r.id', 'n.village_id').selectAll('n').select('r.name as village_name').where('n.id', '=', id).executeTakeFirstOrThrow();
  return presentNotice(n);
}

function presentNotice(n: { id: number; village_id: number; village_name: string; kind: NoticeKind; title: string; body: string; publish_from: string; publish_to: string | null; created_by_name: string; created_at: Date }) {
  return { id: n.id, villageId: n.village_id, villageName: n.village_name, kind: n.kind, kindLabel: NOTICE_LABELS[n.kind], title: n.title, body: n.body, publishFrom: n.publish_from, publishTo: n.publish_to, createdByName: n.created_by_name, createdAt: iso(n.created_at) };
}

async function noticesWhere(ctx: Ctx, paths: string[] | null, opts: { villageId?: number; kind?: NoticeKind; current?: boolean; cursor?: string; limit?: number }) {
  const limit = opts.limit ?? 50;
  const today = beijingDay(nowOf(ctx));
  let q = ctx.db.selectFrom('disclosure_notices as n').innerJoin('regions as r', 'r.id', 'n.village_id').selectAll('n').select('r.name as village_name').where('n.county_id', '=', ctx.actor.countyId);
  q = paths ? q.where('n.region_path', 'in', paths) : q.where(inScope(ctx.actor, READ, 'n.region_path'));
  if (opts.villageId) q = q.where('n.village_id', '=', opts.villageId);
  if (opts.kind) q = q.where('n.kind', '=', opts.kind);
  if (opts.current) q = q.where('n.publish_from', '<=', today).where((eb) => eb.or([eb('n.publish_to', 'is', null), eb('n.publish_to', '>=', today)]));
  const after = decodeCursor(opts.cursor);
  if (after) q = q.where('n.id', '<', after);
  const rows = await q.orderBy('n.id', 'desc').limit(limit + 1).execute();
  return pageOf(rows.map(presentNotice), limit);
}

export async function listNotices(ctx: Ctx, query: { villageId?: number; kind?: NoticeKind; cursor?: string; limit?: number }) {
  staffOnly(ctx.actor);
  requirePermission(ctx.actor, READ);
  return noticesWhere(ctx, null, query);
}

// ── villagers: their own village, published only ────────────────────────────────────────────

async function myVillage(ctx: Ctx) {
  const paths = pathsWith(ctx.actor, READ);
  if (ctx.actor.kind !== 'villager' || !paths.length) throw new AppError('NOT_FOUND');
  // a villager's grant sits on their village (or a group in it): the village is the path's third node
  const villageId = paths[0]!.split('/').filter(Boolean).map(Number)[2];
  if (!villageId) throw new AppError('NOT_FOUND');
  const v = await ctx.db.selectFrom('regions').select(['id', 'name', 'path', 'level']).where('id', '=', villageId).where('county_id', '=', ctx.actor.countyId).executeTakeFirst();
  if (!v || v.level !== 'village') throw new AppError('NOT_FOUND');
  return v;
}

export async function myMonths(ctx: Ctx) {
  const v = await myVillage(ctx);
  const pubs = await ctx.db.selectFrom('disclosure_months').select(['month', 'income_fen', 'expense_fen', 'closing_fen', 'published_at']).where('village_id', '=', v.id).orderBy('month', 'desc').limit(36).execute();
  return { villageId: v.id, villageName: v.name, items: pubs.map((p) => ({ month: p.month, income: yuan(p.income_fen), expense: yuan(p.expense_fen), closing: yuan(p.closing_fen), publishedAt: iso(p.published_at) })) };
}

export async function myMonth(ctx: Ctx, month: string) {
  const v = await myVillage(ctx);
  const pub = await publication(ctx.db, v.id, month);
  if (!pub) throw new AppError('NOT_FOUND', { month });
  return presentMonth(v, month, snapshotOf(pub), pub, await monthEntries(ctx, v.id, month));
}

export async function myNotices(ctx: Ctx, query: { kind?: NoticeKind; cursor?: string; limit?: number }) {
  const v = await myVillage(ctx);
  return noticesWhere(ctx, [v.path], { ...query, current: true });
}
