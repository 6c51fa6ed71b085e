/** In-app notifications of the caller: list, unread count, mark read. */
import { Type } from 'typebox';
import type { App } from '../module.js';
import { ctxOf } from '../http.js';
import { decodeCursor, encodeCursor } from '../paging.js';
import { listNotifications, markRead, unreadCount } from './notify.js';

const Notification = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  entity: Type.Union([Type.String(), Type.Null()]),
  entityId: Type.Union([Type.Integer(), Type.Null()]),
  read: Type.Boolean(),
  createdAt: Type.String(),
});

export async function notifyRoutes(app: App) {
  const db = app.database.db;
  app.get('/notifications', {
    schema: {
      tags: ['消息通知'],
      summary: '我的消息（最新在前）',
      querystring: Type.Object({
        unread: Type.Optional(Type.Boolean()),
        cursor: Type.Optional(Type.String({ maxLength: 64 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Notification), nextCursor: Type.Union([Type.String(), Type.Null()]), unread: Type.Integer() }) },
    },
  }, async (req) => {
    const { actor } = ctxOf(req, db);
    const limit = req.query.limit ?? 30;
    const rows = await listNotifications(db, actor.userId, { unreadOnly: req.query.unread, before: decodeCursor(req.query.cursor), limit });
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return {
      items: items.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, entity: n.entity, entityId: n.entity_id, read: !!n.read_at, createdAt: new Date(n.created_at).toISOString() })),
      nextCursor: more ? encodeCursor(items[items.length - 1]!.id) : null,
      unread: await unreadCount(db, actor.userId),
    };
  });

  app.post('/notifications/read', {
    schema: {
      tags: ['消息通知'],
      summary: '标记已读（ids 省略则全部已读）',
      body: Type.Object({ ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ updated: Type.Integer() }) },
    },
  }, async (req) => {
    const { actor } = ctxOf(req, db);
    return { updated: await markRead(db, actor.userId, req.body.ids ?? 'all') };
  });
}
