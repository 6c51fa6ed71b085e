/**
 * 议事协商 use cases: topics through 四议两公开 on the workflow kernel, meetings announced ≥ 3 days
 * ahead with attendance and a vote whose quorum and majority the server computes (counts typed by
 * the clerk, or one vote per household cast on the phone), remarks from the township and the
 * supervision committee, and what villagers and party members see. One transaction per use case,
 * with its history and audit rows.
 */
import { sql } from 'kysely';
import { hasPermission, inScope, pathsWith, requirePermission } from '../../core/actor.js';
import type { Ctx } from '../../core/context.js';
import { inTransaction, nowOf } from '../../core/context.js';
import { audit } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { beijingDay } from '../../core/calendar/index.js';
import { readHistory, scheduleTimer, systemActor, writeHistory } from '../../core/workflow/index.js';
import type { Kdb } from '../../db/database.js';
import { decodeCursor, encodeCursor } from '../../core/paging.js';
import { requireRegion } from '../regions/service.js';
import {
  CATEGORY_LABELS, KIND_LABELS, NOTICE_DAYS, outcome, PROPOSER_LABELS, PUBLISHED_STATES, quorumMet, RESULT_LABELS, REVIEW_STATES, RULES, stagesOf,
  TOPIC_STATES, topicProcess, type StepInput,
} from './process.js';
import { canGuide, canManage, canObject, canRead, GUIDE, MANAGE, OBJECT, READ, REVIEW, VOTE, type TopicRes } from './policy.js';
import * as q from './queries.js';
import type { CountsBody, ListQuery, MeetingBody, RemarkBody, StepBody, TopicBody } from './schema.js';
import type { TopicState, VoteChoice } from './tables.js';

const DAY_MS = 86_400_000;
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const day = (d: Date | string | null | undefined) => (d ? (typeof d === 'string' ? d.slice(0, 10) : beijingDay(d)) : null);

export const toRes = (r: q.TopicRow): TopicRes => ({ id: r.id, countyId: r.county_id, regionPath: r.region_path, state: r.state, version: r.version });

// ── presenting ─────────────────────────────────────────────────────────────────────────────

function itemOf(r: q.TopicRow, names: Map<number, string>) {
  return {
    id: r.id, code: r.code, title: r.title, category: r.category, categoryLabel: CATEGORY_LABELS[r.category], state: r.state, stateLabel: TOPIC_STATES[r.state],
    villageName: names.get(r.region_id) ?? '', proposerKind: r.proposer_kind, proposerLabel: PROPOSER_LABELS[r.proposer_kind], signatures: r.signatures,
    amount: r.amount, createdAt: iso(r.created_at)!, publishedAt: iso(r.published_at),
  };
}

/** A meeting as shown: counts, quorum and result with the rule that computed them. */
export function meetingOf(m: q.MeetingRow, now = new Date()) {
  const open = m.vote_mode === 'open' && !m.closed_at;
  return {
    id: m.id, topicId: m.topic_id, kind: m.kind, kindLabel: KIND_LABELS[m.kind], heldAt: iso(m.held_at)!, place: m.place, announcedAt: iso(m.announced_at)!,
    noticeDays: Math.floor((new Date(m.held_at).getTime() - new Date(m.announced_at).getTime()) / DAY_MS),
    voteMode: m.vote_mode, expected: m.expected, present: m.present, for: m.votes_for, against: m.votes_against, abstain: m.votes_abstain,
    voteClosesAt: iso(m.vote_closes_at), closedAt: iso(m.closed_at), open, acceptingVotes: open && new Date(m.held_at) <= now && (!m.vote_closes_at || new Date(m.vote_closes_at) > now),
    quorumMet: m.quorum_met, result: m.result, resultLabel: m.result ? RESULT_LABELS[m.result] : null, rule: RULES[m.kind], usedBy: m.used_by,
  };
}

const HISTORY_LABELS: Record<string, string> = {
  propose: '提出议题', meeting: '发布会议通知', counts: '登记到会与表决', close_vote: '结束网上表决', guide: '乡镇指导意见', objection: '监督委员会异议',
  ...Object.fromEntries(topicProcess.def.transitions.map((t) => [t.action, t.label])),
};

async function present(ctx: Ctx, r: q.TopicRow, opts: { staff: boolean }) {
  const [names, meetings, history] = await Promise.all([q.regionNames(ctx.db, [r.region_id]), q.meetingsOf(ctx.db, [r.id]), readHistory(ctx.db, 'deliberation', r.id)]);
  const at: Record<string, string> = {};
  for (const h of history) if (h.to !== h.from) at[h.action] = h.at;
  const rejectedAt = history.find((h) => h.to === 'rejected')?.at ?? null;
  const res = toRes(r);
  const now = nowOf(ctx);
  return {
    ...itemOf(r, names), content: r.content, branchOpinion: r.branch_opinion, committeeRecord: r.committee_record, committeeOpinion: r.committee_opinion,
    committeeMeetingId: r.committee_meeting_id, reviewMeetingId: r.review_meeting_id, resolveMeetingId: r.resolve_meeting_id,
    resolutionText: r.resolution_text, noticeText: r.notice_text, noticeFrom: day(r.notice_from), noticeTo: day(r.notice_to),
    implementationResult: r.implementation_result, doneAt: iso(r.done_at), version: r.version,
    meetings: meetings.map((m) => meetingOf(m, now)),
    stages: stagesOf(r.state, at, rejectedAt),
    history: (opts.staff ? history : history.filter((h) => h.action !== 'objection' && h.action !== 'guide')).map((h) => ({
      id: h.id, action: h.action, actionLabel: HISTORY_LABELS[h.action] ?? h.action, from: h.from, to: h.to, actorName: h.actorName, comment: h.comment, data: h.data, at: h.at,
    })),
    actions: opts.staff ? topicProcess.available(ctx.actor, res) : [],
    can: {
      manage: opts.staff && canManage(ctx.actor, res), guide: opts.staff && canGuide(ctx.actor, res), object: opts.staff && canObject(ctx.actor, res),
    },
    rules: RULES, noticeDaysRequired: NOTICE_DAYS,
  };
}

// ── topics ─────────────────────────────────────────────────────────────────────────────────

async function loadVisible(ctx: Ctx, id: number): Promise<q.TopicRow> {
  const r = await q.findTopic(ctx.db, ctx.actor.countyId, id);
  if (!r || !canRead(ctx.actor, toRes(r))) throw new AppError('NOT_FOUND');
  return r;
}

export async function getTopic(ctx: Ctx, id: number) {
  return present(ctx, await loadVisible(ctx, id), { staff: true });
}

export async function createTopic(ctx: Ctx, input: TopicBody) {
  requirePermission(ctx.actor, MANAGE);
  const region = await requireRegion(ctx, input.regionId, MANAGE);
  if (region.level !== 'village') throw new AppError('DELIBERATION_PLACE_INVALID', { field: 'regionId' });
  if (input.proposerKind === 'villagers' && !input.signatures) throw new AppError('DELIBERATION_SIGNATURES_REQUIRED', { field: 'signatures' });
  const title = input.title.trim();
  const content = input.content.trim();
  if (!title) throw new AppError('DELIBERATION_FIELD_REQUIRED', { field: 'title' });
  if (!content) throw new AppError('DELIBERATION_FIELD_REQUIRED', { field: 'content' });
  const id = await inTransaction(ctx, async (tx) => {
    const now = nowOf(tx);
    const { id: next } = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('deliberation_topics', 'id'))::int AS id`.execute(tx.db).then((r) => r.rows[0]!);
    const code = `YS${beijingDay(now).replace(/-/g, '')}-${String(next).padStart(6, '0')}`;
    await tx.db.insertInto('deliberation_topics').values({
      id: next, county_id: tx.actor.countyId, code, region_id: region.id, region_path: region.path, title, content, proposer_kind: input.proposerKind,
      signatures: input.proposerKind === 'villagers' ? input.signatures! : null, category: input.category, amount: input.amount == null ? null : input.amount.toFixed(2),
      state: 'proposed', created_by: tx.actor.userId || null, created_at: now, updated_at: now,
    }).execute();
    await writeHistory(tx, { process: 'deliberation', entityId: next, regionPath: region.path, action: 'propose', from: null, to: 'proposed', comment: title, data: { proposerKind: input.proposerKind, signatures: input.signatures ?? null } });
    await audit(tx, { action: 'deliberation.propose', entity: 'deliberation_topic', entityId: next, regionPath: region.path, after: { code, title, category: input.category } });
    return next;
  });
  return getTopic(ctx, id);
}

export async function listTopics(ctx: Ctx, f: ListQuery) {
  const { actor } = ctx;
  if (actor.kind !== 'staff' || !(hasPermission(actor, READ) || hasPermission(actor, MANAGE))) throw new AppError('FORBIDDEN', { permission: READ });
  let states: TopicState[] | undefined;
  if (f.state) {
    if (!(f.state in TOPIC_STATES)) throw new AppError('DELIBERATION_STATE_UNKNOWN', { field: 'state', state: f.state });
    states = [f.state as TopicState];
  }
  const regionPath = f.regionId ? (await requireRegion(ctx, f.regionId, READ)).path : undefined;
  const limit = f.limit ?? 50;
  const rows = await q.listTopics(ctx.db, {
    countyId: actor.countyId, scope: sql`(${inScope(actor, READ, 't.region_path')} OR ${inScope(actor, MANAGE, 't.region_path')})`, states, category: f.category, regionPath,
    q: f.q?.trim() || undefined, beforeId: decodeCursor(f.cursor), limit,
  });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const names = await q.regionNames(ctx.db, page.map((r) => r.region_id));
  return { items: page.map((r) => itemOf(r, names)), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}

/** One step of 四议两公开. The meeting the step rests on is read and locked here, the rule checks it. */
export async function stepTopic(ctx: Ctx, id: number, action: string, body: StepBody) {
  topicProcess.transition(action);
  return inTransaction(ctx, async (tx) => {
    const row = await q.lockTopic(tx.db, tx.actor.countyId, id);
    if (!row || !canRead(tx.actor, toRes(row))) throw new AppError('NOT_FOUND');
    let meeting: StepInput['meeting'] = null;
    if (body.meetingId) {
      const m = await tx.db.selectFrom('deliberation_meetings').selectAll().where('id', '=', body.meetingId).where('county_id', '=', tx.actor.countyId).forUpdate().executeTakeFirst();
      if (m) meeting = { id: m.id, kind: m.kind, result: m.result, usedBy: m.used_by, topicId: m.topic_id };
    }
    const input: StepInput = { ...body, meeting };
    const comment = body.comment?.trim() || body.opinion?.trim() || body.resolutionText?.trim() || body.result?.trim() || null;
    const data: Record<string, unknown> = meeting ? { meetingId: meeting.id, result: meeting.result } : {};
    let saved: q.TopicRow | undefined;
    const { to } = await topicProcess.fire(tx, toRes(row), action, {
      input: { ...input, comment }, data,
      apply: async (to) => {
        const now = nowOf(tx);
        const t = (v: string | undefined) => v?.trim() || null;
        const patch: Record<string, unknown> = {};
        if (action === 'branch_propose') patch.branch_opinion = t(body.opinion);
        if (action === 'committee_discuss') Object.assign(patch, { committee_meeting_id: meeting!.id, committee_record: t(body.record), committee_opinion: t(body.opinion) });
        if (action === 'members_review') patch.review_meeting_id = meeting!.id;
        if (action === 'resolve') Object.assign(patch, { resolve_meeting_id: meeting!.id, resolution_text: t(body.resolutionText) });
        if (action === 'publish') Object.assign(patch, { notice_text: t(body.noticeText), notice_from: body.noticeFrom, notice_to: body.noticeTo, published_at: now });
        if (action === 'complete') Object.assign(patch, { implementation_result: t(body.result), done_at: now });
        saved = await tx.db.updateTable('deliberation_topics').set({ ...patch, state: to, version: row.version + 1, updated_at: now })
          .where('id', '=', row.id).where('version', '=', row.version).returningAll().executeTakeFirst();
        if (saved && meeting) await tx.db.updateTable('deliberation_meetings').set({ used_by: action }).where('id', '=', meeting.id).execute();
        return !!saved;
      },
    });
    await audit(tx, { action: `deliberation.${action}`, entity: 'deliberation_topic', entityId: id, regionPath: row.region_path, before: { state: row.state }, after: { state: to, ...data } });
    return saved!;
  });
}

/** 乡镇指导意见 or 监督委员会异议: a history row, not a transition. */
export async function addRemark(ctx: Ctx, id: number, input: RemarkBody) {
  const row = await loadVisible(ctx, id);
  const allowed = input.kind === 'guide' ? canGuide(ctx.actor, toRes(row)) : canObject(ctx.actor, toRes(row));
  if (!allowed) throw new AppError('FORBIDDEN', { permission: input.kind === 'guide' ? GUIDE : OBJECT });
  const text = input.text.trim();
  if (!text) throw new AppError('DELIBERATION_FIELD_REQUIRED', { field: 'text' });
  await inTransaction(ctx, async (tx) => {
    await writeHistory(tx, { process: 'deliberation', entityId: id, regionPath: row.region_path, action: input.kind, from: row.state, to: row.state, comment: text });
    await audit(tx, { action: `deliberation.${input.kind}`, entity: 'deliberation_topic', entityId: id, regionPath: row.region_path, after: { text } });
  });
  return getTopic(ctx, id);
}

// ── meetings and votes ─────────────────────────────────────────────────────────────────────

export async function createMeeting(ctx: Ctx, topicId: number, input: MeetingBody) {
  const row = await loadVisible(ctx, topicId);
  if (!canManage(ctx.actor, toRes(row))) throw new AppError('FORBIDDEN', { permission: MANAGE });
  if (row.state === 'rejected' || PUBLISHED_STATES.includes(row.state)) throw new AppError('WORKFLOW_TRANSITION_NOT_ALLOWED', { state: row.state, stateLabel: TOPIC_STATES[row.state] });
  const now = nowOf(ctx);
  const heldAt = new Date(input.heldAt);
  const announcedAt = input.announcedAt ? new Date(input.announcedAt) : now;
  if (announcedAt.getTime() > now.getTime() + 60_000) throw new AppError('DELIBERATION_ANNOUNCE_FUTURE', { field: 'announcedAt' });
  if (heldAt.getTime() - announcedAt.getTime() < NOTICE_DAYS * DAY_MS) {
    throw new AppError('DELIBERATION_NOTICE_TOO_SHORT', { field: 'heldAt', announcedAt: announcedAt.toISOString(), earliest: new Date(announcedAt.getTime() + NOTICE_DAYS * DAY_MS).toISOString() });
  }
  const mode = input.voteMode ?? 'counts';
  let expected = input.expected;
  let closes: Date | null = null;
  if (mode === 'open') {
    if (input.kind !== 'villagers') throw new AppError('DELIBERATION_OPEN_VOTE_KIND', { field: 'voteMode' });
    if (!input.voteClosesAt) throw new AppError('DELIBERATION_FIELD_REQUIRED', { field: 'voteClosesAt' });
    closes = new Date(input.voteClosesAt);
    if (closes <= heldAt) throw new AppError('DELIBERATION_CLOSES_INVALID', { field: 'voteClosesAt' });
    expected = await q.householdsIn(ctx.db, ctx.actor.countyId, row.region_path);
    if (!expected) throw new AppError('DELIBERATION_NO_HOUSEHOLDS');
  } else if (!expected) throw new AppError('DELIBERATION_FIELD_REQUIRED', { field: 'expected' });
  const place = input.place.trim();
  if (!place) throw new AppError('DELIBERATION_FIELD_REQUIRED', { field: 'place' });
  return inTransaction(ctx, async (tx) => {
    const m = await tx.db.insertInto('deliberation_meetings').values({
      county_id: tx.actor.countyId, topic_id: row.id, region_path: row.region_path, kind: input.kind, held_at: heldAt, place, announced_at: announcedAt,
      vote_mode: mode, expected: expected!, vote_closes_at: closes, created_by: tx.actor.userId || null, created_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    await writeHistory(tx, {
      process: 'deliberation', entityId: row.id, regionPath: row.region_path, action: 'meeting', from: row.state, to: row.state,
      comment: `${KIND_LABELS[input.kind]}：${beijingDay(heldAt)} ${place}`, data: { meetingId: m.id, kind: input.kind, heldAt: iso(heldAt), announcedAt: iso(announcedAt), voteMode: mode },
    });
    await audit(tx, { action: 'deliberation.meeting', entity: 'deliberation_meeting', entityId: m.id, regionPath: row.region_path, after: { topicId: row.id, kind: input.kind, heldAt: iso(heldAt), voteMode: mode, expected } });
    // An open vote closes itself at its closing time (job queue), unless the cadre closes it first.
    if (closes) await scheduleTimer(tx.db, 'deliberation', 'close_vote', m.id, 0, closes);
    return meetingOf(m, now);
  });
}

async function lockMeeting(tx: Ctx, id: number) {
  const m = await tx.db.selectFrom('deliberation_meetings').selectAll().where('county_id', '=', tx.actor.countyId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!m || !canRead(tx.actor, { regionPath: m.region_path })) throw new AppError('NOT_FOUND');
  if (!canManage(tx.actor, { regionPath: m.region_path })) throw new AppError('FORBIDDEN', { permission: MANAGE });
  if (m.used_by) throw new AppError('DELIBERATION_MEETING_USED', { meetingId: m.id, usedBy: m.used_by });
  if (new Date(m.held_at) > nowOf(tx)) throw new AppError('DELIBERATION_MEETING_NOT_HELD', { heldAt: iso(m.held_at) });
  return m;
}

async function saveTally(tx: Ctx, m: q.MeetingRow, t: { present: number; for: number; against: number; abstain: number }, action: 'counts' | 'close_vote') {
  const now = nowOf(tx);
  const tally = { expected: m.expected, ...t };
  const result = outcome(m.kind, tally);
  const saved = await tx.db.updateTable('deliberation_meetings').set({
    present: t.present, votes_for: t.for, votes_against: t.against, votes_abstain: t.abstain, quorum_met: quorumMet(m.kind, tally), result, closed_at: now,
  }).where('id', '=', m.id).returningAll().executeTakeFirstOrThrow();
  const topic = (await q.findTopic(tx.db, tx.actor.countyId, m.topic_id))!;
  await writeHistory(tx, {
    process: 'deliberation', entityId: m.topic_id, regionPath: m.region_path, action, from: topic.state, to: topic.state,
    comment: `${KIND_LABELS[m.kind]}：应到 ${m.expected}，实到 ${t.present}；赞成 ${t.for}，反对 ${t.against}，弃权 ${t.abstain}；${RESULT_LABELS[result]}`,
    data: { meetingId: m.id, ...tally, result },
  });
  await audit(tx, { action: `deliberation.${action}`, entity: 'deliberation_meeting', entityId: m.id, regionPath: m.region_path, after: { ...tally, result } });
  return meetingOf(saved, now);
}

/** The clerk records attendance and the show of hands after the meeting; the result is computed. */
export async function recordCounts(ctx: Ctx, meetingId: number, c: CountsBody) {
  return inTransaction(ctx, async (tx) => {
    const m = await lockMeeting(tx, meetingId);
    if (m.vote_mode !== 'counts') throw new AppError('DELIBERATION_VOTE_MODE', { voteMode: m.vote_mode });
    if (c.present > m.expected || c.for + c.against + c.abstain > c.present) throw new AppError('DELIBERATION_COUNTS_INVALID', { expected: m.expected, ...c });
    return saveTally(tx, m, c, 'counts');
  });
}

/** Ends an open vote (at or before its closing time): the households' votes are counted. */
export async function closeVote(ctx: Ctx, meetingId: number) {
  return inTransaction(ctx, async (tx) => {
    const m = await lockMeeting(tx, meetingId);
    if (m.vote_mode !== 'open' || m.closed_at) throw new AppError('DELIBERATION_VOTE_MODE', { voteMode: m.vote_mode, closedAt: iso(m.closed_at) });
    const t = await q.tallyVotes(tx.db, m.id);
    return saveTally(tx, m, { present: t.for + t.against + t.abstain, ...t }, 'close_vote');
  });
}

/**
 * The closing time of an open vote has come (job queue): the households' votes are counted as if
 * the cadre had closed it, by 系统 in the history. Once: a vote already closed is left alone.
 */
async function closeVoteOnTime(db: Kdb, p: { id: number }) {
  const m = await db.selectFrom('deliberation_meetings').selectAll().where('id', '=', p.id).forUpdate().executeTakeFirst();
  if (!m || m.vote_mode !== 'open' || m.closed_at) return;
  const t = await q.tallyVotes(db, m.id);
  await saveTally({ db, actor: systemActor(m.county_id) }, m, { present: t.for + t.against + t.abstain, ...t }, 'close_vote');
}

export const deliberationJobs = {
  'deliberation.close_vote': async (db: Kdb, p: Record<string, unknown>) => closeVoteOnTime(db, p as unknown as { id: number }),
};

/** A villager votes for their household; a second vote of the household is refused (unique index). */
export async function castVote(ctx: Ctx, meetingId: number, choice: VoteChoice) {
  const { actor } = ctx;
  requirePermission(actor, VOTE);
  return inTransaction(ctx, async (tx) => {
    // FOR SHARE: a vote and the closing of the vote (FOR UPDATE) do not interleave.
    const m = await tx.db.selectFrom('deliberation_meetings').selectAll().where('county_id', '=', actor.countyId).where('id', '=', meetingId).forShare().executeTakeFirst();
    if (!m || m.vote_mode !== 'open' || !pathsWith(actor, VOTE).some((p) => m.region_path.startsWith(p))) throw new AppError('NOT_FOUND');
    if (!actor.householdId) throw new AppError('DELIBERATION_NO_HOUSEHOLD');
    const now = nowOf(tx);
    if (m.closed_at || (m.vote_closes_at && new Date(m.vote_closes_at) <= now)) throw new AppError('DELIBERATION_VOTE_CLOSED', { closesAt: iso(m.vote_closes_at) });
    if (new Date(m.held_at) > now) throw new AppError('DELIBERATION_VOTE_NOT_OPEN', { heldAt: iso(m.held_at) });
    const ins = await tx.db.insertInto('deliberation_votes').values({
      county_id: actor.countyId, meeting_id: m.id, voter_key: `h:${actor.householdId}`, user_id: actor.userId, household_id: actor.householdId, choice, cast_at: now,
    }).onConflict((oc) => oc.columns(['meeting_id', 'voter_key']).doNothing()).returning('id').executeTakeFirst();
    if (!ins) throw new AppError('DELIBERATION_ALREADY_VOTED', { meetingId: m.id });
    await audit(tx, { action: 'deliberation.vote', entity: 'deliberation_meeting', entityId: m.id, regionPath: m.region_path, after: { householdId: actor.householdId } });
    return { meetingId: m.id, choice, castAt: now.toISOString() };
  });
}

// ── villagers and party members ────────────────────────────────────────────────────────────

/** My village's published resolutions and results, the open votes there (with my household's vote), and — for a party member — the review items. */
export async function myDeliberation(ctx: Ctx) {
  const { actor } = ctx;
  const votePaths = pathsWith(actor, VOTE);
  const reviewPaths = pathsWith(actor, REVIEW);
  if (!votePaths.length && !reviewPaths.length) throw new AppError('FORBIDDEN', { permission: VOTE });
  const now = nowOf(ctx);
  const under = (paths: string[], col: string) => (paths.length ? sql<boolean>`(${sql.join(paths.map((p) => sql`${sql.ref(col)} LIKE ${p + '%'}`), sql` OR `)})` : sql<boolean>`false`);
  const visible = sql<boolean>`((${under(votePaths, 't.region_path')} AND t.state IN ('resolution_published','implementing','done'))
    OR (${under(reviewPaths, 't.region_path')} AND t.state IN (${sql.join(REVIEW_STATES)})))`;
  const rows = await q.listTopics(ctx.db, { countyId: actor.countyId, scope: visible, beforeId: null, limit: 100 });
  const names = await q.regionNames(ctx.db, rows.map((r) => r.region_id));
  const isPub = (s: TopicState) => PUBLISHED_STATES.includes(s);
  const openMeetings = votePaths.length
    ? await ctx.db.selectFrom('deliberation_meetings as m').innerJoin('deliberation_topics as t', 't.id', 'm.topic_id').selectAll('m').select(['t.title', 't.content'])
      .where('m.county_id', '=', actor.countyId).where('m.vote_mode', '=', 'open').where(under(votePaths, 'm.region_path')).where('m.held_at', '<=', now)
      .where('m.closed_at', 'is', null).where('m.vote_closes_at', '>', now).orderBy('m.id', 'desc').limit(20).execute()
    : [];
  const mine = actor.householdId && openMeetings.length
    ? await ctx.db.selectFrom('deliberation_votes').select(['meeting_id', 'choice']).where('meeting_id', 'in', openMeetings.map((m) => m.id)).where('voter_key', '=', `h:${actor.householdId}`).execute()
    : [];
  return {
    published: rows.slice(0, 100).filter((r) => isPub(r.state) && votePaths.some((p) => r.region_path.startsWith(p))).map((r) => ({ ...itemOf(r, names), noticeText: r.notice_text, implementationResult: r.implementation_result })),
    reviews: rows.slice(0, 100).filter((r) => reviewPaths.some((p) => r.region_path.startsWith(p))).map((r) => itemOf(r, names)),
    votes: openMeetings.map((m) => ({ ...meetingOf(m, now), title: m.title, content: m.content, myChoice: mine.find((v) => v.meeting_id === m.id)?.choice ?? null })),
  };
}

/** One published item (villager) or review item (party member); anything else is NOT_FOUND. */
export async function myTopic(ctx: Ctx, id: number) {
  const r = await q.findTopic(ctx.db, ctx.actor.countyId, id);
  const under = (perm: string) => !!r && pathsWith(ctx.actor, perm).some((p) => r.region_path.startsWith(p));
  if (!r || !((under(VOTE) && PUBLISHED_STATES.includes(r.state)) || (under(REVIEW) && REVIEW_STATES.includes(r.state)))) throw new AppError('NOT_FOUND');
  return present(ctx, r, { staff: false });
}

// ── overview ───────────────────────────────────────────────────────────────────────────────

/** Topics per village by state, under the caller's places (or one region). */
export async function overview(ctx: Ctx, f: { regionId?: number }) {
  const { actor } = ctx;
  if (actor.kind !== 'staff' || !(hasPermission(actor, READ) || hasPermission(actor, MANAGE))) throw new AppError('FORBIDDEN', { permission: READ });
  let scope = sql<boolean>`(${inScope(actor, READ, 't.region_path')} OR ${inScope(actor, MANAGE, 't.region_path')})`;
  if (f.regionId) {
    const reg = await requireRegion(ctx, f.regionId, READ);
    scope = sql<boolean>`(${scope} AND t.region_path LIKE ${reg.path + '%'})`;
  }
  const rows = await q.overviewRows(ctx.db, actor.countyId, scope);
  const byVillage = new Map<number, Record<string, number>>();
  const total: Record<string, number> = Object.fromEntries(Object.keys(TOPIC_STATES).map((s) => [s, 0]));
  for (const r of rows) {
    if (!byVillage.has(r.region_id)) byVillage.set(r.region_id, {});
    byVillage.get(r.region_id)![r.state] = Number(r.n);
    total[r.state] += Number(r.n);
  }
  const names = await q.regionNames(ctx.db, [...byVillage.keys()]);
  return {
    total, states: TOPIC_STATES,
    villages: [...byVillage.entries()].map(([id, s]) => ({ villageId: id, villageName: names.get(id) ?? '', total: Object.values(s).reduce((a, b) => a + b, 0), byState: s })).sort((a, b) => b.total - a.total),
  };
}
