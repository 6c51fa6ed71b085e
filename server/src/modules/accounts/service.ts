/**
 * Staff and villager accounts and their role grants. A caller manages only accounts that lie
 * wholly inside their accounts.manage scope (others answer 404, like missing), grants only on
 * nodes inside it and only roles whose every permission they hold there, and never edits their
 * own account here (that is /auth/password and friends).
 */
import { covers, inScope, requirePermission } from '../../core/actor.js';
import { audit, diff } from '../../core/audit.js';
import { hashPassword, requireStrongPassword } from '../../core/auth/password.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { AppError, defineErrors } from '../../core/errors.js';
import { decodeCursor, pageOf } from '../../core/paging.js';
import { allPermissions } from '../../core/permissions.js';
import { countyPath, regionInScope } from '../party/places.js';
import * as q from './queries.js';
import { canManageAccount, grantProblem, MANAGE } from './policy.js';
import type { AccountCreate, AccountListQuery, AccountPatch, GrantInput } from './schema.js';

defineErrors({
  USERNAME_TAKEN: { status: 409, message: '用户名已被使用' },
  ROLE_NOT_FOUND: { status: 400, message: '角色不存在' },
  ROLE_ESCALATION: { status: 403, message: '不能授予超出您本人在该区划权限的角色' },
  GRANT_EXISTS: { status: 409, message: '该账号在此区划已有此角色' },
  GRANT_REQUIRED: { status: 400, message: '工作人员账号至少需要一项角色授权' },
  LAST_GRANT: { status: 409, message: '不能移除工作人员账号的最后一项授权；如需停用，请停用账号' },
  VILLAGER_HOUSEHOLD_REQUIRED: { status: 400, message: '村民账号须关联所在农户' },
  STAFF_NO_HOUSEHOLD: { status: 400, message: '工作人员账号不关联农户' },
  DEPARTMENT_NOT_FOUND: { status: 404, message: '部门不存在' },
  ACCOUNT_HOUSEHOLD_NOT_FOUND: { status: 404, message: '农户不存在或不在您的管辖范围' },
  CANNOT_MANAGE_SELF: { status: 403, message: '不能在账号管理中修改本人账号，请到个人设置中操作' },
});

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

function present(u: q.UserRow, grants: q.GrantRow[], now = new Date()) {
  const lockedUntil = u.locked_until && new Date(u.locked_until) > now ? iso(u.locked_until) : null;
  return {
    id: u.id, username: u.username, displayName: u.display_name, kind: u.kind, status: u.status,
    locked: lockedUntil != null, lockedUntil, totpEnabled: u.totp_enabled, lastLoginAt: iso(u.last_login_at),
    householdId: u.household_id, departmentId: u.department_id,
    grants: grants.filter((g) => g.user_id === u.id).map((g) => ({
      id: g.id, roleKey: g.roleKey, roleName: g.roleName, regionId: g.regionId, regionName: g.regionName, regionLevel: g.regionLevel,
    })),
  };
}

/** Paths the account reaches: its grants and its household. */
async function footprint(ctx: Ctx, u: q.UserRow, grants: q.GrantRow[]): Promise<string[]> {
  const paths = grants.map((g) => g.region_path);
  if (u.household_id) {
    const h = await q.householdPath(ctx.db, ctx.actor.countyId, u.household_id);
    if (h) paths.push(h.region_path);
  }
  return paths;
}

/** The widest place an account reaches, for the audit row's region_path. */
const auditPath = (paths: string[]) => [...paths].sort((a, b) => a.length - b.length)[0] ?? null;

async function loadManaged(ctx: Ctx, id: number, forWrite: boolean) {
  const u = await q.userById(ctx.db, ctx.actor.countyId, id);
  if (!u) throw new AppError('NOT_FOUND');
  const grants = await q.grantsOf(ctx.db, [id]);
  const paths = await footprint(ctx, u, grants);
  if (!canManageAccount(ctx.actor, paths, countyPath(ctx))) throw new AppError('NOT_FOUND');
  if (forWrite && u.id === ctx.actor.userId) throw new AppError('CANNOT_MANAGE_SELF');
  return { u, grants, paths };
}

export async function listAccounts(ctx: Ctx, query: AccountListQuery) {
  requirePermission(ctx.actor, MANAGE);
  const limit = query.limit ?? 50;
  const prefix = query.regionId ? (await regionInScope(ctx, query.regionId, MANAGE)).path : null;
  const rows = await q.listAccounts(ctx.db, ctx.actor.countyId, {
    scopeOn: (col) => inScope(ctx.actor, MANAGE, col),
    coversCounty: covers(ctx.actor, MANAGE, countyPath(ctx)),
    prefix,
    q: query.q?.trim() || undefined,
    kind: query.kind,
    status: query.status,
  }, decodeCursor(query.cursor), limit);
  const page = pageOf(rows, limit);
  const grants = await q.grantsOf(ctx.db, page.items.map((u) => u.id));
  return { items: page.items.map((u) => present(u, grants)), nextCursor: page.nextCursor };
}

export async function getAccount(ctx: Ctx, id: number) {
  const { u, grants } = await loadManaged(ctx, id, false);
  return present(u, grants);
}

/** Resolves and checks one grant: the region in scope (404 otherwise), the role within the caller's own powers. */
async function checkGrant(ctx: Ctx, g: GrantInput) {
  const role = await q.roleByKey(ctx.db, g.roleKey);
  if (!role) throw new AppError('ROLE_NOT_FOUND', { roleKey: g.roleKey });
  const region = await regionInScope(ctx, g.regionId, MANAGE);
  const problem = grantProblem(ctx.actor, role, region.path);
  if (problem?.reason === 'escalation') throw new AppError('ROLE_ESCALATION', { roleKey: role.key, regionId: region.id, missing: problem.missing });
  if (problem) throw new AppError('REGION_NOT_FOUND', { regionId: region.id });
  return { role, region };
}

export async function createAccount(ctx: Ctx, input: AccountCreate) {
  requirePermission(ctx.actor, MANAGE);
  requireStrongPassword(input.password);
  let household: { id: number; region_path: string } | null = null;
  if (input.kind === 'villager') {
    if (!input.householdId) throw new AppError('VILLAGER_HOUSEHOLD_REQUIRED');
    const h = await q.householdPath(ctx.db, ctx.actor.countyId, input.householdId);
    if (!h || !covers(ctx.actor, MANAGE, h.region_path)) throw new AppError('ACCOUNT_HOUSEHOLD_NOT_FOUND', { householdId: input.householdId });
    household = h;
  } else if (input.householdId) {
    throw new AppError('STAFF_NO_HOUSEHOLD');
  }
  if (input.departmentId && !(await q.departmentExists(ctx.db, ctx.actor.countyId, input.departmentId))) {
    throw new AppError('DEPARTMENT_NOT_FOUND', { departmentId: input.departmentId });
  }
  let grants = input.grants ?? [];
  // A villager with no explicit grant gets the villager role on their own village.
  if (grants.length === 0 && household) {
    const village = household.region_path.split('/').filter(Boolean)[2];
    if (village) grants = [{ roleKey: 'villager', regionId: Number(village) }];
  }
  if (input.kind === 'staff' && grants.length === 0) throw new AppError('GRANT_REQUIRED');
  const checked: Awaited<ReturnType<typeof checkGrant>>[] = [];
  for (const g of grants) checked.push(await checkGrant(ctx, g));
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async (tx) => {
    const taken = await tx.db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
    if (taken) throw new AppError('USERNAME_TAKEN', { username: input.username });
    let row: { id: number };
    try {
      row = await tx.db
        .insertInto('users')
        .values({
          county_id: ctx.actor.countyId, username: input.username, display_name: input.displayName.trim(), kind: input.kind,
          password_hash: passwordHash, household_id: household?.id ?? null, department_id: input.departmentId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw new AppError('USERNAME_TAKEN', { username: input.username });
      throw e;
    }
    const seen = new Set<string>();
    for (const { role, region } of checked) {
      if (seen.has(`${role.id}:${region.id}`)) continue;
      seen.add(`${role.id}:${region.id}`);
      await tx.db.insertInto('user_grants').values({ county_id: ctx.actor.countyId, user_id: row.id, role_id: role.id, region_id: region.id, region_path: region.path }).execute();
    }
    const paths = [...checked.map((c) => c.region.path), ...(household ? [household.region_path] : [])];
    await audit(tx, {
      action: 'account.create', entity: 'user', entityId: row.id, regionPath: auditPath(paths),
      after: {
        username: input.username, displayName: input.displayName, kind: input.kind, householdId: household?.id ?? null,
        departmentId: input.departmentId ?? null, grants: checked.map((c) => ({ roleKey: c.role.key, regionId: c.region.id })),
      },
    });
    return getAccount(tx, row.id);
  });
}

export async function updateAccount(ctx: Ctx, id: number, input: AccountPatch) {
  return inTransaction(ctx, async (tx) => {
    const { u, paths } = await loadManaged(tx, id, true);
    const next = { displayName: input.displayName?.trim() ?? u.display_name, status: input.status ?? u.status };
    await tx.db.updateTable('users').set({ display_name: next.displayName, status: next.status, updated_at: new Date() }).where('id', '=', id).execute();
    // A disabled account is out at once: its sessions go with it.
    if (next.status === 'disabled') await tx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    const d = diff({ displayName: u.display_name, status: u.status as string }, next);
    const action = next.status !== u.status ? (next.status === 'disabled' ? 'account.disable' : 'account.enable') : 'account.update';
    await audit(tx, { action, entity: 'user', entityId: id, regionPath: auditPath(paths), before: d.before, after: d.after });
    return getAccount(tx, id);
  });
}

export async function addGrant(ctx: Ctx, id: number, input: GrantInput) {
  return inTransaction(ctx, async (tx) => {
    const { grants } = await loadManaged(tx, id, true);
    const { role, region } = await checkGrant(tx, input);
    if (grants.some((g) => g.roleKey === role.key && g.regionId === region.id)) throw new AppError('GRANT_EXISTS');
    const g = await tx.db
      .insertInto('user_grants')
      .values({ county_id: ctx.actor.countyId, user_id: id, role_id: role.id, region_id: region.id, region_path: region.path })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'account.grant', entity: 'user', entityId: id, regionPath: region.path, after: { grantId: g.id, roleKey: role.key, regionId: region.id } });
    return getAccount(tx, id);
  });
}

export async function removeGrant(ctx: Ctx, id: number, grantId: number) {
  return inTransaction(ctx, async (tx) => {
    const { u, grants } = await loadManaged(tx, id, true);
    const g = grants.find((x) => x.id === grantId);
    if (!g) throw new AppError('NOT_FOUND');
    if (u.kind === 'staff' && grants.length === 1) throw new AppError('LAST_GRANT');
    // Taking a role away needs the same power as giving it.
    const problem = grantProblem(ctx.actor, { key: g.roleKey, permissions: g.permissions }, g.region_path);
    if (problem?.reason === 'escalation') throw new AppError('ROLE_ESCALATION', { roleKey: g.roleKey, missing: problem.missing });
    await tx.db.deleteFrom('user_grants').where('id', '=', grantId).execute();
    await audit(tx, { action: 'account.revoke', entity: 'user', entityId: id, regionPath: g.region_path, before: { grantId, roleKey: g.roleKey, regionId: g.regionId } });
    return getAccount(tx, id);
  });
}

export async function resetPassword(ctx: Ctx, id: number, password: string) {
  requireStrongPassword(password);
  const hash = await hashPassword(password);
  return inTransaction(ctx, async (tx) => {
    const { paths } = await loadManaged(tx, id, true);
    await tx.db.updateTable('users').set({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: new Date() }).where('id', '=', id).execute();
    // Whoever held the old password is signed out everywhere.
    await tx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    await audit(tx, { action: 'account.password_reset', entity: 'user', entityId: id, regionPath: auditPath(paths) });
    return { ok: true };
  });
}

/** For a lost phone: clears the TOTP secret and ends the sessions; the next login enrols again. */
export async function resetTotp(ctx: Ctx, id: number) {
  return inTransaction(ctx, async (tx) => {
    const { u, paths } = await loadManaged(tx, id, true);
    await tx.db.updateTable('users').set({ totp_secret_enc: null, totp_enabled: false, updated_at: new Date() }).where('id', '=', id).execute();
    await tx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    await audit(tx, { action: 'account.totp_reset', entity: 'user', entityId: id, regionPath: auditPath(paths), before: { totpEnabled: u.totp_enabled }, after: { totpEnabled: false } });
    return getAccount(tx, id);
  });
}

export async function unlock(ctx: Ctx, id: number) {
  return inTransaction(ctx, async (tx) => {
    const { u, paths } = await loadManaged(tx, id, true);
    await tx.db.updateTable('users').set({ failed_logins: 0, locked_until: null, updated_at: new Date() }).where('id', '=', id).execute();
    await audit(tx, { action: 'account.unlock', entity: 'user', entityId: id, regionPath: auditPath(paths), before: { lockedUntil: iso(u.locked_until) }, after: { lockedUntil: null } });
    return getAccount(tx, id);
  });
}

export async function listRoles(ctx: Ctx, regionId: number | undefined) {
  requirePermission(ctx.actor, MANAGE);
  const region = regionId ? await regionInScope(ctx, regionId, MANAGE) : null;
  const labels = new Map(allPermissions().map((p) => [p.key, p.label]));
  return (await q.allRoles(ctx.db)).map((r) => ({
    key: r.key,
    name: r.name,
    requiresTotp: r.requires_totp,
    // unknown permissions in a row are never granted, so they are not shown either
    permissions: r.permissions.filter((p) => labels.has(p)).map((p) => ({ key: p, label: labels.get(p)! })),
    grantable: region ? grantProblem(ctx.actor, r, region.path) == null : null,
  }));
}

export function listPermissions(ctx: Ctx) {
  requirePermission(ctx.actor, MANAGE);
  return allPermissions();
}
