import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { Page } from '../../core/paging.js';
import * as s from './schema.js';
import * as svc from './service.js';

const tags = ['包保'];

export async function assignmentRoutes(app: App) {
  const db = app.database.db;

  app.get('/assignments', {
    schema: { tags, summary: '包保关系列表（默认仅在岗，status=all 含历史）', querystring: s.AssignmentListQuery, response: { 200: Page(s.Assignment) } },
  }, async (req) => svc.list(ctxOf(req, db), req.query));

  app.get('/assignments/:id', {
    schema: { tags, summary: '包保关系详情', params: s.IdParam, response: { 200: s.Assignment } },
  }, async (req) => svc.get(ctxOf(req, db), req.params.id));

  app.post('/assignments', {
    schema: { tags, summary: '新建包保关系', body: s.AssignmentCreate, response: { 201: s.Assignment } },
  }, async (req, reply) => reply.code(201).send(await svc.create(ctxOf(req, db), req.body)));

  app.delete('/assignments/:id', {
    schema: { tags, summary: '结束包保关系（保留历史）', params: s.IdParam, response: { 200: s.Assignment } },
  }, async (req) => svc.end(ctxOf(req, db), req.params.id));
}
