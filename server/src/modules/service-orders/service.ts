/**
 * Service orders (三单). A villager asks (点单); the village party branch assigns a party member,
 * by default the member linked to the household (党员联户); the member takes and completes it;
 * the villager rates it. Party members are read through party_members / member_household_links
 * (the party module's tables) by id only — the one place this module looks there.
 */
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { ServiceOrdersTable } from '../../db/types.js';
import type { Kdb } from '../../db/database.js';
import type { Ctx } from '../../core/context.js';
import { inTransaction } from '../../core/context.js';
import { covers, inScope, requirePermission, type Actor } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { notify } from '../../core/notify/index.js';
import { readHistory, writeHistory } from '../../core/workflow/index.js';
import { beijingDay } from '../../core/calendar/index.js';
import { encodeCursor } from '../../core/paging.js';
import { villagePathOf } from '../cases/units.js';
import { ORDER_STATES, orderProcess, type OrderRes } from './process.js';

type OrderRow = Selectable<ServiceOrdersTable>;

export const SERVICE_KINDS = ['代办服务', '助老助残', '农技帮扶', '家电维修', '政策咨询', '就业帮扶', '其他'] as const;

async function memberIdOf(db: Kdb, a: Actor): Promise<number | null> {
  if (!a.residentId) return null;
  const m = await db.selectFrom('party_members').select('id').where('resident_id', '=', a.residentId).where('status', '=', 'active').executeTakeFirst();
  return m?.id ?? null;
}

function toRes(o: OrderRow, callerMemberId: number | null): OrderRes {
  return { id: o.id, countyId: o.county_id, regionPath: o.region_path, state: o.state, requesterUserId: o.requester_user_id, memberId: o.member_id, callerMemberId };
}

function canSeeOrder(a: Actor, o: OrderRes): boolean {
  return covers(a, 'service_orders.read', o.regionPath) || (o.requesterUserId === a.userId) || (o.memberId != null && o.memberId === o.callerMemberId);
}

export interface RequestInput {
  kind: string;
  title: string;
  description?: string;
  clientId?: string;
}

export async function requestOrder(ctx: Ctx, i: RequestInput) {
  requirePermission(ctx.actor, 'service_orders.request');
  const { actor } = ctx;
  if (!actor.householdId) throw new AppError('SERVICE_ORDER_HOUSEHOLD_REQUIRED');
  if (i.clientId) {
    const prev = await ctx.db.selectFrom('service_orders').select(['id', 'code', 'state']).where('requester_user_id', '=', actor.userId).where('client_id', '=', i.clientId).executeTakeFirst();
    if (prev) return { ...prev, replayed: true };
  }
  const h = await ctx.db.selectFrom('households').select(['id', 'region_id', 'region_path']).where('id', '=', actor.householdId).executeTakeFirstOrThrow();
  return inTransaction(ctx, async (tx) => {
    const now = new Date();
    const seq = (await sql<{ n: number }>`select nextval(pg_get_serial_sequence('service_orders', 'id'))::int8 as n`.execute(tx.db)).rows[0]!.n;
    const code = `FW${beijingDay(now).replace(/-/g, '')}-${String(seq).padStart(6, '0')}`;
    const row = await tx.db
      .insertInto('service_orders')
      .values({
        county_id: actor.countyId, code, region_id: h.region_id, region_path: h.region_path, household_id: h.id, requester_user_id: actor.userId,
        requester_name: actor.displayName, kind: i.kind, title: i.title.trim(), description: i.description?.trim() ?? '', client_id: i.clientId ?? null, state: 'requested',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeHistory(tx, { process: 'service_order', entityId: row.id, regionPath: row.region_path, action: 'request', from: null, to: 'requested', comment: row.description || row.title });
    await audit(tx, { action: 'service_order.request', entity: 'service_order', entityId: row.id, regionPath: row.region_path, after: { kind: i.kind, title: i.title } });
    const branch = await tx.db
      .selectFrom('user_grants')
      .innerJoin('roles', 'roles.id', 'user_grants.role_id')
      .select('user_grants.user_id')
      .distinct()
      .where('user_grants.region_path', '=', villagePathOf(row.region_path))
      .where(sql<boolean>`'service_orders.assign' = ANY(roles.permissions)`)
      .execute();
    await notify(tx.db, { countyId: actor.countyId, userIds: branch.map((b) => b.user_id), kind: 'service_order.requested', title: `村民点单：${row.title}`, body: `${row.requester_name}（${row.kind}）`, entity: 'service_order', entityId: row.id });
    return { id: row.id, code: row.code, state: row.state, replayed: false };
  });
}

/** Members of the order's village, the household's linked member first (下单 prefers 联户党员). */
export async function candidates(ctx: Ctx, id: number) {
  const o = await loadVisible(ctx, id);
  const vpath = villagePathOf(o.region_path);
  const linked = o.household_id
    ? await ctx.db.selectFrom('member_household_links').select('member_id').where('household_id', '=', o.household_id).executeTakeFirst()
    : undefined;
  const members = await ctx.db
    .selectFrom('party_members')
    .select(['id', 'name'])
    .where('county_id', '=', ctx.actor.countyId)
    .where('region_path', 'like', `${vpath}%`)
    .where('status', '=', 'active')
    .orderBy('id')
    .limit(200)
    .execute();
  return members
    .map((m) => ({ memberId: m.id, name: m.name, linked: m.id === linked?.member_id }))
    .sort((a, b) => Number(b.linked) - Number(a.linked));
}

async function loadVisible(ctx: Ctx, id: number, lock = false): Promise<OrderRow & { callerMemberId: number | null }> {
  let q = ctx.db.selectFrom('service_orders').selectAll().where('id', '=', id).where('county_id', '=', ctx.actor.countyId);
  if (lock) q = q.forUpdate();
  const o = await q.executeTakeFirst();
  const me = await memberIdOf(ctx.db, ctx.actor);
  if (!o || !canSeeOrder(ctx.actor, toRes(o, me))) throw new AppError('NOT_FOUND');
  return { ...o, callerMemberId: me };
}

export interface OrderStepInput {
  comment?: string | null;
  memberId?: number;
  result?: string;
  rating?: number;
}

export async function stepOrder(ctx: Ctx, id: number, action: string, input: OrderStepInput) {
  return inTransaction(ctx, async (tx) => {
    const o = await loadVisible(tx, id, true);
    const res = toRes(o, o.callerMemberId);
    const now = new Date();
    let patch: Partial<Record<keyof OrderRow, unknown>> = {};
    const data: Record<string, unknown> = {};
    let tell: { userIds: (number | null)[]; title: string } | null = null;
    const { to } = await orderProcess.fire(tx, res, action, {
      input, data,
      apply: async (to) => {
        if (action === 'assign') {
          const m = await pickMember(tx, o, input.memberId);
          patch = { member_id: m.id, member_name: m.name, assigned_by: tx.actor.userId, assigned_at: now };
          Object.assign(data, { memberId: m.id, memberName: m.name, linked: m.linked });
          tell = { userIds: [m.userId], title: `支部派单，请接单：${o.title}` };
        } else if (action === 'take') patch = { taken_at: now };
        else if (action === 'decline') patch = { member_id: null, member_name: null, assigned_at: null };
        else if (action === 'complete') {
          patch = { completed_at: now, result: input.result!.trim() };
          tell = { userIds: [o.requester_user_id], title: `服务已完成，请评价：${o.title}` };
        } else if (action === 'rate') {
          patch = { rating: input.rating, rated_at: now };
          data.rating = input.rating;
        }
        const r = await tx.db
          .updateTable('service_orders')
          .set({ ...(patch as object), state: to, version: o.version + 1, updated_at: now })
          .where('id', '=', o.id)
          .where('version', '=', o.version)
          .executeTakeFirst();
        return Number(r.numUpdatedRows) === 1;
      },
    });
    if (tell) await notify(tx.db, { countyId: o.county_id, userIds: (tell as { userIds: (number | null)[] }).userIds, kind: `service_order.${action}`, title: (tell as { title: string }).title, entity: 'service_order', entityId: o.id });
    await audit(tx, { action: `service_order.${action}`, entity: 'service_order', entityId: o.id, regionPath: o.region_path, before: { state: o.state }, after: { state: to, ...data } });
    // A member who declines no longer sees the order: answer with its state only.
    const order = await orderDetail(tx, id).catch((e) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    });
    return { id, state: to, order };
  });
}

/** The member to assign: the one asked for (in the village), else the household's linked member. */
async function pickMember(tx: Ctx, o: OrderRow, memberId?: number) {
  const vpath = villagePathOf(o.region_path);
  let id = memberId;
  const link = o.household_id ? await tx.db.selectFrom('member_household_links').select('member_id').where('household_id', '=', o.household_id).executeTakeFirst() : undefined;
  id ??= link?.member_id;
  if (!id) throw new AppError('SERVICE_ORDER_MEMBER_REQUIRED');
  const m = await tx.db.selectFrom('party_members').select(['id', 'name', 'resident_id', 'region_path']).where('id', '=', id).where('county_id', '=', tx.actor.countyId).where('status', '=', 'active').executeTakeFirst();
  if (!m || !m.region_path.startsWith(vpath)) throw new AppError('SERVICE_ORDER_MEMBER_NOT_FOUND', { memberId: id });
  const user = m.resident_id ? await tx.db.selectFrom('users').select('id').where('resident_id', '=', m.resident_id).executeTakeFirst() : undefined;
  return { id: m.id, name: m.name, linked: m.id === link?.member_id, userId: user?.id ?? null };
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function orderDetail(ctx: Ctx, id: number) {
  const o = await loadVisible(ctx, id);
  const res = toRes(o, o.callerMemberId);
  return {
    id: o.id, code: o.code, kind: o.kind, title: o.title, description: o.description, state: o.state, stateLabel: ORDER_STATES[o.state],
    requesterName: o.requester_name, memberId: o.member_id, memberName: o.member_name, result: o.result, rating: o.rating,
    createdAt: iso(o.created_at)!, assignedAt: iso(o.assigned_at), takenAt: iso(o.taken_at), completedAt: iso(o.completed_at),
    history: (await readHistory(ctx.db, 'service_order', id)).map((h) => ({ action: h.action, actorName: h.actorName, from: h.from, to: h.to, comment: h.comment, at: h.at })),
    actions: orderProcess.available(ctx.actor, res),
  };
}

export async function listOrders(ctx: Ctx, list: 'mine' | 'member' | 'village', cursor: number | null, limit: number) {
  let q = ctx.db.selectFrom('service_orders').selectAll().where('county_id', '=', ctx.actor.countyId);
  if (list === 'mine') q = q.where('requester_user_id', '=', ctx.actor.userId);
  else if (list === 'member') {
    const me = await memberIdOf(ctx.db, ctx.actor);
    if (!me) return { items: [], nextCursor: null };
    q = q.where('member_id', '=', me);
  } else {
    q = q.where(inScope(ctx.actor, 'service_orders.read', 'service_orders.region_path'));
  }
  if (cursor) q = q.where('id', '<', cursor);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map((o) => ({
    id: o.id, code: o.code, kind: o.kind, title: o.title, state: o.state, stateLabel: ORDER_STATES[o.state], requesterName: o.requester_name,
    memberName: o.member_name, rating: o.rating, createdAt: iso(o.created_at)!,
  }));
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!.id) : null };
}
