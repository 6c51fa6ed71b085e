/**
 * Who may do what to a case — pure functions over the caller's grants and the case's state.
 * Grants cover a subtree; a handling step also needs the grant at the right level, so a township
 * cadre (whose grant covers the villages) does not act as the village, and department staff act
 * only on cases dispatched to their own department (users.department_id).
 */
import { covers, hasPermission, type Actor } from '../../core/actor.js';
import type { CaseRes } from './process.js';

type GrantLevel = 'county' | 'township' | 'village' | 'group';

export function holdsAt(actor: Actor, permission: string, path: string, levels: GrantLevel[]): boolean {
  return actor.grants.some((g) => g.permissions.includes(permission) && path.startsWith(g.regionPath) && levels.includes(g.regionLevel as GrantLevel));
}

export const isReporter = (a: Actor, c: CaseRes) => c.reporterUserId != null && c.reporterUserId === a.userId;

export function isDepartmentHandler(a: Actor, c: CaseRes): boolean {
  return c.departmentId != null && a.departmentId === c.departmentId && hasPermission(a, 'cases.handle');
}

/** The unit that holds the case now: the village, the township or the department. */
export function isCurrentHandler(a: Actor, c: CaseRes): boolean {
  if (c.level === 'village') return holdsAt(a, 'cases.handle', c.regionPath, ['village', 'group']);
  if (c.level === 'township') return holdsAt(a, 'cases.handle', c.regionPath, ['township']);
  return isDepartmentHandler(a, c);
}

/** 分拨/交办: the township or the county command centre. */
export function canDispatch(a: Actor, c: CaseRes): boolean {
  return holdsAt(a, 'cases.dispatch', c.regionPath, ['township', 'county']);
}

export function canSupervise(a: Actor, c: CaseRes): boolean {
  return covers(a, 'cases.supervise', c.regionPath);
}

/**
 * One level up from the current handler approves extensions and suspensions: a village's case →
 * its township or the county; a township's or a department's case → the county (or, for a
 * department, the township that dispatched it).
 */
export function isLevelAbove(a: Actor, c: CaseRes): boolean {
  if (c.level === 'village') return holdsAt(a, 'cases.supervise', c.regionPath, ['township', 'county']);
  if (c.level === 'township') return holdsAt(a, 'cases.supervise', c.regionPath, ['county']);
  return holdsAt(a, 'cases.supervise', c.regionPath, ['township', 'county']);
}

export const canRevisit = (a: Actor, c: CaseRes) => isReporter(a, c) || covers(a, 'cases.revisit', c.regionPath);

/** Read access: the region scope, the department it is dispatched to, or one's own report. */
export function canSee(a: Actor, c: CaseRes): boolean {
  return covers(a, 'cases.read', c.regionPath) || isDepartmentHandler(a, c) || isReporter(a, c);
}
