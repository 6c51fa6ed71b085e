/**
 * The county work calendar: weekends, public holidays and 调休 make-up workdays, and working-day
 * arithmetic on it. Time limits (响应时限, 办理时限) are counted in working days the way 数字城管
 * systems do (GB/T 30428): a limit of n working days ends at the end (24:00 Beijing time) of the
 * n-th working day after the day the clock started. China has one time zone and no DST, so a fixed
 * +08:00 offset is exact.
 */
import type { Kdb } from '../../db/database.js';
import { PRC_CALENDAR } from './holidays.js';

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export type DayKind = 'holiday' | 'workday';

/** 'YYYY-MM-DD' of the Beijing-time day an instant falls on. */
export function beijingDay(t: Date): string {
  return new Date(t.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm' in Beijing time, for lists, exports and printed pages. */
export function beijingMinute(t: Date): string {
  return new Date(t.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The last millisecond of a Beijing-time day. */
export function endOfBeijingDay(day: string): Date {
  return new Date(Date.parse(day + 'T00:00:00Z') - OFFSET_MS + DAY_MS - 1);
}

function nextDay(day: string, step = 1): string {
  return new Date(Date.parse(day + 'T00:00:00Z') + step * DAY_MS).toISOString().slice(0, 10);
}

function builtinDays(): Map<string, { kind: DayKind; name: string }> {
  const m = new Map<string, { kind: DayKind; name: string }>();
  for (const y of PRC_CALENDAR) {
    for (const [first, last, name] of y.holidays) for (let d = first; d <= last; d = nextDay(d)) m.set(d, { kind: 'holiday', name });
    for (const [d, name] of y.workdays) m.set(d, { kind: 'workday', name });
  }
  return m;
}
const BUILTIN = builtinDays();

export class WorkCalendar {
  private readonly days: Map<string, { kind: DayKind; name: string }>;
  /** overrides: a county's own calendar_days rows; they win over the national data. */
  constructor(overrides: { day: string; kind: DayKind; name?: string }[] = []) {
    this.days = new Map(BUILTIN);
    for (const o of overrides) this.days.set(o.day, { kind: o.kind, name: o.name ?? '' });
  }

  isWorkday(day: string): boolean {
    const special = this.days.get(day);
    if (special) return special.kind === 'workday';
    const dow = new Date(day + 'T00:00:00Z').getUTCDay();
    return dow !== 0 && dow !== 6;
  }

  describe(day: string): { day: string; workday: boolean; name: string } {
    return { day, workday: this.isWorkday(day), name: this.days.get(day)?.name ?? '' };
  }

  /**
   * Deadline n working days after `from`: the end of the n-th working day strictly after from's
   * day. n = 0 means "the same working day" (end of from's day, or of the next working day if
   * from falls on a day off).
   */
  addWorkingDays(from: Date, n: number): Date {
    let day = beijingDay(from);
    if (n <= 0) {
      while (!this.isWorkday(day)) day = nextDay(day);
      return endOfBeijingDay(day);
    }
    let left = n;
    while (left > 0) {
      day = nextDay(day);
      if (this.isWorkday(day)) left--;
    }
    return endOfBeijingDay(day);
  }

  /** Working days d with day(a) < d ≤ day(b): how far the clock ran between two instants. */
  workingDaysBetween(a: Date, b: Date): number {
    let day = beijingDay(a);
    const end = beijingDay(b);
    let n = 0;
    while (day < end) {
      day = nextDay(day);
      if (this.isWorkday(day)) n++;
    }
    return n;
  }

  /** Moves a deadline by n working days (an extension, or the days a case was suspended). */
  shiftDeadline(due: Date, n: number): Date {
    if (n <= 0) return due;
    return this.addWorkingDays(due, n);
  }

  /** Working days left until `due` (negative when overdue): for yellow/red warnings. */
  workingDaysLeft(now: Date, due: Date): number {
    if (due.getTime() < now.getTime()) return -this.workingDaysBetween(due, now) || -1;
    return this.workingDaysBetween(now, due);
  }
}

const cache = new Map<number, { at: number; cal: WorkCalendar }>();
const TTL_MS = 60_000;

/** The county's calendar (national data + its overrides), cached for a minute per process. */
export async function loadCalendar(db: Kdb, countyId: number): Promise<WorkCalendar> {
  const hit = cache.get(countyId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.cal;
  const rows = await db.selectFrom('calendar_days').select(['day', 'kind', 'name']).where('county_id', '=', countyId).execute();
  const cal = new WorkCalendar(rows);
  cache.set(countyId, { at: Date.now(), cal });
  return cal;
}

export function forgetCalendar(countyId: number): void {
  cache.delete(countyId);
}

/** A county's own calendar day (a local holiday, a changed 调休); replaces any earlier override. */
export async function setCalendarDay(db: Kdb, countyId: number, day: string, kind: DayKind, name: string): Promise<void> {
  await db
    .insertInto('calendar_days')
    .values({ county_id: countyId, day, kind, name })
    .onConflict((oc) => oc.columns(['county_id', 'day']).doUpdateSet({ kind, name }))
    .execute();
  forgetCalendar(countyId);
}
