/**
 * Log in, log out, two-factor. 5 failed logins lock an account for 15 minutes; county admins must
 * enrol TOTP; every outcome is audited (security logs are kept ≥ 6 months).
 */
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../../core/actor.js';
import { AppError, defineErrors } from '../../core/errors.js';
import { hashPassword, requireStrongPassword, verifyPassword } from '../../core/auth/password.js';
import { checkTotp, newTotpSecret, totpUri } from '../../core/auth/totp.js';
import { createSession, loadGrants, markTotpPassed } from '../../core/auth/sessions.js';
import { decrypt, encrypt } from '../../core/pii.js';
import { builtinRoles } from '../../core/permissions.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

defineErrors({
  LOGIN_FAILED: { status: 401, message: '用户名或密码错误' },
  ACCOUNT_LOCKED: { status: 423, message: '连续登录失败次数过多，账号已锁定15分钟' },
  ACCOUNT_DISABLED: { status: 403, message: '账号已停用' },
  TOTP_CODE_REQUIRED: { status: 401, message: '请输入动态验证码' },
  TOTP_CODE_INVALID: { status: 401, message: '动态验证码错误' },
  TOTP_NOT_SETUP: { status: 400, message: '尚未生成两步验证密钥' },
  PASSWORD_WRONG: { status: 400, message: '原密码错误' },
});

interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

export interface LoginResult {
  token: string;
  mustEnrollTotp: boolean;
}

async function securityAudit(db: Kdb, u: { id: number; county_id: number; display_name: string } | null, ip: string | null, action: string, note?: string) {
  await db
    .insertInto('audit_log')
    .values({
      county_id: u?.county_id ?? null,
      actor_id: u?.id ?? null,
      actor_name: u?.display_name ?? null,
      ip,
      action,
      entity: 'user',
      entity_id: u ? String(u.id) : null,
      note: note ?? null,
    })
    .execute();
}

export async function login(db: Kdb, input: LoginInput, ip: string | null, ua: string | null, now = new Date()): Promise<LoginResult> {
  const user = await db.selectFrom('users').selectAll().where('username', '=', input.username).executeTakeFirst();
  if (!user) {
    await hashPassword(input.password); // same cost as a real check: no timing hint that the name is unknown
    await securityAudit(db, null, ip, 'auth.login_failed', `unknown user ${input.username.slice(0, 40)}`);
    throw new AppError('LOGIN_FAILED');
  }
  if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
  if (user.locked_until && new Date(user.locked_until) > now) {
    throw new AppError('ACCOUNT_LOCKED', { until: new Date(user.locked_until).toISOString() });
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    // Count and lock in one statement so parallel attempts cannot slip past the limit.
    const r = await db
      .updateTable('users')
      .set({
        failed_logins: sql`CASE WHEN failed_logins + 1 >= ${MAX_FAILED_LOGINS} THEN 0 ELSE failed_logins + 1 END`,
        locked_until: sql`CASE WHEN failed_logins + 1 >= ${MAX_FAILED_LOGINS} THEN ${now}::timestamptz + interval '${sql.raw(String(LOCK_MINUTES))} minutes' ELSE locked_until END`,
      })
      .where('id', '=', user.id)
      .returning(['failed_logins', 'locked_until'])
      .executeTakeFirstOrThrow();
    const locked = r.locked_until && new Date(r.locked_until) > now;
    await securityAudit(db, user, ip, locked ? 'auth.locked' : 'auth.login_failed');
    if (locked) throw new AppError('ACCOUNT_LOCKED', { until: new Date(r.locked_until!).toISOString() });
    throw new AppError('LOGIN_FAILED', { remaining: MAX_FAILED_LOGINS - r.failed_logins });
  }
  let totpPassed = false;
  if (user.totp_enabled && user.totp_secret_enc) {
    if (!input.totp) throw new AppError('TOTP_CODE_REQUIRED');
    if (!checkTotp(decrypt(user.totp_secret_enc), input.totp)) {
      await securityAudit(db, user, ip, 'auth.totp_failed');
      throw new AppError('TOTP_CODE_INVALID');
    }
    totpPassed = true;
  }
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', user.id).execute();
  const token = await createSession(db, user.id, totpPassed, ip, ua);
  await securityAudit(db, user, ip, 'auth.login');
  const grants = await loadGrants(db, user.id);
  const mustEnrollTotp = !user.totp_enabled && grants.some((g) => builtinRoles.find((r) => r.key === g.roleKey)?.requiresTotp);
  return { token, mustEnrollTotp };
}

export async function beginTotpSetup(db: Kdb, actor: Actor): Promise<{ secret: string; uri: string }> {
  const secret = newTotpSecret();
  await db.updateTable('users').set({ totp_secret_enc: encrypt(secret), totp_enabled: false }).where('id', '=', actor.userId).execute();
  return { secret, uri: totpUri(secret, actor.username) };
}

export async function enableTotp(db: Kdb, actor: Actor, token: string, code: string): Promise<void> {
  const u = await db.selectFrom('users').select(['totp_secret_enc', 'county_id', 'id', 'display_name']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!u.totp_secret_enc) throw new AppError('TOTP_NOT_SETUP');
  if (!checkTotp(decrypt(u.totp_secret_enc), code)) throw new AppError('TOTP_CODE_INVALID');
  await db.updateTable('users').set({ totp_enabled: true }).where('id', '=', actor.userId).execute();
  await markTotpPassed(db, token);
  await securityAudit(db, u, actor.ip, 'auth.totp_enabled');
}

export async function changePassword(db: Kdb, actor: Actor, oldPassword: string, newPassword: string): Promise<void> {
  const u = await db.selectFrom('users').select(['password_hash', 'county_id', 'id', 'display_name']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(u.password_hash, oldPassword))) throw new AppError('PASSWORD_WRONG');
  requireStrongPassword(newPassword);
  await db.updateTable('users').set({ password_hash: await hashPassword(newPassword), updated_at: new Date() }).where('id', '=', actor.userId).execute();
  await securityAudit(db, u, actor.ip, 'auth.password_changed');
}

export function describeActor(a: Actor) {
  const permissions = [...new Set(a.grants.flatMap((g) => g.permissions))];
  const mustEnrollTotp = !a.totpPassed && a.grants.some((g) => builtinRoles.find((r) => r.key === g.roleKey)?.requiresTotp);
  return {
    id: a.userId,
    username: a.username,
    displayName: a.displayName,
    kind: a.kind,
    householdId: a.householdId,
    departmentId: a.departmentId,
    permissions,
    grants: a.grants.map((g) => ({ role: g.roleKey, regionId: g.regionId, regionLevel: g.regionLevel })),
    mustEnrollTotp,
  };
}
