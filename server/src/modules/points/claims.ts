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
import { assertCovers, covers, inScope } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { appendEntries, periodsOf, periodBounds, verifyChain } from './ledger.js';
import { currentBookId, toPoints, toTenths } from './rules.js';
import { householdSubjectInScope, ownSubject, subjectInScope, villageInScope, type Subject } from './subjects.js';
import { insertClaimRows, recordRow, recorderFields, refusedByServer, type ClaimRowIn } from './recorder.js';
import { assertPhotoUsable, photoUrlOf } from './photos.js';
import { Gate } from './gate.js';
import './errors.js';

export interface ClaimInput {
  householdId?: number;
  subjectId?: number;
  itemId: number;
  score?: number; // points, e.g. 0.5; optional when the item has a fixed score
  occurredOn: string;
  note?: string;
  photoUrl?: string;
  photoId?: number; // uploaded first (POST /points/photos), used once
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
  if (input.photoId) await assertPhotoUsable(ctx.db, ctx.actor, input.photoId, field);
  const claim = await ctx.db
    .insertInto('points_claims')
    .values({
      county_id: subject.county_id, village_id: subject.village_id, region_path: subject.region_path, subject_id: subject.id,
      book_id: bookId, item_id: item.id, score: tenths, occurred_on: input.occurredOn, note: input.note?.trim() || null,
      photo_url: input.photoUrl ?? null, photo_id: input.photoId ?? null, source, recorded_by: ctx.actor.userId, recorded_by_name: ctx.actor.displayName,
      reviewed_by: null, reviewed_at: null, review_reason: null, entry_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, { action: `points.claim.${source}`, entity: 'points_claim', entityId: claim.id, regionPath: subject.region_path, after: { subjectId: subject.id, itemId: item.id, score: tenths, occurredOn: input.occurredOn } });
  return claim.id;
}

/**
 * The row for the one-statement path, or null when a check that needs no database already fails
 * (no subject named, date, score precision): the slow path then raises that error in its usual
 * order, after the scope check.
 */
function claimRow(ctx: Ctx, input: ClaimInput, source: 'record' | 'bulk', idx = 0): ClaimRowIn | null {
  if (!input.householdId && !input.subjectId) return null;
  try {
    checkDate(input.occurredOn);
    return {
      idx, household_id: input.subjectId ? null : input.householdId ?? null, subject_id: input.subjectId ?? null, item_id: input.itemId,
      score: input.score === undefined ? null : toTenths(input.score), occurred_on: input.occurredOn, note: input.note?.trim() || null,
      photo_url: input.photoUrl ?? null, photo_id: input.photoId ?? null, source, ...recorderFields(ctx),
    };
  } catch (e) {
    if (e instanceof AppError) return null;
    throw e;
  }
}

/**
 * 一事一记: a grid worker (or cadre) records one event for a household or unit in scope. One
 * statement, shared with other workers' claims arriving at the same moment (recorder.ts). When it
 * writes nothing, the precise checks below say why — or, for a household recorded for the first
 * time, create its subject and record the claim.
 */
export async function recordClaim(ctx: Ctx, input: ClaimInput) {
  const row = claimRow(ctx, input, 'record');
  const claim = row && (await recordRow(ctx.db, row));
  if (claim) return claimOut(claim);
  return recordClaimStepByStep(ctx, input);
}

/**
 * The precise path, check by check in its own transaction (~8 round trips): what recordClaim
 * falls back to, and what the bench measures the one-statement path against.
 */
export async function recordClaimStepByStep(ctx: Ctx, input: ClaimInput) {
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

/**
 * Bulk recording by a cadre (or a phone syncing several entries in one request): all rows or none,
 * in one statement. If any row fails a check nothing is written and the rows are gone through one
 * by one in a transaction, so the error names the first bad row (第N条) — that pass also creates
 * the subjects of households recorded for the first time, and then records the rows itself.
 */
export async function bulkRecord(ctx: Ctx, rows: ClaimInput[]) {
  if (rows.length > 500) throw new AppError('POINTS_BULK_TOO_MANY');
  const prepared = rows.map((r, i) => claimRow(ctx, r, 'bulk', i));
  if (prepared.every((r): r is ClaimRowIn => r !== null)) {
    try {
      const done = await insertClaimRows(ctx.db, prepared, true);
      if (done.length === rows.length) return { created: done.length, ids: done.map((c) => c.id) };
    } catch (e) {
      // Refused by the server, nothing was written: the pass below finds the row. (Not inside a
      // caller's transaction, which the refusal has aborted.)
      if (!refusedByServer(e) || ctx.db.isTransaction) throw e;
    }
  }
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
      'c.score', 'c.occurred_on', 'c.note', 'c.photo_url', 'c.photo_id', 'c.source', 'c.recorded_by_name', 'c.status', 'c.review_reason',
      'c.reviewed_at', 'c.entry_id', 'c.created_at', 'c.region_path',
    ]);

type ClaimRow = Awaited<ReturnType<ReturnType<typeof claimSelect>['executeTakeFirstOrThrow']>>;
type ClaimFields = Omit<ClaimRow, 'reviewed_at' | 'created_at'> & { reviewed_at: Date | string | null; created_at: Date | string };

export const claimOut = (c: ClaimFields) => ({
  id: c.id, villageId: c.village_id, subjectId: c.subject_id, subjectName: c.subject_name, householdId: c.household_id,
  itemId: c.item_id, itemCode: c.item_code, itemName: c.item_name, score: toPoints(c.score), occurredOn: c.occurred_on,
  note: c.note, photoId: c.photo_id, photoUrl: photoUrlOf(c.photo_id, c.photo_url), thumbUrl: c.photo_id ? `${photoUrlOf(c.photo_id, null)}/thumb` : null, source: c.source, recordedBy: c.recorded_by_name, status: c.status,
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
 * review of many claims costs a fixed number of statements, not a few round trips per claim: read
 * the claims; lock the chain heads of their villages; one statement posting the entries with their
 * aggregates and marking the claims with their audit rows.
 *
 * The claims are read without a lock: the statement that marks them changes only those still
 * pending, so a claim another reviewer decided meanwhile fails the whole review with
 * POINTS_CLAIM_ALREADY_REVIEWED — as does a second approval of it, which its entry's unique
 * claim_id refuses. Two reviewers in one village at once queue on the village's chain head
 * (lockHeads, held until commit): the second reads the head only after the first has committed, so
 * its entries continue the chain (see the concurrency test).
 */
export async function reviewClaims(ctx: Ctx, ids: number[], decision: 'approve' | 'reject', reason?: string) {
  if (decision === 'reject' && !reason?.trim()) throw new AppError('POINTS_REVIEW_REASON_REQUIRED');
  // Inside a caller's transaction it runs there and then; otherwise it waits for one of a few slots.
  if (ctx.db.isTransaction) return reviewIn(ctx, ids, decision, reason);
  let gate = reviewGates.get(ctx.db);
  if (!gate) reviewGates.set(ctx.db, (gate = new Gate(REVIEWS_AT_ONCE)));
  return gate.run(() => reviewIn(ctx, ids, decision, reason));
}

/** Reviews posting to the ledger at once, per database handle; more callers wait (see Gate). */
export const REVIEWS_AT_ONCE = 4;
const reviewGates = new WeakMap<Kdb, Gate>();

async function reviewIn(ctx: Ctx, ids: number[], decision: 'approve' | 'reject', reason?: string) {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const why = reason?.trim() || null;
  return inTransaction(ctx, async (tx) => {
    // Every id must exist and be in scope, else nothing happens. Scope is checked here rather than
    // in SQL: the ids are explicit, and a path predicate tempts the planner into scanning the path
    // index of every claim in the county.
    const found = await tx.db
      .selectFrom('points_claims as c')
      .innerJoin('points_subjects as s', 's.id', 'c.subject_id')
      .innerJoin('points_rule_items as i', 'i.id', 'c.item_id')
      .select(['c.id', 'c.county_id', 'c.village_id', 'c.region_path', 'c.subject_id', 'c.item_id', 'c.score', 'c.occurred_on', 'c.note', 'c.recorded_by', 'c.status', 's.kind as subject_kind', 's.region_path as subject_path', 'i.name as item_name'])
      .where('c.id', 'in', unique)
      .execute();
    const claims = found.filter((c) => covers(ctx.actor, 'points.review', c.region_path));
    if (claims.length !== unique.length) {
      const seen = new Set(claims.map((c) => c.id));
      throw new AppError('POINTS_CLAIM_NOT_FOUND', { ids: unique.filter((i) => !seen.has(i)) });
    }
    const done = claims.find((c) => c.status !== 'pending');
    if (done) throw new AppError('POINTS_CLAIM_ALREADY_REVIEWED', { id: done.id, status: done.status });
    const a = ctx.actor;
    if (decision === 'reject') {
      const marked = await sql<{ id: number }>`
        WITH marked AS (
          UPDATE points_claims c SET status = 'rejected', reviewed_by = ${a.userId}, reviewed_at = now(), review_reason = ${why}
          WHERE c.id IN (${sql.join(unique)}) AND c.status = 'pending'
          RETURNING c.id, c.region_path
        ),
        audit AS (
          INSERT INTO audit_log (county_id, actor_id, actor_name, ip, action, entity, entity_id, region_path, before, after)
          SELECT ${a.countyId}::bigint, ${a.userId || null}::bigint, ${a.displayName}::text, ${a.ip}::text, 'points.claim.reject',
                 'points_claim', m.id::text, m.region_path, '{"status":"pending"}'::jsonb,
                 jsonb_build_object('status', 'rejected', 'entryId', NULL, 'reason', ${reason ?? null}::text)
          FROM marked m ORDER BY m.id
        )
        SELECT id FROM marked`.execute(tx.db);
      if (marked.rows.length !== unique.length) throw new AppError('POINTS_CLAIM_ALREADY_REVIEWED');
      return { reviewed: claims.length };
    }
    // Village by village, claims in id order: the seq order of the new entries.
    claims.sort((x, y) => x.village_id - y.village_id || x.id - y.id);
    try {
      await appendEntries(tx.db, claims.map((c) => ({
        countyId: c.county_id, villageId: c.village_id, subject: { id: c.subject_id, kind: c.subject_kind, region_path: c.subject_path },
        kind: c.score >= 0 ? 'award' : 'deduction', score: c.score, itemId: c.item_id, claimId: c.id, occurredOn: c.occurred_on,
        reason: c.note ? `${c.item_name}：${c.note}` : c.item_name, recordedBy: c.recorded_by, approvedBy: a.userId,
      })), { reviewerId: a.userId, reviewerName: a.displayName, countyId: a.countyId, ip: a.ip, reason: reason ?? null, reviewReason: why });
    } catch (e) {
      if (isUniqueViolation(e, 'points_entries_claim_uq')) throw new AppError('POINTS_CLAIM_ALREADY_REVIEWED');
      throw e;
    }
    return { reviewed: claims.length };
  });
}

const isUniqueViolation = (e: unknown, constraint: string) => {
  const err = e as { code?: string; constraint?: string; message?: string };
  return err?.code === '23505' && (err.constraint === constraint || String(err.message).includes(constraint));
};

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
