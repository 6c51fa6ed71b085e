/** HTTP for 村务公开 (disclosure): schemas in, one service call, result out. */
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import * as s from './schema.js';
import * as svc from './service.js';

const tags = ['村务公开'];

export async function disclosureRoutes(app: App) {
  const db = app.database.db;

  // ── finance entries and their sign-off ──
  app.post('/disclosure/entries', {
    schema: { tags, summary: '录入收支：支出按本村审签流程逐级审签，收入直接入账；不收付现金', body: s.EntryBody },
  }, async (req) => svc.createEntry(ctxOf(req, db), req.body));
  app.get('/disclosure/entries', {
    schema: { tags, summary: '收支清单：按村、状态、收支、月份筛选；pending 只看待我审签的', querystring: s.ListQuery },
  }, async (req) => svc.listEntries(ctxOf(req, db), req.query));
  app.get('/disclosure/entries/:id', {
    schema: { tags, summary: '收支详情：审签流程、审签记录、过程记录与可执行的操作', params: s.IdParam },
  }, async (req) => svc.getEntry(ctxOf(req, db), req.params.id));
  app.post('/disclosure/entries/:id/reverse', {
    schema: { tags, summary: '冲销已入账的收支（生成一笔反向分录，原分录不变）', params: s.IdParam, body: s.ReverseBody },
  }, async (req) => svc.reverseEntry(ctxOf(req, db), req.params.id, req.body));
  app.post('/disclosure/entries/:id/:action', {
    schema: { tags, summary: '审签环节：sign 审签、return 退回（须写理由）、resubmit 重新提交（可修改金额、用途、凭证号）', params: s.StepParams, body: s.StepBody },
  }, async (req) => svc.stepEntry(ctxOf(req, db), req.params.id, req.params.action, req.body));

  app.get('/disclosure/villages', {
    schema: { tags, summary: '我可查看村务公开的村（选择器用）' },
  }, async (req) => svc.myVillages(ctxOf(req, db)));

  // ── the chain ──
  app.get('/disclosure/chain', {
    schema: { tags, summary: '审签流程：本村的（未设置则用全县默认）', querystring: s.ChainQuery },
  }, async (req) => svc.getChain(ctxOf(req, db), req.query.villageId));
  app.put('/disclosure/chain', {
    schema: { tags, summary: '设置审签流程（县级设全县默认，乡镇设所辖村的；最多 8 步）', body: s.ChainBody },
  }, async (req) => svc.setChain(ctxOf(req, db), req.body));

  // ── months, audits, year close ──
  app.get('/disclosure/villages/:villageId/months', {
    schema: { tags, summary: '本村各月公示情况', params: s.VillageParam },
  }, async (req) => svc.listMonths(ctxOf(req, db), req.params.villageId));
  app.get('/disclosure/villages/:villageId/months/:month', {
    schema: { tags, summary: '月度公示：期初、收入、支出、期末，按类别合计与明细（已公示的为公示时的数）', params: s.MonthParams },
  }, async (req) => svc.monthView(ctxOf(req, db), req.params.villageId, req.params.month));
  app.post('/disclosure/villages/:villageId/months/:month/publish', {
    schema: { tags, summary: '村务监督委员会确认并公示本月（公示后本月冻结，迟到的收支计入下月）', params: s.MonthParams, body: s.PublishBody },
  }, async (req) => svc.publishMonth(ctxOf(req, db), req.params.villageId, req.params.month, req.body));
  app.post('/disclosure/villages/:villageId/audits', {
    schema: { tags, summary: '乡镇季度审计意见', params: s.VillageParam, body: s.AuditBody },
  }, async (req) => svc.auditQuarter(ctxOf(req, db), req.params.villageId, req.body));
  app.post('/disclosure/villages/:villageId/close-year', {
    schema: { tags, summary: '年终结账：此后不再接受该年度的收支', params: s.VillageParam, body: s.CloseBody },
  }, async (req) => svc.closeYear(ctxOf(req, db), req.params.villageId, req.body.year));
  app.get('/disclosure/overview', {
    schema: { tags, summary: '辖区各村全年收支、待审签笔数、已公示月数', querystring: s.OverviewQuery },
  }, async (req) => svc.overview(ctxOf(req, db), req.query.year));

  // ── notices ──
  app.post('/disclosure/notices', {
    schema: { tags, summary: '发布村务公开栏公告（党务、村务、财务公开、惠民政策）', body: s.NoticeBody },
  }, async (req) => svc.createNotice(ctxOf(req, db), req.body));
  app.get('/disclosure/notices', {
    schema: { tags, summary: '辖区公告清单', querystring: s.NoticeQuery },
  }, async (req) => svc.listNotices(ctxOf(req, db), req.query));

  // ── villagers: their own village ──
  app.get('/me/disclosure/months', {
    schema: { tags, summary: '村民：本村已公示的月份' },
  }, async (req) => svc.myMonths(ctxOf(req, db)));
  app.get('/me/disclosure/months/:month', {
    schema: { tags, summary: '村民：本村某月的公示（合计与明细）', params: s.MyMonthParams },
  }, async (req) => svc.myMonth(ctxOf(req, db), req.params.month));
  app.get('/me/disclosure/notices', {
    schema: { tags, summary: '村民：本村公开栏（在公示期内的公告）', querystring: s.MyNoticeQuery },
  }, async (req) => svc.myNotices(ctxOf(req, db), req.query));
}
