/**
 * Who may do what to which registry record in which state. Small pure rules; the service calls
 * them and the responses carry their answers (`can`) so pages show only buttons that will work.
 */
import { covers, type Actor } from '../../core/actor.js';
import type { GridLevel } from './schema.js';

export const READ = 'registry.read';
export const WRITE = 'registry.write';
export const REVEAL = 'pii.reveal';

type HouseholdStatus = 'active' | 'moved' | 'merged';

/** A merged household is kept for its history only: its members now live in another record. */
export function householdEditable(status: HouseholdStatus): boolean {
  return status !== 'merged';
}

export function canEditHousehold(actor: Actor, h: { region_path: string; status: HouseholdStatus }): boolean {
  return covers(actor, WRITE, h.region_path) && householdEditable(h.status);
}

export function canReveal(actor: Actor, regionPath: string): boolean {
  return covers(actor, REVEAL, regionPath);
}

/** 迁出 (moved) can be undone when a family returns; 合户 (merged) cannot. */
const HOUSEHOLD_MOVES: Record<HouseholdStatus, HouseholdStatus[]> = {
  active: ['moved', 'merged'],
  moved: ['active', 'merged'],
  merged: [],
};
export function householdStatusChangeAllowed(from: HouseholdStatus, to: HouseholdStatus): boolean {
  return from === to || HOUSEHOLD_MOVES[from].includes(to);
}

/** A grid's parent is one level up: level1 (一级网格) ⊃ level2 (二级网格) ⊃ micro (微网格). */
const GRID_PARENT: Record<GridLevel, GridLevel | null> = { level1: null, level2: 'level1', micro: 'level2' };
export function gridParentLevel(level: GridLevel): GridLevel | null {
  return GRID_PARENT[level];
}

/** A grid may only hang under a grid whose area contains its own. */
export function gridInsideParent(childPath: string, parentPath: string): boolean {
  return childPath.startsWith(parentPath);
}

/** Grids lie in a township, village or group — never directly on the county. */
export function gridRegionAllowed(level: string): boolean {
  return level === 'township' || level === 'village' || level === 'group';
}

/** Households hang on a villager group (or, where a village has no groups, the village). */
export function householdRegionAllowed(level: string): boolean {
  return level === 'group' || level === 'village';
}

/** A household's grid must lie in the same village (or above it): its area contains the household. */
export function gridCoversHousehold(gridPath: string, householdPath: string): boolean {
  return householdPath.startsWith(gridPath);
}
