/** HTTP for the points store (积分超市). */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { hasPermission, requirePermission } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { decodeCursor, pageOf } from '../../core/paging.js';
import * as svc from './service.js';

const tags = ['积分超市'];
const o = { additionalProperties: false } as const;
const IdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Cursor = { cursor: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) };
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' });

export async function storeRoutes(app: App) {
  const db = app.database.db;
  const ctx = (req: FastifyRequest, permission: string) => {
    const c = ctxOf(req, db);
    requirePermission(c.actor, permission);
    return c;
  };
  /** Cashiers and managers both read stores, goods and redemptions. */
  const reader = (req: FastifyRequest) => {
    const c = ctxOf(req, db);
    if (!hasPermission(c.actor, 'store.redeem') && !hasPermission(c.actor, 'store.manage')) throw new AppError('FORBIDDEN', { permission: 'store.redeem' });
    return c;
  };

  app.get('/store/stores', { schema: { tags, summary: '积分超市列表' } }, async (req) => svc.listStores(reader(req)));
  app.post('/store/stores', {
    schema: { tags, summary: '开设积分超市（村或乡镇）', body: Type.Object({ regionId: Type.Integer({ minimum: 1 }), name: Text(60), address: Type.Optional(Type.String({ maxLength: 200 })) }, o) },
  }, async (req, reply) => reply.code(201).send(await svc.createStore(ctx(req, 'store.manage'), req.body)));
  app.patch('/store/stores/:id', {
    schema: { tags, summary: '修改积分超市', params: IdParam, body: Type.Object({ name: Type.Optional(Text(60)), address: Type.Optional(Type.String({ maxLength: 200 })), status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])) }, o) },
  }, async (req) => svc.updateStore(ctx(req, 'store.manage'), req.params.id, req.body));

  app.get('/store/stores/:id/goods', { schema: { tags, summary: '商品与库存', params: IdParam } }, async (req) => svc.listGoods(reader(req), req.params.id));
  app.post('/store/stores/:id/goods', {
    schema: {
      tags, summary: '上架商品（可同时登记入库数量与捐赠人）', params: IdParam,
      body: Type.Object({ name: Text(60), unit: Type.Optional(Text(10)), price: Type.Number({ minimum: 0.1, maximum: 100000 }), stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })), donor: Type.Optional(Text(100)) }, o),
    },
  }, async (req, reply) => reply.code(201).send(await svc.addGoods(ctx(req, 'store.manage'), req.params.id, req.body)));
  app.patch('/store/goods/:id', {
    schema: {
      tags, summary: '修改商品（名称、单位、积分价格、上下架）', params: IdParam,
      body: Type.Object({ name: Type.Optional(Text(60)), unit: Type.Optional(Text(10)), price: Type.Optional(Type.Number({ minimum: 0.1, maximum: 100000 })), status: Type.Optional(Type.Union([Type.Literal('on'), Type.Literal('off')])) }, o),
    },
  }, async (req) => svc.updateGoods(ctx(req, 'store.manage'), req.params.id, req.body));
  app.post('/store/goods/:id/stock', {
    schema: {
      tags, summary: '入库（捐赠、采购）或盘点调整', params: IdParam,
      body: Type.Object({ kind: Type.Union([Type.Literal('donation'), Type.Literal('purchase'), Type.Literal('adjust')]), qty: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }), donor: Type.Optional(Text(100)), note: Type.Optional(Type.String({ maxLength: 200 })) }, o),
    },
  }, async (req, reply) => reply.code(201).send(await svc.moveStock(ctx(req, 'store.manage'), req.params.id, req.body)));

  app.get('/store/stores/:id/lookup', {
    schema: { tags, summary: '收银查户：扫码、姓名或身份证号', params: IdParam, querystring: Type.Object({ qr: Type.Optional(Type.String({ maxLength: 120 })), name: Type.Optional(Type.String({ maxLength: 40 })), idNumber: Type.Optional(Type.String({ maxLength: 18 })) }) },
  }, async (req) => svc.lookupHousehold(ctx(req, 'store.redeem'), req.params.id, req.query));
  app.post('/store/stores/:id/redemptions', {
    schema: { tags, summary: '积分兑换（扣减可用积分与库存，出具小票）', params: IdParam, body: Type.Object({ householdId: Type.Integer({ minimum: 1 }), goodsId: Type.Integer({ minimum: 1 }), qty: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }) }, o) },
  }, async (req, reply) => reply.code(201).send(await svc.redeem(ctx(req, 'store.redeem'), req.params.id, req.body)));
  app.get('/store/redemptions', {
    schema: { tags, summary: '兑换记录', querystring: Type.Object({ storeId: Type.Optional(Type.Integer({ minimum: 1 })), householdId: Type.Optional(Type.Integer({ minimum: 1 })), month: Type.Optional(Month), ...Cursor }) },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    return pageOf(await svc.listRedemptions(reader(req), { ...req.query, limit, cursor: decodeCursor(req.query.cursor) }), limit);
  });
  app.get('/store/redemptions/:id', { schema: { tags, summary: '兑换小票', params: IdParam } }, async (req) => svc.getRedemption(ctxOf(req, db), req.params.id));
  app.get('/store/stores/:id/report', { schema: { tags, summary: '月度报表（入库、兑换、积分、库存）', params: IdParam, querystring: Type.Object({ month: Month }) } },
    async (req) => svc.monthlyReport(reader(req), req.params.id, req.query.month));

  // villager (phone)
  app.get('/store/my/qr', { schema: { tags, summary: '我的兑换码（10分钟有效）' } }, async (req) => svc.myQr(ctx(req, 'points.self')));
  app.get('/store/my/goods', { schema: { tags, summary: '可兑换的商品' } }, async (req) => svc.myGoods(ctx(req, 'points.self')));
  app.get('/store/my/redemptions', { schema: { tags, summary: '我的兑换记录', querystring: Type.Object(Cursor) } }, async (req) => {
    const limit = req.query.limit ?? 50;
    return pageOf(await svc.listRedemptions(ctx(req, 'points.self'), { own: true, limit, cursor: decodeCursor(req.query.cursor) }), limit);
  });
}
