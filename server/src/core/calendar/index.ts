export { WorkCalendar, loadCalendar, setCalendarDay, forgetCalendar, beijingDay, beijingMinute, endOfBeijingDay, type DayKind } from './calendar.js';
export { PRC_CALENDAR } from './holidays.js';
