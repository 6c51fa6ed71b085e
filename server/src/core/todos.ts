/**
 * 待办: GET /api/v1/me/todos gathers what waits for the caller from every module that declares
 * `todos` (core/module.ts) — cases in their inbox, points claims to review, disputes to accept …
 * — each counted within the caller's scope. The console home shows them as its first row, so a
 * cadre who logs in sees the day's work before the menu.
 */
import { Type } from 'typebox';
import type { App, ModuleDef, TodoItem } from './module.js';
import { ctxOf } from './http.js';

const Todo = Type.Object({
  key: Type.String(), label: Type.String(), count: Type.Integer(), path: Type.String(), phonePath: Type.Union([Type.String(), Type.Null()]),
  tone: Type.Union([Type.Literal('default'), Type.Literal('warning'), Type.Literal('danger')]),
});

export function todoRoutes(modules: readonly ModuleDef[]) {
  return async (app: App) => {
    const db = app.database.db;
    app.get('/me/todos', {
      schema: { tags: ['我的'], summary: '我的待办：各模块等我处理的事项及数量（按管辖范围）', response: { 200: Type.Object({ items: Type.Array(Todo) }) } },
    }, async (req) => {
      const ctx = ctxOf(req, db);
      const lists = await Promise.all(modules.filter((m) => m.todos).map((m) => m.todos!(ctx)));
      const items = lists.flat().map((t) => ({ ...t, phonePath: t.phonePath ?? null, tone: t.tone ?? 'default' }));
      return { items };
    });
  };
}
