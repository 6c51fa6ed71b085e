/**
 * Appeals (复议): anyone may contest an entry at any time — a villager their own household's, staff
 * any in their scope. The evaluation group investigates and decides; an upheld appeal reverses the
 * entry and, when the right score is not zero, posts the corrected score as a new entry.
 */
import type { Kdb } from '../../db/database.js';
import { AppError } from '../../core/errors.js';
import { assertCovers, covers, inScope } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { periodsOf } from './ledger.js';
import { postReversal } from './claims.js';
import { toPoints, toTenths } from './rules.js';
import { ownSubject } from './subjects.js';
import './errors.js';

export async function fileAppeal(ctx: Ctx, input: { entryId: number; reason: string }) {
  const e = await ctx.db.selectFrom('points_entries').select(['id', 'county_id', 'village_id', 'region_path', 'subject_id', 'kind', 'occurred_on']).where('id', '=', input.entryId).executeTakeFirst();
  if (!e || e.county_id !== ctx.actor.countyId) throw new AppError('POINTS_ENTRY_NOT_FOUND');
  if (ctx.actor.kind === 'villager') {
    const own = await ownSubject(ctx);
    if (own.id !== e.subject_id) throw new AppError('POINTS_ENTRY_NOT_FOUND');
  } else if (!covers(ctx.actor, 'points.read', e.region_path)) throw new AppError('POINTS_ENTRY_NOT_FOUND');
  if (e.kind === 'reversal') throw new AppError('POINTS_ENTRY_NOT_REVERSIBLE');
  const id = await inTransaction(ctx, async (tx) => {
    const open = await tx.db.selectFrom('points_appeals').select('id').where('entry_id', '=', e.id).where('status', 'in', ['open', 'investigating']).forUpdate().executeTakeFirst();
    if (open) throw new AppError('POINTS_APPEAL_PENDING', { appealId: open.id });
    // Filed during the quarter's objection window → linked to that publication.
    const pub = await tx.db
      .selectFrom('points_publications')
      .select('id')
      .where('village_id', '=', e.village_id)
      .where('period', '=', periodsOf(e.occurred_on).quarter)
      .where('status', '=', 'published')
      .where('objection_until', '>', new Date())
      .executeTakeFirst();
    const a = await tx.db
      .insertInto('points_appeals')
      .values({
        county_id: e.county_id, village_id: e.village_id, region_path: e.region_path, entry_id: e.id, subject_id: e.subject_id, publication_id: pub?.id ?? null,
        filed_by: ctx.actor.userId, filed_by_name: ctx.actor.displayName, reason: input.reason.trim(), investigation: null, decision_reason: null,
        corrected_score: null, decided_by: null, decided_at: null, reversal_entry_id: null, correction_entry_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'points.appeal.file', entity: 'points_appeal', entityId: a.id, regionPath: e.region_path, after: input });
    return a.id;
  });
  return appealById(ctx.db, id);
}

async function appealInScope(ctx: Ctx, id: number, permission: string) {
  const a = await ctx.db.selectFrom('points_appeals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a || a.county_id !== ctx.actor.countyId) throw new AppError('POINTS_APPEAL_NOT_FOUND');
  try {
    assertCovers(ctx.actor, permission, a.region_path);
  } catch {
    throw new AppError('POINTS_APPEAL_NOT_FOUND');
  }
  return a;
}

/** The evaluation group opens its investigation (may be called again to add findings). */
export async function investigateAppeal(ctx: Ctx, id: number, note: string) {
  const a = await appealInScope(ctx, id, 'points.review');
  if (a.status === 'upheld' || a.status === 'rejected') throw new AppError('POINTS_APPEAL_CLOSED');
  await inTransaction(ctx, async (tx) => {
    const investigation = [a.investigation, note.trim()].filter(Boolean).join('\n');
    await tx.db.updateTable('points_appeals').set({ status: 'investigating', investigation }).where('id', '=', id).execute();
    await audit(tx, { action: 'points.appeal.investigate', entity: 'points_appeal', entityId: id, regionPath: a.region_path, before: { status: a.status }, after: { status: 'investigating', note } });
  });
  return appealById(ctx.db, id);
}

/** Decides an appeal. Upheld: the entry is reversed and the corrected score posted, in one transaction. */
export async function decideAppeal(ctx: Ctx, id: number, input: { decision: 'uphold' | 'reject'; reason: string; correctedScore?: number }) {
  const a = await appealInScope(ctx, id, 'points.review');
  if (input.decision === 'uphold' && input.correctedScore === undefined) throw new AppError('POINTS_APPEAL_SCORE_REQUIRED');
  const corrected = input.correctedScore === undefined ? undefined : toTenths(input.correctedScore, 'correctedScore');
  await inTransaction(ctx, async (tx) => {
    const locked = await tx.db.selectFrom('points_appeals').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status === 'upheld' || locked.status === 'rejected') throw new AppError('POINTS_APPEAL_CLOSED');
    let reversalId: number | null = null;
    let correctionId: number | null = null;
    if (input.decision === 'uphold') {
      const r = await postReversal(tx, a.entry_id, `复议成立：${input.reason.trim()}`, { appealId: id, correctedScore: corrected });
      reversalId = r.reversal.id;
      correctionId = r.correction?.id ?? null;
    }
    await tx.db
      .updateTable('points_appeals')
      .set({
        status: input.decision === 'uphold' ? 'upheld' : 'rejected', decision_reason: input.reason.trim(), corrected_score: corrected ?? null,
        decided_by: ctx.actor.userId, decided_at: new Date(), reversal_entry_id: reversalId, correction_entry_id: correctionId,
      })
      .where('id', '=', id)
      .execute();
    await audit(tx, { action: `points.appeal.${input.decision}`, entity: 'points_appeal', entityId: id, regionPath: a.region_path, before: { status: locked.status }, after: { ...input, reversalId, correctionId } });
  });
  return appealById(ctx.db, id);
}

async function appealById(db: Kdb, id: number) {
  const a = await db
    .selectFrom('points_appeals as a')
    .innerJoin('points_subjects as s', 's.id', 'a.subject_id')
    .innerJoin('points_entries as e', 'e.id', 'a.entry_id')
    .select(['a.id', 'a.village_id', 'a.entry_id', 'a.subject_id', 's.name as subject_name', 'e.score as entry_score', 'e.reason as entry_reason', 'a.publication_id', 'a.filed_by_name', 'a.reason', 'a.status', 'a.investigation', 'a.decision_reason', 'a.corrected_score', 'a.decided_at', 'a.reversal_entry_id', 'a.correction_entry_id', 'a.created_at'])
    .where('a.id', '=', id)
    .executeTakeFirstOrThrow();
  return appealOut(a);
}

type AppealRow = {
  id: number; village_id: number; entry_id: number; subject_id: number; subject_name: string; entry_score: number; entry_reason: string; publication_id: number | null;
  filed_by_name: string; reason: string; status: string; investigation: string | null; decision_reason: string | null; corrected_score: number | null;
  decided_at: Date | null; reversal_entry_id: number | null; correction_entry_id: number | null; created_at: Date;
};
const appealOut = (a: AppealRow) => ({
  id: a.id, villageId: a.village_id, entryId: a.entry_id, subjectId: a.subject_id, subjectName: a.subject_name, entryScore: toPoints(a.entry_score),
  entryReason: a.entry_reason, publicationId: a.publication_id, filedBy: a.filed_by_name, reason: a.reason, status: a.status, investigation: a.investigation,
  decisionReason: a.decision_reason, correctedScore: a.corrected_score === null ? null : toPoints(a.corrected_score),
  decidedAt: a.decided_at ? new Date(a.decided_at).toISOString() : null, reversalEntryId: a.reversal_entry_id, correctionEntryId: a.correction_entry_id,
  createdAt: new Date(a.created_at).toISOString(),
});

export async function getAppeal(ctx: Ctx, id: number) {
  if (ctx.actor.kind === 'villager') {
    const own = await ownSubject(ctx);
    const a = await ctx.db.selectFrom('points_appeals').select('subject_id').where('id', '=', id).executeTakeFirst();
    if (!a || a.subject_id !== own.id) throw new AppError('POINTS_APPEAL_NOT_FOUND');
  } else await appealInScope(ctx, id, 'points.read');
  return appealById(ctx.db, id);
}

export async function listAppeals(ctx: Ctx, q: { villageId?: number; status?: 'open' | 'investigating' | 'upheld' | 'rejected'; own?: boolean; limit: number; cursor: number | null }) {
  let query = ctx.db
    .selectFrom('points_appeals as a')
    .innerJoin('points_subjects as s', 's.id', 'a.subject_id')
    .innerJoin('points_entries as e', 'e.id', 'a.entry_id')
    .select(['a.id', 'a.village_id', 'a.entry_id', 'a.subject_id', 's.name as subject_name', 'e.score as entry_score', 'e.reason as entry_reason', 'a.publication_id', 'a.filed_by_name', 'a.reason', 'a.status', 'a.investigation', 'a.decision_reason', 'a.corrected_score', 'a.decided_at', 'a.reversal_entry_id', 'a.correction_entry_id', 'a.created_at'])
    .orderBy('a.id', 'desc')
    .limit(q.limit + 1);
  if (q.own) query = query.where('a.subject_id', '=', (await ownSubject(ctx)).id);
  else query = query.where(inScope(ctx.actor, 'points.read', 'a.region_path'));
  if (q.villageId) query = query.where('a.village_id', '=', q.villageId);
  if (q.status) query = query.where('a.status', '=', q.status);
  if (q.cursor) query = query.where('a.id', '<', q.cursor);
  return (await query.execute()).map(appealOut);
}
