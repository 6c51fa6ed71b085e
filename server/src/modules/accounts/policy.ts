/**
 * No privilege escalation: a caller grants only on nodes inside their accounts.manage scope, and
 * only roles whose every permission they hold on that node. An account is theirs to manage only
 * when everything it reaches (its grants, its household) lies inside that scope.
 */
import { covers, type Actor } from '../../core/actor.js';

export const MANAGE = 'accounts.manage';

export type GrantProblem = { reason: 'scope' } | { reason: 'escalation'; missing: string[] } | null;

export function grantProblem(actor: Actor, rolePermissions: string[], regionPath: string): GrantProblem {
  if (!covers(actor, MANAGE, regionPath)) return { reason: 'scope' };
  const missing = rolePermissions.filter((p) => !covers(actor, p, regionPath));
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
