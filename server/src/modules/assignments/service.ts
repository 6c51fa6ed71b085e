/**
 * 包保 assignments. Reads scoped by registry.read on the target's place; creating and ending
 * need assignments.manage where the decision is taken (see policy.deciderPath). Ending keeps the
 * row with its end date: who was responsible for a place, and when, is part of the record.
 */
import { sql } from 'kysely';
import { assertCovers, covers, inScope } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { AppError, defineErrors } from '../../core/errors.js';
import { decodeCursor, pageOf } from '../../core/paging.js';
import { findRegion, regionInScope, todayCst } from '../party/places.js';
import { sameVillage } from '../party/policy.js';
import * as q from './queries.js';
import { deciderPath, endDate, MANAGE, patronFits, READ, targetLevel } from './policy.js';
import type { AssignmentCreate, AssignmentListQuery } from './schema.js';

defineErrors({
  ASSIGNMENT_TARGET_NOT_FOUND: { status: 404, message: '包保对象不存在或不在您的管辖范围' },
  ASSIGNMENT_TARGET_LEVEL: { status: 400, message: '包保对象与包保类型不符（县领导包乡镇、乡镇干部包村、村干部包组、党员包户）' },
  PATRON_REQUIRED: { status: 400, message: '请选择包保责任人或填写其姓名' },
  PATRON_NOT_FOUND: { status: 400, message: '包保责任人不存在，或不在包保对象的上级单位任职' },
  PATRON_MEMBER_NOT_FOUND: { status: 400, message: '党员不存在、不在册，或不在该户所在村' },
  ASSIGNMENT_EXISTS: { status: 409, message: '该责任人已在包保此对象' },
  ASSIGNMENT_ENDED: { status: 409, message: '该包保关系已结束' },
  STARTS_ON_INVALID: { status: 400, message: '开始日期无效' },
});

function present(r: q.Row) {
  const household = r.target_household_id != null;
  return {
    id: r.id,
    level: r.level,
    patronName: r.patron_name,
    patronTitle: r.patron_title,
    patronUserId: r.patron_user_id,
    patronMemberId: r.patron_member_id,
    target: household
      ? { type: 'household' as const, id: r.target_household_id!, name: r.householderName ?? '', code: r.householdCode ?? '' }
      : { type: 'region' as const, id: r.target_region_id!, name: r.regionName ?? '', code: r.regionCode ?? '' },
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    active: r.ends_on == null,
  };
}

export async function list(ctx: Ctx, query: AssignmentListQuery) {
  const limit = query.limit ?? 50;
  const prefix = query.regionId ? (await regionInScope(ctx, query.regionId, READ)).path : null;
  const rows = await q.list(ctx.db, ctx.actor.countyId, {
    scope: inScope(ctx.actor, READ, 'a.region_path'),
    prefix,
    level: query.level,
    patronUserId: query.patronUserId,
    patronMemberId: query.patronMemberId,
    status: query.status ?? 'active',
  }, decodeCursor(query.cursor), limit);
  return pageOf(rows.map(present), limit);
}

export async function get(ctx: Ctx, id: number) {
  const r = await q.byId(ctx.db, ctx.actor.countyId, id);
  assertCovers(ctx.actor, READ, r?.region_path);
  return present(r!);
}

/** The target's place, checked for type and for the caller's power to decide there. */
async function resolveTarget(ctx: Ctx, input: AssignmentCreate) {
  const want = targetLevel[input.level];
  let path: string;
  if (want == null) {
    const h = await q.household(ctx.db, ctx.actor.countyId, input.targetId);
    if (!h) throw new AppError('ASSIGNMENT_TARGET_NOT_FOUND', { targetId: input.targetId });
    path = h.region_path;
  } else {
    const r = await findRegion(ctx, input.targetId);
    if (!r) throw new AppError('ASSIGNMENT_TARGET_NOT_FOUND', { targetId: input.targetId });
    path = r.path;
    // Check scope before the level, so a wrong level never confirms an out-of-scope id exists.
    const decider = deciderPath(input.level, path);
    if (!decider || !covers(ctx.actor, MANAGE, decider)) throw new AppError('ASSIGNMENT_TARGET_NOT_FOUND', { targetId: input.targetId });
    if (r.level !== want) throw new AppError('ASSIGNMENT_TARGET_LEVEL', { expected: want, actual: r.level });
    return { path, regionId: r.id, householdId: null };
  }
  const decider = deciderPath(input.level, path);
  if (!decider || !covers(ctx.actor, MANAGE, decider)) throw new AppError('ASSIGNMENT_TARGET_NOT_FOUND', { targetId: input.targetId });
  return { path, regionId: null, householdId: input.targetId };
}

/** Who the patron is: a party member (包户), an account working above the target, or a name. */
async function resolvePatron(ctx: Ctx, input: AssignmentCreate, targetPath: string) {
  if (input.level === 'member_household') {
    if (!input.patronMemberId) throw new AppError('PATRON_REQUIRED');
    const m = await q.member(ctx.db, ctx.actor.countyId, input.patronMemberId);
    if (!m || m.status !== 'active' || !sameVillage(m.region_path, targetPath)) throw new AppError('PATRON_MEMBER_NOT_FOUND', { patronMemberId: input.patronMemberId });
    return { name: m.name, userId: null, memberId: m.id };
  }
  if (input.patronUserId) {
    const grants = await q.userGrantPaths(ctx.db, ctx.actor.countyId, input.patronUserId);
    if (!grants.length || !patronFits(grants.map((g) => g.region_path), targetPath)) throw new AppError('PATRON_NOT_FOUND', { patronUserId: input.patronUserId });
    return { name: input.patronName?.trim() || grants[0]!.display_name, userId: input.patronUserId, memberId: null };
  }
  const name = input.patronName?.trim();
  if (!name) throw new AppError('PATRON_REQUIRED');
  return { name, userId: null, memberId: null };
}

export async function create(ctx: Ctx, input: AssignmentCreate) {
  const target = await resolveTarget(ctx, input);
  const patron = await resolvePatron(ctx, input, target.path);
  const startsOn = input.startsOn ?? todayCst();
  if (Number.isNaN(Date.parse(startsOn + 'T00:00:00Z')) || new Date(startsOn + 'T00:00:00Z').toISOString().slice(0, 10) !== startsOn) {
    throw new AppError('STARTS_ON_INVALID', { field: 'startsOn' });
  }
  try {
    return await inTransaction(ctx, async (tx) => {
      const row = await tx.db
        .insertInto('patron_assignments')
        .values({
          county_id: ctx.actor.countyId, level: input.level, patron_user_id: patron.userId, patron_member_id: patron.memberId,
          patron_name: patron.name, patron_title: input.patronTitle?.trim() || null, target_region_id: target.regionId,
          target_household_id: target.householdId, region_path: target.path, starts_on: startsOn,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(tx, {
        action: 'assignment.create', entity: 'patron_assignment', entityId: row.id, regionPath: target.path,
        after: { level: input.level, patronName: patron.name, patronUserId: patron.userId, patronMemberId: patron.memberId, targetRegionId: target.regionId, targetHouseholdId: target.householdId, startsOn },
      });
      return get(tx, row.id);
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new AppError('ASSIGNMENT_EXISTS');
    throw e;
  }
}

/** Ends an assignment (DELETE): the row stays, with its end date. */
export async function end(ctx: Ctx, id: number) {
  return inTransaction(ctx, async (tx) => {
    const r = await q.byId(tx.db, ctx.actor.countyId, id);
    const decider = r ? deciderPath(r.level, r.region_path) : null;
    // Seeing it is not enough: ending needs the power to decide it.
    if (!r || !decider || !covers(ctx.actor, MANAGE, decider)) throw new AppError('NOT_FOUND');
    if (r.ends_on != null) throw new AppError('ASSIGNMENT_ENDED', { endsOn: r.ends_on });
    const endsOn = endDate(r.starts_on, todayCst());
    await tx.db.updateTable('patron_assignments').set({ ends_on: endsOn }).where('id', '=', id).execute();
    await audit(tx, { action: 'assignment.end', entity: 'patron_assignment', entityId: id, regionPath: r.region_path, before: { endsOn: null }, after: { endsOn } });
    return get(tx, id);
  });
}

/**
 * Ends every active 包户 assignment of a party member (called by the party module when a member
 * transfers out), in the caller's transaction.
 */
export async function endForMember(ctx: Ctx, memberId: number, note: string) {
  const endsOn = todayCst();
  const ended = await ctx.db
    .updateTable('patron_assignments')
    .set({ ends_on: sql<string>`greatest(starts_on, ${endsOn}::date)` })
    .where('county_id', '=', ctx.actor.countyId)
    .where('patron_member_id', '=', memberId)
    .where('ends_on', 'is', null)
    .returning(['id', 'region_path', 'ends_on'])
    .execute();
  for (const a of ended) {
    await audit(ctx, { action: 'assignment.end', entity: 'patron_assignment', entityId: a.id, regionPath: a.region_path, before: { endsOn: null }, after: { endsOn: a.ends_on }, note });
  }
  return ended.length;
}
