/**
 * The black list (黑名单): a subject whose period score falls below the village's threshold
 * (default 7 分) is listed for the next period — public-benefit post and preferential policies
 * suspended, shown on the black board, and a cadre paired 1-on-1 with a tracked improvement plan.
 * Other modules and exports read the flags through isBlacklisted() / blacklistFlags().
 */
import type { Kdb } from '../../db/database.js';
import { AppError } from '../../core/errors.js';
import { assertCovers, inScope } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { nextPeriod, periodBounds, periodKind } from './ledger.js';
import { settingsOf, toPoints } from './rules.js';
import { ownSubject, villageInScope } from './subjects.js';
import './errors.js';

/** Is the household on an active black list on `date` ('YYYY-MM-DD')? For other modules. */
export async function isBlacklisted(db: Kdb, householdId: number, date: string): Promise<boolean> {
  const r = await db
    .selectFrom('points_blacklist')
    .select('id')
    .where('household_id', '=', householdId)
    .where('status', '=', 'active')
    .where('starts_on', '<=', date)
    .where('ends_on', '>=', date)
    .limit(1)
    .executeTakeFirst();
  return !!r;
}

export interface BlacklistFlags {
  blacklisted: boolean;
  publicBenefitPostSuspended: boolean; // 暂停公益岗位资格
  preferentialPolicySuspended: boolean; // 暂停优惠补助政策
  until: string | null;
}

/** The flags exports and other modules show for a household on a date. */
export async function blacklistFlags(db: Kdb, householdId: number, date: string): Promise<BlacklistFlags> {
  const r = await db
    .selectFrom('points_blacklist')
    .select(['ends_on'])
    .where('household_id', '=', householdId)
    .where('status', '=', 'active')
    .where('starts_on', '<=', date)
    .where('ends_on', '>=', date)
    .orderBy('ends_on', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { blacklisted: !!r, publicBenefitPostSuspended: !!r, preferentialPolicySuspended: !!r, until: r?.ends_on ?? null };
}

/**
 * Closes a period for the black list: every subject assessed in the period (it has a score row)
 * with a score below the threshold is listed for the next period. Subjects with no entries at all
 * are not assessed and not listed. Idempotent per subject and period.
 */
export async function closeBlacklistPeriod(ctx: Ctx, input: { villageId: number; period: string; resolution: string }) {
  const kind = periodKind(input.period);
  if (kind === 'month') throw new AppError('POINTS_PUBLICATION_PERIOD');
  const village = await villageInScope(ctx, input.villageId, 'points.publish');
  const settings = await settingsOf(ctx.db, village.id);
  const next = periodBounds(nextPeriod(input.period));
  return inTransaction(ctx, async (tx) => {
    const below = await tx.db
      .selectFrom('points_period_scores as p')
      .innerJoin('points_subjects as s', 's.id', 'p.subject_id')
      .select(['p.subject_id', 'p.score', 's.household_id', 's.region_path', 's.name'])
      .where('p.village_id', '=', village.id)
      .where('p.period', '=', input.period)
      .where('p.score', '<', settings.blacklistThreshold)
      .execute();
    let listed = 0;
    for (const b of below) {
      const row = await tx.db
        .insertInto('points_blacklist')
        .values({
          county_id: village.county_id, village_id: village.id, region_path: b.region_path, subject_id: b.subject_id, household_id: b.household_id,
          source_period: input.period, score: b.score, starts_on: next.from, ends_on: next.to, resolution: input.resolution.trim(),
          helper_user_id: null, helper_name: null, plan: null, lifted_reason: null, created_by: ctx.actor.userId,
        })
        .onConflict((oc) => oc.columns(['subject_id', 'source_period']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) {
        listed++;
        await audit(tx, { action: 'points.blacklist.add', entity: 'points_blacklist', entityId: row.id, regionPath: b.region_path, after: { subjectId: b.subject_id, score: b.score, period: input.period, startsOn: next.from, endsOn: next.to } });
      }
    }
    return { listed, threshold: toPoints(settings.blacklistThreshold), startsOn: next.from, endsOn: next.to };
  });
}

const listSelect = (db: Kdb) =>
  db
    .selectFrom('points_blacklist as b')
    .innerJoin('points_subjects as s', 's.id', 'b.subject_id')
    .select(['b.id', 'b.village_id', 'b.subject_id', 's.name', 'b.household_id', 'b.source_period', 'b.score', 'b.starts_on', 'b.ends_on', 'b.status', 'b.helper_name', 'b.helper_user_id', 'b.plan', 'b.lifted_reason', 'b.region_path']);

type Row = Awaited<ReturnType<ReturnType<typeof listSelect>['executeTakeFirstOrThrow']>>;
const out = (b: Row) => ({
  id: b.id, villageId: b.village_id, subjectId: b.subject_id, name: b.name, householdId: b.household_id, sourcePeriod: b.source_period,
  score: toPoints(b.score), startsOn: b.starts_on, endsOn: b.ends_on, status: b.status, helperName: b.helper_name, helperUserId: b.helper_user_id,
  plan: b.plan, liftedReason: b.lifted_reason,
});

export async function listBlacklist(ctx: Ctx, q: { villageId?: number; activeOn?: string }) {
  let query = listSelect(ctx.db).where(inScope(ctx.actor, 'points.read', 'b.region_path')).orderBy('b.id', 'desc').limit(2000);
  if (q.villageId) query = query.where('b.village_id', '=', q.villageId);
  if (q.activeOn) query = query.where('b.status', '=', 'active').where('b.starts_on', '<=', q.activeOn).where('b.ends_on', '>=', q.activeOn);
  return (await query.execute()).map(out);
}

/** 黑榜公示 for villagers: names on the active black list of their own village, nothing else. */
export async function villageBlackBoard(ctx: Ctx, date: string) {
  const subject = await ownSubject(ctx);
  const rows = await listSelect(ctx.db)
    .where('b.village_id', '=', subject.village_id)
    .where('b.status', '=', 'active')
    .where('b.starts_on', '<=', date)
    .where('b.ends_on', '>=', date)
    .orderBy('b.id')
    .execute();
  return rows.map((b) => ({ name: b.name, sourcePeriod: b.source_period, endsOn: b.ends_on }));
}

async function entryInScope(ctx: Ctx, id: number) {
  const b = await listSelect(ctx.db).where('b.id', '=', id).executeTakeFirst();
  if (!b) throw new AppError('POINTS_BLACKLIST_NOT_FOUND');
  try {
    assertCovers(ctx.actor, 'points.blacklist', b.region_path);
  } catch {
    throw new AppError('POINTS_BLACKLIST_NOT_FOUND');
  }
  return b;
}

/** Pairs a cadre or party member with the subject and records the improvement plan. */
export async function assignHelper(ctx: Ctx, id: number, input: { helperName: string; helperUserId?: number; plan: string }) {
  const b = await entryInScope(ctx, id);
  if (b.status !== 'active') throw new AppError('POINTS_BLACKLIST_LIFTED');
  await inTransaction(ctx, async (tx) => {
    await tx.db.updateTable('points_blacklist').set({ helper_name: input.helperName.trim(), helper_user_id: input.helperUserId ?? null, plan: input.plan.trim() }).where('id', '=', id).execute();
    await audit(tx, { action: 'points.blacklist.helper', entity: 'points_blacklist', entityId: id, regionPath: b.region_path, before: { helperName: b.helper_name, plan: b.plan }, after: input });
  });
  return getBlacklistEntry(ctx, id);
}

export async function addProgress(ctx: Ctx, id: number, note: string) {
  const b = await entryInScope(ctx, id);
  await inTransaction(ctx, async (tx) => {
    const r = await tx.db.insertInto('points_blacklist_progress').values({ blacklist_id: id, note: note.trim(), by_user: ctx.actor.userId, by_name: ctx.actor.displayName }).returning('id').executeTakeFirstOrThrow();
    await audit(tx, { action: 'points.blacklist.progress', entity: 'points_blacklist', entityId: id, regionPath: b.region_path, after: { progressId: r.id, note } });
  });
  return getBlacklistEntry(ctx, id);
}

export async function liftBlacklist(ctx: Ctx, id: number, reason: string) {
  const b = await entryInScope(ctx, id);
  await inTransaction(ctx, async (tx) => {
    const r = await tx.db.updateTable('points_blacklist').set({ status: 'lifted', lifted_reason: reason.trim() }).where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw new AppError('POINTS_BLACKLIST_LIFTED');
    await audit(tx, { action: 'points.blacklist.lift', entity: 'points_blacklist', entityId: id, regionPath: b.region_path, before: { status: 'active' }, after: { status: 'lifted', reason } });
  });
  return getBlacklistEntry(ctx, id);
}

export async function getBlacklistEntry(ctx: Ctx, id: number) {
  const b = await listSelect(ctx.db).where('b.id', '=', id).executeTakeFirst();
  if (!b) throw new AppError('POINTS_BLACKLIST_NOT_FOUND');
  try {
    assertCovers(ctx.actor, 'points.read', b.region_path);
  } catch {
    throw new AppError('POINTS_BLACKLIST_NOT_FOUND');
  }
  const progress = await ctx.db.selectFrom('points_blacklist_progress').select(['id', 'note', 'by_name', 'at']).where('blacklist_id', '=', id).orderBy('id').execute();
  return { ...out(b), progress: progress.map((p) => ({ id: p.id, note: p.note, by: p.by_name, at: new Date(p.at).toISOString() })) };
}
