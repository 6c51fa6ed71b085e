/**
 * A module declares itself (Decidim's component manifest): its routes, jobs, seeds and menu
 * entries. modules/index.ts lists the modules; app.ts and the job runner read that list.
 */
import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kdb } from '../db/database.js';
import type { Ctx } from './context.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export type JobHandler = (db: Kdb, payload: Record<string, unknown>) => Promise<void>;

/**
 * One line of the console home's 待办: what waits for the caller in a module, counted within their
 * scope, and the console page where they deal with it.
 */
export interface TodoItem {
  key: string; // stable, e.g. 'cases.inbox'
  label: string; // 中文, e.g. '待我受理办理的事件'
  count: number;
  path: string; // console route, e.g. '/cases/inbox'
  /** The phone page for it (under /m), when the work is done on the phone too, e.g. '/cases/mine'. */
  phonePath?: string;
  tone?: 'default' | 'warning' | 'danger';
}

export interface MenuEntry {
  key: string; // i18n key, e.g. 'menu.households'
  path: string; // console route
  permission?: string;
}

export interface ModuleDef {
  name: string;
  /** Registered under /api/v1. */
  routes?: (app: App) => Promise<void> | void;
  jobs?: Record<string, JobHandler>;
  menu?: MenuEntry[];
  /** Default data a newly loaded county needs (catalogues, templates); runs inside the load's transaction. */
  seed?: (db: Kdb, countyId: number) => Promise<unknown>;
  /** What waits for the caller here (GET /me/todos, the console home). Only lines they may act on. */
  todos?: (ctx: Ctx) => Promise<TodoItem[]>;
}
