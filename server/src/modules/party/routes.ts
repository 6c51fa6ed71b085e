import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { Page } from '../../core/paging.js';
import * as s from './schema.js';
import * as svc from './service.js';

const tags = ['党组织与党员联户'];

export async function partyRoutes(app: App) {
  const db = app.database.db;

  app.get('/party/orgs', {
    schema: { tags, summary: '党组织列表', querystring: s.OrgListQuery, response: { 200: Page(s.Org) } },
  }, async (req) => svc.listOrgs(ctxOf(req, db), req.query));

  app.get('/party/orgs/:id', {
    schema: { tags, summary: '党组织详情', params: s.IdParam, response: { 200: s.Org } },
  }, async (req) => svc.getOrg(ctxOf(req, db), req.params.id));

  app.post('/party/orgs', {
    schema: { tags, summary: '新建党组织', body: s.OrgCreate, response: { 201: s.Org } },
  }, async (req, reply) => reply.code(201).send(await svc.createOrg(ctxOf(req, db), req.body)));

  app.get('/party/members', {
    schema: { tags, summary: '党员列表（underQuota=1 仅列联系户未达定额的党员）', querystring: s.MemberListQuery, response: { 200: Page(s.Member) } },
  }, async (req) => svc.listMembers(ctxOf(req, db), req.query));

  app.get('/party/members/:id', {
    schema: { tags, summary: '党员详情（含联系户）', params: s.IdParam, response: { 200: s.MemberDetail } },
  }, async (req) => svc.getMember(ctxOf(req, db), req.params.id));

  app.post('/party/members', {
    schema: { tags, summary: '登记党员（选择居民或填写姓名）', body: s.MemberCreate, response: { 201: s.MemberDetail } },
  }, async (req, reply) => reply.code(201).send(await svc.createMember(ctxOf(req, db), req.body)));

  app.patch('/party/members/:id', {
    schema: { tags, summary: '修改党员信息（转出时自动释放联系户）', params: s.IdParam, body: s.MemberPatch, response: { 200: s.MemberDetail } },
  }, async (req) => svc.updateMember(ctxOf(req, db), req.params.id, req.body));

  app.post('/party/links', {
    schema: { tags, summary: '党员联户（批量，全部成功或全部不写入）', body: s.LinkCreate, response: { 201: s.LinkResult } },
  }, async (req, reply) => reply.code(201).send(await svc.linkHouseholds(ctxOf(req, db), req.body)));

  app.delete('/party/links/:id', {
    schema: { tags, summary: '解除联户', params: s.IdParam, response: { 200: s.Ok } },
  }, async (req) => svc.unlink(ctxOf(req, db), req.params.id));

  app.get('/party/coverage', {
    schema: { tags, summary: '党员联户覆盖情况（按村汇总）', querystring: s.RegionQuery, response: { 200: s.Coverage } },
  }, async (req) => svc.coverage(ctxOf(req, db), req.query.regionId));

  app.get('/party/uncovered-households', {
    schema: { tags, summary: '尚无党员联系的农户', querystring: s.RegionPageQuery, response: { 200: Page(s.UncoveredHousehold) } },
  }, async (req) => svc.uncoveredHouseholds(ctxOf(req, db), req.query));

  app.get('/party/members-under-quota', {
    schema: { tags, summary: '联系户未达定额的党员', querystring: s.RegionPageQuery, response: { 200: Page(s.Member) } },
  }, async (req) => svc.listMembers(ctxOf(req, db), req.query, true));
}

