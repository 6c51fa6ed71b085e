/** HTTP for service orders (三单). */
import { Type } from 'typebox';
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { decodeCursor } from '../../core/paging.js';
import { candidates, listOrders, orderDetail, requestOrder, SERVICE_KINDS, stepOrder } from './service.js';

const TAG = ['三单服务'];
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const IdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const Detail = Type.Object({
  id: Type.Integer(), code: Type.String(), kind: Type.String(), title: Type.String(), description: Type.String(), state: Type.String(), stateLabel: Type.String(),
  requesterName: Type.String(), memberId: Nullable(Type.Integer()), memberName: Nullable(Type.String()), result: Nullable(Type.String()), rating: Nullable(Type.Integer()),
  createdAt: Type.String(), assignedAt: Nullable(Type.String()), takenAt: Nullable(Type.String()), completedAt: Nullable(Type.String()),
  history: Type.Array(Type.Object({ action: Type.String(), actorName: Type.String(), from: Nullable(Type.String()), to: Type.String(), comment: Nullable(Type.String()), at: Type.String() })),
  actions: Type.Array(Type.Object({ action: Type.String(), label: Type.String() })),
});

export async function serviceOrderRoutes(app: App) {
  const db = app.database.db;

  app.post('/service-orders', {
    schema: {
      tags: TAG, summary: '村民点单（手机端带 clientId 与 Idempotency-Key）',
      body: Type.Object({
        kind: Type.Union(SERVICE_KINDS.map((k) => Type.Literal(k))),
        title: Type.String({ minLength: 2, maxLength: 60 }),
        description: Type.Optional(Type.String({ maxLength: 1000 })),
        clientId: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.Integer(), code: Type.String(), state: Type.String(), replayed: Type.Boolean() }) },
    },
  }, async (req) => requestOrder(ctxOf(req, db), req.body));

  app.get('/service-orders', {
    schema: {
      tags: TAG, summary: '服务单列表：mine 我点的单、member 派给我的单、village 辖区',
      querystring: Type.Object({
        list: Type.Union([Type.Literal('mine'), Type.Literal('member'), Type.Literal('village')]),
        cursor: Type.Optional(Type.String({ maxLength: 64 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
      }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), kind: Type.String(), title: Type.String(), state: Type.String(), stateLabel: Type.String(), requesterName: Type.String(), memberName: Nullable(Type.String()), rating: Nullable(Type.Integer()), createdAt: Type.String() })),
          nextCursor: Nullable(Type.String()),
        }),
      },
    },
  }, async (req) => listOrders(ctxOf(req, db), req.query.list, decodeCursor(req.query.cursor), req.query.limit ?? 50));

  app.get('/service-orders/:id', { schema: { tags: TAG, summary: '服务单详情', params: IdParam, response: { 200: Detail } } }, async (req) => orderDetail(ctxOf(req, db), req.params.id));

  app.get('/service-orders/:id/candidates', {
    schema: { tags: TAG, summary: '可派单的本村党员（联户党员在前）', params: IdParam, response: { 200: Type.Object({ items: Type.Array(Type.Object({ memberId: Type.Integer(), name: Type.String(), linked: Type.Boolean() })) }) } },
  }, async (req) => ({ items: await candidates(ctxOf(req, db), req.params.id) }));

  app.post('/service-orders/:id/:action', {
    schema: {
      tags: TAG, summary: '服务单环节：assign 支部下单（不指定则派给联户党员）、take 接单、decline 退回、complete 完成、rate 评价、cancel 取消',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), action: Type.Union(['assign', 'take', 'decline', 'complete', 'rate', 'cancel'].map((a) => Type.Literal(a))) }),
      body: Type.Object({
        comment: Type.Optional(Type.String({ maxLength: 1000 })),
        memberId: Type.Optional(Type.Integer({ minimum: 1 })),
        result: Type.Optional(Type.String({ maxLength: 2000 })),
        rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.Integer(), state: Type.String(), order: Nullable(Detail) }) },
    },
  }, async (req) => stepOrder(ctxOf(req, db), req.params.id, req.params.action, req.body));
}
