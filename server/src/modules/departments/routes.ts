import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { Page } from '../../core/paging.js';
import * as s from './schema.js';
import * as svc from './service.js';

const tags = ['县直部门'];

export async function departmentRoutes(app: App) {
  const db = app.database.db;

  app.get('/departments', {
    schema: { tags, summary: '县直部门列表', querystring: s.DepartmentListQuery, response: { 200: Page(s.Department) } },
  }, async (req) => svc.list(ctxOf(req, db), req.query));

  app.get('/departments/:id', {
    schema: { tags, summary: '县直部门详情（含联系村）', params: s.IdParam, response: { 200: s.DepartmentDetail } },
  }, async (req) => svc.get(ctxOf(req, db), req.params.id));

  app.post('/departments', {
    schema: { tags, summary: '新建县直部门', body: s.DepartmentCreate, response: { 201: s.DepartmentDetail } },
  }, async (req, reply) => reply.code(201).send(await svc.create(ctxOf(req, db), req.body)));

  app.patch('/departments/:id', {
    schema: { tags, summary: '修改县直部门', params: s.IdParam, body: s.DepartmentPatch, response: { 200: s.DepartmentDetail } },
  }, async (req) => svc.update(ctxOf(req, db), req.params.id, req.body));

  app.put('/departments/:id/villages', {
    schema: { tags, summary: '设置部门联系村（整体替换）', params: s.IdParam, body: s.VillagesPut, response: { 200: s.DepartmentDetail } },
  }, async (req) => svc.setVillages(ctxOf(req, db), req.params.id, req.body.regionIds));
}
