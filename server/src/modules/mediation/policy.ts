/**
 * Who may do what with a dispute — pure rules over the caller's grants and the dispute's state.
 *
 *  - manage (受理、不予受理、确定调解人员): a cadre holding mediation.manage on the dispute's place at
 *    a level at least the dispute's: a village cadre the village's own disputes, a township cadre
 *    the village- and township-level disputes of the township, the county every dispute.
 *  - the mediator steps (调查、告知、调解、协议/不成、回访): the assigned mediator only.
 *  - read: mediation.read on the place, or being the assigned mediator. Villagers read only their
 *    own applications, through /me routes.
 */
import { covers, hasPermission, type Actor } from '../../core/actor.js';
import type { DisputeLevel, DisputeState } from '../../db/types.js';

export const APPLY = 'mediation.apply';
export const HANDLE = 'mediation.handle';
export const MANAGE = 'mediation.manage';
export const READ = 'mediation.read';

export interface DisputeRes {
  id: number;
  countyId: number;
  regionPath: string;
  state: DisputeState;
  level: DisputeLevel;
  mediatorUserId: number | null;
  applicantUserId: number | null;
  preferredMediatorId: number | null;
  version: number;
}

const LEVEL_RANK: Record<DisputeLevel, number> = { village: 0, township: 1, county: 2 };
const GRANT_RANK: Record<string, number> = { group: 0, village: 0, township: 1, county: 2 };

export function canManage(a: Actor, d: Pick<DisputeRes, 'regionPath' | 'level'>): boolean {
  return a.kind === 'staff' && a.grants.some((g) => g.permissions.includes(MANAGE) && d.regionPath.startsWith(g.regionPath) && (GRANT_RANK[g.regionLevel] ?? -1) >= LEVEL_RANK[d.level]);
}

/** May register a dispute of this level at this place (same rule as managing it). */
export const canRegister = canManage;

export function isMediator(a: Actor, d: Pick<DisputeRes, 'mediatorUserId'>): boolean {
  return a.kind === 'staff' && d.mediatorUserId != null && d.mediatorUserId === a.userId && hasPermission(a, HANDLE);
}

export function canSee(a: Actor, d: Pick<DisputeRes, 'regionPath' | 'mediatorUserId'>): boolean {
  return a.kind === 'staff' && (covers(a, READ, d.regionPath) || (d.mediatorUserId != null && d.mediatorUserId === a.userId));
}

export const isApplicant = (a: Actor, d: Pick<DisputeRes, 'applicantUserId'>) => d.applicantUserId != null && d.applicantUserId === a.userId;
