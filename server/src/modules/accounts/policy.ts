/**
 * No privilege escalation: a caller grants only on nodes inside their accounts.manage scope, and
 * only built-in roles ranked below their own there (county-defined roles: only roles whose every
 * permission they hold on that node). An account is theirs to manage only
 * when everything it reaches (its grants, its household) lies inside that scope.
 */
import { covers, type Actor } from '../../core/actor.js';
import { roleRank, TOP_RANK } from '../../core/permissions.js';

export const MANAGE = 'accounts.manage';

export type GrantProblem = { reason: 'scope' } | { reason: 'escalation'; missing: string[] } | null;

export function grantProblem(actor: Actor, role: { key: string; permissions: string[] }, regionPath: string): GrantProblem {
  if (!covers(actor, MANAGE, regionPath)) return { reason: 'scope' };
  // Built-in roles: the chain of command decides (see RoleDef.rank). The caller's rank on this node
  // is the highest rank among their roles that carry accounts.manage and cover it.
  const target = roleRank(role.key);
  const mine = Math.max(
    -1,
    ...actor.grants
      .filter((g) => g.permissions.includes(MANAGE) && regionPath.startsWith(g.regionPath))
      .map((g) => roleRank(g.roleKey) ?? -1),
  );
  if (target !== undefined && mine >= 0) {
    return target < mine || mine === TOP_RANK ? null : { reason: 'escalation', missing: [] };
  }
  // Roles a county added itself: only what the caller holds there may be handed on.
  const missing = role.permissions.filter((p) => !covers(actor, p, regionPath));
  return missing.length ? { reason: 'escalation', missing } : null;
}

/**
 * `footprint` = the paths of the account's grants and of its household. An account that reaches
 * nowhere yet belongs to the county, so only a county-wide manager sees it.
 */
export function canManageAccount(actor: Actor, footprint: string[], countyPath: string): boolean {
  const paths = footprint.length ? footprint : [countyPath];
  return paths.every((p) => covers(actor, MANAGE, p));
}
