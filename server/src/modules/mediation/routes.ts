/** HTTP for mediation (矛盾纠纷调解): schemas in, one service call, result out. */
import { Type } from 'typebox';
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { AppError } from '../../core/errors.js';
import { Page, PageQuery } from '../../core/paging.js';
import * as s from './schema.js';
import {
  applyForMediation, disputeFromCase, disputeStats, editDispute, getDispute, getMyDispute, listDisputes, listMediators, listMyDisputes,
  myMediators, registerDispute, setProfile, stepDispute,
} from './service.js';

const tags = ['矛盾纠纷调解'];

export async function mediationRoutes(app: App) {
  const db = app.database.db;

  // ── villagers (their own applications only) ──
  app.post('/me/disputes', {
    schema: { tags, summary: '村民申请调解：纠纷类型、概况、诉求、对方当事人，可从调解员库中选择调解员', body: s.ApplyBody, response: { 200: s.DisputeDetail } },
  }, async (req) => applyForMediation(ctxOf(req, db), req.body));

  app.get('/me/disputes', {
    schema: { tags, summary: '我的调解申请（进度与八步环节）', querystring: PageQuery, response: { 200: Page(s.DisputeItem) } },
  }, async (req) => listMyDisputes(ctxOf(req, db), req.query));

  app.get('/me/disputes/:id', {
    schema: { tags, summary: '我的一件调解申请：环节、过程记录、调解协议', params: s.IdParam, response: { 200: s.DisputeDetail } },
  }, async (req) => getMyDispute(ctxOf(req, db), req.params.id));

  app.get('/me/mediators', {
    schema: { tags, summary: '可供我选择的调解员（本村、本镇、县级调解员库）', response: { 200: Type.Object({ items: Type.Array(s.Mediator) }) } },
  }, async (req) => myMediators(ctxOf(req, db)));

  // ── staff ──
  app.post('/disputes', {
    schema: { tags, summary: '登记矛盾纠纷（来访、热线、走访发现）：当事人、诉求、层级', body: s.RegisterBody, response: { 200: s.DisputeDetail } },
  }, async (req) => registerDispute(ctxOf(req, db), req.body));

  app.post('/disputes/from-case', {
    schema: { tags, summary: '把矛盾纠纷类事件一键转为调解（来源“事件”；同一事件重复提交返回同一纠纷）', body: s.FromCaseBody, response: { 200: s.FromCaseResult } },
  }, async (req) => disputeFromCase(ctxOf(req, db), req.body));

  app.get('/disputes', {
    schema: { tags, summary: '矛盾纠纷清单：按状态、类型、层级、区划、超期、编号或概况筛选；mine 只看分给我调解的', querystring: s.ListQuery, response: { 200: Page(s.DisputeItem) } },
  }, async (req) => listDisputes(ctxOf(req, db), req.query));

  app.get('/disputes/:id', {
    schema: { tags, summary: '纠纷详情：八步环节、当事人（号码脱敏）、调解记录、协议、过程记录与可执行的操作', params: s.IdParam, response: { 200: s.DisputeDetail } },
  }, async (req) => getDispute(ctxOf(req, db), req.params.id));

  app.patch('/disputes/:id', {
    schema: { tags, summary: '修改纠纷信息（类型、层级、概况、诉求、金额；归档后只读；带 version 乐观锁）', params: s.IdParam, body: s.EditBody, response: { 200: s.DisputeDetail } },
  }, async (req) => editDispute(ctxOf(req, db), req.params.id, req.body));

  app.post('/disputes/:id/:action', {
    schema: {
      tags,
      summary: '调解环节：accept 受理、reject 不予受理、assign 确定调解人员、investigate 调查核实、inform 告之相关事宜、mediate 开展调解、agree 调解协议、fail 调解不成、follow_up 纠纷回访、archive 整理卷宗',
      params: s.StepParams, body: s.StepBody, response: { 200: s.StepResult },
    },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    const saved = await stepDispute(ctx, req.params.id, req.params.action, req.body);
    const dispute = await getDispute(ctx, req.params.id).catch((e) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    });
    return { id: saved.id, state: saved.state, dispute };
  });

  // ── the pool and the figures ──
  app.get('/mediation/mediators', {
    schema: { tags, summary: '调解员库：辖区及上级的调解员、专长、在办件数、调解成功率', querystring: s.MediatorQuery, response: { 200: Type.Object({ items: Type.Array(s.Mediator) }) } },
  }, async (req) => listMediators(ctxOf(req, db), req.query));

  app.put('/mediation/mediators/:userId/profile', {
    schema: { tags, summary: '维护调解员专长与简介（本人或其所在地的管理干部）', params: s.UserParam, body: s.ProfileBody, response: { 200: s.Mediator } },
  }, async (req) => setProfile(ctxOf(req, db), req.params.userId, req.body));

  app.get('/mediation/stats', {
    schema: { tags, summary: '调解统计：受理、调结、调解成功数与成功率（成功数 ÷ 调结数）、超期，按类型、按村', querystring: s.StatsQuery, response: { 200: s.Stats } },
  }, async (req) => disputeStats(ctxOf(req, db), req.query));
}
