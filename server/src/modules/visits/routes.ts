/** HTTP for visits (走访): schemas in, one service call, result out. */
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { Page } from '../../core/paging.js';
import * as s from './schema.js';
import { coverage, getVisit, listVisits, opinionToCase, recordVisit, unvisited } from './service.js';
import { Type } from 'typebox';

const tags = ['走访'];

export async function visitRoutes(app: App) {
  const db = app.database.db;

  app.post('/visits', {
    schema: {
      tags, summary: '登记一次入户走访（见到的人、情况、需求与意见、回访日期；手机端带 clientId 与 Idempotency-Key）',
      body: s.VisitBody, response: { 200: s.VisitDetail },
    },
  }, async (req) => recordVisit(ctxOf(req, db), req.body));

  app.get('/visits', {
    schema: {
      tags, summary: '走访记录：按户、区划、网格、走访人、日期筛选；mine 只看我登记的',
      querystring: s.VisitListQuery, response: { 200: Page(s.VisitItem) },
    },
  }, async (req) => listVisits(ctxOf(req, db), req.query));

  app.get('/visits/coverage', {
    schema: {
      tags, summary: '走访覆盖：各村户数、近 N 天已走访与未走访户数、走访次数、收集意见与转事件数、到期回访',
      querystring: s.CoverageQuery, response: { 200: s.Coverage },
    },
  }, async (req) => coverage(ctxOf(req, db), req.query));

  app.get('/visits/unvisited', {
    schema: {
      tags, summary: '近 N 天未走访的户（按区划或网格）',
      querystring: s.UnvisitedQuery,
      response: { 200: Type.Object({ days: Type.Integer(), since: Type.String(), items: Type.Array(s.UnvisitedHousehold), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (req) => unvisited(ctxOf(req, db), req.query));

  app.get('/visits/:id', {
    schema: { tags, summary: '走访详情（意见转成的事件编号与状态）', params: s.IdParam, response: { 200: s.VisitDetail } },
  }, async (req) => getVisit(ctxOf(req, db), req.params.id));

  app.post('/visits/:id/opinions/:opinionId/case', {
    schema: {
      tags, summary: '把走访收集的一条意见一键转为事件（来源“走访”；重复提交返回同一事件）',
      params: s.OpinionParams, body: s.ToCaseBody, response: { 200: s.ToCaseResult },
    },
  }, async (req) => opinionToCase(ctxOf(req, db), req.params.id, req.params.opinionId, req.body));
}
