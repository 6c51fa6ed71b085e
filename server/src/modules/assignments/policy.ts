/**
 * 包保 rules: each level ties a patron one step above to a unit below, and is decided at the
 * patron's level (the county assigns its leaders to townships, a township its cadres to villages,
 * a village its cadres to groups and its party members to households).
 */
import type { Level } from './schema.js';
import { villagePathOf } from '../party/places.js';

export const READ = 'registry.read';
export const MANAGE = 'assignments.manage';

/** The region level a target must have; null = the target is a household. */
export const targetLevel: Record<Level, 'township' | 'village' | 'group' | null> = {
  county_township: 'township',
  township_village: 'village',
  village_group: 'group',
  member_household: null,
};

/** Where the decision is taken: the target's parent, or the household's village. */
export function deciderPath(level: Level, targetPath: string): string | null {
  if (level === 'member_household') return villagePathOf(targetPath);
  const ids = targetPath.split('/').filter(Boolean);
  return ids.length > 1 ? `/${ids.slice(0, -1).join('/')}/` : null;
}

/** A patron account works at or above the target (its grant's node is an ancestor-or-self). */
export function patronFits(grantPaths: string[], targetPath: string): boolean {
  return grantPaths.some((p) => targetPath.startsWith(p));
}

/** Ending on a day before the start would be nonsense: a not-yet-started assignment ends on its start. */
export function endDate(startsOn: string, today: string): string {
  return startsOn > today ? startsOn : today;
}
