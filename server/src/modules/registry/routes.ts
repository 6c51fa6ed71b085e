/** HTTP for the registry: validate, call one service function, present. Rules live in service/. */
import { Type } from 'typebox';
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { Page } from '../../core/paging.js';
import * as s from './schema.js';
import { addStaff, createGrid, getGrid, listGrids, removeStaff, updateGrid } from './service/grids.js';
import { createHousehold, getHousehold, householdHistory, listHouseholds, updateHousehold } from './service/households.js';
import { addResident, getResident, listResidents, revealResident, updateResident } from './service/residents.js';
import { linkedMemberPhone, myGridHouseholds, myGrids, myHousehold } from './service/me.js';

const GRIDS = ['网格'];
const HOUSEHOLDS = ['户籍'];
const RESIDENTS = ['居民'];
const ME = ['我的'];

export async function registryRoutes(app: App) {
  const db = app.database.db;

  // ---- grids
  app.get('/grids', {
    schema: { tags: GRIDS, summary: '网格列表（含网格人员与户数）', querystring: s.GridListQuery, response: { 200: Page(s.Grid) } },
  }, async (req) => listGrids(ctxOf(req, db), req.query));

  app.get('/grids/:id', {
    schema: { tags: GRIDS, summary: '网格详情', params: s.IdParams, response: { 200: s.GridDetail } },
  }, async (req) => getGrid(ctxOf(req, db), req.params.id));

  app.post('/grids', {
    schema: { tags: GRIDS, summary: '新建网格', body: s.CreateGridBody, response: { 201: s.GridDetail } },
  }, async (req, reply) => reply.code(201).send(await createGrid(ctxOf(req, db), req.body)));

  app.patch('/grids/:id', {
    schema: { tags: GRIDS, summary: '修改网格（需带 version）', params: s.IdParams, body: s.UpdateGridBody, response: { 200: s.GridDetail } },
  }, async (req) => updateGrid(ctxOf(req, db), req.params.id, req.body));

  app.post('/grids/:id/staff', {
    schema: { tags: GRIDS, summary: '添加网格人员', params: s.IdParams, body: s.AddStaffBody, response: { 201: s.GridDetail } },
  }, async (req, reply) => reply.code(201).send(await addStaff(ctxOf(req, db), req.params.id, req.body)));

  app.delete('/grids/:id/staff/:staffId', {
    schema: { tags: GRIDS, summary: '移除网格人员', params: s.StaffParams, response: { 200: Type.Object({ ok: Type.Boolean() }) } },
  }, async (req) => {
    await removeStaff(ctxOf(req, db), req.params.id, req.params.staffId);
    return { ok: true };
  });

  // ---- households
  app.get('/households', {
    schema: { tags: HOUSEHOLDS, summary: '户列表（可按区划、网格、户主/户编号、标签、身份证号、手机号查找）', querystring: s.HouseholdListQuery, response: { 200: Page(s.Household) } },
  }, async (req) => listHouseholds(ctxOf(req, db), req.query));

  app.get('/households/:id', {
    schema: { tags: HOUSEHOLDS, summary: '户详情（含家庭成员、联户党员、包保人）', params: s.IdParams, response: { 200: s.HouseholdDetail } },
  }, async (req) => getHousehold(ctxOf(req, db), req.params.id));

  app.post('/households', {
    schema: { tags: HOUSEHOLDS, summary: '新建户', body: s.CreateHouseholdBody, response: { 201: s.HouseholdDetail } },
  }, async (req, reply) => reply.code(201).send(await createHousehold(ctxOf(req, db), req.body)));

  app.patch('/households/:id', {
    schema: { tags: HOUSEHOLDS, summary: '修改户信息（需带 version，过期返回 409）', params: s.IdParams, body: s.UpdateHouseholdBody, response: { 200: s.HouseholdDetail } },
  }, async (req) => updateHousehold(ctxOf(req, db), req.params.id, req.body));

  app.get('/households/:id/history', {
    schema: { tags: HOUSEHOLDS, summary: '户及其成员的修改记录', params: s.IdParams, response: { 200: Type.Array(s.HistoryEntry) } },
  }, async (req) => householdHistory(ctxOf(req, db), req.params.id));

  app.post('/households/:id/residents', {
    schema: { tags: RESIDENTS, summary: '添加家庭成员（性别、出生日期由身份证号得出）', params: s.IdParams, body: s.CreateResidentBody, response: { 201: s.ResidentDetail } },
  }, async (req, reply) => reply.code(201).send(await addResident(ctxOf(req, db), req.params.id, req.body)));

  // ---- residents
  app.get('/residents', {
    schema: { tags: RESIDENTS, summary: '居民列表（可按区划、姓名、身份证号、手机号查找）', querystring: s.ResidentListQuery, response: { 200: Page(s.ResidentListItem) } },
  }, async (req) => listResidents(ctxOf(req, db), req.query));

  app.get('/residents/:id', {
    schema: { tags: RESIDENTS, summary: '居民详情', params: s.IdParams, response: { 200: s.ResidentDetail } },
  }, async (req) => getResident(ctxOf(req, db), req.params.id));

  app.patch('/residents/:id', {
    schema: { tags: RESIDENTS, summary: '修改居民信息（需带 version）', params: s.IdParams, body: s.UpdateResidentBody, response: { 200: s.ResidentDetail } },
  }, async (req) => updateResident(ctxOf(req, db), req.params.id, req.body));

  app.post('/residents/:id/reveal', {
    schema: { tags: RESIDENTS, summary: '查看完整身份证号或手机号（需说明用途，留痕）', params: s.IdParams, body: s.RevealBody, response: { 200: s.Revealed } },
  }, async (req) => revealResident(ctxOf(req, db), req.params.id, req.body));

  // ---- me
  app.get('/me/household', {
    schema: { tags: ME, summary: '我的家庭户（村民）', response: { 200: s.MyHousehold } },
  }, async (req) => myHousehold(ctxOf(req, db)));

  app.post('/me/household/linked-member/phone', {
    schema: { tags: ME, summary: '拨打联户党员：取本户联户党员的完整电话（留痕）', response: { 200: s.LinkedMemberPhone } },
  }, async (req) => linkedMemberPhone(ctxOf(req, db)));

  app.get('/me/grids', {
    schema: { tags: ME, summary: '我负责的网格（未任网格职务时为管辖范围内网格）', querystring: s.HouseholdPageQuery, response: { 200: Page(s.Grid) } },
  }, async (req) => myGrids(ctxOf(req, db), req.query));

  app.get('/me/grids/:id/households', {
    schema: { tags: ME, summary: '我的网格内的户', params: s.IdParams, querystring: s.HouseholdPageQuery, response: { 200: Page(s.Household) } },
  }, async (req) => myGridHouseholds(ctxOf(req, db), req.params.id, req.query));
}
