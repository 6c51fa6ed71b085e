/**
 * 积分超市: stores per village or township, goods with a points price and stock, donations and
 * purchases in, redemptions out. A cashier finds the household by the QR code on the villager's
 * phone, by name or by ID number, and redeems. Spendable points and stock can never go below
 * zero however many cashiers work at once: both are taken with a conditional UPDATE … WHERE
 * balance >= price / stock >= qty in the same transaction as the redemption row. Redeeming
 * spends points_balances only; the period scores used for ranking are never touched.
 */
import { randomBytes } from 'node:crypto';
import { beijingDay } from '../../core/calendar/index.js';
import { sql } from 'kysely';
import QRCode from 'qrcode';
import type { Kdb } from '../../db/database.js';
import { AppError, defineErrors } from '../../core/errors.js';
import { assertCovers, covers, hasPermission, inScope } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { keyedHash, requireIdNumber } from '../../core/pii.js';
import { ensureHouseholdSubject, ownSubject } from '../points/subjects.js';
import { toPoints, toTenths } from '../points/rules.js';
import { periodBounds } from '../points/ledger.js';

defineErrors({
  STORE_NOT_FOUND: { status: 404, message: '积分超市不存在或无权查看' },
  STORE_CLOSED: { status: 409, message: '该积分超市已停业' },
  STORE_GOODS_NOT_FOUND: { status: 404, message: '商品不存在或不属于该超市' },
  STORE_GOODS_OFF: { status: 409, message: '该商品已下架' },
  STORE_GOODS_EXISTS: { status: 409, message: '该超市已有同名商品' },
  STORE_OUT_OF_STOCK: { status: 409, message: '商品库存不足' },
  STORE_INSUFFICIENT_POINTS: { status: 409, message: '可用积分不足，无法兑换' },
  STORE_HOUSEHOLD_NOT_SERVED: { status: 404, message: '该户不在本超市服务范围内' },
  STORE_QR_INVALID: { status: 400, message: '兑换码无效或已过期，请让村民刷新积分码' },
  STORE_LOOKUP_EMPTY: { status: 400, message: '请扫码或输入姓名、身份证号查找' },
  STORE_STOCK_NEGATIVE: { status: 409, message: '调整后库存不能小于0' },
  STORE_REDEMPTION_NOT_FOUND: { status: 404, message: '兑换记录不存在或无权查看' },
  STORE_LEVEL: { status: 400, message: '积分超市只能设在村或乡镇' },
});

/** Stores the caller may see: cashiers and managers in scope. */
function storeScope(ctx: Ctx, column: string) {
  return sql<boolean>`(${inScope(ctx.actor, 'store.redeem', column)} OR ${inScope(ctx.actor, 'store.manage', column)})`;
}

async function storeInScope(ctx: Ctx, id: number, permission: 'store.redeem' | 'store.manage' | 'read') {
  const s = await ctx.db.selectFrom('store_stores').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s || s.county_id !== ctx.actor.countyId) throw new AppError('STORE_NOT_FOUND');
  const ok = permission === 'read' ? covers(ctx.actor, 'store.redeem', s.region_path) || covers(ctx.actor, 'store.manage', s.region_path) : covers(ctx.actor, permission, s.region_path);
  if (!ok) throw new AppError('STORE_NOT_FOUND');
  return s;
}

const storeOut = (s: { id: number; region_id: number; name: string; address: string | null; status: string }) => ({ id: s.id, regionId: s.region_id, name: s.name, address: s.address, status: s.status });

export async function createStore(ctx: Ctx, input: { regionId: number; name: string; address?: string }) {
  const r = await ctx.db.selectFrom('regions').select(['id', 'path', 'level', 'county_id']).where('id', '=', input.regionId).executeTakeFirst();
  if (!r || r.county_id !== ctx.actor.countyId) throw new AppError('REGION_NOT_FOUND');
  try {
    assertCovers(ctx.actor, 'store.manage', r.path);
  } catch {
    throw new AppError('REGION_NOT_FOUND');
  }
  if (r.level !== 'village' && r.level !== 'township') throw new AppError('STORE_LEVEL');
  return inTransaction(ctx, async (tx) => {
    const s = await tx.db.insertInto('store_stores').values({ county_id: r.county_id!, region_id: r.id, region_path: r.path, name: input.name.trim(), address: input.address?.trim() || null }).returningAll().executeTakeFirstOrThrow();
    await audit(tx, { action: 'store.create', entity: 'store', entityId: s.id, regionPath: r.path, after: input });
    return storeOut(s);
  });
}

export async function updateStore(ctx: Ctx, id: number, input: { name?: string; address?: string; status?: 'open' | 'closed' }) {
  const s = await storeInScope(ctx, id, 'store.manage');
  return inTransaction(ctx, async (tx) => {
    const next = await tx.db.updateTable('store_stores').set({ ...(input.name ? { name: input.name.trim() } : {}), ...(input.address !== undefined ? { address: input.address.trim() || null } : {}), ...(input.status ? { status: input.status } : {}) }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await audit(tx, { action: 'store.update', entity: 'store', entityId: id, regionPath: s.region_path, before: storeOut(s), after: storeOut(next) });
    return storeOut(next);
  });
}

export async function listStores(ctx: Ctx) {
  const rows = await ctx.db.selectFrom('store_stores').selectAll().where(storeScope(ctx, 'region_path')).orderBy('id').limit(1000).execute();
  return rows.map(storeOut);
}

const goodsOut = (g: { id: number; store_id: number; name: string; unit: string; price: number; stock: number; status: string }) => ({ id: g.id, storeId: g.store_id, name: g.name, unit: g.unit, price: toPoints(g.price), stock: g.stock, status: g.status });

export async function listGoods(ctx: Ctx, storeId: number) {
  await storeInScope(ctx, storeId, 'read');
  const rows = await ctx.db.selectFrom('store_goods').selectAll().where('store_id', '=', storeId).orderBy('id').limit(2000).execute();
  return rows.map(goodsOut);
}

export async function addGoods(ctx: Ctx, storeId: number, input: { name: string; unit?: string; price: number; stock?: number; donor?: string }) {
  const s = await storeInScope(ctx, storeId, 'store.manage');
  const price = toTenths(input.price, 'price');
  return inTransaction(ctx, async (tx) => {
    const exists = await tx.db.selectFrom('store_goods').select('id').where('store_id', '=', storeId).where('name', '=', input.name.trim()).executeTakeFirst();
    if (exists) throw new AppError('STORE_GOODS_EXISTS');
    const g = await tx.db.insertInto('store_goods').values({ county_id: s.county_id, store_id: storeId, region_path: s.region_path, name: input.name.trim(), unit: input.unit?.trim() || '件', price, stock: input.stock ?? 0 }).returningAll().executeTakeFirstOrThrow();
    if (input.stock) {
      await tx.db.insertInto('store_stock_moves').values({ county_id: s.county_id, store_id: storeId, goods_id: g.id, kind: input.donor ? 'donation' : 'purchase', qty: input.stock, donor: input.donor ?? null, note: '上架', redemption_id: null, by_user: ctx.actor.userId }).execute();
    }
    await audit(tx, { action: 'store.goods.add', entity: 'store_goods', entityId: g.id, regionPath: s.region_path, after: goodsOut(g) });
    return goodsOut(g);
  });
}

export async function updateGoods(ctx: Ctx, goodsId: number, input: { name?: string; unit?: string; price?: number; status?: 'on' | 'off' }) {
  const g = await goodsInScope(ctx, goodsId, 'store.manage');
  return inTransaction(ctx, async (tx) => {
    const next = await tx.db
      .updateTable('store_goods')
      .set({
        ...(input.name ? { name: input.name.trim() } : {}), ...(input.unit ? { unit: input.unit.trim() } : {}),
        ...(input.price !== undefined ? { price: toTenths(input.price, 'price') } : {}), ...(input.status ? { status: input.status } : {}), updated_at: new Date(),
      })
      .where('id', '=', goodsId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'store.goods.update', entity: 'store_goods', entityId: goodsId, regionPath: g.region_path, before: goodsOut(g), after: goodsOut(next) });
    return goodsOut(next);
  });
}

async function goodsInScope(ctx: Ctx, goodsId: number, permission: 'store.manage' | 'store.redeem') {
  const g = await ctx.db.selectFrom('store_goods').selectAll().where('id', '=', goodsId).executeTakeFirst();
  if (!g || g.county_id !== ctx.actor.countyId || !covers(ctx.actor, permission, g.region_path)) throw new AppError('STORE_GOODS_NOT_FOUND');
  return g;
}

/** Stock in (donation, purchase) or a counted adjustment; stock can never go below zero. */
export async function moveStock(ctx: Ctx, goodsId: number, input: { kind: 'donation' | 'purchase' | 'adjust'; qty: number; donor?: string; note?: string }) {
  const g = await goodsInScope(ctx, goodsId, 'store.manage');
  if (input.kind !== 'adjust' && input.qty <= 0) throw new AppError('VALIDATION_FAILED', { field: 'qty' }, '入库数量须大于0');
  return inTransaction(ctx, async (tx) => {
    const r = await tx.db.updateTable('store_goods').set({ stock: sql`stock + ${input.qty}`, updated_at: new Date() }).where('id', '=', goodsId).where(sql<boolean>`stock + ${input.qty} >= 0`).returningAll().executeTakeFirst();
    if (!r) throw new AppError('STORE_STOCK_NEGATIVE');
    await tx.db.insertInto('store_stock_moves').values({ county_id: g.county_id, store_id: g.store_id, goods_id: goodsId, kind: input.kind, qty: input.qty, donor: input.donor?.trim() || null, note: input.note?.trim() || null, redemption_id: null, by_user: ctx.actor.userId }).execute();
    await audit(tx, { action: `store.stock.${input.kind}`, entity: 'store_goods', entityId: goodsId, regionPath: g.region_path, before: { stock: g.stock }, after: { stock: r.stock, ...input } });
    return goodsOut(r);
  });
}

// ── Finding the household ─────────────────────────────────────────────────────────────────

const QR_TTL_MS = 10 * 60_000;

/** The villager's redemption code (valid 10 minutes), shown as a QR code on the phone. */
export async function myQr(ctx: Ctx) {
  const subject = await ownSubject(ctx);
  const exp = Date.now() + QR_TTL_MS;
  const body = `${subject.household_id}.${exp}`;
  const token = `XZ1.${body}.${keyedHash('store-qr:' + body).slice(0, 22)}`;
  const svg = await QRCode.toString(token, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { token, svg, expiresAt: new Date(exp).toISOString() };
}

function householdFromQr(token: string): number {
  const m = /^XZ1\.(\d+)\.(\d+)\.([\w-]{22})$/.exec(token.trim());
  if (!m) throw new AppError('STORE_QR_INVALID');
  const body = `${m[1]}.${m[2]}`;
  if (keyedHash('store-qr:' + body).slice(0, 22) !== m[3] || Number(m[2]) < Date.now()) throw new AppError('STORE_QR_INVALID');
  return Number(m[1]);
}

/** Households the store serves that match the QR code, the householder's name or an ID number. */
export async function lookupHousehold(ctx: Ctx, storeId: number, q: { qr?: string; name?: string; idNumber?: string }) {
  const s = await storeInScope(ctx, storeId, 'store.redeem');
  let query = ctx.db
    .selectFrom('households as h')
    .leftJoin('points_subjects as ps', (j) => j.onRef('ps.household_id', '=', 'h.id').on('ps.kind', '=', 'household'))
    .leftJoin('points_balances as b', 'b.subject_id', 'ps.id')
    .select(['h.id', 'h.householder_name', 'h.address', 'h.code', 'b.balance'])
    .where('h.region_path', 'like', `${s.region_path}%`)
    .where(inScope(ctx.actor, 'store.redeem', 'h.region_path'))
    .orderBy('h.id')
    .limit(20);
  if (q.qr) query = query.where('h.id', '=', householdFromQr(q.qr));
  else if (q.idNumber) {
    const id = requireIdNumber(q.idNumber).normalized;
    query = query.where('h.id', 'in', ctx.db.selectFrom('residents').select('household_id').where('county_id', '=', ctx.actor.countyId).where('id_no_hash', '=', keyedHash(id)));
  } else if (q.name?.trim()) query = query.where('h.householder_name', '=', q.name.trim());
  else throw new AppError('STORE_LOOKUP_EMPTY');
  const rows = await query.execute();
  return rows.map((r) => ({ householdId: r.id, name: r.householder_name, address: r.address, code: r.code, spendable: toPoints(Math.max(0, r.balance ?? 0)) }));
}

// ── Redemption ─────────────────────────────────────────────────────────────────────────────

function receiptNo(storeId: number): string {
  const d = beijingDay(new Date()).replace(/-/g, '');
  return `DH${storeId}-${d}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

export async function redeem(ctx: Ctx, storeId: number, input: { householdId: number; goodsId: number; qty: number }) {
  const s = await storeInScope(ctx, storeId, 'store.redeem');
  if (s.status !== 'open') throw new AppError('STORE_CLOSED');
  const hh = await ctx.db.selectFrom('households').select(['id', 'region_path', 'county_id']).where('id', '=', input.householdId).executeTakeFirst();
  if (!hh || hh.county_id !== ctx.actor.countyId || !hh.region_path.startsWith(s.region_path) || !covers(ctx.actor, 'store.redeem', hh.region_path)) {
    throw new AppError('STORE_HOUSEHOLD_NOT_SERVED');
  }
  const id = await inTransaction(ctx, async (tx) => {
    const subject = await ensureHouseholdSubject(tx.db, hh.id);
    const goods = await tx.db.selectFrom('store_goods').select(['id', 'store_id', 'name', 'price', 'status']).where('id', '=', input.goodsId).executeTakeFirst();
    if (!goods || goods.store_id !== storeId) throw new AppError('STORE_GOODS_NOT_FOUND');
    if (goods.status !== 'on') throw new AppError('STORE_GOODS_OFF');
    const total = goods.price * input.qty;
    // Points first, then stock: every redemption takes the two row locks in the same order.
    const paid = await tx.db
      .updateTable('points_balances')
      .set({ balance: sql`balance - ${total}`, spent: sql`spent + ${total}`, updated_at: new Date() })
      .where('subject_id', '=', subject.id)
      .where('balance', '>=', total)
      .returning(['balance'])
      .executeTakeFirst();
    if (!paid) throw new AppError('STORE_INSUFFICIENT_POINTS', { price: toPoints(total) });
    const taken = await tx.db
      .updateTable('store_goods')
      .set({ stock: sql`stock - ${input.qty}`, updated_at: new Date() })
      .where('id', '=', goods.id)
      .where('stock', '>=', input.qty)
      .returning(['stock'])
      .executeTakeFirst();
    if (!taken) throw new AppError('STORE_OUT_OF_STOCK');
    const r = await tx.db
      .insertInto('store_redemptions')
      .values({
        county_id: s.county_id, store_id: storeId, region_path: hh.region_path, store_path: s.region_path, subject_id: subject.id, household_id: hh.id,
        goods_id: goods.id, goods_name: goods.name, qty: input.qty, unit_price: goods.price, total, receipt_no: receiptNo(storeId),
        cashier_id: ctx.actor.userId, cashier_name: ctx.actor.displayName,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.db.insertInto('store_stock_moves').values({ county_id: s.county_id, store_id: storeId, goods_id: goods.id, kind: 'redemption', qty: -input.qty, donor: null, note: null, redemption_id: r.id, by_user: ctx.actor.userId }).execute();
    await audit(tx, { action: 'store.redeem', entity: 'store_redemption', entityId: r.id, regionPath: hh.region_path, after: { householdId: hh.id, goodsId: goods.id, qty: input.qty, total, balanceAfter: paid.balance, stockAfter: taken.stock } });
    return r.id;
  });
  return receiptById(ctx.db, id);
}

async function receiptById(db: Kdb, id: number) {
  const r = await db
    .selectFrom('store_redemptions as r')
    .innerJoin('store_stores as s', 's.id', 'r.store_id')
    .innerJoin('points_subjects as ps', 'ps.id', 'r.subject_id')
    .leftJoin('points_balances as b', 'b.subject_id', 'r.subject_id')
    .select(['r.id', 'r.receipt_no', 'r.store_id', 's.name as store_name', 'r.household_id', 'ps.name as household_name', 'r.goods_id', 'r.goods_name', 'r.qty', 'r.unit_price', 'r.total', 'r.cashier_name', 'r.created_at', 'b.balance'])
    .where('r.id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    id: r.id, receiptNo: r.receipt_no, storeId: r.store_id, storeName: r.store_name, householdId: r.household_id, householdName: r.household_name,
    goodsId: r.goods_id, goodsName: r.goods_name, qty: r.qty, unitPrice: toPoints(r.unit_price), total: toPoints(r.total), cashier: r.cashier_name,
    createdAt: new Date(r.created_at).toISOString(), balanceNow: toPoints(Math.max(0, r.balance ?? 0)),
  };
}

export async function getRedemption(ctx: Ctx, id: number) {
  const r = await ctx.db.selectFrom('store_redemptions').select(['id', 'store_path', 'household_id', 'county_id']).where('id', '=', id).executeTakeFirst();
  if (!r || r.county_id !== ctx.actor.countyId) throw new AppError('STORE_REDEMPTION_NOT_FOUND');
  const own = ctx.actor.kind === 'villager' && ctx.actor.householdId === r.household_id;
  if (!own && !covers(ctx.actor, 'store.redeem', r.store_path) && !covers(ctx.actor, 'store.manage', r.store_path)) throw new AppError('STORE_REDEMPTION_NOT_FOUND');
  return receiptById(ctx.db, id);
}

export async function listRedemptions(ctx: Ctx, q: { storeId?: number; householdId?: number; month?: string; own?: boolean; limit: number; cursor: number | null }) {
  let query = ctx.db
    .selectFrom('store_redemptions as r')
    .innerJoin('store_stores as s', 's.id', 'r.store_id')
    .innerJoin('points_subjects as ps', 'ps.id', 'r.subject_id')
    .select(['r.id', 'r.receipt_no', 'r.store_id', 's.name as store_name', 'r.household_id', 'ps.name as household_name', 'r.goods_name', 'r.qty', 'r.total', 'r.cashier_name', 'r.created_at'])
    .orderBy('r.id', 'desc')
    .limit(q.limit + 1);
  if (q.own) {
    if (!ctx.actor.householdId) throw new AppError('POINTS_NOT_VILLAGER');
    query = query.where('r.household_id', '=', ctx.actor.householdId);
  } else query = query.where(storeScope(ctx, 'r.store_path'));
  if (q.storeId) query = query.where('r.store_id', '=', q.storeId);
  if (q.householdId) query = query.where('r.household_id', '=', q.householdId);
  if (q.month) {
    const b = periodBounds(q.month);
    query = query.where('r.created_at', '>=', new Date(`${b.from}T00:00:00+08:00`)).where('r.created_at', '<=', new Date(`${b.to}T23:59:59.999+08:00`));
  }
  if (q.cursor) query = query.where('r.id', '<', q.cursor);
  return (await query.execute()).map((r) => ({
    id: r.id, receiptNo: r.receipt_no, storeId: r.store_id, storeName: r.store_name, householdId: r.household_id, householdName: r.household_name,
    goodsName: r.goods_name, qty: r.qty, total: toPoints(r.total), cashier: r.cashier_name, createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** Monthly report per goods: in (donations, purchases), out (redemptions), points taken, stock now. */
export async function monthlyReport(ctx: Ctx, storeId: number, month: string) {
  const s = await storeInScope(ctx, storeId, 'read');
  const b = periodBounds(month);
  const from = new Date(`${b.from}T00:00:00+08:00`);
  const to = new Date(`${b.to}T23:59:59.999+08:00`);
  const moves = await ctx.db
    .selectFrom('store_stock_moves')
    .select(['goods_id', 'kind', sql<number>`sum(qty)::int`.as('qty')])
    .where('store_id', '=', storeId)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .groupBy(['goods_id', 'kind'])
    .execute();
  const points = await ctx.db
    .selectFrom('store_redemptions')
    .select(['goods_id', sql<number>`sum(total)::int`.as('total'), sql<number>`count(*)::int`.as('n'), sql<number>`count(distinct household_id)::int`.as('households')])
    .where('store_id', '=', storeId)
    .where('created_at', '>=', from)
    .where('created_at', '<=', to)
    .groupBy('goods_id')
    .execute();
  const goods = await ctx.db.selectFrom('store_goods').selectAll().where('store_id', '=', storeId).orderBy('id').execute();
  const q = (g: number, k: string) => moves.find((m) => m.goods_id === g && m.kind === k)?.qty ?? 0;
  const rows = goods.map((g) => ({
    goodsId: g.id, name: g.name, unit: g.unit, donated: q(g.id, 'donation'), purchased: q(g.id, 'purchase'), adjusted: q(g.id, 'adjust'),
    redeemed: -q(g.id, 'redemption'), points: toPoints(points.find((p) => p.goods_id === g.id)?.total ?? 0), stockNow: g.stock,
  }));
  const hh = await ctx.db.selectFrom('store_redemptions').select(sql<number>`count(distinct household_id)::int`.as('n')).where('store_id', '=', storeId).where('created_at', '>=', from).where('created_at', '<=', to).executeTakeFirstOrThrow();
  return {
    storeId, storeName: s.name, month, rows,
    totals: { redemptions: points.reduce((n, p) => n + p.n, 0), households: hh.n, points: toPoints(points.reduce((n, p) => n + p.total, 0)), redeemedQty: rows.reduce((n, r) => n + r.redeemed, 0), donatedQty: rows.reduce((n, r) => n + r.donated, 0) },
  };
}

/** What a villager can redeem: goods on sale in stores that serve their village (or township). */
export async function myGoods(ctx: Ctx) {
  const subject = await ownSubject(ctx);
  const rows = await ctx.db
    .selectFrom('store_goods as g')
    .innerJoin('store_stores as s', 's.id', 'g.store_id')
    .select(['g.id', 'g.store_id', 's.name as store_name', 'g.name', 'g.unit', 'g.price', 'g.stock', 'g.status'])
    .where(sql<boolean>`${subject.region_path} LIKE s.region_path || '%'`)
    .where('s.status', '=', 'open')
    .where('g.status', '=', 'on')
    .orderBy('g.store_id')
    .orderBy('g.price')
    .limit(500)
    .execute();
  return rows.map((g) => ({ id: g.id, storeId: g.store_id, storeName: g.store_name, name: g.name, unit: g.unit, price: toPoints(g.price), stock: g.stock }));
}

export { hasPermission };
