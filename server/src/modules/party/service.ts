/**
 * 党组织, 党员, 党员联户 and coverage. Reads are scoped by registry.read, writes by party.manage on
 * the row's place; out of scope answers 404 exactly like missing. Every write and its audit row
 * share one transaction.
 */
import { assertCovers, covers, inScope } from '../../core/actor.js';
import { audit, diff } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { AppError, defineErrors } from '../../core/errors.js';
import { decodeCursor, pageOf } from '../../core/paging.js';
import * as q from './queries.js';
import { endForMember } from '../assignments/service.js';
import { isUnderQuota, MANAGE, mayTakeHouseholds, memberActions, orgKindFitsLevel, parentOrgFits, READ, sameVillage } from './policy.js';
import { regionInScope, todayCst, villagePathOf } from './places.js';
import type { LinkCreate, MemberCreate, MemberListQuery, MemberPatch, OrgCreate, OrgListQuery, RegionPageQuery } from './schema.js';

defineErrors({
  PARTY_ORG_NOT_FOUND: { status: 404, message: '党组织不存在或不在您的管辖范围' },
  PARTY_MEMBER_NOT_FOUND: { status: 404, message: '党员不存在或不在您的管辖范围' },
  HOUSEHOLD_NOT_FOUND: { status: 404, message: '农户不存在或不在您的管辖范围' },
  RESIDENT_NOT_FOUND: { status: 404, message: '居民不存在或不在您的管辖范围' },
  ORG_KIND_LEVEL_MISMATCH: { status: 400, message: '党委只能设在县或乡镇，党支部、党小组须设在乡镇以下' },
  ORG_PARENT_INVALID: { status: 400, message: '上级党组织须位于本组织所在地或其上级区划' },
  RESIDENT_OUTSIDE_ORG: { status: 400, message: '该居民不在此党组织所辖区域内' },
  MEMBER_EXISTS: { status: 409, message: '该居民已登记为党员' },
  MEMBER_NAME_REQUIRED: { status: 400, message: '请选择居民或填写党员姓名' },
  JOINED_ON_INVALID: { status: 400, message: '入党日期无效' },
  MEMBER_NOT_ACTIVE: { status: 409, message: '该党员不在册或外出，不能联系农户' },
  MEMBER_NO_VILLAGE: { status: 400, message: '该党员未落到具体村，不能联系农户' },
  MEMBER_HAS_LINKS: { status: 409, message: '该党员仍联系着原村的农户，请先解除联户再调整组织关系' },
  HOUSEHOLD_ALREADY_LINKED: { status: 409, message: '所选农户已由其他党员联系，一户只能由一名党员联系' },
  LINK_OUTSIDE_VILLAGE: { status: 400, message: '党员只能联系本村的农户' },
  HOUSEHOLD_NOT_ACTIVE: { status: 409, message: '该户已迁出或合并，不能联系' },
});

const flag = (v: string | undefined) => v === '1' || v === 'true';

/** The place prefix of an optional regionId filter (checked against the caller's scope). */
async function prefixOf(ctx: Ctx, regionId: number | undefined): Promise<string | null> {
  return regionId ? (await regionInScope(ctx, regionId, READ)).path : null;
}

function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: string; constraint?: string; message?: string; detail?: string };
  return err?.code === '23505' && (err.constraint === constraint || String(err.message).includes(constraint));
}

function checkJoinedOn(d: string | null | undefined): void {
  if (d == null) return;
  const t = new Date(d + 'T00:00:00Z');
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d || d > todayCst() || d < '1921-07-01') {
    throw new AppError('JOINED_ON_INVALID', { field: 'joinedOn' });
  }
}

// ---- orgs ----

export async function listOrgs(ctx: Ctx, query: OrgListQuery) {
  const limit = query.limit ?? 50;
  const rows = await q.listOrgs(ctx.db, ctx.actor.countyId, inScope(ctx.actor, READ, 'o.region_path'), await prefixOf(ctx, query.regionId), decodeCursor(query.cursor), limit);
  return pageOf(rows.map(presentOrg), limit);
}

function presentOrg(r: NonNullable<Awaited<ReturnType<typeof q.orgById>>>) {
  const { region_path: _p, ...rest } = r;
  return { ...rest, memberCount: Number(rest.memberCount) };
}

async function orgForWrite(ctx: Ctx, id: number, code = 'PARTY_ORG_NOT_FOUND') {
  const o = await q.orgById(ctx.db, ctx.actor.countyId, id);
  if (!o || !covers(ctx.actor, MANAGE, o.region_path)) throw new AppError(code, { orgId: id });
  return o;
}

export async function getOrg(ctx: Ctx, id: number) {
  const o = await q.orgById(ctx.db, ctx.actor.countyId, id);
  assertCovers(ctx.actor, READ, o?.region_path);
  return presentOrg(o!);
}

export async function createOrg(ctx: Ctx, input: OrgCreate) {
  const region = await regionInScope(ctx, input.regionId, MANAGE);
  if (!orgKindFitsLevel(input.kind, region.level)) throw new AppError('ORG_KIND_LEVEL_MISMATCH', { kind: input.kind, level: region.level });
  if (input.parentId) {
    // The parent may sit above the caller's own scope (a village branch under the township
    // committee), so it is checked against the new org's place, not the caller's grants; a missing
    // id and a misplaced one answer alike, so ids elsewhere in the county don't leak.
    const parent = await q.orgById(ctx.db, ctx.actor.countyId, input.parentId);
    if (!parent || !parentOrgFits(parent.region_path, region.path)) throw new AppError('ORG_PARENT_INVALID', { parentId: input.parentId });
  }
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto('party_orgs')
      .values({ county_id: ctx.actor.countyId, region_id: region.id, region_path: region.path, parent_id: input.parentId ?? null, kind: input.kind, name: input.name.trim() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'party_org.create', entity: 'party_org', entityId: row.id, regionPath: region.path, after: { ...input } });
    return presentOrg((await q.orgById(tx.db, ctx.actor.countyId, row.id))!);
  });
}

// ---- members ----

type MemberRow = NonNullable<Awaited<ReturnType<typeof q.memberById>>>;

function presentMember(r: MemberRow) {
  return {
    id: r.id, name: r.name, orgId: r.orgId, orgName: r.orgName, residentId: r.residentId, villageId: r.villageId,
    villageName: r.villageName, joinedOn: r.joinedOn, linkQuota: r.linkQuota, linkedCount: Number(r.linkedCount), status: r.status,
  };
}

export async function listMembers(ctx: Ctx, query: MemberListQuery, forceUnderQuota = false) {
  const limit = query.limit ?? 50;
  const rows = await q.listMembers(ctx.db, ctx.actor.countyId, {
    scope: inScope(ctx.actor, READ, 'm.region_path'),
    prefix: await prefixOf(ctx, query.regionId),
    orgId: query.orgId,
    q: query.q?.trim() || undefined,
    status: query.status,
    underQuota: forceUnderQuota || flag(query.underQuota),
  }, decodeCursor(query.cursor), limit);
  return pageOf(rows.map(presentMember), limit);
}

export async function getMember(ctx: Ctx, id: number) {
  const m = await q.memberById(ctx.db, ctx.actor.countyId, id);
  assertCovers(ctx.actor, READ, m?.region_path);
  const base = presentMember(m!);
  return {
    ...base,
    version: m!.version,
    households: await q.memberHouseholds(ctx.db, id),
    underQuota: isUnderQuota(base),
    can: memberActions(ctx.actor, m!),
  };
}

async function memberForWrite(ctx: Ctx, id: number, code = 'NOT_FOUND') {
  const m = await q.memberById(ctx.db, ctx.actor.countyId, id);
  if (!m || !covers(ctx.actor, MANAGE, m.region_path)) throw new AppError(code, code === 'NOT_FOUND' ? undefined : { memberId: id });
  return m;
}

/** Where a member is placed: at their home (resident's group) if known, else at their org. */
async function placeMember(ctx: Ctx, org: { region_path: string }, residentId: number | null | undefined) {
  if (!residentId) return { path: org.region_path, name: null as string | null };
  const r = await ctx.db
    .selectFrom('residents')
    .select(['id', 'name', 'region_path'])
    .where('id', '=', residentId)
    .where('county_id', '=', ctx.actor.countyId)
    .executeTakeFirst();
  if (!r || !covers(ctx.actor, READ, r.region_path)) throw new AppError('RESIDENT_NOT_FOUND', { residentId });
  if (!r.region_path.startsWith(org.region_path)) throw new AppError('RESIDENT_OUTSIDE_ORG', { residentId });
  return { path: r.region_path, name: r.name };
}

export async function createMember(ctx: Ctx, input: MemberCreate) {
  const org = await orgForWrite(ctx, input.orgId);
  const place = await placeMember(ctx, org, input.residentId);
  const name = place.name ?? input.name?.trim();
  if (!name) throw new AppError('MEMBER_NAME_REQUIRED');
  checkJoinedOn(input.joinedOn);
  const linkQuota = input.linkQuota ?? (await q.defaultLinkQuota(ctx.db));
  try {
    return await inTransaction(ctx, async (tx) => {
      const row = await tx.db
        .insertInto('party_members')
        .values({
          county_id: ctx.actor.countyId, org_id: org.id, region_path: place.path, resident_id: input.residentId ?? null,
          name, joined_on: input.joinedOn ?? null, link_quota: linkQuota,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(tx, {
        action: 'party_member.create', entity: 'party_member', entityId: row.id, regionPath: place.path,
        after: { orgId: org.id, residentId: input.residentId ?? null, name, joinedOn: input.joinedOn ?? null, linkQuota },
      });
      return getMember(tx, row.id);
    });
  } catch (e) {
    if (isUniqueViolation(e, 'party_members_resident_uq')) throw new AppError('MEMBER_EXISTS', { residentId: input.residentId });
    throw e;
  }
}

export async function updateMember(ctx: Ctx, id: number, input: MemberPatch) {
  return inTransaction(ctx, async (tx) => {
    const m = await memberForWrite(tx, id);
    if (m.version !== input.version) throw new AppError('CONFLICT', { version: m.version });
    checkJoinedOn(input.joinedOn);
    let regionPath = m.region_path;
    if (input.orgId && input.orgId !== m.orgId) {
      const org = await orgForWrite(tx, input.orgId);
      regionPath = (await placeMember(tx, org, m.residentId)).path;
      // Links stay valid only while the member stays in the same village.
      if (Number(m.linkedCount) > 0 && villagePathOf(regionPath) !== villagePathOf(m.region_path) && input.status !== 'transferred') {
        throw new AppError('MEMBER_HAS_LINKS', { linkedCount: Number(m.linkedCount) });
      }
    }
    const next = {
      name: input.name?.trim() ?? m.name,
      orgId: input.orgId ?? m.orgId,
      joinedOn: input.joinedOn === undefined ? m.joinedOn : input.joinedOn,
      linkQuota: input.linkQuota ?? m.linkQuota,
      status: input.status ?? m.status,
    };
    await tx.db
      .updateTable('party_members')
      .set({
        name: next.name, org_id: next.orgId, joined_on: next.joinedOn, link_quota: next.linkQuota, status: next.status,
        region_path: regionPath, version: m.version + 1, updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    const d = diff({ name: m.name, orgId: m.orgId, joinedOn: m.joinedOn, linkQuota: m.linkQuota, status: m.status as string }, next);
    await audit(tx, { action: 'party_member.update', entity: 'party_member', entityId: id, regionPath, before: d.before, after: d.after });
    // A member who leaves (转出) frees their households so they show up as uncovered at once.
    if (next.status === 'transferred' && m.status !== 'transferred') {
      await releaseAllLinks(tx, id, m.region_path);
      await endForMember(tx, id, '党员转出，包户关系结束');
    }
    return getMember(tx, id);
  });
}

async function releaseAllLinks(ctx: Ctx, memberId: number, regionPath: string) {
  const gone = await ctx.db.deleteFrom('member_household_links').where('member_id', '=', memberId).returning(['id', 'household_id']).execute();
  if (gone.length === 0) return;
  await audit(ctx, {
    action: 'party_link.release', entity: 'party_member', entityId: memberId, regionPath,
    before: { householdIds: gone.map((g) => g.household_id) }, after: { householdIds: [] }, note: '党员转出，联系户自动释放',
  });
}

// ---- links ----

/**
 * Links a member to many households, all or nothing: any household missing, out of scope, outside
 * the member's village, moved away or linked to another member refuses the whole request.
 */
export async function linkHouseholds(ctx: Ctx, input: LinkCreate) {
  const ids = [...new Set(input.householdIds)];
  return inTransaction(ctx, async (tx) => {
    const m = await memberForWrite(tx, input.memberId, 'PARTY_MEMBER_NOT_FOUND');
    if (!mayTakeHouseholds(m.status as 'active')) throw new AppError('MEMBER_NOT_ACTIVE', { status: m.status });
    if (!villagePathOf(m.region_path)) throw new AppError('MEMBER_NO_VILLAGE');
    const rows = await q.householdsByIds(tx.db, ctx.actor.countyId, ids);
    const found = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !found.get(id) || !covers(ctx.actor, MANAGE, found.get(id)!.region_path));
    if (missing.length) throw new AppError('HOUSEHOLD_NOT_FOUND', { householdIds: missing });
    const outside = rows.filter((r) => !sameVillage(m.region_path, r.region_path)).map((r) => r.id);
    if (outside.length) throw new AppError('LINK_OUTSIDE_VILLAGE', { householdIds: outside });
    const inactive = rows.filter((r) => r.status !== 'active').map((r) => r.id);
    if (inactive.length) throw new AppError('HOUSEHOLD_NOT_ACTIVE', { householdIds: inactive });
    const taken = rows.filter((r) => r.linkedMemberId != null && r.linkedMemberId !== m.id).map((r) => r.id);
    if (taken.length) throw new AppError('HOUSEHOLD_ALREADY_LINKED', { householdIds: taken });
    const already = rows.filter((r) => r.linkedMemberId === m.id).map((r) => r.id);
    const fresh = rows.filter((r) => r.linkedMemberId == null);
    let linked: { id: number; householdId: number }[] = [];
    if (fresh.length) {
      try {
        const ins = await tx.db
          .insertInto('member_household_links')
          .values(fresh.map((r) => ({ county_id: ctx.actor.countyId, member_id: m.id, household_id: r.id, region_path: r.region_path })))
          .returning(['id', 'household_id'])
          .execute();
        linked = ins.map((r) => ({ id: r.id, householdId: r.household_id }));
      } catch (e) {
        // Someone linked one of them between our read and our insert: the UNIQUE index decides.
        if (isUniqueViolation(e, 'member_household_links_household_id_key')) throw new AppError('HOUSEHOLD_ALREADY_LINKED', { householdIds: fresh.map((r) => r.id) });
        throw e;
      }
      for (const l of linked) {
        await audit(tx, {
          action: 'party_link.create', entity: 'member_household_link', entityId: l.id, regionPath: found.get(l.householdId)!.region_path,
          after: { memberId: m.id, memberName: m.name, householdId: l.householdId },
        });
      }
    }
    return { memberId: m.id, linked, alreadyLinked: already, linkedCount: Number(m.linkedCount) + linked.length, linkQuota: m.linkQuota };
  });
}

export async function unlink(ctx: Ctx, linkId: number) {
  return inTransaction(ctx, async (tx) => {
    const l = await q.linkById(tx.db, ctx.actor.countyId, linkId);
    assertCovers(ctx.actor, MANAGE, l?.region_path);
    await tx.db.deleteFrom('member_household_links').where('id', '=', linkId).execute();
    await audit(tx, {
      action: 'party_link.delete', entity: 'member_household_link', entityId: linkId, regionPath: l!.region_path,
      before: { memberId: l!.member_id, householdId: l!.household_id },
    });
    return { ok: true };
  });
}

// ---- coverage ----

export async function coverage(ctx: Ctx, regionId: number | undefined) {
  const prefix = await prefixOf(ctx, regionId);
  const counts = await q.coverageByVillage(ctx.db, ctx.actor.countyId, inScope(ctx.actor, READ, 'h.region_path'), inScope(ctx.actor, READ, 'm.region_path'), prefix);
  const villages = await q.villagesFor(ctx.db, ctx.actor.countyId, inScope(ctx.actor, READ, 'r.path'), prefix);
  const byId = new Map(counts.map((c) => [c.villageId, c]));
  const byVillage = villages.map((v) => {
    const c = byId.get(v.id) ?? { households: 0, covered: 0, members: 0, underQuota: 0 };
    return { regionId: v.id, name: v.name, households: c.households, covered: c.covered, uncovered: c.households - c.covered, members: c.members, underQuota: c.underQuota };
  });
  const sum = (k: 'households' | 'covered' | 'members' | 'underQuota') => counts.reduce((s, c) => s + c[k], 0);
  return {
    households: sum('households'), covered: sum('covered'), uncovered: sum('households') - sum('covered'),
    members: sum('members'), underQuota: sum('underQuota'), byVillage,
  };
}

export async function uncoveredHouseholds(ctx: Ctx, query: RegionPageQuery) {
  const limit = query.limit ?? 50;
  const rows = await q.uncoveredHouseholds(ctx.db, ctx.actor.countyId, inScope(ctx.actor, READ, 'h.region_path'), await prefixOf(ctx, query.regionId), decodeCursor(query.cursor), limit);
  return pageOf(rows, limit);
}
