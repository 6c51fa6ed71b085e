/**
 * Recording and review (一事一记, 群众申报, 评议). A grid worker records one event as one claim, a
 * villager may declare a good deed, cadres may record in bulk; the evaluation group approves or
 * rejects with a reason. Only an approved claim posts a ledger entry; the ledger itself is never
 * updated — a correction is a reversal entry naming the entry it reverses.
 */
import { sql } from 'kysely';
import { beijingDay } from '../../core/calendar/index.js';
import type { Kdb } from '../../db/database.js';
import { AppError } from '../../core/errors.js';
import { assertCovers, inScope } from '../../core/actor.js';
import { audit, auditValues } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { appendEntries, periodsOf, periodBounds, verifyChain } from './ledger.js';
import { currentBookId, toPoints, toTenths } from './rules.js';
import { householdSubjectInScope, ownSubject, subjectInScope, villageInScope, type Subject } from './subjects.js';
import './errors.js';

export interface ClaimInput {
  householdId?: number;
  subjectId?: number;
  itemId: number;
  score?: number; // points, e.g. 0.5; optional when the item has a fixed score
  occurredOn: string;
  note?: string;
  photoUrl?: string;
}

/** Today in China (UTC+8), 'YYYY-MM-DD'. */
export function chinaToday(now = Date.now()): string {
  return beijingDay(new Date(now));
}

function checkDate(d: string) {
  const today = chinaToday();
  const yearAgo = chinaToday(Date.now() - 366 * 86400_000);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d)) || d > today || d < yearAgo) {
    throw new AppError('POINTS_DATE_INVALID', { occurredOn: d });
  }
}

/** The item, checked to belong to the subject's village's adopted book, and the score in range. */
async function checkItemAndScore(db: Kdb, villageId: number, itemId: number, score: number | undefined, field = '') {
  const bookId = await currentBookId(db, villageId);
  if (!bookId) throw new AppError('POINTS_NO_ADOPTED_RULES', { villageId });
  const item = await db.selectFrom('points_rule_items').select(['id', 'book_id', 'name', 'min_score', 'max_score', 'kind']).where('id', '=', itemId).executeTakeFirst();
  if (!item) throw new AppError('POINTS_RULE_NOT_FOUND', { itemId, field });
  if (item.book_id !== bookId) throw new AppError('POINTS_RULE_NOT_CURRENT', { itemId, field });
  const tenths = score === undefined ? (item.min_score === item.max_score ? item.min_score : null) : toTenths(score, field || 'score');
  if (tenths === null || tenths < item.min_score || tenths > item.max_score) {
    throw new AppError('POINTS_SCORE_OUT_OF_RANGE', { itemId, field, min: toPoints(item.min_score), max: toPoints(item.max_score), given: score ?? null });
  }
  return { bookId, item, tenths };
}

async function resolveSubject(ctx: Ctx, input: { householdId?: number; subjectId?: number }): Promise<Subject> {
  if (input.subjectId) return subjectInScope(ctx, input.subjectId, 'points.record');
  if (input.householdId) return householdSubjectInScope(ctx, input.householdId, 'points.record');
  throw new AppError('VALIDATION_FAILED', { field: 'householdId' }, '请选择积分对象（户或单位）');
}

async function insertClaim(ctx: Ctx, subject: Subject, input: ClaimInput, source: 'record' | 'declare' | 'bulk', field = '') {
  checkDate(input.occurredOn);
  const { bookId, item, tenths } = await checkItemAndScore(ctx.db, subject.village_id, input.itemId, input.score, field);
  const claim = await ctx.db
    .insertInto('points_claims')
    .values({
      county_id: subject.county_id, village_id: subject.village_id, region_path: subject.region_path, subject_id: subject.id,
      book_id: bookId, item_id: item.id, score: tenths, occurred_on: input.occurredOn, note: input.note?.trim() || null,
      photo_url: input.photoUrl ?? null, source, recorded_by: ctx.actor.userId, recorded_by_name: ctx.actor.displayName,
      reviewed_by: null, reviewed_at: null, review_reason: null, entry_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, { action: `points.claim.${source}`, entity: 'points_claim', entityId: claim.id, regionPath: subject.region_path, after: { subjectId: subject.id, itemId: item.id, score: tenths, occurredOn: input.occurredOn } });
  return claim.id;
}

/** 一事一记: a grid worker (or cadre) records one event for a household or unit in scope. */
export async function recordClaim(ctx: Ctx, input: ClaimInput) {
  const subject = await resolveSubject(ctx, input);
  const id = await inTransaction(ctx, (tx) => insertClaim(tx, subject, input, 'record'));
  return getClaim(ctx, id);
}

/** 群众申报: a villager declares a good deed of their own household for review. */
export async function declareClaim(ctx: Ctx, input: Omit<ClaimInput, 'householdId' | 'subjectId'>) {
  const subject = await ownSubject(ctx);
  const id = await inTransaction(ctx, (tx) => insertClaim(tx, subject, input, 'declare'));
  return getOwnClaim(ctx, id);
}

/** Bulk recording by a cadre: all rows or none; problems name the row. */
export async function bulkRecord(ctx: Ctx, rows: ClaimInput[]) {
  if (rows.length > 500) throw new AppError('POINTS_BULK_TOO_MANY');
  return inTransaction(ctx, async (tx) => {
    const ids: number[] = [];
    for (const [i, row] of rows.entries()) {
      try {
        const subject = await resolveSubject(tx, row);
        ids.push(await insertClaim(tx, subject, row, 'bulk', `items.${i}`));
      } catch (e) {
        if (e instanceof AppError) throw new AppError(e.code, { ...e.details, row: i }, `第${i + 1}条：${e.message}`);
        throw e;
      }
    }
    return { created: ids.length, ids };
  });
}

const claimSelect = (db: Kdb) =>
  db
    .selectFrom('points_claims as c')
    .innerJoin('points_subjects as s', 's.id', 'c.subject_id')
    .innerJoin('points_rule_items as i', 'i.id', 'c.item_id')
    .select([
      'c.id', 'c.village_id', 'c.subject_id', 's.name as subject_name', 's.household_id', 'c.item_id', 'i.name as item_name', 'i.code as item_code',
      'c.score', 'c.occurred_on', 'c.note', 'c.photo_url', 'c.source', 'c.recorded_by_name', 'c.status', 'c.review_reason',
      'c.reviewed_at', 'c.entry_id', 'c.created_at', 'c.region_path',
    ]);

type ClaimRow = Awaited<ReturnType<ReturnType<typeof claimSelect>['executeTakeFirstOrThrow']>>;

export const claimOut = (c: ClaimRow) => ({
  id: c.id, villageId: c.village_id, subjectId: c.subject_id, subjectName: c.subject_name, householdId: c.household_id,
  itemId: c.item_id, itemCode: c.item_code, itemName: c.item_name, score: toPoints(c.score), occurredOn: c.occurred_on,
  note: c.note, photoUrl: c.photo_url, source: c.source, recordedBy: c.recorded_by_name, status: c.status,
  reviewReason: c.review_reason, reviewedAt: c.reviewed_at ? new Date(c.reviewed_at).toISOString() : null, entryId: c.entry_id,
  createdAt: new Date(c.created_at).toISOString(),
});

export async function getClaim(ctx: Ctx, id: number) {
  const c = await claimSelect(ctx.db).where('c.id', '=', id).executeTakeFirst();
  if (!c) throw new AppError('POINTS_CLAIM_NOT_FOUND');
  try {
    assertCovers(ctx.actor, 'points.read', c.region_path);
  } catch {
    try {
      assertCovers(ctx.actor, 'points.record', c.region_path);
    } catch {
      throw new AppError('POINTS_CLAIM_NOT_FOUND');
    }
  }
  return claimOut(c);
}

async function getOwnClaim(ctx: Ctx, id: number) {
  const subject = await ownSubject(ctx);
  const c = await claimSelect(ctx.db).where('c.id', '=', id).where('c.subject_id', '=', subject.id).executeTakeFirst();
  if (!c) throw new AppError('POINTS_CLAIM_NOT_FOUND');
  return claimOut(c);
}

export async function listClaims(ctx: Ctx, q: { villageId?: number; status?: 'pending' | 'approved' | 'rejected'; month?: string; subjectId?: number; limit: number; cursor: number | null; own?: boolean }) {
  let query = claimSelect(ctx.db).orderBy('c.id', 'desc').limit(q.limit + 1);
  if (q.own) query = query.where('c.subject_id', '=', (await ownSubject(ctx)).id);
  else query = query.where(inScope(ctx.actor, 'points.read', 'c.region_path'));
  if (q.villageId) query = query.where('c.village_id', '=', q.villageId);
  if (q.status) query = query.where('c.status', '=', q.status);
  if (q.subjectId) query = query.where('c.subject_id', '=', q.subjectId);
  if (q.month) {
    const b = periodBounds(q.month);
    query = query.where('c.occurred_on', '>=', b.from).where('c.occurred_on', '<=', b.to);
  }
  if (q.cursor) query = query.where('c.id', '<', q.cursor);
  const rows = await query.execute();
  return rows.map(claimOut);
}

/**
 * Approve or reject claims (评议). Approval posts the entries in the same transaction. A month's
 * review of many claims costs a fixed number of statements (lock and read the claims, post the
 * entries, mark the claims, write the audit rows), not a few round trips per claim.
 */
export async function reviewClaims(ctx: Ctx, ids: number[], decision: 'approve' | 'reject', reason?: string) {
  if (decision === 'reject' && !reason?.trim()) throw new AppError('POINTS_REVIEW_REASON_REQUIRED');
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const why = reason?.trim() || null;
  const status = decision === 'approve' ? 'approved' : 'rejected';
  return inTransaction(ctx, async (tx) => {
    // Checked many at once: every id must exist and be in scope, else nothing happens. Only the
    // claims are locked (FOR UPDATE OF c): locking their subjects too would block other writers.
    const claims = await tx.db
      .selectFrom('points_claims as c')
      .innerJoin('points_subjects as s', 's.id', 'c.subject_id')
      .innerJoin('points_rule_items as i', 'i.id', 'c.item_id')
      .select(['c.id', 'c.county_id', 'c.village_id', 'c.region_path', 'c.subject_id', 'c.item_id', 'c.score', 'c.occurred_on', 'c.note', 'c.recorded_by', 'c.status', 's.kind as subject_kind', 's.region_path as subject_path', 'i.name as item_name'])
      .where('c.id', 'in', unique)
      .where(inScope(ctx.actor, 'points.review', 'c.region_path'))
      .orderBy('c.id')
      .forUpdate('c')
      .execute();
    if (claims.length !== unique.length) {
      const found = new Set(claims.map((c) => c.id));
      throw new AppError('POINTS_CLAIM_NOT_FOUND', { ids: unique.filter((i) => !found.has(i)) });
    }
    const done = claims.find((c) => c.status !== 'pending');
    if (done) throw new AppError('POINTS_CLAIM_ALREADY_REVIEWED', { id: done.id, status: done.status });
    // Village by village, claims in id order: the seq order of the new entries.
    claims.sort((a, b) => a.village_id - b.village_id || a.id - b.id);
    const entryOf = new Map<number, number>();
    if (decision === 'approve') {
      const entries = await appendEntries(tx.db, claims.map((c) => ({
        countyId: c.county_id, villageId: c.village_id, subject: { id: c.subject_id, kind: c.subject_kind, region_path: c.subject_path },
        kind: c.score >= 0 ? 'award' : 'deduction', score: c.score, itemId: c.item_id, claimId: c.id, occurredOn: c.occurred_on,
        reason: c.note ? `${c.item_name}：${c.note}` : c.item_name, recordedBy: c.recorded_by, approvedBy: ctx.actor.userId,
      })));
      for (const e of entries) entryOf.set(e.claim_id!, e.id);
    }
    await tx.db
      .updateTable('points_claims')
      .set({
        status, reviewed_by: ctx.actor.userId, reviewed_at: new Date(), review_reason: why,
        // The entry just posted for this claim (unique per claim), found by its index.
        entry_id: decision === 'approve' ? sql<number>`(SELECT e.id FROM points_entries e WHERE e.claim_id = points_claims.id)` : null,
      })
      .where('id', 'in', unique)
      .execute();
    await tx.db
      .insertInto('audit_log')
      .values(claims.map((c) => auditValues(tx, {
        action: `points.claim.${decision}`, entity: 'points_claim', entityId: c.id, regionPath: c.region_path,
        before: { status: 'pending' }, after: { status, entryId: entryOf.get(c.id) ?? null, reason: reason ?? null },
      })))
      .execute();
    return { reviewed: claims.length };
  });
}

// ── Ledger reads and corrections ───────────────────────────────────────────────────────────

const entrySelect = (db: Kdb) =>
  db
    .selectFrom('points_entries as e')
    .innerJoin('points_subjects as s', 's.id', 'e.subject_id')
    .leftJoin('points_rule_items as i', 'i.id', 'e.item_id')
    .leftJoin('points_entries as r', 'r.reverses_entry_id', 'e.id')
    .select([
      'e.id', 'e.seq', 'e.village_id', 'e.subject_id', 's.name as subject_name', 'e.kind', 'e.score', 'e.item_id', 'i.name as item_name',
      'e.reverses_entry_id', 'r.id as reversed_by', 'e.appeal_id', 'e.occurred_on', 'e.reason', 'e.created_at', 'e.hash', 'e.region_path',
    ]);

type EntryRowOut = Awaited<ReturnType<ReturnType<typeof entrySelect>['executeTakeFirstOrThrow']>>;

export const entryOut = (e: EntryRowOut) => ({
  id: e.id, seq: Number(e.seq), villageId: e.village_id, subjectId: e.subject_id, subjectName: e.subject_name, kind: e.kind,
  score: toPoints(e.score), itemId: e.item_id, itemName: e.item_name, reversesEntryId: e.reverses_entry_id,
  reversedByEntryId: e.reversed_by ?? null, appealId: e.appeal_id, occurredOn: e.occurred_on, reason: e.reason,
  createdAt: new Date(e.created_at).toISOString(), hash: e.hash,
});

export async function listEntries(ctx: Ctx, q: { villageId?: number; subjectId?: number; period?: string; kind?: 'award' | 'deduction' | 'reversal' | 'correction'; limit: number; cursor: number | null; own?: boolean }) {
  let query = entrySelect(ctx.db).orderBy('e.id', 'desc').limit(q.limit + 1);
  if (q.own) query = query.where('e.subject_id', '=', (await ownSubject(ctx)).id);
  else query = query.where(inScope(ctx.actor, 'points.read', 'e.region_path'));
  if (q.villageId) query = query.where('e.village_id', '=', q.villageId);
  if (q.subjectId) query = query.where('e.subject_id', '=', q.subjectId);
  if (q.kind) query = query.where('e.kind', '=', q.kind);
  if (q.period) {
    const b = periodBounds(q.period);
    query = query.where('e.occurred_on', '>=', b.from).where('e.occurred_on', '<=', b.to);
  }
  if (q.cursor) query = query.where('e.id', '<', q.cursor);
  return (await query.execute()).map(entryOut);
}

export async function getEntry(ctx: Ctx, id: number, permission = 'points.read') {
  const e = await entrySelect(ctx.db).where('e.id', '=', id).executeTakeFirst();
  if (!e) throw new AppError('POINTS_ENTRY_NOT_FOUND');
  try {
    assertCovers(ctx.actor, permission, e.region_path);
  } catch {
    throw new AppError('POINTS_ENTRY_NOT_FOUND');
  }
  return entryOut(e);
}

/**
 * Posts the reversal of an entry (and, for an upheld appeal, the corrected score as a new entry).
 * Runs in the caller's transaction. The reversal counts in the original entry's period, so the
 * period scores end up as if the wrong entry had never counted.
 */
export async function postReversal(ctx: Ctx, entryId: number, reason: string, opts: { appealId?: number; correctedScore?: number } = {}) {
  const e = await ctx.db.selectFrom('points_entries').selectAll().where('id', '=', entryId).executeTakeFirst();
  if (!e) throw new AppError('POINTS_ENTRY_NOT_FOUND');
  if (e.kind === 'reversal') throw new AppError('POINTS_ENTRY_NOT_REVERSIBLE');
  const already = await ctx.db.selectFrom('points_entries').select('id').where('reverses_entry_id', '=', entryId).executeTakeFirst();
  if (already) throw new AppError('POINTS_ENTRY_ALREADY_REVERSED', { reversalEntryId: already.id });
  const subject = await ctx.db.selectFrom('points_subjects').select(['id', 'kind', 'region_path']).where('id', '=', e.subject_id).executeTakeFirstOrThrow();
  const base = { countyId: e.county_id, villageId: e.village_id, subject, itemId: e.item_id, appealId: opts.appealId ?? null, occurredOn: e.occurred_on, recordedBy: ctx.actor.userId, approvedBy: ctx.actor.userId };
  const withCorrection = opts.correctedScore !== undefined && opts.correctedScore !== 0;
  // Reversal first, then the corrected score: consecutive links of the village's chain.
  const [reversal, corrected] = await appendEntries(ctx.db, [
    { ...base, kind: 'reversal', score: -e.score, reversesEntryId: e.id, reason: `冲正第${e.seq}号：${reason}` },
    ...(withCorrection ? [{ ...base, kind: 'correction' as const, score: opts.correctedScore!, reason: `更正第${e.seq}号：${reason}` }] : []),
  ]);
  const correction = corrected ?? null;
  await audit(ctx, { action: 'points.entry.reverse', entity: 'points_entry', entityId: e.id, regionPath: e.region_path, after: { reversalEntryId: reversal!.id, correctionEntryId: correction?.id ?? null, reason } });
  return { reversal: reversal!, correction };
}

/** A reviewer corrects a wrongly approved entry outside an appeal. */
export async function reverseEntry(ctx: Ctx, entryId: number, reason: string) {
  await getEntry(ctx, entryId, 'points.review');
  const r = await inTransaction(ctx, (tx) => postReversal(tx, entryId, reason.trim()));
  return getEntry(ctx, r.reversal.id);
}

export async function verifyVillageChain(ctx: Ctx, villageId: number) {
  await villageInScope(ctx, villageId, 'points.read');
  return verifyChain(ctx.db, villageId);
}

export { periodsOf };
