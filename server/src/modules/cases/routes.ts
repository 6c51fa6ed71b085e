/** HTTP for cases: schemas in, schemas out; the rules are in service.ts / view.ts. */
import { caseMap } from './map.js';
import { Type } from 'typebox';
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { requirePermission } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { audit } from '../../core/audit.js';
import { loadCalendar, setCalendarDay } from '../../core/calendar/index.js';
import { PRC_CALENDAR } from '../../core/calendar/holidays.js';
import { createCategory, enterGridMatter, exitGridMatter, listCategories, listGridMatters, updateCategory } from './catalogue.js';
import { reportCase, stepCase } from './service.js';
import { caseDetail, caseDuplicates, casesFromOpinions, listCases } from './view.js';
import { ratesReport } from './rates.js';
import { ratesWorkbook, casesWorkbook } from './export.js';
import { PHOTO_MAX_BYTES, readPublicPhoto, storePhoto } from './photos.js';
import { retrainTriage, suggest } from './triage.js';
import * as S from './schema.js';

const TAG = ['事件办理'];
const TAG_CAT = ['事件分类与网格事项'];
const IdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function caseRoutes(app: App) {
  const db = app.database.db;

  // ── catalogue ──
  app.get('/cases/categories', {
    schema: { tags: TAG_CAT, summary: '事件分类目录（含默认办理层级与时限）', querystring: Type.Object({ all: Type.Optional(Type.Boolean()) }), response: { 200: Type.Object({ items: Type.Array(S.Category) }) } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    return { items: await listCategories(db, ctx.actor.countyId, !!req.query.all) };
  });

  app.post('/cases/categories', {
    schema: { tags: TAG_CAT, summary: '新增事件分类', body: S.CategoryBody, response: { 200: S.Category } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    requirePermission(ctx.actor, 'cases.catalogue');
    return createCategory(ctx, req.body);
  });

  app.patch('/cases/categories/:id', {
    schema: { tags: TAG_CAT, summary: '修改事件分类（层级、时限、停用）', params: IdParam, body: S.CategoryPatch, response: { 200: S.Category } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    requirePermission(ctx.actor, 'cases.catalogue');
    return updateCategory(ctx, req.params.id, req.body);
  });

  app.get('/cases/grid-matters', {
    schema: { tags: TAG_CAT, summary: '网格事项清单', querystring: Type.Object({ all: Type.Optional(Type.Boolean()) }), response: { 200: Type.Object({ items: Type.Array(S.GridMatter) }) } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    return { items: await listGridMatters(db, ctx.actor.countyId, !!req.query.all) };
  });

  app.post('/cases/grid-matters', {
    schema: { tags: TAG_CAT, summary: '网格事项准入', body: S.GridMatterBody, response: { 200: Type.Object({ id: Type.Integer() }) } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    requirePermission(ctx.actor, 'cases.catalogue');
    return { id: await enterGridMatter(ctx, req.body) };
  });

  app.post('/cases/grid-matters/:id/exit', {
    schema: { tags: TAG_CAT, summary: '网格事项退出', params: IdParam, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: Type.Object({ ok: Type.Boolean() }) } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    requirePermission(ctx.actor, 'cases.catalogue');
    await exitGridMatter(ctx, req.params.id, req.body.reason);
    return { ok: true };
  });

  // ── calendar ──
  app.get('/calendar', {
    schema: {
      tags: ['工作日历'], summary: '县工作日历（某月每天是否工作日）',
      querystring: Type.Object({ month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }) }),
      response: { 200: Type.Object({ provisional: Type.Boolean(), days: Type.Array(Type.Object({ day: Type.String(), workday: Type.Boolean(), name: Type.String() })) }) },
    },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    const cal = await loadCalendar(db, ctx.actor.countyId);
    const [y, m] = req.query.month.split('-').map(Number) as [number, number];
    const days = [];
    for (let d = 1; d <= new Date(Date.UTC(y, m, 0)).getUTCDate(); d++) days.push(cal.describe(`${req.query.month}-${String(d).padStart(2, '0')}`));
    return { provisional: PRC_CALENDAR.find((c) => c.year === y)?.provisional ?? true, days };
  });

  app.put('/calendar/days/:day', {
    schema: {
      tags: ['工作日历'], summary: '设置本县节假日或调休上班日（覆盖全国安排）',
      params: Type.Object({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }),
      body: Type.Object({ kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]), name: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ ok: Type.Boolean() }) },
    },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    requirePermission(ctx.actor, 'calendar.manage');
    await setCalendarDay(db, ctx.actor.countyId, req.params.day, req.body.kind, req.body.name);
    await audit(ctx, { action: 'calendar.set_day', entity: 'calendar_day', entityId: req.params.day, after: req.body });
    return { ok: true };
  });

  // ── photos ──
  app.post('/cases/photos', {
    schema: { tags: TAG, summary: `上传照片（multipart 字段 file，JPEG/PNG/WebP，不超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB；公开副本去除 EXIF）`, consumes: ['multipart/form-data'], response: { 200: Type.Object({ id: Type.Integer(), width: Type.Integer(), height: Type.Integer(), bytes: Type.Integer() }) } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    const file = await req.file({ limits: { fileSize: PHOTO_MAX_BYTES, files: 1 } });
    if (!file) throw new AppError('CASE_PHOTO_NOT_IMAGE');
    let buf: Buffer;
    try {
      buf = await file.toBuffer();
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('CASE_PHOTO_TOO_LARGE', { maxBytes: PHOTO_MAX_BYTES });
      throw e;
    }
    if (file.file.truncated) throw new AppError('CASE_PHOTO_TOO_LARGE', { maxBytes: PHOTO_MAX_BYTES });
    return storePhoto(ctx, buf);
  });

  app.get('/cases/photos/:id', { schema: { tags: TAG, summary: '查看照片（去除元数据的公开副本）', params: IdParam } }, async (req, reply) => {
    const ctx = ctxOf(req, db);
    const buf = await readPublicPhoto(ctx, req.params.id);
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(buf);
  });

  // ── report ──
  app.post('/cases', {
    // The report's client id is its idempotency key (unique per reporter; a resend returns the case).
    config: { idempotencyField: 'clientId' },
    schema: { tags: TAG, summary: '上报事件（手机端带 clientId 与 Idempotency-Key，重复提交只生成一件）', body: S.ReportBody, response: { 200: S.ReportResult } },
  }, async (req, reply) => {
    const r = await reportCase(ctxOf(req, db), req.body);
    // Same signal as a replay by Idempotency-Key (core/http.ts), so a phone reads one header.
    if (r.replayed) reply.header('idempotent-replayed', 'true');
    return r;
  });

  app.post('/cases/from-opinions', {
    schema: { tags: TAG, summary: '院坝会、走访收集的意见一键转为事件（保留来源）', body: S.OpinionsBody, response: { 200: Type.Object({ items: Type.Array(S.ReportResult) }) } },
  }, async (req) => ({ items: await casesFromOpinions(ctxOf(req, db), req.body.source, req.body.sourceRef, req.body.opinions) }));

  app.post('/cases/triage', {
    schema: { tags: TAG, summary: '智能分拨建议：分类与承办单位前三位及置信度', body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: S.Triage } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    if (!['cases.report', 'cases.handle', 'cases.read'].some((p) => ctx.actor.grants.some((g) => g.permissions.includes(p)))) throw new AppError('FORBIDDEN');
    return suggest(db, ctx.actor.countyId, req.body.text);
  });

  app.post('/cases/triage/retrain', {
    schema: { tags: TAG, summary: '立即用本县历史分拨重新训练分拨模型', response: { 200: Type.Object({ samples: Type.Integer() }) } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    requirePermission(ctx.actor, 'cases.catalogue');
    const r = await retrainTriage(db, ctx.actor.countyId);
    await audit(ctx, { action: 'case_triage.retrain', entity: 'triage_model', entityId: ctx.actor.countyId, after: r });
    return r;
  });

  // ── lists and figures ──
  app.get('/cases', {
    schema: { tags: TAG, summary: '事件清单：inbox 待我办理、problem 问题清单、assigned 交办清单、closed 销号清单、supervision 督办、mine 我反映的', querystring: S.ListQuery, response: { 200: Type.Object({ items: Type.Array(S.CaseItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async (req) => listCases(ctxOf(req, db), req.query as Parameters<typeof listCases>[1]));

  app.get('/cases/export.xlsx', {
    schema: { tags: TAG, summary: '导出事件清单（.xlsx，最多 10000 条）', querystring: Type.Omit(S.ListQuery, ['cursor', 'limit']) },
  }, async (req, reply) => {
    const ctx = ctxOf(req, db);
    requirePermission(ctx.actor, 'cases.read');
    const items = [];
    let cursor: string | undefined;
    do {
      const page = await listCases(ctx, { ...(req.query as object), cursor, limit: 200 });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && items.length < 10_000);
    const names: Record<string, string> = { inbox: '待办事件', problem: '问题清单', assigned: '交办清单', closed: '销号清单', supervision: '督办清单', mine: '我反映的事件', all: '事件清单' };
    const title = names[(req.query as { list?: string }).list ?? 'all'] ?? '事件清单';
    await audit(ctx, { action: 'case.export', entity: 'case', note: `${title} ${items.length} 条` });
    return reply.type(XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(title)}.xlsx`).send(await casesWorkbook(title, items));
  });

  app.get('/cases/map', {
    schema: { tags: TAG, summary: '挂图作战：辖区在办事件按村汇总（在办、黄灯、红灯、督办）及带坐标的在办事件', querystring: S.MapQuery, response: { 200: S.CaseMap } },
  }, async (req) => caseMap(ctxOf(req, db), req.query));

  app.get('/cases/rates', {
    schema: { tags: TAG, summary: '办理指标（响应率、结案率、按期结案率、超期率、满意率、平均结案时长），可逐级下钻', querystring: S.RatesQuery, response: { 200: S.RatesReport } },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    requirePermission(ctx.actor, 'cases.read');
    return ratesReport(db, ctx.actor, req.query);
  });

  app.get('/cases/rates.xlsx', {
    schema: { tags: TAG, summary: '导出办理指标（.xlsx）', querystring: S.RatesQuery },
  }, async (req, reply) => {
    const ctx = ctxOf(req, db);
    requirePermission(ctx.actor, 'cases.read');
    const r = await ratesReport(db, ctx.actor, req.query);
    await audit(ctx, { action: 'case.rates_export', entity: 'region', entityId: r.unit.id, note: `${req.query.from}~${req.query.to}` });
    return reply.type(XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(r.unit.name + '办理指标')}.xlsx`).send(await ratesWorkbook(r));
  });

  // ── one case ──
  app.get('/cases/:id', {
    schema: { tags: TAG, summary: '事件详情（含全过程记录与当前可执行的操作）', params: IdParam, response: { 200: S.CaseDetail } },
  }, async (req) => caseDetail(ctxOf(req, db), req.params.id));

  app.get('/cases/:id/duplicates', {
    schema: { tags: TAG, summary: '疑似重复事件（同类、200 米内、7 天内、描述相似）', params: IdParam, response: { 200: Type.Object({ items: Type.Array(S.Duplicate) }) } },
  }, async (req) => ({ items: await caseDuplicates(ctxOf(req, db), req.params.id) }));

  app.post('/cases/:id/:action', {
    schema: {
      tags: TAG,
      summary: '办理环节：accept 受理、escalate 上报、dispatch 分拨、send_back 退回、request_extension/approve_extension/reject_extension 延期、suspend/resume 挂起恢复、resolve 办结、rate 评价、reopen 重办、confirm 确认解决、merge 合并、supervise 督办',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), action: Type.Union(S.STEP_ACTIONS.map((a) => Type.Literal(a))) }),
      body: S.StepBody,
      // `case` is null when the step moved the case out of the caller's sight (a department
      // sending a misrouted case back).
      response: { 200: Type.Object({ id: Type.Integer(), state: Type.String(), level: Type.String(), case: Type.Union([S.CaseDetail, Type.Null()]) }) },
    },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    const saved = await stepCase(ctx, req.params.id, req.params.action, req.body);
    const detail = await caseDetail(ctx, req.params.id).catch((e) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    });
    return { id: saved.id, state: saved.state, level: saved.level, case: detail };
  });
}
