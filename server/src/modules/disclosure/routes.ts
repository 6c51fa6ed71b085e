/** HTTP for 村务公开 (disclosure): schemas in, one service call, result out. */
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { Page } from '../../core/paging.js';
import * as s from './schema.js';
import * as svc from './service.js';

const tags = ['村务公开'];
// Where the service types a field more loosely than it is (iso() → string | null for a NOT NULL
// time, a month's entries as unknown[]), the handler states the schema's type with a checked cast.
type P<T> = Promise<T>;

export async function disclosureRoutes(app: App) {
  const db = app.database.db;

  // ── finance entries and their sign-off ──
  app.post('/disclosure/entries', {
    schema: { tags, summary: '录入收支：支出按本村审签流程逐级审签，收入直接入账；不收付现金', body: s.EntryBody, response: { 200: s.EntryDetail } },
  }, async (req) => svc.createEntry(ctxOf(req, db), req.body) as P<s.EntryDetail>);
  app.get('/disclosure/entries', {
    schema: { tags, summary: '收支清单：按村、状态、收支、月份筛选；pending 只看待我审签的', querystring: s.ListQuery, response: { 200: Page(s.EntryItem) } },
  }, async (req) => svc.listEntries(ctxOf(req, db), req.query) as P<{ items: s.EntryItem[]; nextCursor: string | null }>);
  app.get('/disclosure/entries/:id', {
    schema: { tags, summary: '收支详情：审签流程、审签记录、过程记录与可执行的操作', params: s.IdParam, response: { 200: s.EntryDetail } },
  }, async (req) => svc.getEntry(ctxOf(req, db), req.params.id) as P<s.EntryDetail>);
  app.post('/disclosure/entries/:id/reverse', {
    schema: { tags, summary: '冲销已入账的收支（生成一笔反向分录，原分录不变）', params: s.IdParam, body: s.ReverseBody, response: { 200: s.EntryDetail } },
  }, async (req) => svc.reverseEntry(ctxOf(req, db), req.params.id, req.body) as P<s.EntryDetail>);
  app.post('/disclosure/entries/:id/:action', {
    schema: { tags, summary: '审签环节：sign 审签、return 退回（须写理由）、resubmit 重新提交（可修改金额、用途、凭证号）', params: s.StepParams, body: s.StepBody, response: { 200: s.StepResult } },
  }, async (req) => svc.stepEntry(ctxOf(req, db), req.params.id, req.params.action, req.body) as P<s.EntryDetail | null>);

  app.get('/disclosure/villages', {
    schema: { tags, summary: '我可查看村务公开的村（选择器用）', response: { 200: s.Villages } },
  }, async (req) => svc.myVillages(ctxOf(req, db)));

  // ── the chain ──
  app.get('/disclosure/chain', {
    schema: { tags, summary: '审签流程：本村的（未设置则用全县默认）', querystring: s.ChainQuery, response: { 200: s.Chain } },
  }, async (req) => svc.getChain(ctxOf(req, db), req.query.villageId));
  app.put('/disclosure/chain', {
    schema: { tags, summary: '设置审签流程（县级设全县默认，乡镇设所辖村的；最多 8 步）', body: s.ChainBody, response: { 200: s.Chain } },
  }, async (req) => svc.setChain(ctxOf(req, db), req.body));

  // ── months, audits, year close ──
  app.get('/disclosure/villages/:villageId/months', {
    schema: { tags, summary: '本村各月公示情况', params: s.VillageParam, response: { 200: s.MonthList } },
  }, async (req) => svc.listMonths(ctxOf(req, db), req.params.villageId));
  app.get('/disclosure/villages/:villageId/months/:month', {
    schema: { tags, summary: '月度公示：期初、收入、支出、期末，按类别合计与明细（已公示的为公示时的数）', params: s.MonthParams, response: { 200: s.StaffMonthView } },
  }, async (req) => svc.monthView(ctxOf(req, db), req.params.villageId, req.params.month) as P<s.StaffMonthView>);
  app.post('/disclosure/villages/:villageId/months/:month/publish', {
    schema: { tags, summary: '村务监督委员会确认并公示本月（公示后本月冻结，迟到的收支计入下月）', params: s.MonthParams, body: s.PublishBody, response: { 200: s.StaffMonthView } },
  }, async (req) => svc.publishMonth(ctxOf(req, db), req.params.villageId, req.params.month, req.body) as P<s.StaffMonthView>);
  app.post('/disclosure/villages/:villageId/audits', {
    schema: { tags, summary: '乡镇季度审计意见', params: s.VillageParam, body: s.AuditBody, response: { 200: s.AuditResult } },
  }, async (req) => svc.auditQuarter(ctxOf(req, db), req.params.villageId, req.body));
  app.post('/disclosure/villages/:villageId/close-year', {
    schema: { tags, summary: '年终结账：此后不再接受该年度的收支', params: s.VillageParam, body: s.CloseBody, response: { 200: s.CloseResult } },
  }, async (req) => svc.closeYear(ctxOf(req, db), req.params.villageId, req.body.year));
  app.get('/disclosure/overview', {
    schema: { tags, summary: '辖区各村全年收支、待审签笔数、已公示月数', querystring: s.OverviewQuery, response: { 200: s.Overview } },
  }, async (req) => svc.overview(ctxOf(req, db), req.query.year));

  // ── notices ──
  app.post('/disclosure/notices', {
    schema: { tags, summary: '发布村务公开栏公告（党务、村务、财务公开、惠民政策）', body: s.NoticeBody, response: { 200: s.Notice } },
  }, async (req) => svc.createNotice(ctxOf(req, db), req.body) as P<s.Notice>);
  app.get('/disclosure/notices', {
    schema: { tags, summary: '辖区公告清单', querystring: s.NoticeQuery, response: { 200: Page(s.Notice) } },
  }, async (req) => svc.listNotices(ctxOf(req, db), req.query) as P<{ items: s.Notice[]; nextCursor: string | null }>);

  // ── villagers: their own village ──
  app.get('/me/disclosure/months', {
    schema: { tags, summary: '村民：本村已公示的月份', response: { 200: s.MyMonths } },
  }, async (req) => svc.myMonths(ctxOf(req, db)) as P<s.MyMonths>);
  app.get('/me/disclosure/months/:month', {
    schema: { tags, summary: '村民：本村某月的公示（合计与明细）', params: s.MyMonthParams, response: { 200: s.MonthView } },
  }, async (req) => svc.myMonth(ctxOf(req, db), req.params.month) as P<s.MonthView>);
  app.get('/me/disclosure/notices', {
    schema: { tags, summary: '村民：本村公开栏（在公示期内的公告）', querystring: s.MyNoticeQuery, response: { 200: Page(s.Notice) } },
  }, async (req) => svc.myNotices(ctxOf(req, db), req.query) as P<{ items: s.Notice[]; nextCursor: string | null }>);
}
