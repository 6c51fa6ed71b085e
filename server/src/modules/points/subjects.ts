/**
 * Who earns points (积分对象): households first, also enterprises, family farms, individual
 * businesses, party members and staff. A household's subject row is created the first time it is
 * needed; the others are registered by a village cadre.
 */
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { PointsSubjectKind } from '../../db/types.js';
import { AppError } from '../../core/errors.js';
import { assertCovers, hasPermission, inScope } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import './errors.js';

export interface Village {
  id: number;
  path: string;
  name: string;
  county_id: number;
}

/** The village a path lies in (the path itself when it is a village). */
export async function villageOfPath(db: Kdb, path: string): Promise<Village> {
  const v = await db
    .selectFrom('regions')
    .select(['id', 'path', 'name', 'county_id'])
    .where('level', '=', 'village')
    .where(sql<boolean>`${path} LIKE regions.path || '%'`)
    .executeTakeFirst();
  if (!v) throw new AppError('POINTS_NOT_A_VILLAGE');
  return { ...v, county_id: v.county_id! };
}

/** A village by id, checked against the actor's scope for `permission` (404 when out of scope). */
export async function villageInScope(ctx: Ctx, villageId: number, permission: string): Promise<Village> {
  const v = await ctx.db.selectFrom('regions').select(['id', 'path', 'name', 'county_id', 'level']).where('id', '=', villageId).executeTakeFirst();
  if (!v || v.county_id !== ctx.actor.countyId) throw new AppError('REGION_NOT_FOUND');
  assertCoversRegion(ctx, permission, v.path);
  if (v.level !== 'village') throw new AppError('POINTS_NOT_A_VILLAGE');
  return { id: v.id, path: v.path, name: v.name, county_id: v.county_id! };
}

function assertCoversRegion(ctx: Ctx, permission: string, path: string) {
  try {
    assertCovers(ctx.actor, permission, path);
  } catch {
    throw new AppError('REGION_NOT_FOUND');
  }
}

export type Subject = { id: number; kind: PointsSubjectKind; region_path: string; village_id: number; county_id: number; name: string; household_id: number | null };

const subjectCols = ['id', 'kind', 'region_path', 'village_id', 'county_id', 'name', 'household_id'] as const;

/** The household's subject, created on first use. Runs in the caller's transaction if any. */
export async function ensureHouseholdSubject(db: Kdb, householdId: number): Promise<Subject> {
  const found = await db.selectFrom('points_subjects').select(subjectCols).where('kind', '=', 'household').where('household_id', '=', householdId).executeTakeFirst();
  if (found) return found;
  const hh = await db.selectFrom('households').select(['id', 'county_id', 'region_path', 'householder_name', 'status']).where('id', '=', householdId).executeTakeFirst();
  if (!hh) throw new AppError('POINTS_SUBJECT_NOT_FOUND');
  const village = await villageOfPath(db, hh.region_path);
  await db
    .insertInto('points_subjects')
    .values({ county_id: hh.county_id, village_id: village.id, region_path: hh.region_path, kind: 'household', household_id: hh.id, party_member_id: null, user_id: null, name: `${hh.householder_name}户` })
    .onConflict((oc) => oc.column('household_id').where('kind', '=', 'household').doNothing())
    .execute();
  return db.selectFrom('points_subjects').select(subjectCols).where('kind', '=', 'household').where('household_id', '=', householdId).executeTakeFirstOrThrow();
}

/** A household checked against scope; a villager may only name their own. */
export async function householdSubjectInScope(ctx: Ctx, householdId: number, permission: string): Promise<Subject> {
  const hh = await ctx.db.selectFrom('households').select(['id', 'region_path', 'county_id']).where('id', '=', householdId).executeTakeFirst();
  if (!hh || hh.county_id !== ctx.actor.countyId) throw new AppError('POINTS_SUBJECT_NOT_FOUND');
  if (!hasPermission(ctx.actor, permission) || !pathCovered(ctx, permission, hh.region_path)) throw new AppError('POINTS_SUBJECT_NOT_FOUND');
  return ensureHouseholdSubject(ctx.db, householdId);
}

function pathCovered(ctx: Ctx, permission: string, path: string): boolean {
  try {
    assertCovers(ctx.actor, permission, path);
    return true;
  } catch {
    return false;
  }
}

/** A subject by id within scope (404 otherwise). */
export async function subjectInScope(ctx: Ctx, subjectId: number, permission: string): Promise<Subject> {
  const s = await ctx.db.selectFrom('points_subjects').select(subjectCols).where('id', '=', subjectId).executeTakeFirst();
  if (!s || s.county_id !== ctx.actor.countyId || !pathCovered(ctx, permission, s.region_path)) throw new AppError('POINTS_SUBJECT_NOT_FOUND');
  return s;
}

/** The calling villager's own household subject. */
export async function ownSubject(ctx: Ctx): Promise<Subject> {
  if (!ctx.actor.householdId) throw new AppError('POINTS_NOT_VILLAGER');
  return ensureHouseholdSubject(ctx.db, ctx.actor.householdId);
}

/** Registers an enterprise / family farm / business / party member / staff subject in a village. */
export async function registerSubject(ctx: Ctx, input: { villageId: number; kind: Exclude<PointsSubjectKind, 'household'>; name: string; partyMemberId?: number; userId?: number }) {
  const village = await villageInScope(ctx, input.villageId, 'points.rules');
  return inTransaction(ctx, async (tx) => {
    const s = await tx.db
      .insertInto('points_subjects')
      .values({
        county_id: village.county_id, village_id: village.id, region_path: village.path, kind: input.kind, household_id: null,
        party_member_id: input.partyMemberId ?? null, user_id: input.userId ?? null, name: input.name.trim(),
      })
      .returning(subjectCols)
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'points.subject.register', entity: 'points_subject', entityId: s.id, regionPath: s.region_path, after: s });
    return s;
  });
}

/** Subjects in scope, for the console's pickers and the phone's household list. */
export async function listSubjects(ctx: Ctx, q: { villageId?: number; kind?: PointsSubjectKind; q?: string; mineGrid?: boolean; limit: number; cursor: number | null }) {
  let query = ctx.db
    .selectFrom('points_subjects as s')
    .leftJoin('points_balances as b', 'b.subject_id', 's.id')
    .select(['s.id', 's.kind', 's.name', 's.village_id', 's.household_id', 'b.balance'])
    .where(inScope(ctx.actor, 'points.read', 's.region_path'))
    .orderBy('s.id')
    .limit(q.limit + 1);
  if (q.villageId) query = query.where('s.village_id', '=', q.villageId);
  if (q.kind) query = query.where('s.kind', '=', q.kind);
  if (q.q) query = query.where('s.name', 'like', `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (q.cursor) query = query.where('s.id', '>', q.cursor);
  return query.execute();
}

/**
 * Households a grid worker records for: those of the grids they staff, else all households in their
 * scope. Subjects are created lazily, so this lists households, not subjects.
 */
export async function listRecordableHouseholds(ctx: Ctx, q: { q?: string; limit: number; cursor: number | null }) {
  const myGrids = (await ctx.db.selectFrom('grid_staff').select('grid_id').where('user_id', '=', ctx.actor.userId).execute()).map((g) => g.grid_id);
  let query = ctx.db
    .selectFrom('households as h')
    .leftJoin('points_subjects as s', (j) => j.onRef('s.household_id', '=', 'h.id').on('s.kind', '=', 'household'))
    .leftJoin('points_balances as b', 'b.subject_id', 's.id')
    .innerJoin('regions as g', 'g.id', 'h.region_id')
    .select(['h.id', 'h.householder_name', 'h.address', 'h.code', 'h.grid_id', 's.id as subject_id', 'b.balance',
      sql<number>`case when g.level = 'village' then g.id else g.parent_id end`.as('village_id')])
    .where(inScope(ctx.actor, 'points.record', 'h.region_path'))
    .where('h.status', '=', 'active')
    .orderBy('h.id')
    .limit(q.limit + 1);
  if (myGrids.length) query = query.where('h.grid_id', 'in', myGrids);
  if (q.q) query = query.where('h.householder_name', 'like', `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (q.cursor) query = query.where('h.id', '>', q.cursor);
  return query.execute();
}
