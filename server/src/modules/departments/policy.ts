/** 县直部门 are county-level: listed to anyone who reads the registry, changed only county-wide. */
import { covers, type Actor } from '../../core/actor.js';

export const READ = 'registry.read';
export const MANAGE = 'departments.manage';

export function canManageDepartments(actor: Actor): boolean {
  return covers(actor, MANAGE, `/${actor.countyId}/`);
}
