/**
 * 矛盾纠纷调解 use cases: a villager applies on the phone, staff register one (来访、热线、走访) or
 * turn a dispute-type case into one; the eight steps through the workflow kernel; the 30-day
 * limit and the follow-up reminder as job-queue timers; lists, the mediator pool and the figures.
 * Each use case is one transaction with its history and audit rows; timers and notifications are
 * written in the same transaction, so nothing fires for a change that did not commit.
 */
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { DisputeState } from '../../db/types.js';
import { hasPermission, inScope, pathsWith, requirePermission, type Actor } from '../../core/actor.js';
import type { Ctx } from '../../core/context.js';
import { inTransaction, nowOf } from '../../core/context.js';
import { audit } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { beijingDay, endOfBeijingDay } from '../../core/calendar/index.js';
import { notify } from '../../core/notify/index.js';
import { readHistory, scheduleTimer, systemActor, writeHistory } from '../../core/workflow/index.js';
import { requirePhone, sealPhone } from '../../core/pii.js';
import { decodeCursor, encodeCursor } from '../../core/paging.js';
import { idsOfPath, requireRegion } from '../regions/service.js';
import { caseDetail } from '../cases/view.js';
import {
  DISPUTE_STATES, disputeProcess, FOLLOW_UP_LABELS, LEVEL_LABELS, OPEN_STATES, REFERRAL_LABELS, SIDE_LABELS, SOURCE_LABELS, stepsOf, TYPE_LABELS, type StepInput,
} from './process.js';
import { APPLY, canManage, canRegister, canSee, HANDLE, isApplicant, MANAGE, READ, type DisputeRes } from './policy.js';
import * as q from './queries.js';
import type { ApplyBody, EditBody, FromCaseBody, ListQuery, PartyBody, ProfileBody, RegisterBody, StatsQuery } from './schema.js';

/** The mediation period (人民调解：一般在一个月内调结), in calendar days from acceptance. A county setting later. */
export const MEDIATION_DAYS = 30;
/** The mediator is warned this many days before the period ends. */
export const WARN_DAYS = 3;
/** The follow-up visit (纠纷回访) is due this many days after the agreement. */
export const FOLLOW_UP_DAYS = 15;

const DAY_MS = 86_400_000;
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export function toRes(r: q.DisputeRow): DisputeRes {
  return {
    id: r.id, countyId: r.county_id, regionPath: r.region_path, state: r.state, level: r.level, mediatorUserId: r.mediator_user_id,
    applicantUserId: r.applicant_user_id, preferredMediatorId: r.preferred_mediator_id, version: r.version,
  };
}

/** The period's end: the end of the Beijing day MEDIATION_DAYS after the day of acceptance. */
export function deadlineFrom(acceptedAt: Date): Date {
  const day = new Date(Date.parse(beijingDay(acceptedAt) + 'T00:00:00Z') + MEDIATION_DAYS * DAY_MS).toISOString().slice(0, 10);
  return endOfBeijingDay(day);
}

const isOpen = (s: DisputeState) => OPEN_STATES.includes(s);
function overdueOf(r: q.DisputeRow, now = new Date()): boolean {
  return !!r.overdue_at || (isOpen(r.state) && !!r.deadline_at && new Date(r.deadline_at) < now);
}

// ── presenting ─────────────────────────────────────────────────────────────────────────────

type Names = Awaited<ReturnType<typeof q.namesOf>>;

function itemOf(r: q.DisputeRow, names: Names, parties: q.PartyRow[]) {
  const mine = parties.filter((p) => p.dispute_id === r.id);
  const namesOfSide = (side: string) => mine.filter((p) => p.side === side).map((p) => p.name).join('、');
  return {
    id: r.id, code: r.code, type: r.type, typeLabel: TYPE_LABELS[r.type], level: r.level, levelLabel: LEVEL_LABELS[r.level],
    summary: r.summary, state: r.state, stateLabel: DISPUTE_STATES[r.state], regionId: r.region_id, regionName: names.region.get(r.region_id) ?? '',
    villageName: names.region.get(r.village_id) ?? '', source: r.source, sourceLabel: SOURCE_LABELS[r.source],
    mediatorUserId: r.mediator_user_id, mediatorName: r.mediator_user_id ? names.user.get(r.mediator_user_id) ?? null : null,
    applicantNames: namesOfSide('applicant'), respondentNames: namesOfSide('respondent'),
    acceptedAt: iso(r.accepted_at), deadlineAt: iso(r.deadline_at), overdue: overdueOf(r), createdAt: iso(r.created_at)!, version: r.version,
  };
}

const HISTORY_LABELS: Record<string, string> = {
  apply: '申请调解', register: '登记纠纷', from_case: '由事件转入', edit: '修改纠纷信息', warn: '即将到期提醒', overdue: '超过调解期限', follow_up_reminder: '回访提醒',
  ...Object.fromEntries(disputeProcess.def.transitions.map((t) => [t.action, t.label])),
};

async function present(ctx: Ctx, r: q.DisputeRow, opts: { actions: boolean }) {
  const [names, parties, sessions, history] = await Promise.all([
    q.namesOf(ctx.db, [r]), q.partiesOf(ctx.db, [r.id]), q.sessionsOf(ctx.db, r.id), readHistory(ctx.db, 'dispute', r.id),
  ]);
  const last: Record<string, string> = {};
  for (const h of history) last[h.action === 'fail' ? 'agree' : h.action] = h.at;
  const first: Record<string, string> = {};
  for (const h of history) first[h.action] ??= h.at;
  const res = toRes(r);
  return {
    ...itemOf(r, names, parties),
    claim: r.claim, amount: r.amount, sourceRef: r.source_ref, caseId: r.case_id,
    preferredMediator: r.preferred_mediator_id ? { id: r.preferred_mediator_id, name: names.user.get(r.preferred_mediator_id) ?? '' } : null,
    assignReason: r.assign_reason, rejectReason: r.reject_reason, findings: r.findings, sessionAt: iso(r.session_at), sessionPlace: r.session_place,
    agreementText: r.agreement_text, agreementTerms: r.agreement_terms ?? [], agreedAt: iso(r.agreed_at),
    outcome: r.outcome, concludedAt: iso(r.concluded_at), referral: r.referral, referralLabel: r.referral ? REFERRAL_LABELS[r.referral] : null, failReason: r.fail_reason,
    followUpDueAt: iso(r.follow_up_due_at), followUpResult: r.follow_up_result, followUpResultLabel: r.follow_up_result ? FOLLOW_UP_LABELS[r.follow_up_result] : null,
    followUpNote: r.follow_up_note, followedUpAt: iso(r.followed_up_at), dossierNo: r.dossier_no, archivedAt: iso(r.archived_at), readOnly: r.state === 'archived',
    parties: parties.map((p) => ({
      id: p.id, seq: p.seq, side: p.side, sideLabel: SIDE_LABELS[p.side], name: p.name, residentId: p.resident_id, phoneMasked: p.phone_masked, signedAt: iso(p.signed_at),
    })),
    sessions: sessions.map((s) => ({ id: s.id, seq: s.seq, heldAt: iso(s.held_at)!, place: s.place, attendees: s.attendees, record: s.record, mediatorName: s.mediator_name })),
    steps: stepsOf(r.state, r.outcome, { ...last, mediate: first.mediate ?? null }),
    history: history.map((h) => ({
      id: h.id, action: h.action, actionLabel: HISTORY_LABELS[h.action] ?? h.action, from: h.from, to: h.to, actorName: h.actorName, comment: h.comment, data: h.data, at: h.at,
    })),
    actions: opts.actions ? disputeProcess.available(ctx.actor, res) : [],
    can: { edit: opts.actions && canManage(ctx.actor, res) && r.state !== 'archived' && r.state !== 'rejected' },
  };
}

// ── read ───────────────────────────────────────────────────────────────────────────────────

async function loadVisible(ctx: Ctx, id: number): Promise<q.DisputeRow> {
  const r = await q.findDispute(ctx.db, ctx.actor.countyId, id);
  if (!r || !canSee(ctx.actor, toRes(r))) throw new AppError('NOT_FOUND');
  return r;
}

export async function getDispute(ctx: Ctx, id: number) {
  return present(ctx, await loadVisible(ctx, id), { actions: true });
}

/** A villager's own application (never another's: NOT_FOUND). */
export async function getMyDispute(ctx: Ctx, id: number) {
  const r = await q.findDispute(ctx.db, ctx.actor.countyId, id);
  if (!r || !isApplicant(ctx.actor, toRes(r))) throw new AppError('NOT_FOUND');
  return present(ctx, r, { actions: false });
}

async function itemsOf(ctx: Ctx, ids: number[], limit: number) {
  const more = ids.length > limit;
  const page = more ? ids.slice(0, limit) : ids;
  const rows = await q.disputesByIds(ctx.db, page);
  const [names, parties] = await Promise.all([q.namesOf(ctx.db, rows), q.partiesOf(ctx.db, page)]);
  return { items: rows.map((r) => itemOf(r, names, parties)), nextCursor: more ? encodeCursor(page[page.length - 1]!) : null };
}

export async function listDisputes(ctx: Ctx, f: ListQuery) {
  const { actor } = ctx;
  if (actor.kind !== 'staff' || !(hasPermission(actor, READ) || hasPermission(actor, HANDLE))) throw new AppError('FORBIDDEN', { permission: READ });
  let states: DisputeState[] | undefined;
  if (f.state === 'open') states = OPEN_STATES;
  else if (f.state) {
    if (!(f.state in DISPUTE_STATES)) throw new AppError('MEDIATION_STATE_UNKNOWN', { field: 'state', state: f.state });
    states = [f.state as DisputeState];
  }
  let regionPath: string | undefined;
  if (f.regionId) regionPath = (await requireRegion(ctx, f.regionId, READ)).path;
  const assigned = sql<boolean>`d.mediator_user_id = ${actor.userId}`;
  const scope = f.mine ? assigned : sql<boolean>`(${inScope(actor, READ, 'd.region_path')} OR ${assigned})`;
  const limit = f.limit ?? 50;
  const ids = await q.listDisputeIds(ctx.db, {
    countyId: actor.countyId, scope, states, type: f.type, level: f.level, regionPath, overdueAt: f.overdue ? new Date() : undefined,
    q: f.q?.trim() || undefined, beforeId: decodeCursor(f.cursor), limit,
  });
  return itemsOf(ctx, ids, limit);
}

export async function listMyDisputes(ctx: Ctx, f: { cursor?: string; limit?: number }) {
  requirePermission(ctx.actor, APPLY);
  const limit = f.limit ?? 50;
  const ids = await q.listDisputeIds(ctx.db, {
    countyId: ctx.actor.countyId, scope: sql<boolean>`d.applicant_user_id = ${ctx.actor.userId}`, beforeId: decodeCursor(f.cursor), limit,
  });
  return itemsOf(ctx, ids, limit);
}

// ── intake ─────────────────────────────────────────────────────────────────────────────────

interface NewParty {
  side: 'applicant' | 'respondent' | 'third';
  name: string;
  residentId: number | null;
  phone: string | null;
}

/** At least one applicant and one respondent; names not blank; phones valid (sealed later). */
function checkParties(parties: NewParty[]): NewParty[] {
  const out = parties.map((p, i) => {
    const name = p.name.trim();
    if (!name) throw new AppError('MEDIATION_FIELD_REQUIRED', { field: `parties.${i}.name` });
    const phone = p.phone?.trim() ? requirePhone(p.phone, `parties.${i}.phone`) : null;
    return { ...p, name, phone };
  });
  if (!out.some((p) => p.side === 'applicant') || !out.some((p) => p.side === 'respondent')) {
    throw new AppError('MEDIATION_PARTIES_REQUIRED', { field: 'parties' });
  }
  return out;
}

async function checkResidents(db: Kdb, countyId: number, parties: NewParty[]) {
  const ids = [...new Set(parties.map((p) => p.residentId).filter((x): x is number => x != null))];
  if (ids.length === 0) return;
  const found = await db.selectFrom('residents').select('id').where('id', 'in', ids).where('county_id', '=', countyId).execute();
  if (found.length !== ids.length) throw new AppError('MEDIATION_RESIDENT_NOT_FOUND', { residentIds: ids.filter((i) => !found.some((f) => f.id === i)) });
}

async function checkPool(db: Kdb, countyId: number, userId: number | null | undefined, path: string, field: string) {
  if (!userId) return null;
  const m = await q.poolMember(db, countyId, userId, path);
  if (!m) throw new AppError('MEDIATION_MEDIATOR_NOT_IN_POOL', { field, userId });
  return m;
}

function text(v: string, field: string): string {
  const t = v.trim();
  if (!t) throw new AppError('MEDIATION_FIELD_REQUIRED', { field });
  return t;
}

interface NewDispute {
  regionId: number;
  regionPath: string;
  level: 'village' | 'township' | 'county';
  type: q.DisputeRow['type'];
  summary: string;
  claim: string;
  amount: number | null | undefined;
  source: q.DisputeRow['source'];
  sourceRef: string | null;
  caseId: number | null;
  applicantUserId: number | null;
  preferredMediatorId: number | null;
  parties: NewParty[];
  historyAction: 'apply' | 'register' | 'from_case';
}

/** The dispute, its parties, the first history row, the audit row, the managers told: one transaction. */
async function insertDispute(ctx: Ctx, d: NewDispute): Promise<number> {
  const villageId = idsOfPath(d.regionPath)[2];
  if (!villageId) throw new AppError('MEDIATION_PLACE_INVALID', { regionId: d.regionId });
  return inTransaction(ctx, async (tx) => {
    const { actor } = tx;
    const now = nowOf(tx);
    const id = await q.nextDisputeId(tx.db);
    const code = `TJ${beijingDay(now).replace(/-/g, '')}-${String(id).padStart(7, '0')}`;
    await tx.db.insertInto('disputes').values({
      id, county_id: actor.countyId, code, region_id: d.regionId, region_path: d.regionPath, village_id: villageId, level: d.level, type: d.type,
      summary: d.summary, claim: d.claim, amount: d.amount == null ? null : d.amount.toFixed(2), source: d.source, source_ref: d.sourceRef, case_id: d.caseId,
      applicant_user_id: d.applicantUserId, registered_by: actor.userId || null, preferred_mediator_id: d.preferredMediatorId,
      state: 'applied', created_at: now, updated_at: now,
    }).execute();
    await tx.db.insertInto('dispute_parties').values(d.parties.map((p, i) => ({
      county_id: actor.countyId, dispute_id: id, seq: i + 1, side: p.side, name: p.name, resident_id: p.residentId, ...sealPhone(p.phone),
    }))).execute();
    await writeHistory(tx, {
      process: 'dispute', entityId: id, regionPath: d.regionPath, action: d.historyAction, from: null, to: 'applied', comment: d.summary,
      data: { type: d.type, level: d.level, source: d.source, sourceRef: d.sourceRef, preferredMediatorId: d.preferredMediatorId },
    });
    await audit(tx, {
      action: `dispute.${d.historyAction}`, entity: 'dispute', entityId: id, regionPath: d.regionPath,
      after: { code, type: d.type, level: d.level, source: d.source, parties: d.parties.length, preferredMediatorId: d.preferredMediatorId, caseId: d.caseId },
    });
    await notify(tx.db, {
      countyId: actor.countyId, userIds: await q.managerIds(tx.db, actor.countyId, d.regionPath), kind: 'dispute.applied',
      title: `新的矛盾纠纷待受理：${TYPE_LABELS[d.type]}`, body: `${code} ${d.summary.slice(0, 60)}`, entity: 'dispute', entityId: id,
    });
    return id;
  });
}

const partyOf = (p: PartyBody): NewParty => ({ side: p.side, name: p.name, residentId: p.residentId ?? null, phone: p.phone ?? null });

/** Staff register a dispute brought to them (来访、热线、走访发现). */
export async function registerDispute(ctx: Ctx, input: RegisterBody) {
  const { actor } = ctx;
  requirePermission(actor, MANAGE);
  const region = await requireRegion(ctx, input.regionId, MANAGE);
  if (region.level !== 'village' && region.level !== 'group') throw new AppError('MEDIATION_PLACE_INVALID', { field: 'regionId' });
  const level = input.level ?? 'village';
  if (!canRegister(actor, { regionPath: region.path, level })) throw new AppError('MEDIATION_LEVEL_FORBIDDEN', { level });
  const parties = checkParties(input.parties.map(partyOf));
  await checkResidents(ctx.db, actor.countyId, parties);
  await checkPool(ctx.db, actor.countyId, input.preferredMediatorId, region.path, 'preferredMediatorId');
  const id = await insertDispute(ctx, {
    regionId: region.id, regionPath: region.path, level, type: input.type, summary: text(input.summary, 'summary'), claim: text(input.claim, 'claim'),
    amount: input.amount, source: input.source, sourceRef: input.sourceRef?.trim() || null, caseId: null, applicantUserId: null,
    preferredMediatorId: input.preferredMediatorId ?? null, parties, historyAction: 'register',
  });
  return getDispute(ctx, id);
}

/** A villager applies for mediation on the phone, naming the other party and perhaps a mediator. */
export async function applyForMediation(ctx: Ctx, input: ApplyBody) {
  const { actor } = ctx;
  requirePermission(actor, APPLY);
  if (actor.kind !== 'villager' || !actor.householdId) throw new AppError('MEDIATION_NO_HOUSEHOLD');
  const h = await ctx.db.selectFrom('households').select(['id', 'region_id', 'region_path', 'householder_name']).where('id', '=', actor.householdId).executeTakeFirst();
  if (!h) throw new AppError('MEDIATION_NO_HOUSEHOLD');
  const me = actor.residentId ? await ctx.db.selectFrom('residents').select('name').where('id', '=', actor.residentId).executeTakeFirst() : undefined;
  const parties = checkParties([
    { side: 'applicant', name: me?.name ?? actor.displayName, residentId: actor.residentId, phone: input.phone ?? null },
    { side: 'respondent', name: input.otherParty.name, residentId: null, phone: input.otherParty.phone ?? null },
  ]);
  await checkPool(ctx.db, actor.countyId, input.preferredMediatorId, h.region_path, 'preferredMediatorId');
  const id = await insertDispute(ctx, {
    regionId: h.region_id, regionPath: h.region_path, level: 'village', type: input.type, summary: text(input.summary, 'summary'), claim: text(input.claim, 'claim'),
    amount: input.amount, source: 'phone', sourceRef: null, caseId: null, applicantUserId: actor.userId,
    preferredMediatorId: input.preferredMediatorId ?? null, parties, historyAction: 'apply',
  });
  return getMyDispute(ctx, id);
}

/** Case categories that are disputes (信访与矛盾纠纷 → the dispute's type). */
export const CASE_CATEGORY_TYPES: Record<string, q.DisputeRow['type']> = {
  XF01: 'neighbour', XF02: 'marriage_family', XF03: 'land_forest', XF04: 'labour_pay',
};

/**
 * A dispute-type case becomes a dispute in one step. It keeps source 'case' and the case's id and
 * code; the same case twice (a second click, two cadres at once) gives the same dispute.
 */
export async function disputeFromCase(ctx: Ctx, input: FromCaseBody) {
  const { actor } = ctx;
  requirePermission(actor, MANAGE);
  const existing = async () => {
    const d = await q.disputeByCase(ctx.db, actor.countyId, input.caseId);
    if (!d) return null;
    if (!canSee(actor, toRes(d))) throw new AppError('NOT_FOUND');
    return { dispute: await getDispute(ctx, d.id), replayed: true };
  };
  const prev = await existing();
  if (prev) return prev;
  await caseDetail(ctx, input.caseId); // NOT_FOUND unless the caller may read the case
  const c = await ctx.db
    .selectFrom('cases')
    .innerJoin('case_categories as cat', 'cat.id', 'cases.category_id')
    .leftJoin('users as u', 'u.id', 'cases.reporter_user_id')
    .select(['cases.id', 'cases.code', 'cases.region_id', 'cases.region_path', 'cases.title', 'cases.description', 'cases.reporter_name', 'cases.reporter_user_id', 'u.kind as reporter_kind', 'cat.code as category_code', 'cat.name as category_name'])
    .where('cases.id', '=', input.caseId)
    .where('cases.county_id', '=', actor.countyId)
    .executeTakeFirst();
  if (!c) throw new AppError('NOT_FOUND');
  const type = CASE_CATEGORY_TYPES[c.category_code];
  if (!type) throw new AppError('MEDIATION_CASE_NOT_DISPUTE', { caseId: c.id, category: c.category_name });
  const level = input.level ?? 'village';
  if (!canRegister(actor, { regionPath: c.region_path, level })) throw new AppError('MEDIATION_LEVEL_FORBIDDEN', { level });
  const parties = checkParties([
    { side: 'applicant', name: c.reporter_name, residentId: null, phone: null },
    { side: 'respondent', name: input.respondentName ?? '待调查核实', residentId: null, phone: input.respondentPhone ?? null },
  ]);
  try {
    const id = await insertDispute(ctx, {
      regionId: c.region_id, regionPath: c.region_path, level, type, summary: c.description.slice(0, 2000), claim: c.title.slice(0, 1000),
      amount: null, source: 'case', sourceRef: c.code, caseId: c.id, applicantUserId: c.reporter_kind === 'villager' ? c.reporter_user_id : null,
      preferredMediatorId: null, parties, historyAction: 'from_case',
    });
    return { dispute: await getDispute(ctx, id), replayed: false };
  } catch (e) {
    // Two cadres at once: the unique (county, case) index lets one win; the other gets that dispute.
    if ((e as { code?: string }).code === '23505') {
      const again = await existing();
      if (again) return again;
    }
    throw e;
  }
}

function managesUnder(actor: Actor, path: string): boolean {
  return pathsWith(actor, MANAGE).some((p) => path.startsWith(p));
}

/** Edit the facts of a dispute not yet archived (optimistic on version). */
export async function editDispute(ctx: Ctx, id: number, input: EditBody) {
  return inTransaction(ctx, async (tx) => {
    const r = await q.lockDispute(tx.db, tx.actor.countyId, id);
    if (!r || !canSee(tx.actor, toRes(r))) throw new AppError('NOT_FOUND');
    if (!canManage(tx.actor, toRes(r))) throw new AppError('FORBIDDEN', { permission: MANAGE });
    if (r.state === 'archived' || r.state === 'rejected') throw new AppError('MEDIATION_READ_ONLY', { state: r.state });
    if (r.version !== input.version) throw new AppError('CONFLICT', { version: r.version });
    const level = input.level ?? r.level;
    if (!canManage(tx.actor, { regionPath: r.region_path, level })) throw new AppError('MEDIATION_LEVEL_FORBIDDEN', { level });
    const patch = {
      type: input.type ?? r.type, level, summary: input.summary != null ? text(input.summary, 'summary') : r.summary,
      claim: input.claim != null ? text(input.claim, 'claim') : r.claim,
      amount: input.amount === undefined ? r.amount : input.amount === null ? null : input.amount.toFixed(2),
    };
    const before = { type: r.type, level: r.level, summary: r.summary, claim: r.claim, amount: r.amount };
    const changed = Object.fromEntries(Object.entries(patch).filter(([k, v]) => before[k as keyof typeof before] !== v));
    if (Object.keys(changed).length > 0) {
      const now = nowOf(tx);
      await tx.db.updateTable('disputes').set({ ...patch, version: r.version + 1, updated_at: now }).where('id', '=', r.id).where('version', '=', r.version).execute();
      await writeHistory(tx, { process: 'dispute', entityId: r.id, regionPath: r.region_path, action: 'edit', from: r.state, to: r.state, data: { changed: Object.keys(changed) } });
      await audit(tx, { action: 'dispute.edit', entity: 'dispute', entityId: r.id, regionPath: r.region_path, before: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]])), after: changed });
    }
    return getDispute(tx, r.id);
  });
}

// ── the steps ──────────────────────────────────────────────────────────────────────────────

type Patch = Partial<Record<keyof q.DisputeRow, unknown>>;
interface Effect {
  patch: Patch;
  data?: Record<string, unknown>;
  post?: (saved: q.DisputeRow) => Promise<void>;
}
interface Env {
  tx: Ctx;
  row: q.DisputeRow;
  input: StepInput;
  now: Date;
}

const tell = (tx: Ctx, userIds: (number | null)[], kind: string, title: string, r: q.DisputeRow, body = '') =>
  notify(tx.db, { countyId: r.county_id, userIds, kind, title, body: body || r.code, entity: 'dispute', entityId: r.id });

function instant(v: string, field: string): Date {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION_FAILED', { field });
  return d;
}

async function armDeadline(db: Kdb, r: q.DisputeRow) {
  const due = new Date(r.deadline_at!);
  await scheduleTimer(db, 'dispute', 'warn', r.id, r.deadline_gen, new Date(due.getTime() - WARN_DAYS * DAY_MS));
  await scheduleTimer(db, 'dispute', 'overdue', r.id, r.deadline_gen, new Date(due.getTime() + 1));
}

const EFFECTS: Record<string, (env: Env) => Promise<Effect>> = {
  accept: async ({ tx, row, now }) => {
    const deadline = deadlineFrom(now);
    return {
      patch: { accepted_at: now, deadline_at: deadline, deadline_gen: row.deadline_gen + 1 },
      data: { deadlineAt: deadline.toISOString(), days: MEDIATION_DAYS },
      post: async (saved) => {
        await armDeadline(tx.db, saved);
        await tell(tx, [saved.applicant_user_id], 'dispute.accepted', '您的调解申请已受理', saved, `${saved.code}，将为您确定调解员`);
      },
    };
  },
  reject: async ({ tx, input }) => ({
    patch: { reject_reason: input.reason!.trim() },
    data: { reason: input.reason!.trim() },
    post: async (saved) => tell(tx, [saved.applicant_user_id], 'dispute.rejected', '您的调解申请不予受理', saved, input.reason!.trim()),
  }),
  escalate: async ({ tx, row, input, now }) => {
    const deadline = deadlineFrom(now);
    return {
      // The township starts over with its own mediator and its own limit; the village's work stays in the history.
      patch: { level: 'township', mediator_user_id: null, assign_reason: null, deadline_at: deadline, deadline_gen: row.deadline_gen + 1 },
      data: { fromLevel: row.level, toLevel: 'township', reason: input.reason!.trim(), previousMediatorId: row.mediator_user_id, deadlineAt: deadline.toISOString() },
      post: async (saved) => {
        await armDeadline(tx.db, saved);
        await tell(tx, [row.mediator_user_id, saved.applicant_user_id], 'dispute.escalated', '纠纷已上报乡镇调解', saved, `${saved.code}：${input.reason!.trim()}`);
      },
    };
  },
  assign: async ({ tx, row, input }) => {
    const m = await checkPool(tx.db, row.county_id, input.mediatorUserId, row.region_path, 'mediatorUserId');
    const followed = !row.preferred_mediator_id || row.preferred_mediator_id === m!.id;
    const reason = input.reason?.trim() || null;
    return {
      patch: { mediator_user_id: m!.id, assign_reason: followed ? null : reason },
      data: { mediatorUserId: m!.id, mediatorName: m!.display_name, preferredMediatorId: row.preferred_mediator_id, followedPreference: followed, reason: followed ? null : reason, previousMediatorId: row.mediator_user_id },
      post: async (saved) => {
        await tell(tx, [m!.id], 'dispute.assigned', `新的调解案件：${TYPE_LABELS[saved.type]}`, saved, `${saved.code}，调解期限 ${iso(saved.deadline_at)?.slice(0, 10) ?? ''}`);
        await tell(tx, [saved.applicant_user_id], 'dispute.mediator', `已为您确定调解员：${m!.display_name}`, saved);
      },
    };
  },
  investigate: async ({ input }) => ({ patch: { findings: input.findings!.trim() }, data: {} }),
  inform: async ({ tx, input, now }) => {
    const at = instant(input.sessionAt!, 'sessionAt');
    return {
      patch: { informed_at: now, session_at: at, session_place: input.sessionPlace!.trim() },
      data: { rightsTold: true, sessionAt: at.toISOString(), sessionPlace: input.sessionPlace!.trim() },
      post: async (saved) => tell(tx, [saved.applicant_user_id], 'dispute.session', '调解时间地点已确定', saved, `${input.sessionPlace!.trim()}，${at.toISOString()}`),
    };
  },
  mediate: async ({ tx, row, input, now }) => {
    const heldAt = input.heldAt ? instant(input.heldAt, 'heldAt') : now;
    const seq = row.sessions_count + 1;
    return {
      patch: { sessions_count: seq },
      data: { session: seq, place: input.place!.trim() },
      post: async (saved) => {
        await tx.db.insertInto('dispute_sessions').values({
          county_id: saved.county_id, dispute_id: saved.id, seq, held_at: heldAt, place: input.place!.trim(), attendees: input.attendees?.trim() ?? '',
          record: input.record!.trim(), mediator_id: tx.actor.userId, mediator_name: tx.actor.displayName, ...(tx.now ? { created_at: now } : {}),
        }).execute();
      },
    };
  },
  agree: async ({ tx, row, input, now }) => {
    // The applicants and respondents sign the agreement; third parties may.
    const parties = await q.partiesOf(tx.db, [row.id]);
    const signed = new Set(input.signedPartyIds ?? []);
    const unknown = [...signed].filter((id) => !parties.some((p) => p.id === id));
    const missing = parties.filter((p) => p.side !== 'third' && !signed.has(p.id));
    if (unknown.length || missing.length) throw new AppError('MEDIATION_SIGNOFF_INCOMPLETE', { missing: missing.map((p) => p.name), unknown });
    const due = new Date(now.getTime() + FOLLOW_UP_DAYS * DAY_MS);
    const terms = input.terms!.map((t) => t.trim());
    return {
      patch: {
        agreement_text: input.agreementText!.trim(), agreement_terms: JSON.stringify(terms), agreed_at: now, outcome: 'agreed', concluded_at: now,
        follow_up_due_at: due, deadline_gen: row.deadline_gen + 1,
      },
      data: { terms: terms.length, signedPartyIds: [...signed], followUpDueAt: due.toISOString(), onTime: !row.deadline_at || now <= new Date(row.deadline_at) },
      post: async (saved) => {
        await tx.db.updateTable('dispute_parties').set({ signed_at: now }).where('dispute_id', '=', saved.id).where('id', 'in', [...signed]).execute();
        await scheduleTimer(tx.db, 'dispute', 'follow_up_due', saved.id, saved.deadline_gen, due);
        await tell(tx, [saved.applicant_user_id], 'dispute.agreed', '调解成功，已签订调解协议', saved);
      },
    };
  },
  fail: async ({ tx, row, input, now }) => ({
    patch: { outcome: 'failed', concluded_at: now, referral: input.referral, fail_reason: input.reason!.trim(), deadline_gen: row.deadline_gen + 1 },
    data: { referral: input.referral, referralLabel: REFERRAL_LABELS[input.referral!], reason: input.reason!.trim(), onTime: !row.deadline_at || now <= new Date(row.deadline_at) },
    post: async (saved) => tell(tx, [saved.applicant_user_id], 'dispute.failed', `调解未成，已引导至${REFERRAL_LABELS[input.referral!]}`, saved, input.reason!.trim()),
  }),
  follow_up: async ({ input, now }) => ({
    patch: { follow_up_result: input.performed, follow_up_note: input.note?.trim() || null, followed_up_at: now },
    data: { performed: input.performed, performedLabel: FOLLOW_UP_LABELS[input.performed!] },
  }),
  archive: async ({ tx, row, input, now }) => {
    const dossierNo = input.dossierNo!.trim();
    const taken = await tx.db.selectFrom('disputes').select('id').where('county_id', '=', row.county_id).where('dossier_no', '=', dossierNo).executeTakeFirst();
    if (taken) throw new AppError('MEDIATION_DOSSIER_TAKEN', { field: 'dossierNo', dossierNo });
    return { patch: { dossier_no: dossierNo, archived_at: now }, data: { dossierNo } };
  },
};

/** One step of the eight: scope → kernel (state, who, guard) → effect → history and audit. */
export async function stepDispute(ctx: Ctx, id: number, action: string, input: StepInput): Promise<q.DisputeRow> {
  const effectFor = EFFECTS[action];
  if (!effectFor) throw new AppError('WORKFLOW_ACTION_UNKNOWN', { action });
  return inTransaction(ctx, async (tx) => {
    const row = await q.lockDispute(tx.db, tx.actor.countyId, id);
    if (!row || !canSee(tx.actor, toRes(row))) throw new AppError('NOT_FOUND');
    const data: Record<string, unknown> = {};
    let saved: q.DisputeRow | undefined;
    let post: Effect['post'];
    const comment = input.comment?.trim() || input.reason?.trim() || input.findings?.trim() || input.record?.trim() || input.note?.trim() || null;
    const { to } = await disputeProcess.fire(tx, toRes(row), action, {
      input: { ...input, comment },
      data,
      apply: async (to) => {
        const now = nowOf(tx);
        const eff = await effectFor({ tx, row, input, now });
        Object.assign(data, eff.data ?? {});
        post = eff.post;
        saved = await tx.db
          .updateTable('disputes')
          .set({ ...(eff.patch as object), state: to, version: row.version + 1, updated_at: now })
          .where('id', '=', row.id)
          .where('version', '=', row.version)
          .returningAll()
          .executeTakeFirst();
        return !!saved;
      },
    });
    if (post) await post(saved!);
    await audit(tx, { action: `dispute.${action}`, entity: 'dispute', entityId: id, regionPath: row.region_path, before: { state: row.state }, after: { state: to, ...data } });
    return saved!;
  });
}

// ── timers ─────────────────────────────────────────────────────────────────────────────────

interface TimerPayload {
  id: number;
  gen: number;
}

/**
 * The 30-day limit: a warning WARN_DAYS before, and the overdue mark after. The job queue runs a
 * job once; the generation (moved by agree/fail) and the warned/overdue marks make a repeated or
 * stale job a no-op as well.
 */
async function deadlineTimer(db: Kdb, p: TimerPayload, kind: 'warn' | 'overdue') {
  const r = await db.selectFrom('disputes').selectAll().where('id', '=', p.id).forUpdate().executeTakeFirst();
  if (!r || r.deadline_gen !== p.gen || !isOpen(r.state)) return;
  if (kind === 'warn' ? r.warned_at || r.overdue_at : r.overdue_at) return;
  // Overdue counts from the moment the limit passed (the figures put it in that period), whenever the job ran.
  await db.updateTable('disputes').set(kind === 'warn' ? { warned_at: new Date() } : { overdue_at: new Date(new Date(r.deadline_at!).getTime() + 1) }).where('id', '=', r.id).execute();
  const ctx: Ctx = { db, actor: systemActor(r.county_id) };
  await writeHistory(ctx, {
    process: 'dispute', entityId: r.id, regionPath: r.region_path, action: kind, from: r.state, to: r.state,
    comment: kind === 'warn' ? `距调解期限不足 ${WARN_DAYS} 天` : `已超过 ${MEDIATION_DAYS} 日调解期限仍未调结`, data: { deadlineAt: iso(r.deadline_at) },
  });
  const managers = await q.managerIds(db, r.county_id, r.region_path);
  const users = kind === 'warn' ? (r.mediator_user_id ? [r.mediator_user_id] : managers) : [r.mediator_user_id, ...managers];
  await notify(db, {
    countyId: r.county_id, userIds: users, kind: `dispute.${kind}`, entity: 'dispute', entityId: r.id,
    title: kind === 'warn' ? `调解即将到期：${r.code}` : `调解已超期：${r.code}`, body: `期限 ${iso(r.deadline_at)?.slice(0, 10)}`,
  });
}

/** The follow-up visit is due: the mediator is reminded once. */
async function followUpDue(db: Kdb, p: TimerPayload) {
  const r = await db.selectFrom('disputes').selectAll().where('id', '=', p.id).forUpdate().executeTakeFirst();
  if (!r || r.deadline_gen !== p.gen || r.state !== 'agreed' || r.follow_up_reminded_at) return;
  await db.updateTable('disputes').set({ follow_up_reminded_at: new Date() }).where('id', '=', r.id).execute();
  await writeHistory({ db, actor: systemActor(r.county_id) }, {
    process: 'dispute', entityId: r.id, regionPath: r.region_path, action: 'follow_up_reminder', from: r.state, to: r.state,
    comment: `调解协议已满 ${FOLLOW_UP_DAYS} 天，请回访协议履行情况`, data: { followUpDueAt: iso(r.follow_up_due_at) },
  });
  await notify(db, {
    countyId: r.county_id, userIds: r.mediator_user_id ? [r.mediator_user_id] : await q.managerIds(db, r.county_id, r.region_path), kind: 'dispute.follow_up_due',
    title: `请回访调解协议履行情况：${r.code}`, entity: 'dispute', entityId: r.id,
  });
}

export const disputeJobs = {
  'dispute.warn': async (db: Kdb, p: Record<string, unknown>) => deadlineTimer(db, p as unknown as TimerPayload, 'warn'),
  'dispute.overdue': async (db: Kdb, p: Record<string, unknown>) => deadlineTimer(db, p as unknown as TimerPayload, 'overdue'),
  'dispute.follow_up_due': async (db: Kdb, p: Record<string, unknown>) => followUpDue(db, p as unknown as TimerPayload),
};

// ── the mediator pool ──────────────────────────────────────────────────────────────────────

async function poolOf(ctx: Ctx, f: { under?: string[]; above?: string[] }) {
  const rows = await q.poolRows(ctx.db, ctx.actor.countyId, f);
  const seen = new Set<number>();
  const uniq = rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
  const counts = await q.mediatorCounts(ctx.db, uniq.map((r) => r.id), OPEN_STATES);
  return {
    items: uniq.map((r) => {
      const c = counts.get(r.id) ?? { open: 0, concluded: 0, agreements: 0 };
      const specialties = (r.specialties ?? []) as (keyof typeof TYPE_LABELS)[];
      return {
        id: r.id, name: r.display_name, regionId: r.region_id, regionName: r.region_name, regionLevel: r.region_level,
        specialties, specialtyLabels: specialties.map((s) => TYPE_LABELS[s] ?? s), intro: r.intro ?? '',
        openDisputes: c.open, concluded: c.concluded, agreements: c.agreements, successRate: c.concluded ? c.agreements / c.concluded : null,
      };
    }),
  };
}

/** Staff: the mediators serving the caller's places (or one region): theirs and those above. */
export async function listMediators(ctx: Ctx, f: { regionId?: number }) {
  const { actor } = ctx;
  if (actor.kind !== 'staff') throw new AppError('FORBIDDEN', { permission: READ });
  requirePermission(actor, READ);
  const paths = f.regionId ? [(await requireRegion(ctx, f.regionId, READ)).path] : pathsWith(actor, READ);
  return poolOf(ctx, { under: paths, above: paths });
}

/** A villager: the mediators serving their place (village, township, county). */
export async function myMediators(ctx: Ctx) {
  requirePermission(ctx.actor, APPLY);
  if (!ctx.actor.householdId) throw new AppError('MEDIATION_NO_HOUSEHOLD');
  const h = await ctx.db.selectFrom('households').select('region_path').where('id', '=', ctx.actor.householdId).executeTakeFirst();
  if (!h) throw new AppError('MEDIATION_NO_HOUSEHOLD');
  return poolOf(ctx, { above: [h.region_path] });
}

/** A mediator's profile (specialties, introduction): the mediator, or a manager over their place. */
export async function setProfile(ctx: Ctx, userId: number, input: ProfileBody) {
  const { actor } = ctx;
  const grants = await q.poolRows(ctx.db, actor.countyId, { under: ['/'] });
  const mine = grants.filter((g) => g.id === userId);
  if (mine.length === 0 || !(actor.userId === userId || mine.some((g) => managesUnder(actor, g.region_path)))) throw new AppError('NOT_FOUND');
  return inTransaction(ctx, async (tx) => {
    const values = { user_id: userId, county_id: actor.countyId, specialties: [...new Set(input.specialties)], intro: input.intro.trim(), updated_at: new Date() };
    await tx.db.insertInto('mediator_profiles').values(values).onConflict((oc) => oc.column('user_id').doUpdateSet({ specialties: values.specialties, intro: values.intro, updated_at: values.updated_at })).execute();
    await audit(tx, { action: 'mediator.profile', entity: 'user', entityId: userId, regionPath: mine[0]!.region_path, after: { specialties: values.specialties, intro: values.intro } });
    const pool = await poolOf(tx, { under: [mine[0]!.region_path] });
    return pool.items.find((m) => m.id === userId)!;
  });
}

// ── figures ────────────────────────────────────────────────────────────────────────────────

export const DEFINITIONS = [
  { key: 'accepted', name: '受理数', formula: '期内受理的纠纷件数（按受理时间）' },
  { key: 'concluded', name: '调结数', formula: '期内调结的纠纷件数：达成调解协议或调解不成（按调结时间）' },
  { key: 'agreements', name: '调解成功数', formula: '期内达成调解协议的件数' },
  { key: 'successRate', name: '调解成功率', formula: '调解成功数 ÷ 调结数（同一期间；不予受理与尚未调结的不计入）' },
  { key: 'overdue', name: '超期数', formula: `超过 ${MEDIATION_DAYS} 日调解期限仍未调结的件数（按期限届满的时间计入期间）` },
  { key: 'open', name: '在办数', formula: '当前已受理、尚未调结的件数（不受期间限制）' },
];

const zero = () => ({ accepted: 0, concluded: 0, agreements: 0, failed: 0, overdue: 0, open: 0 });
type Fig = ReturnType<typeof zero>;
const withRate = (f: Fig) => ({ ...f, successRate: f.concluded ? f.agreements / f.concluded : null });
function add(a: Fig, r: q.FigureRow) {
  a.accepted += r.accepted;
  a.concluded += r.concluded;
  a.agreements += r.agreements;
  a.failed += r.failed;
  a.overdue += r.overdue;
  a.open += r.open;
}

/** A unit's figures over a period: totals, by type, by village. */
export async function disputeStats(ctx: Ctx, f: StatsQuery) {
  const { actor } = ctx;
  if (actor.kind !== 'staff') throw new AppError('FORBIDDEN', { permission: READ });
  requirePermission(actor, READ);
  const from = Date.parse(f.from + 'T00:00:00Z');
  const to = Date.parse(f.to + 'T00:00:00Z');
  if (Number.isNaN(from) || Number.isNaN(to) || from > to || to - from > 366 * DAY_MS) throw new AppError('MEDIATION_PERIOD_INVALID', { from: f.from, to: f.to });
  let regionId = f.regionId;
  if (!regionId) {
    const top = [...actor.grants].filter((g) => g.permissions.includes(READ)).sort((a, b) => a.regionPath.length - b.regionPath.length)[0]!;
    regionId = top.regionId;
  }
  const unit = await requireRegion(ctx, regionId, READ);
  const fromTs = new Date(from - 8 * 3600_000);
  const toTs = endOfBeijingDay(f.to);
  const rows = await q.figures(ctx.db, actor.countyId, unit.path, fromTs, toTs, OPEN_STATES);
  const total = zero();
  const byType = new Map<string, Fig>();
  const byVillage = new Map<number, Fig>();
  for (const r of rows) {
    add(total, r);
    if (!byType.has(r.type)) byType.set(r.type, zero());
    add(byType.get(r.type)!, r);
    if (!byVillage.has(r.village_id)) byVillage.set(r.village_id, zero());
    add(byVillage.get(r.village_id)!, r);
  }
  const villages = await q.villageNames(ctx.db, [...byVillage.keys()]);
  return {
    unit: { id: unit.id, name: unit.name, level: unit.level }, from: f.from, to: f.to,
    total: withRate(total),
    byType: (Object.keys(TYPE_LABELS) as (keyof typeof TYPE_LABELS)[]).map((t) => ({ type: t, typeLabel: TYPE_LABELS[t], ...withRate(byType.get(t) ?? zero()) })),
    byVillage: villages.map((v) => ({ villageId: v.id, villageName: v.name, townshipName: v.township_name, ...withRate(byVillage.get(v.id)!) })),
    definitions: DEFINITIONS,
  };
}

