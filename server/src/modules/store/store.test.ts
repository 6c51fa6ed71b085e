import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import { AppError } from '../../core/errors.js';
import { buildAdoptedRuleBook, buildEntry, buildStore, systemCtx } from '../points/testing/factories.js';
import { redeem } from './service.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
let itemD02: number;
let store: { id: number };
let soap: { id: number };

const login = async (u: string) => new Client(app).login(u);
const balanceOf = async (householdId: number) =>
  (await database.db.selectFrom('points_balances as b').innerJoin('points_subjects as s', 's.id', 'b.subject_id').select(['b.balance', 'b.spent']).where('s.household_id', '=', householdId).executeTakeFirst()) ?? { balance: 0, spent: 0 };

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
  const book = await buildAdoptedRuleBook(database.db, world.countyId, world.regions.villageA1.id);
  itemD02 = book.categories.flatMap((c) => c.items).find((i) => i.code === 'D02')!.id;
  // hA1a: 6 分 to spend
  await buildEntry(database.db, world.countyId, { householdId: world.households.hA1a, itemId: itemD02, score: 3 });
  await buildEntry(database.db, world.countyId, { householdId: world.households.hA1a, itemId: itemD02, score: 3 });
}, 300_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('the store', () => {
  it('opens a store, lists goods, takes donations and refuses a negative stock', async () => {
    const c = await login('villageA1');
    const s = await c.post('/api/v1/store/stores', { regionId: world.regions.villageA1.id, name: '一村积分超市', address: '村党群服务中心' });
    expect(s.status).toBe(201);
    store = s.body;
    expect((await c.post('/api/v1/store/stores', { regionId: world.regions.villageB1.id, name: 'x' })).status).toBe(404);
    expect((await c.post('/api/v1/store/stores', { regionId: world.regions.groupA1.id, name: 'x' })).body.code).toBe('STORE_LEVEL');
    const g = await c.post(`/api/v1/store/stores/${store.id}/goods`, { name: '洗衣皂', unit: '块', price: 2, stock: 10, donor: '爱心企业' });
    expect(g.status).toBe(201);
    soap = g.body;
    expect((await c.post(`/api/v1/store/stores/${store.id}/goods`, { name: '洗衣皂', price: 1 })).body.code).toBe('STORE_GOODS_EXISTS');
    const d = await c.post(`/api/v1/store/goods/${soap.id}/stock`, { kind: 'donation', qty: 5, donor: '乡贤李某' });
    expect(d.body.stock).toBe(15);
    const neg = await c.post(`/api/v1/store/goods/${soap.id}/stock`, { kind: 'adjust', qty: -16, note: '盘点' });
    expect(neg.body.code).toBe('STORE_STOCK_NEGATIVE');
    expect((await c.get(`/api/v1/store/stores/${store.id}/goods`)).body[0].stock).toBe(15);
    expect((await (await login('villageB1')).get(`/api/v1/store/stores/${store.id}/goods`)).status).toBe(404);
    expect((await (await login('gridA1')).post(`/api/v1/store/stores/${store.id}/goods`, { name: 'y', price: 1 })).status).toBe(403);
  });

  it('finds the household by the phone QR code, by ID number and by name', async () => {
    const qr = await (await login('villagerA1')).get('/api/v1/store/my/qr');
    expect(qr.status).toBe(200);
    expect(qr.body.svg).toContain('<svg');
    const cashier = await login('gridA1');
    const byQr = await cashier.get(`/api/v1/store/stores/${store.id}/lookup?qr=${encodeURIComponent(qr.body.token)}`);
    expect(byQr.body).toEqual([expect.objectContaining({ householdId: world.households.hA1a, spendable: 6 })]);
    const forged = qr.body.token.replace(/\.(\d+)\./, `.${world.households.hA1b}.`);
    expect((await cashier.get(`/api/v1/store/stores/${store.id}/lookup?qr=${encodeURIComponent(forged)}`)).body.code).toBe('STORE_QR_INVALID');
    const byId = await cashier.get(`/api/v1/store/stores/${store.id}/lookup?idNumber=${world.idNumbers.hA1a}`);
    expect(byId.body.map((h: { householdId: number }) => h.householdId)).toEqual([world.households.hA1a]);
    expect((await cashier.get(`/api/v1/store/stores/${store.id}/lookup?idNumber=123`)).body.code).toBe('INVALID_ID_NUMBER');
    const byName = await cashier.get(`/api/v1/store/stores/${store.id}/lookup?name=${encodeURIComponent('张建国')}`);
    expect(byName.body.length).toBe(1);
    expect((await cashier.get(`/api/v1/store/stores/${store.id}/lookup?idNumber=${world.idNumbers.hA2a}`)).body).toEqual([]);
  });

  it('redeems: spendable points and stock fall, the ranking score does not; receipts and history', async () => {
    const v = await login('villagerA1');
    const before = (await v.get('/api/v1/points/my')).body;
    const cashier = await login('gridA1');
    const r = await cashier.post(`/api/v1/store/stores/${store.id}/redemptions`, { householdId: world.households.hA1a, goodsId: soap.id, qty: 2 }, { 'idempotency-key': 'till-1' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ goodsName: '洗衣皂', qty: 2, total: 4, balanceNow: 2, householdName: '张建国户' });
    expect(r.body.receiptNo).toMatch(/^DH\d+-\d{8}-[0-9A-F]{8}$/);
    // a retried request from the till does not redeem twice
    const again = await cashier.post(`/api/v1/store/stores/${store.id}/redemptions`, { householdId: world.households.hA1a, goodsId: soap.id, qty: 2 }, { 'idempotency-key': 'till-1' });
    expect(again.body.id).toBe(r.body.id);
    const after = (await v.get('/api/v1/points/my')).body;
    expect(after.spendable).toBe(before.spendable - 4);
    expect(after.quarter.score).toBe(before.quarter.score);
    expect(after.year.score).toBe(before.year.score);
    expect((await cashier.get(`/api/v1/store/stores/${store.id}/goods`)).body[0].stock).toBe(13);

    const poor = await cashier.post(`/api/v1/store/stores/${store.id}/redemptions`, { householdId: world.households.hA1a, goodsId: soap.id, qty: 2 });
    expect(poor.status).toBe(409);
    expect(poor.body).toMatchObject({ code: 'STORE_INSUFFICIENT_POINTS', message: '可用积分不足，无法兑换' });
    expect((await cashier.post(`/api/v1/store/stores/${store.id}/redemptions`, { householdId: world.households.hA2a, goodsId: soap.id, qty: 1 })).body.code).toBe('STORE_HOUSEHOLD_NOT_SERVED');
    expect((await (await login('villageB1')).post(`/api/v1/store/stores/${store.id}/redemptions`, { householdId: world.households.hA1a, goodsId: soap.id, qty: 1 })).status).toBe(404);
    expect((await cashier.post(`/api/v1/store/stores/${store.id}/redemptions`, { householdId: world.households.hA1a, goodsId: soap.id, qty: 0 })).status).toBe(400);
    expect(await balanceOf(world.households.hA1a)).toMatchObject({ balance: 20, spent: 40 });

    const receipt = await v.get(`/api/v1/store/redemptions/${r.body.id}`);
    expect(receipt.status).toBe(200);
    expect((await (await login('villagerB1')).get(`/api/v1/store/redemptions/${r.body.id}`)).status).toBe(404);
    const mine = await v.get('/api/v1/store/my/redemptions');
    expect(mine.body.items.map((x: { id: number }) => x.id)).toEqual([r.body.id]);
    const goods = await v.get('/api/v1/store/my/goods');
    expect(goods.body[0]).toMatchObject({ name: '洗衣皂', price: 2, stock: 13 });
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const report = await (await login('villageA1')).get(`/api/v1/store/stores/${store.id}/report?month=${month}`);
    expect(report.body.rows[0]).toMatchObject({ donated: 15, redeemed: 2, points: 4, stockNow: 13 });
    expect(report.body.totals).toMatchObject({ redemptions: 1, households: 1, points: 4 });
  });
});

describe('many cashiers at once', () => {
  it('100 redemptions on one household: no negative balance, each success recorded once', async () => {
    await buildEntry(database.db, world.countyId, { householdId: world.households.hA1b, itemId: itemD02, score: 3 }); // 30 tenths
    const { store: s, goods } = await buildStore(database.db, world.countyId, world.regions.villageA1.id, { name: '食盐', price: 0.1, stock: 1000 });
    const ctx = await systemCtx(database.db, world.countyId);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => redeem(ctx, s.id, { householdId: world.households.hA1b, goodsId: goods.id, qty: 1 })));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toBe(30);
    expect(refused.every((r) => (r as PromiseRejectedResult).reason instanceof AppError && (r as PromiseRejectedResult).reason.code === 'STORE_INSUFFICIENT_POINTS')).toBe(true);
    expect(await balanceOf(world.households.hA1b)).toMatchObject({ balance: 0, spent: 30 });
    const rows = await database.db.selectFrom('store_redemptions').select(sql<number>`count(*)::int`.as('n')).where('goods_id', '=', goods.id).executeTakeFirstOrThrow();
    expect(rows.n).toBe(30);
    const g = await database.db.selectFrom('store_goods').select('stock').where('id', '=', goods.id).executeTakeFirstOrThrow();
    expect(g.stock).toBe(970);
  });

  it('100 redemptions on one item with little stock: no negative stock, each success recorded once', async () => {
    for (let i = 0; i < 4; i++) await buildEntry(database.db, world.countyId, { householdId: world.households.hA1c, itemId: itemD02, score: 3 }); // 120 tenths
    const { store: s, goods } = await buildStore(database.db, world.countyId, world.regions.villageA1.id, { name: '大米', price: 0.1, stock: 5 });
    const ctx = await systemCtx(database.db, world.countyId);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => redeem(ctx, s.id, { householdId: world.households.hA1c, goodsId: goods.id, qty: 1 })));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(5);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'STORE_OUT_OF_STOCK')).toBe(true);
    const g = await database.db.selectFrom('store_goods').select('stock').where('id', '=', goods.id).executeTakeFirstOrThrow();
    expect(g.stock).toBe(0);
    expect(await balanceOf(world.households.hA1c)).toMatchObject({ balance: 115, spent: 5 });
    const moves = await database.db.selectFrom('store_stock_moves').select(sql<number>`count(*)::int`.as('n')).where('goods_id', '=', goods.id).where('kind', '=', 'redemption').executeTakeFirstOrThrow();
    expect(moves.n).toBe(5);
  });
});
