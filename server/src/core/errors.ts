/**
 * One error type for the whole server. Services throw AppError(code); the Fastify error handler
 * (app.ts) turns it into HTTP status + { code, message, details } with the Chinese message here.
 * Modules register their own codes with defineErrors() from their index.ts.
 */
export interface ErrorDef {
  status: number;
  message: string; // zh-CN, shown to users as is
}

const registry = new Map<string, ErrorDef>();

export function defineErrors(defs: Record<string, ErrorDef>): void {
  for (const [code, def] of Object.entries(defs)) registry.set(code, def);
}

export function errorDef(code: string): ErrorDef {
  return registry.get(code) ?? { status: 500, message: '服务器内部错误' };
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly details?: Record<string, unknown>,
    message?: string,
  ) {
    super(message ?? errorDef(code).message);
    this.name = 'AppError';
  }
  get status(): number {
    return errorDef(this.code).status;
  }
}

defineErrors({
  INTERNAL: { status: 500, message: '服务器内部错误，请稍后重试' },
  VALIDATION_FAILED: { status: 400, message: '提交的数据不符合要求' },
  BAD_JSON: { status: 400, message: '请求内容不是有效的 JSON' },
  BODY_TOO_LARGE: { status: 413, message: '提交的内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的内容类型' },
  NOT_FOUND: { status: 404, message: '记录不存在或无权查看' },
  ROUTE_NOT_FOUND: { status: 404, message: '接口不存在' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  SESSION_EXPIRED: { status: 401, message: '登录已超时，请重新登录' },
  FORBIDDEN: { status: 403, message: '没有执行此操作的权限' },
  TOTP_REQUIRED: { status: 403, message: '请先完成两步验证' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
  CONFLICT: { status: 409, message: '数据已被他人修改，请刷新后重试' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: '相同的提交正在处理中，请稍候' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: '该幂等键已用于其他操作' },
  REGION_NOT_FOUND: { status: 404, message: '区划不存在或不在您的管辖范围' },
  REGION_CODE_UNKNOWN: { status: 400, message: '未知的区划代码' },
  INVALID_ID_NUMBER: { status: 400, message: '身份证号码无效' },
  INVALID_PHONE: { status: 400, message: '手机号码无效' },
});
