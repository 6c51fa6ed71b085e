/** HTTP for deliberation (议事协商, 四议两公开): schemas in, one service call, result out. */
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { Page } from '../../core/paging.js';
import { AppError } from '../../core/errors.js';
import * as s from './schema.js';
import { addRemark, castVote, closeVote, createMeeting, createTopic, getTopic, listTopics, myDeliberation, myTopic, overview, recordCounts, stepTopic } from './service.js';

const tags = ['议事协商'];

export async function deliberationRoutes(app: App) {
  const db = app.database.db;

  app.get('/me/deliberation', {
    schema: { tags, summary: '村务议事：本村已公开的决议与实施结果、正在进行的网上表决；党员另见党员大会审议事项', response: { 200: s.MyDeliberation } },
  }, async (req) => myDeliberation(ctxOf(req, db)));

  app.get('/me/deliberation/topics/:id', {
    schema: { tags, summary: '本村一项已公开的决议（村民）或审议事项（党员）：公告、表决结果、实施结果', params: s.IdParam, response: { 200: s.TopicDetail } },
  }, async (req) => myTopic(ctxOf(req, db), req.params.id));

  app.post('/me/deliberation/meetings/:id/vote', {
    schema: { tags, summary: '村民按户投票（每户一票，表决截止后不能再投）', params: s.IdParam, body: s.VoteBody, response: { 200: s.VoteResult } },
  }, async (req) => castVote(ctxOf(req, db), req.params.id, req.body.choice));

  app.get('/deliberation/topics', {
    schema: { tags, summary: '议题清单：按状态、类别、区划、标题或编号筛选', querystring: s.ListQuery, response: { 200: Page(s.TopicItem) } },
  }, async (req) => listTopics(ctxOf(req, db), req.query));

  app.post('/deliberation/topics', {
    schema: { tags, summary: '提出议题（党支部、村民联名或村委会提议）', body: s.TopicBody, response: { 200: s.TopicDetail } },
  }, async (req) => createTopic(ctxOf(req, db), req.body));

  app.get('/deliberation/topics/:id', {
    schema: { tags, summary: '议题详情：四议两公开环节、会议与表决、过程记录、可执行的操作', params: s.IdParam, response: { 200: s.TopicDetail } },
  }, async (req) => getTopic(ctxOf(req, db), req.params.id));

  app.post('/deliberation/topics/:id/remarks', {
    schema: { tags, summary: '乡镇指导意见（guide）或村务监督委员会异议（objection）', params: s.IdParam, body: s.RemarkBody, response: { 200: s.TopicDetail } },
  }, async (req) => addRemark(ctxOf(req, db), req.params.id, req.body));

  app.post('/deliberation/topics/:id/meetings', {
    schema: { tags, summary: '发布会议通知（须提前 3 天以上）：两委会、党员大会、村民代表会议、村民会议；村民会议可网上按户表决', params: s.IdParam, body: s.MeetingBody, response: { 200: s.Meeting } },
  }, async (req) => createMeeting(ctxOf(req, db), req.params.id, req.body));

  app.post('/deliberation/meetings/:id/counts', {
    schema: { tags, summary: '会后登记到会人数与赞成、反对、弃权票数；是否达到法定人数、是否通过由系统计算', params: s.IdParam, body: s.CountsBody, response: { 200: s.Meeting } },
  }, async (req) => recordCounts(ctxOf(req, db), req.params.id, req.body));

  app.post('/deliberation/meetings/:id/close', {
    schema: { tags, summary: '结束网上按户表决并计票', params: s.IdParam, response: { 200: s.Meeting } },
  }, async (req) => closeVote(ctxOf(req, db), req.params.id));

  app.post('/deliberation/topics/:id/:action', {
    schema: {
      tags,
      summary: '四议两公开环节：branch_propose 党支部提议、committee_discuss 两委会商议、members_review 党员大会审议、resolve 决议、publish 决议公开、implement 组织实施、complete 实施结果公开',
      params: s.StepParams, body: s.StepBody, response: { 200: s.StepResult },
    },
  }, async (req) => {
    const ctx = ctxOf(req, db);
    const saved = await stepTopic(ctx, req.params.id, req.params.action, req.body);
    const topic = await getTopic(ctx, req.params.id).catch((e) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    });
    return { id: saved.id, state: saved.state, topic };
  });

  app.get('/deliberation/overview', {
    schema: { tags, summary: '议事协商概况：各村议题按状态计数', querystring: s.OverviewQuery, response: { 200: s.Overview } },
  }, async (req) => overview(ctxOf(req, db), req.query));
}
