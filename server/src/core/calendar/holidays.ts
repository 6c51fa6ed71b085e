/**
 * PRC public holidays and 调休 make-up workdays as published by the State Council General Office
 * (国务院办公厅关于部分节假日安排的通知). 2025 and 2026 are the published notices; 2027 is
 * provisional — reckoned from the statutory festivals (全国年节及纪念日放假办法, 2024 revision)
 * and the pattern of previous years — until the notice is out; a county corrects it with
 * calendar_days rows (its overrides win) without a code change.
 */
export interface YearCalendar {
  year: number;
  provisional: boolean;
  /** [first, last, name] inclusive ranges of days off. */
  holidays: [string, string, string][];
  /** Weekend days that are workdays (调休上班). */
  workdays: [string, string][];
}

export const PRC_CALENDAR: YearCalendar[] = [
  {
    year: 2025,
    provisional: false,
    holidays: [
      ['2025-01-01', '2025-01-01', '元旦'],
      ['2025-01-28', '2025-02-04', '春节'],
      ['2025-04-04', '2025-04-06', '清明节'],
      ['2025-05-01', '2025-05-05', '劳动节'],
      ['2025-05-31', '2025-06-02', '端午节'],
      ['2025-10-01', '2025-10-08', '国庆节、中秋节'],
    ],
    workdays: [
      ['2025-01-26', '春节调休'],
      ['2025-02-08', '春节调休'],
      ['2025-04-27', '劳动节调休'],
      ['2025-09-28', '国庆节调休'],
      ['2025-10-11', '国庆节调休'],
    ],
  },
  {
    year: 2026,
    provisional: false,
    holidays: [
      ['2026-01-01', '2026-01-03', '元旦'],
      ['2026-02-15', '2026-02-23', '春节'],
      ['2026-04-04', '2026-04-06', '清明节'],
      ['2026-05-01', '2026-05-05', '劳动节'],
      ['2026-06-19', '2026-06-21', '端午节'],
      ['2026-09-25', '2026-09-27', '中秋节'],
      ['2026-10-01', '2026-10-07', '国庆节'],
    ],
    workdays: [
      ['2026-01-04', '元旦调休'],
      ['2026-02-14', '春节调休'],
      ['2026-02-28', '春节调休'],
      ['2026-05-09', '劳动节调休'],
      ['2026-09-20', '国庆节调休'],
      ['2026-10-10', '国庆节调休'],
    ],
  },
  {
    year: 2027,
    provisional: true,
    holidays: [
      ['2027-01-01', '2027-01-03', '元旦'],
      ['2027-02-05', '2027-02-13', '春节'],
      ['2027-04-03', '2027-04-05', '清明节'],
      ['2027-05-01', '2027-05-05', '劳动节'],
      ['2027-06-09', '2027-06-11', '端午节'],
      ['2027-09-15', '2027-09-17', '中秋节'],
      ['2027-10-01', '2027-10-07', '国庆节'],
    ],
    workdays: [
      ['2027-02-20', '春节调休'],
      ['2027-04-25', '劳动节调休'],
      ['2027-09-26', '国庆节调休'],
      ['2027-10-09', '国庆节调休'],
    ],
  },
];
