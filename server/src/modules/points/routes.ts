/** HTTP for the points module: schemas in, one service call, result out. */
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { requirePermission } from '../../core/actor.js';
import { decodeCursor, pageOf } from '../../core/paging.js';
import type { FastifyRequest } from 'fastify';
import * as s from './schema.js';
import * as rules from './rules.js';
import * as subjects from './subjects.js';
import * as claims from './claims.js';
import * as standings from './standings.js';
import * as appeals from './appeals.js';
import * as blacklist from './blacklist.js';
import * as linked from './linked.js';
import * as photos from './photos.js';
import { AppError } from '../../core/errors.js';

const tags = ['积分制'];
const myTags = ['积分制（村民）'];

export async function pointsRoutes(app: App) {
  const db = app.database.db;
  /** The caller's context, refusing (403) a caller who holds the permission nowhere. */
  const ctx = (req: FastifyRequest, permission: string) => {
    const c = ctxOf(req, db);
    requirePermission(c.actor, permission);
    return c;
  };
  const page = <T extends { id: number }>(rows: T[], limit = 50) => pageOf(rows, limit);

  // ── rule books ──
  app.get('/points/rule-books', { schema: { tags, summary: '积分规则列表（含县级模板）', querystring: s.BookListQuery } },
    async (req) => rules.listBooks(ctx(req, 'points.read'), req.query.villageId));
  app.get('/points/rule-books/:id', { schema: { tags, summary: '积分规则详情（类别、项目、负面清单）', params: s.IdParam } },
    async (req) => rules.getBook(ctxOf(req, db), req.params.id));
  app.post('/points/rule-books', { schema: { tags, summary: '新建积分规则草稿（从县级模板或本村现行规则复制）', body: s.BookCreate } },
    async (req, reply) => reply.code(201).send(await rules.createDraft(ctx(req, 'points.rules'), req.body)));
  app.put('/points/rule-books/:id', { schema: { tags, summary: '修改积分规则草稿（整体替换，带读到的修订号 revision，防止覆盖他人修改）', params: s.IdParam, body: s.BookContent } },
    async (req) => rules.updateDraft(ctx(req, 'points.rules'), req.params.id, req.body));
  app.post('/points/rule-books/:id/discard', { schema: { tags, summary: '放弃积分规则草稿（仅草稿；现行规则不受影响）', params: s.IdParam, body: s.BookDiscard } },
    async (req) => rules.discardDraft(ctx(req, 'points.rules'), req.params.id, req.body));
  app.post('/points/rule-books/:id/adopt', { schema: { tags, summary: '积分规则经会议表决通过，开始生效', params: s.IdParam, body: s.BookAdopt } },
    async (req) => rules.adoptBook(ctx(req, 'points.rules'), req.params.id, req.body));
  app.get('/points/villages/:villageId/current-rules', { schema: { tags, summary: '本村现行积分规则', params: s.VillageParam } },
    async (req) => rules.currentBook(ctxOf(req, db), req.params.villageId));
  app.get('/points/villages/:villageId/settings', { schema: { tags, summary: '本村积分设置（星级门槛、黑名单线、公示期、信贷档次）', params: s.VillageParam } },
    async (req) => rules.getSettings(ctx(req, 'points.read'), req.params.villageId));
  app.patch('/points/villages/:villageId/settings', { schema: { tags, summary: '修改本村积分设置', params: s.VillageParam, body: s.SettingsPatch } },
    async (req) => rules.updateSettings(ctx(req, 'points.rules'), req.params.villageId, req.body));
  app.get('/points/villages/:villageId/verify', { schema: { tags, summary: '校验本村积分台账哈希链', params: s.VillageParam } },
    async (req) => claims.verifyVillageChain(ctx(req, 'points.read'), req.params.villageId));

  // ── subjects ──
  app.get('/points/subjects', { schema: { tags, summary: '积分对象（户、企业、家庭农场、个体户、党员、网格员）', querystring: s.SubjectListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const rows = await subjects.listSubjects(ctx(req, 'points.read'), { ...req.query, limit, cursor: decodeCursor(req.query.cursor) });
      return page(rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name, villageId: r.village_id, householdId: r.household_id, spendable: rules.toPoints(Math.max(0, r.balance ?? 0)) })), limit);
    });
  app.post('/points/subjects', { schema: { tags, summary: '登记积分对象（企业、家庭农场、个体户、党员、网格员）', body: s.SubjectCreate } },
    async (req, reply) => reply.code(201).send(await subjects.registerSubject(ctx(req, 'points.rules'), req.body as Parameters<typeof subjects.registerSubject>[1])));
  app.get('/points/recordable-households', { schema: { tags, summary: '可记分的户（网格员：本人网格内）', querystring: s.HouseholdListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const rows = await subjects.listRecordableHouseholds(ctx(req, 'points.record'), { q: req.query.q, limit, cursor: decodeCursor(req.query.cursor) });
      return page(rows.map((r) => ({ id: r.id, name: r.householder_name, address: r.address, code: r.code, gridId: r.grid_id, villageId: r.village_id, subjectId: r.subject_id, spendable: rules.toPoints(Math.max(0, r.balance ?? 0)) })), limit);
    });

  // ── claims and review ──
  app.post('/points/claims', { schema: { tags, summary: '记录积分（一事一记，待评议）', body: s.ClaimCreate } },
    async (req, reply) => reply.code(201).send(await claims.recordClaim(ctx(req, 'points.record'), req.body)));
  app.post('/points/claims/bulk', { schema: { tags, summary: '批量记分（全部成功或全部不写入）', body: s.ClaimBulk } },
    async (req, reply) => reply.code(201).send(await claims.bulkRecord(ctx(req, 'points.record'), req.body.items)));
  app.get('/points/claims', { schema: { tags, summary: '积分记录（评议队列：status=pending）', querystring: s.ClaimListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 50;
      return page(await claims.listClaims(ctx(req, 'points.read'), { ...req.query, limit, cursor: decodeCursor(req.query.cursor) }), limit);
    });
  app.get('/points/claims/:id', { schema: { tags, summary: '积分记录详情', params: s.IdParam } },
    async (req) => claims.getClaim(ctxOf(req, db), req.params.id));
  app.post('/points/claims/review', { schema: { tags, summary: '评议小组批量审核（通过即记入台账）', body: s.Review } },
    async (req) => claims.reviewClaims(ctx(req, 'points.review'), req.body.ids, req.body.decision, req.body.reason));
  app.post('/points/claims/:id/approve', { schema: { tags, summary: '审核通过', params: s.IdParam, body: s.OptionalReason } },
    async (req) => {
      const c = ctx(req, 'points.review');
      await claims.reviewClaims(c, [req.params.id], 'approve', req.body.reason);
      return claims.getClaim(c, req.params.id);
    });
  app.post('/points/claims/:id/reject', { schema: { tags, summary: '审核不通过（须填写理由）', params: s.IdParam, body: s.Reason } },
    async (req) => {
      const c = ctx(req, 'points.review');
      await claims.reviewClaims(c, [req.params.id], 'reject', req.body.reason);
      return claims.getClaim(c, req.params.id);
    });

  // ── photos on claims ──
  app.post('/points/photos', {
    schema: { tags, summary: '上传记分照片（multipart 字段 file，JPEG/PNG/WebP，不超过 8 MB；公开副本去除 EXIF），记分或申报时以 photoId 引用', consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    const c = ctxOf(req, db);
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    const maxBytes = photos.PHOTO_MAX_BYTES;
    const file = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (!file) throw new AppError('POINTS_PHOTO_NOT_IMAGE');
    let buf: Buffer;
    try {
      buf = await file.toBuffer();
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('POINTS_PHOTO_TOO_LARGE', { maxBytes });
      throw e;
    }
    if (file.file.truncated) throw new AppError('POINTS_PHOTO_TOO_LARGE', { maxBytes });
    return reply.code(201).send(await photos.storeClaimPhoto(c, buf));
  });
  app.get('/points/photos/:id', { schema: { tags, summary: '查看记分照片（去除元数据的副本；能查看该记录的人可见）', params: s.IdParam } },
    async (req, reply) => reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(await photos.readClaimPhoto(ctxOf(req, db), req.params.id, 'public')));
  app.get('/points/photos/:id/thumb', { schema: { tags, summary: '记分照片缩略图（评议列表）', params: s.IdParam } },
    async (req, reply) => reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(await photos.readClaimPhoto(ctxOf(req, db), req.params.id, 'thumb')));

  // ── ledger ──
  app.get('/points/entries', { schema: { tags, summary: '积分明细台账', querystring: s.EntryListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 50;
      return page(await claims.listEntries(ctx(req, 'points.read'), { ...req.query, kind: req.query.kind as never, limit, cursor: decodeCursor(req.query.cursor) }), limit);
    });
  app.get('/points/entries/:id', { schema: { tags, summary: '积分明细详情', params: s.IdParam } },
    async (req) => claims.getEntry(ctx(req, 'points.read'), req.params.id));
  app.post('/points/entries/:id/reverse', { schema: { tags, summary: '冲正积分明细（新增一条冲正记录）', params: s.IdParam, body: s.Reason } },
    async (req, reply) => reply.code(201).send(await claims.reverseEntry(ctx(req, 'points.review'), req.params.id, req.body.reason)));

  // ── rankings, stars ──
  app.get('/points/rankings', { schema: { tags, summary: '积分排名（村、乡镇或全县；月/季/年）', querystring: s.RankingQuery } },
    async (req) => standings.ranking(ctx(req, 'points.read'), { ...req.query, subjectKind: req.query.subjectKind as never, limit: req.query.limit ?? 50 }));
  app.get('/points/rankings/villages', { schema: { tags, summary: '各村户均积分（图表）', querystring: s.RegionPeriodQuery } },
    async (req) => standings.villageSummary(ctx(req, 'points.read'), req.query));
  app.get('/points/stars', { schema: { tags, summary: '季度星级评定', querystring: s.StarsQuery } },
    async (req) => standings.stars(ctx(req, 'points.read'), req.query));

  // ── publication ──
  app.get('/points/publications', { schema: { tags, summary: '积分公示列表', querystring: s.PublicationListQuery } },
    async (req) => standings.listPublications(ctx(req, 'points.read'), req.query));
  app.post('/points/publications', { schema: { tags, summary: '生成季度公示（草稿，快照本季度积分）', body: s.PublicationCreate } },
    async (req, reply) => reply.code(201).send(await standings.preparePublication(ctx(req, 'points.publish'), req.body)));
  app.get('/points/publications/:id', { schema: { tags, summary: '公示详情', params: s.IdParam } },
    async (req) => standings.getPublication(ctx(req, 'points.read'), req.params.id));
  app.get('/points/publications/:id/print', { schema: { tags, summary: '公示打印页（HTML，A4）', params: s.IdParam } },
    async (req, reply) => reply.type('text/html; charset=utf-8').send(await standings.publicationHtml(ctx(req, 'points.read'), req.params.id)));
  app.post('/points/publications/:id/approve', { schema: { tags, summary: '记录村党总支部审定', params: s.IdParam, body: s.BranchApproval } },
    async (req) => standings.approvePublication(ctx(req, 'points.publish'), req.params.id, req.body));
  app.post('/points/publications/:id/publish', { schema: { tags, summary: '发布公示（开始异议期）', params: s.IdParam, body: s.Publish } },
    async (req) => standings.publishPublication(ctx(req, 'points.publish'), req.params.id, req.body));

  // ── appeals ──
  app.post('/points/appeals', { schema: { tags, summary: '提出复议', body: s.AppealCreate } },
    async (req, reply) => reply.code(201).send(await appeals.fileAppeal(ctx(req, 'points.read'), req.body)));
  app.get('/points/appeals', { schema: { tags, summary: '复议列表', querystring: s.AppealListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 50;
      return page(await appeals.listAppeals(ctx(req, 'points.read'), { ...req.query, status: req.query.status as never, limit, cursor: decodeCursor(req.query.cursor) }), limit);
    });
  app.get('/points/appeals/:id', { schema: { tags, summary: '复议详情', params: s.IdParam } },
    async (req) => appeals.getAppeal(ctxOf(req, db), req.params.id));
  app.post('/points/appeals/:id/investigate', { schema: { tags, summary: '评议小组启动调查/补充调查情况', params: s.IdParam, body: s.Note } },
    async (req) => appeals.investigateAppeal(ctx(req, 'points.review'), req.params.id, req.body.note));
  app.post('/points/appeals/:id/decide', { schema: { tags, summary: '复议决定（成立则冲正并更正）', params: s.IdParam, body: s.AppealDecision } },
    async (req) => appeals.decideAppeal(ctx(req, 'points.review'), req.params.id, req.body));

  // ── awards ──
  app.get('/points/awards', { schema: { tags, summary: '年度表彰', querystring: s.AwardsQuery } },
    async (req) => standings.listAwards(ctx(req, 'points.read'), req.query));
  app.post('/points/awards', { schema: { tags, summary: '记录年度表彰（称号与奖金）', body: s.AwardsGrant } },
    async (req, reply) => reply.code(201).send(await standings.grantAwards(ctx(req, 'points.publish'), req.body)));

  // ── blacklist ──
  app.get('/points/blacklist', { schema: { tags, summary: '黑名单', querystring: s.BlacklistQuery } },
    async (req) => blacklist.listBlacklist(ctx(req, 'points.read'), req.query));
  app.post('/points/blacklist/close-period', { schema: { tags, summary: '按评议周期生成黑名单（低于门槛者列入下一周期）', body: s.BlacklistClose } },
    async (req, reply) => reply.code(201).send(await blacklist.closeBlacklistPeriod(ctx(req, 'points.publish'), req.body)));
  app.get('/points/blacklist/:id', { schema: { tags, summary: '黑名单详情（含帮扶记录）', params: s.IdParam } },
    async (req) => blacklist.getBlacklistEntry(ctx(req, 'points.read'), req.params.id));
  app.post('/points/blacklist/:id/helper', { schema: { tags, summary: '指定1对1帮扶人与转化计划', params: s.IdParam, body: s.Helper } },
    async (req) => blacklist.assignHelper(ctx(req, 'points.blacklist'), req.params.id, req.body));
  app.post('/points/blacklist/:id/progress', { schema: { tags, summary: '记录帮扶进展', params: s.IdParam, body: s.Note } },
    async (req) => blacklist.addProgress(ctx(req, 'points.blacklist'), req.params.id, req.body.note));
  app.post('/points/blacklist/:id/lift', { schema: { tags, summary: '解除黑名单', params: s.IdParam, body: s.Reason } },
    async (req) => blacklist.liftBlacklist(ctx(req, 'points.blacklist'), req.params.id, req.body.reason));

  // ── villager (phone) ──
  app.get('/points/my', { schema: { tags: myTags, summary: '我的积分、排名、星级' } },
    async (req) => standings.myPoints(ctx(req, 'points.self')));
  app.get('/points/my/entries', { schema: { tags: myTags, summary: '我的积分明细', querystring: s.MyListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 50;
      return page(await claims.listEntries(ctx(req, 'points.self'), { own: true, limit, cursor: decodeCursor(req.query.cursor) }), limit);
    });
  app.get('/points/my/claims', { schema: { tags: myTags, summary: '我的申报与待审记录', querystring: s.MyListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 50;
      return page(await claims.listClaims(ctx(req, 'points.self'), { own: true, limit, cursor: decodeCursor(req.query.cursor) }), limit);
    });
  app.post('/points/my/declarations', { schema: { tags: myTags, summary: '群众申报好人好事', body: s.Declaration } },
    async (req, reply) => reply.code(201).send(await claims.declareClaim(ctx(req, 'points.self'), req.body)));
  app.get('/points/my/appeals', { schema: { tags: myTags, summary: '我的复议', querystring: s.MyListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 50;
      return page(await appeals.listAppeals(ctx(req, 'points.self'), { own: true, limit, cursor: decodeCursor(req.query.cursor) }), limit);
    });
  app.post('/points/my/appeals', { schema: { tags: myTags, summary: '对本户积分明细提出复议', body: s.AppealCreate } },
    async (req, reply) => reply.code(201).send(await appeals.fileAppeal(ctx(req, 'points.self'), req.body)));
  app.get('/points/my/publication', { schema: { tags: myTags, summary: '本村最新积分公示' } },
    async (req) => ({ publication: await standings.myVillagePublication(ctx(req, 'points.self')) }));
  app.get('/points/my/black-board', { schema: { tags: myTags, summary: '本村黑榜公示' } },
    async (req) => blacklist.villageBlackBoard(ctx(req, 'points.self'), claims.chinaToday()));
  app.get('/points/my/consents', { schema: { tags: myTags, summary: '我的积分信息授权（银行、用工单位）及查询记录' } },
    async (req) => linked.listMyConsents(ctx(req, 'points.self')));
  app.post('/points/my/consents', { schema: { tags: myTags, summary: '授权银行或用工单位查询本户积分', body: s.ConsentCreate } },
    async (req, reply) => reply.code(201).send(await linked.grantConsent(ctx(req, 'points.self'), req.body)));
  app.post('/points/my/consents/:id/revoke', { schema: { tags: myTags, summary: '撤回授权', params: s.IdParam } },
    async (req) => linked.revokeConsent(ctx(req, 'points.self'), req.params.id));

  // ── linked uses: public with a villager's code, rate-limited, every access logged ──
  app.get('/points/linked/summary', {
    config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags: ['积分制（授权查询）'], summary: '银行/用工单位凭授权码查询积分摘要', querystring: s.ConsentQuery, security: [] },
  }, async (req) => linked.consentedSummary(db, req.query.code, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null }));
}
