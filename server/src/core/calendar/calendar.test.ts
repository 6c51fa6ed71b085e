import { describe, expect, it } from 'vitest';
import { WorkCalendar, beijingDay, endOfBeijingDay } from './calendar.js';

const cal = new WorkCalendar();
const at = (s: string) => new Date(s);

describe('work calendar', () => {
  it('knows weekends, holidays and 调休 make-up workdays', () => {
    expect(cal.isWorkday('2026-03-16')).toBe(true); // Monday
    expect(cal.isWorkday('2026-03-14')).toBe(false); // Saturday
    expect(cal.isWorkday('2026-10-05')).toBe(false); // 国庆节, a Monday
    expect(cal.isWorkday('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkday('2025-01-26')).toBe(true); // Sunday, 春节调休
    expect(cal.describe('2026-02-17').name).toBe('春节');
  });

  it('works in Beijing time whatever the server clock zone', () => {
    expect(beijingDay(at('2026-03-15T17:00:00Z'))).toBe('2026-03-16'); // 01:00 Monday in Beijing
    expect(endOfBeijingDay('2026-03-16').toISOString()).toBe('2026-03-16T15:59:59.999Z');
  });

  it('adds working days: Friday + 1 ends Monday night', () => {
    const due = cal.addWorkingDays(at('2026-03-13T02:00:00Z'), 1); // Friday 10:00
    expect(beijingDay(due)).toBe('2026-03-16');
    expect(due.toISOString()).toBe('2026-03-16T15:59:59.999Z');
  });

  it('skips a holiday week and counts the make-up Saturday', () => {
    // Tuesday 29 Sep 2026 + 3 working days: 30 Sep, (1–7 Oct off), 8 Oct, 9 Oct
    expect(beijingDay(cal.addWorkingDays(at('2026-09-29T03:00:00Z'), 3))).toBe('2026-10-09');
    // + 4 reaches Saturday 10 Oct, a 调休 workday
    expect(beijingDay(cal.addWorkingDays(at('2026-09-29T03:00:00Z'), 4))).toBe('2026-10-10');
    // reported on a Sunday: 0 days = end of Monday
    expect(beijingDay(cal.addWorkingDays(at('2026-03-15T03:00:00Z'), 0))).toBe('2026-03-16');
  });

  it('counts working days between two instants and shifts deadlines', () => {
    expect(cal.workingDaysBetween(at('2026-03-13T02:00:00Z'), at('2026-03-17T02:00:00Z'))).toBe(2); // Mon, Tue
    expect(cal.workingDaysBetween(at('2026-03-17T02:00:00Z'), at('2026-03-17T09:00:00Z'))).toBe(0);
    const due = endOfBeijingDay('2026-09-30');
    expect(beijingDay(cal.shiftDeadline(due, 1))).toBe('2026-10-08');
    expect(cal.shiftDeadline(due, 0)).toBe(due);
  });

  it('lets a county override the national data', () => {
    const local = new WorkCalendar([{ day: '2026-03-16', kind: 'holiday', name: '县庆' }, { day: '2026-10-05', kind: 'workday' }]);
    expect(local.isWorkday('2026-03-16')).toBe(false);
    expect(local.isWorkday('2026-10-05')).toBe(true);
    expect(beijingDay(local.addWorkingDays(at('2026-03-13T02:00:00Z'), 1))).toBe('2026-03-17');
  });
});
