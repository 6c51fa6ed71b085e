/** Request plumbing shared by every route: the caller, idempotency, the uniform error body. */
import type { FastifyReply, FastifyRequest, FastifyError } from 'fastify';
import { sql } from 'kysely';
import { PREPARED } from '../db/database.js';
import type { Kdb } from '../db/database.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { AppError, errorDef } from './errors.js';
import { actorFromToken, SESSION_COOKIE } from './auth/sessions.js';
import { builtinRoles } from './permissions.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    idemKey?: string;
  }
  interface FastifyContextConfig {
    /** No login needed. */
    public?: boolean;
    /** Reachable before a required TOTP enrolment/check (login flow pages). */
    beforeTotp?: boolean;
    /**
     * The body field that already makes this POST idempotent (a client id under a unique index,
     * whose replay returns the first record). When the body carries it, an Idempotency-Key adds
     * nothing but two writes of its own, so the key is not recorded.
     */
    idempotencyField?: string;
  }
}

export function ctxOf(req: FastifyRequest, db: Kdb): Ctx {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return { db, actor: req.actor };
}

const requiresTotp = (a: Actor) =>
  a.grants.some((g) => builtinRoles.find((r) => r.key === g.roleKey)?.requiresTotp);

export function authHook(db: Kdb) {
  return async (req: FastifyRequest) => {
    const cfg = req.routeOptions.config;
    if (cfg?.public || !req.url.startsWith('/api/v1/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw new AppError('UNAUTHENTICATED');
    const actor = await actorFromToken(db, token, req.ip);
    if (requiresTotp(actor) && !actor.totpPassed && !cfg?.beforeTotp) throw new AppError('TOTP_REQUIRED');
    req.actor = actor;
  };
}

/**
 * Idempotency-Key on POST: the first request's answer is stored and replayed for a retry, so a
 * phone resubmitting after a lost connection never creates a second record.
 */
export function idempotencyHooks(db: Kdb) {
  const pre = async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || !req.actor || typeof key !== 'string' || !key) return;
    if (key.length > 100) throw new AppError('VALIDATION_FAILED', { field: 'Idempotency-Key' }, '幂等键过长');
    const field = req.routeOptions.config?.idempotencyField;
    if (field && (req.body as Record<string, unknown> | undefined)?.[field] != null) return;
    const route = `${req.method} ${req.routeOptions.url}`;
    // Prepared (PREPARED): this runs on every keyed POST; the text never varies.
    const inserted = (await sql<{ key: string }>`${sql.raw(PREPARED)}
      INSERT INTO idempotency_keys (user_id, key, route) VALUES (${req.actor.userId}::int8, ${key}::text, ${route}::text)
      ON CONFLICT DO NOTHING RETURNING key`.execute(db)).rows[0];
    if (inserted) {
      req.idemKey = key;
      return;
    }
    const prev = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', req.actor.userId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (prev.route !== route) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (prev.status_code == null) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    reply.header('idempotent-replayed', 'true');
    return reply.code(prev.status_code).type('application/json').send(JSON.stringify(prev.response));
  };
  const onSend = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!req.idemKey || !req.actor) return payload;
    if (reply.statusCode >= 500) {
      // A failure on our side may be retried: forget the key.
      await db.deleteFrom('idempotency_keys').where('user_id', '=', req.actor.userId).where('key', '=', req.idemKey).execute();
    } else {
      // The JSON answer is stored as sent (the database parses it once, as jsonb); anything else
      // — a file, a non-JSON or oversized body — is remembered by its status alone.
      const json = typeof payload === 'string' && payload.length < 1_000_000 && String(reply.getHeader('content-type') ?? '').startsWith('application/json') && isJson(payload);
      const remember = (response: string) => sql`${sql.raw(PREPARED)}
        UPDATE idempotency_keys SET status_code = ${reply.statusCode}::int, response = ${response}::jsonb
        WHERE user_id = ${req.actor!.userId}::int8 AND key = ${req.idemKey}::text`.execute(db);
      await remember(json ? payload : 'null').catch(() => remember('null'));
    }
    return payload;
  };
  return { pre, onSend };
}

/** Cheap check that a serialised body is JSON the database will accept (Fastify wrote it). */
function isJson(s: string): boolean {
  const c = s.trimStart()[0];
  return c === '{' || c === '[' || c === '"';
}

interface ValidationIssue {
  field: string;
  rule: string;
  message: string;
}

const FIELD_RULES: Record<string, string> = {
  required: '缺少必填字段',
  type: '类型不正确',
  additionalProperties: '不允许的字段',
  minLength: '长度过短',
  maxLength: '长度过长',
  minimum: '数值过小',
  maximum: '数值过大',
  pattern: '格式不正确',
  format: '格式不正确',
  enum: '取值不在允许范围内',
  const: '取值不在允许范围内',
  anyOf: '取值不符合要求',
  minItems: '条目过少',
  maxItems: '条目过多',
};

export function errorHandler(log: { error: (o: unknown, m?: string) => void }) {
  return (err: FastifyError & { validation?: unknown[] }, _req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({ code: err.code, message: err.message, details: err.details ?? {} });
    }
    if (err.validation) {
      const issues: ValidationIssue[] = (err.validation as Array<{ instancePath: string; keyword: string; params: Record<string, unknown> }>).map((v) => {
        const extra = v.keyword === 'additionalProperties' ? String(v.params.additionalProperty) : v.keyword === 'required' ? String(v.params.missingProperty) : '';
        const field = [v.instancePath.replace(/^\//, '').replace(/\//g, '.'), extra].filter(Boolean).join('.');
        return { field, rule: v.keyword, message: FIELD_RULES[v.keyword] ?? '取值不符合要求' };
      });
      const first = issues[0];
      const msg = first ? `${errorDef('VALIDATION_FAILED').message}：${first.field || (err as { validationContext?: string }).validationContext || '请求'} ${first.message}` : errorDef('VALIDATION_FAILED').message;
      return reply.code(400).send({ code: 'VALIDATION_FAILED', message: msg, details: { issues } });
    }
    const map: Record<string, string> = {
      FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_JSON',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_JSON',
      FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
      FST_REQ_FILE_TOO_LARGE: 'BODY_TOO_LARGE',
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_JSON',
    };
    let code = map[err.code];
    if (!code && err instanceof SyntaxError) code = 'BAD_JSON';
    if (!code && err.statusCode === 429) code = 'RATE_LIMITED';
    if (code) {
      const d = errorDef(code);
      return reply.code(d.status).send({ code, message: d.message, details: {} });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ code: 'BAD_REQUEST', message: '请求无效', details: { reason: err.message } });
    }
    log.error(err, 'unhandled error');
    return reply.code(500).send({ code: 'INTERNAL', message: errorDef('INTERNAL').message, details: {} });
  };
}
