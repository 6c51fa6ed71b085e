/** HTTP for the roster: validate, call one service function, present. */
import { PassThrough } from 'node:stream';
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { AppError } from '../../core/errors.js';
import { Page } from '../../core/paging.js';
import * as s from './schema.js';
import { parseRoster } from './parse.js';
import { requireVillage } from './import.js';
import { drainImports, getImportJob, listImportJobs, prepareImport } from './jobs.js';
import { prepareExport, rosterTemplate } from './export.js';
import { Type } from 'typebox';

const tags = ['花名册'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** RFC 6266: an ASCII fallback plus the UTF-8 name every current browser uses. */
function attachment(fileName: string): string {
  return `attachment; filename="roster.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function rosterRoutes(app: App) {
  const db = app.database.db;
  // A graceful shutdown lets running imports finish (each is one transaction: all or nothing anyway).
  app.addHook('onClose', async () => drainImports());

  app.get('/roster/template.xlsx', {
    schema: {
      tags, summary: '下载花名册导入模板（.xlsx；带 regionId 时村民小组列提供本村小组下拉）',
      querystring: Type.Object({ regionId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const buf = await rosterTemplate(ctxOf(req, db), req.query.regionId);
    return reply.type(XLSX).header('content-disposition', attachment('花名册导入模板.xlsx')).send(buf);
  });

  app.post('/roster/import', {
    schema: {
      tags, summary: '上传花名册（multipart 字段 file，.xlsx 或 .csv，不超过20MB）并在后台校验/导入，返回任务号',
      consumes: ['multipart/form-data'], querystring: s.ImportQuery, response: { 202: s.Accepted },
    },
  }, async (req, reply) => {
    const ctx = ctxOf(req, db);
    // Scope first: an out-of-scope village answers 404 before the upload is even read.
    await requireVillage(ctx, req.query.regionId);
    if (!req.isMultipart()) throw new AppError('ROSTER_FILE_MISSING');
    const file = await req.file();
    if (!file || file.fieldname !== 'file') throw new AppError('ROSTER_FILE_MISSING');
    const buf = await file.toBuffer(); // over 20 MB → FST_REQ_FILE_TOO_LARGE → 413 BODY_TOO_LARGE
    const fileName = (file.filename || 'roster').slice(0, 200);
    const rows = await parseRoster(buf, fileName);
    const job = await prepareImport(ctx, req.query.regionId, fileName, rows, req.query.dryRun !== 0, (e) => req.log.error(e, 'roster import failed'));
    reply.code(202).send({ jobId: job.jobId });
    // Start once the 202 is out: on PGlite the import's transaction holds the only connection,
    // and the response's own hooks (idempotency record) must not wait behind it.
    reply.then(() => void job.run(), () => void job.run());
    return reply;
  });

  app.get('/roster/import/:jobId', {
    schema: { tags, summary: '导入任务进度与逐行错误', params: s.JobParams, response: { 200: s.ImportJob } },
  }, async (req) => getImportJob(ctxOf(req, db), req.params.jobId));

  app.get('/roster/imports', {
    schema: { tags, summary: '最近的花名册导入任务', querystring: s.JobListQuery, response: { 200: Page(s.ImportJobSummary) } },
  }, async (req) => listImportJobs(ctxOf(req, db), req.query));

  app.get('/roster/export.xlsx', {
    schema: { tags, summary: '导出户籍台账（户、人两张表；默认脱敏，reveal=1 并填写用途可导出完整信息）', querystring: s.ExportQuery },
  }, async (req, reply) => {
    const ex = await prepareExport(ctxOf(req, db), req.query);
    const out = new PassThrough();
    ex.write(out).catch((e) => {
      req.log.error(e, 'roster export failed');
      out.destroy(e as Error);
    });
    return reply.type(XLSX).header('content-disposition', attachment(ex.fileName)).header('cache-control', 'no-store').send(out);
  });
}
