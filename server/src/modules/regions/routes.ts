/** HTTP for regions: validate, call one service function, present. */
import { Type } from 'typebox';
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import * as s from './schema.js';
import { childrenGeo, createGroup, regionDetail, regionTree, searchRegions } from './service.js';

const tags = ['区划'];

export async function regionRoutes(app: App) {
  const db = app.database.db;

  app.get('/regions/tree', {
    schema: { tags, summary: '区划树：下级节点及其户数、人数、网格数、党员数', querystring: s.TreeQuery, response: { 200: Type.Array(s.RegionNode) } },
  }, async (req) => regionTree(ctxOf(req, db), req.query.parentId));

  app.get('/regions/search', {
    schema: { tags, summary: '按名称或代码搜索管辖范围内的区划（最多20条）', querystring: s.SearchQuery, response: { 200: Type.Array(s.RegionHit) } },
  }, async (req) => searchRegions(ctxOf(req, db), req.query.q, req.query.level));

  app.get('/regions/:id', {
    schema: { tags, summary: '区划详情（含上级路径与统计）', params: s.IdParams, response: { 200: s.RegionDetail } },
  }, async (req) => regionDetail(ctxOf(req, db), req.params.id));

  app.get('/regions/:id/children-geo', {
    schema: { tags, summary: '下级区划的地图要素（GeoJSON）', params: s.IdParams, response: { 200: s.FeatureCollection } },
  }, async (req) => childrenGeo(ctxOf(req, db), req.params.id));

  app.post('/regions', {
    schema: { tags, summary: '新增村民小组', body: s.CreateGroupBody, response: { 201: s.CreatedGroup } },
  }, async (req, reply) => {
    const r = await createGroup(ctxOf(req, db), req.body);
    return reply.code(201).send(r);
  });
}
