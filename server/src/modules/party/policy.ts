/** Pure rules of 党员联户: who may be linked to whom, and what counts as under quota. */
import { covers, type Actor } from '../../core/actor.js';
import { villagePathOf } from './places.js';

export const READ = 'registry.read';
export const MANAGE = 'party.manage';

type MemberStatus = 'active' | 'away' | 'transferred';

/** A member serves households of their own village only ("就近联系"). */
export function sameVillage(memberPath: string, householdPath: string): boolean {
  const v = villagePathOf(memberPath);
  return v != null && householdPath.startsWith(v);
}

/** Only members in the register and at home take on households; away or transferred ones do not. */
export function mayTakeHouseholds(status: MemberStatus): boolean {
  return status === 'active';
}

export function isUnderQuota(m: { status: string; linkedCount: number; linkQuota: number }): boolean {
  return m.status === 'active' && m.linkedCount < m.linkQuota;
}

/** A committee (党委) sits at county or township level; branches and groups anywhere below. */
export function orgKindFitsLevel(kind: string, level: string): boolean {
  if (kind === 'committee') return level === 'county' || level === 'township';
  return level !== 'county' || kind === 'general_branch';
}

/** A parent org sits at the same place or above its child. */
export function parentOrgFits(parentPath: string, childPath: string): boolean {
  return childPath.startsWith(parentPath);
}

export function memberActions(actor: Actor, m: { region_path: string; status: string }) {
  const edit = covers(actor, MANAGE, m.region_path);
  return { edit, link: edit && mayTakeHouseholds(m.status as MemberStatus) };
}
