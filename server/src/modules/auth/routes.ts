import { Type } from 'typebox';
import type { App } from '../../core/module.js';
import { ctxOf } from '../../core/http.js';
import { AppError } from '../../core/errors.js';
import { destroySession, SESSION_COOKIE } from '../../core/auth/sessions.js';
import { beginTotpSetup, changePassword, describeActor, enableTotp, login } from './service.js';

const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  kind: Type.String(),
  householdId: Type.Union([Type.Integer(), Type.Null()]),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  permissions: Type.Array(Type.String()),
  grants: Type.Array(Type.Object({ role: Type.String(), regionId: Type.Integer(), regionLevel: Type.String() })),
  mustEnrollTotp: Type.Boolean(),
});

export async function authRoutes(app: App, opts: { loginRateLimit: number; secureCookie: boolean }) {
  const db = app.database.db;
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: opts.secureCookie };

  app.post('/auth/login', {
    config: { public: true, rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['账号'],
      summary: '登录',
      body: Type.Object({
        username: Type.String({ minLength: 1, maxLength: 64 }),
        password: Type.String({ minLength: 1, maxLength: 128 }),
        totp: Type.Optional(Type.String({ maxLength: 8 })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const r = await login(db, req.body, req.ip, req.headers['user-agent'] ?? null);
    reply.setCookie(SESSION_COOKIE, r.token, cookieOpts);
    return { ok: true, mustEnrollTotp: r.mustEnrollTotp };
  });

  app.post('/auth/logout', { config: { beforeTotp: true }, schema: { tags: ['账号'], summary: '退出' } }, async (req, reply) => {
    const t = req.cookies[SESSION_COOKIE];
    if (t) await destroySession(db, t);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/auth/me', { config: { beforeTotp: true }, schema: { tags: ['账号'], summary: '当前用户', response: { 200: Me } } }, async (req) =>
    describeActor(ctxOf(req, db).actor),
  );

  app.post('/auth/totp/setup', { config: { beforeTotp: true }, schema: { tags: ['账号'], summary: '生成两步验证密钥' } }, async (req) =>
    beginTotpSetup(db, ctxOf(req, db).actor),
  );

  app.post('/auth/totp/enable', {
    config: { beforeTotp: true },
    schema: { tags: ['账号'], summary: '启用两步验证', body: Type.Object({ code: Type.String({ maxLength: 8 }) }, { additionalProperties: false }) },
  }, async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw new AppError('UNAUTHENTICATED');
    await enableTotp(db, ctxOf(req, db).actor, token, req.body.code);
    return { ok: true };
  });

  app.post('/auth/password', {
    schema: {
      tags: ['账号'],
      summary: '修改密码',
      body: Type.Object({ oldPassword: Type.String({ maxLength: 128 }), newPassword: Type.String({ maxLength: 128 }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    await changePassword(db, ctxOf(req, db).actor, req.body.oldPassword, req.body.newPassword);
    return { ok: true };
  });
}
