/** HTTP for the audit trail. */
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { Page } from '../../core/paging.js';
import { AuditEntry, AuditQuery } from './schema.js';
import { listAudit } from './service.js';

export async function auditRoutes(app: App) {
  const db = app.database.db;
  app.get('/audit', {
    schema: {
      tags: ['操作日志'],
      summary: '操作日志（按管辖范围；登录等安全日志仅县级可见）',
      querystring: AuditQuery,
      response: { 200: Page(AuditEntry) },
    },
  }, async (req) => listAudit(ctxOf(req, db), req.query));
}
