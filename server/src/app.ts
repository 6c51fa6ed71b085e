/**
 * The HTTP application: plugins, the auth and idempotency hooks, the uniform error handler,
 * every module's routes under /api/v1, OpenAPI, and the built web pages — one port.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from './db/database.js';
import { ping } from './db/database.js';
import { authHook, errorHandler, idempotencyHooks } from './core/http.js';
import { AppError } from './core/errors.js';
import type { App } from './core/module.js';
import { modules } from './modules/index.js';
import { todoRoutes } from './core/todos.js';

export interface AppOptions {
  database: Database;
  webDist?: string | null;
  secureCookie?: boolean;
  logger?: boolean | object;
  /** Login rate limit per IP per minute (tests raise it). */
  loginRateLimit?: number;
  tiandituKey?: string | null;
}

export const JSON_BODY_LIMIT = 1024 * 1024; // 1 MiB; uploads go through multipart with their own limits

export async function buildApp(opts: AppOptions): Promise<App> {
  const { database } = opts;
  const db = database.db;
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, allErrors: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.decorate('database', database);
  app.decorate('appOptions', opts);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      info: { title: '乡治 Xiangzhi API', version: '1', description: '党建引领乡村治理平台接口。错误统一为 {code, message, details}。' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'xz_sid' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.setErrorHandler(errorHandler(app.log));
  app.addHook('preHandler', authHook(db));
  const idem = idempotencyHooks(db);
  app.addHook('preHandler', idem.pre);
  app.addHook('onSend', idem.onSend);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });

  app.get('/api/health', { config: { public: true }, schema: { hide: true } }, async () => ({
    ok: await ping(db),
    database: database.kind,
    time: new Date().toISOString(),
  }));
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  app.get('/api/v1/config', { config: { public: true }, schema: { hide: true } }, async () => ({
    tiandituKey: opts.tiandituKey ?? null,
  }));

  await app.register(
    async (api) => {
      for (const m of modules) if (m.routes) await m.routes(api as unknown as App);
      await todoRoutes(modules)(api as unknown as App);
    },
    { prefix: '/api/v1' },
  );

  const dist = opts.webDist;
  if (dist && existsSync(join(dist, 'index.html'))) {
    await app.register(fastifyStatic, { root: dist, wildcard: false, index: false, maxAge: '1h' });
    app.setNotFoundHandler((req, reply) => {
      // API misses and missing built files are real 404s; only page routes fall back to the SPA.
      if (req.method !== 'GET' || req.url.startsWith('/api/') || req.url.startsWith('/assets/')) throw new AppError('ROUTE_NOT_FOUND');
      // Client-side routes: /m/* is the phone entry, everything else the console.
      // (Only /m itself and what is under it: /mediation-like console paths stay the console's.)
      const page = /^\/m(\/|\?|$)/.test(req.url) ? 'm.html' : 'index.html';
      return reply.header('cache-control', 'no-cache').sendFile(page);
    });
  } else {
    app.setNotFoundHandler(() => {
      throw new AppError('ROUTE_NOT_FOUND');
    });
  }
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    appOptions: AppOptions;
  }
}
