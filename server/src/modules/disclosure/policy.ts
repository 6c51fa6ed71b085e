/**
 * Who may do what in 村务公开 — pure rules over the caller's grants and the entry.
 *  - a sign-off step names a role and a level: only someone holding that role (with
 *    disclosure.sign) on the entry's village itself (village steps) or on its township (township
 *    steps) may sign or return it, and nobody signs twice in one round;
 *  - village cadres (disclosure.finance) enter, resubmit and reverse entries of their village.
 */
import { covers, type Actor } from '../../core/actor.js';
import type { ChainStep, EntryState } from './tables.js';

export const FINANCE = 'disclosure.finance';
export const SIGN = 'disclosure.sign';
export const PUBLISH = 'disclosure.publish';
export const AUDIT = 'disclosure.audit';
export const CHAIN = 'disclosure.chain';
export const NOTICE = 'disclosure.notice';
export const READ = 'disclosure.read';

export interface EntryRes {
  id: number;
  countyId: number;
  regionPath: string; // the village's path
  state: EntryState;
  steps: ChainStep[];
  currentStep: number;
  round: number;
  signers: number[]; // users who signed in this round
  version: number;
}

/** '/1/25/301/' → '/1/25/'. */
export function parentPath(path: string): string {
  return path.replace(/[^/]+\/$/, '');
}

/** Holds the step's role, with disclosure.sign, on the village itself or (township step) its township. */
export function holdsStep(a: Actor, villagePath: string, step: ChainStep): boolean {
  const at = step.level === 'township' ? parentPath(villagePath) : villagePath;
  return a.kind === 'staff' && a.grants.some((g) => g.roleKey === step.role && g.permissions.includes(SIGN) && g.regionPath === at);
}

export function canSign(a: Actor, e: EntryRes): boolean {
  const step = e.steps[e.currentStep];
  return e.state === 'signing' && !!step && holdsStep(a, e.regionPath, step) && !e.signers.includes(a.userId);
}

export function canEnter(a: Actor, villagePath: string): boolean {
  return a.kind === 'staff' && covers(a, FINANCE, villagePath);
}

export const canResubmit = (a: Actor, e: EntryRes) => e.state === 'returned' && canEnter(a, e.regionPath);

export const isStaffReader = (a: Actor, path: string) => a.kind === 'staff' && covers(a, READ, path);
