/** Who may do what with a visit (pure rules; the queries apply the same scope with inScope). */
import { covers, hasPermission, type Actor } from '../../core/actor.js';

export const RECORD = 'visits.record';
export const READ = 'visits.read';

export interface VisitRes {
  regionPath: string;
  visitorId: number;
}

/** Staff reading the household's place, or the visitor reading their own record. */
export function canSeeVisit(a: Actor, v: VisitRes): boolean {
  return covers(a, READ, v.regionPath) || v.visitorId === a.userId;
}

/** Turning an opinion into a case: someone who may record visits there and report cases. */
export function canConvert(a: Actor, v: VisitRes): boolean {
  return a.kind === 'staff' && covers(a, RECORD, v.regionPath) && hasPermission(a, 'cases.report');
}
