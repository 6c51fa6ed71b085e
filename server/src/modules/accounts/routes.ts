import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { Page } from '../../core/paging.js';
import { Type } from 'typebox';
import * as s from './schema.js';
import * as svc from './service.js';

const tags = ['账号与授权'];

export async function accountRoutes(app: App) {
  const db = app.database.db;

  app.get('/accounts', {
    schema: { tags, summary: '账号列表（仅列出完全在本人管辖范围内的账号）', querystring: s.AccountListQuery, response: { 200: Page(s.Account) } },
  }, async (req) => svc.listAccounts(ctxOf(req, db), req.query));

  app.get('/accounts/:id', {
    schema: { tags, summary: '账号详情', params: s.IdParam, response: { 200: s.Account } },
  }, async (req) => svc.getAccount(ctxOf(req, db), req.params.id));

  app.post('/accounts', {
    schema: { tags, summary: '新建账号（工作人员或村民）', body: s.AccountCreate, response: { 201: s.Account } },
  }, async (req, reply) => reply.code(201).send(await svc.createAccount(ctxOf(req, db), req.body)));

  app.patch('/accounts/:id', {
    schema: { tags, summary: '修改姓名或启用/停用账号', params: s.IdParam, body: s.AccountPatch, response: { 200: s.Account } },
  }, async (req) => svc.updateAccount(ctxOf(req, db), req.params.id, req.body));

  app.post('/accounts/:id/grants', {
    schema: { tags, summary: '在区划上授予角色', params: s.IdParam, body: s.GrantInput, response: { 201: s.Account } },
  }, async (req, reply) => reply.code(201).send(await svc.addGrant(ctxOf(req, db), req.params.id, req.body)));

  app.delete('/accounts/:id/grants/:grantId', {
    schema: { tags, summary: '撤销角色授权', params: s.GrantParam, response: { 200: s.Account } },
  }, async (req) => svc.removeGrant(ctxOf(req, db), req.params.id, req.params.grantId));

  app.post('/accounts/:id/reset-password', {
    schema: { tags, summary: '重置密码（同时注销该账号的所有登录）', params: s.IdParam, body: s.ResetPassword, response: { 200: s.Ok } },
  }, async (req) => svc.resetPassword(ctxOf(req, db), req.params.id, req.body.password));

  app.post('/accounts/:id/unlock', {
    schema: { tags, summary: '解除登录锁定', params: s.IdParam, response: { 200: s.Account } },
  }, async (req) => svc.unlock(ctxOf(req, db), req.params.id));

  app.post('/accounts/:id/reset-totp', {
    schema: { tags, summary: '重置两步验证（手机丢失时；下次登录须重新绑定）', params: s.IdParam, response: { 200: s.Account } },
  }, async (req) => svc.resetTotp(ctxOf(req, db), req.params.id));

  app.get('/roles', {
    schema: { tags, summary: '角色及其权限（带 regionId 时标明可否授予）', querystring: s.RolesQuery, response: { 200: Type.Array(s.Role) } },
  }, async (req) => svc.listRoles(ctxOf(req, db), req.query.regionId));

  app.get('/permissions', {
    schema: { tags, summary: '权限清单', response: { 200: Type.Array(s.Permission) } },
  }, async (req) => svc.listPermissions(ctxOf(req, db)));
}
