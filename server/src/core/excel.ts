/**
 * exceljs, loaded on the first workbook rather than at start: it is ~20 MB of resident memory that
 * a server answering list pages never uses. Types come from `import type ExcelJS from 'exceljs'`.
 */
import type ExcelJS from 'exceljs';

let loaded: Promise<typeof ExcelJS> | undefined;

export function excel(): Promise<typeof ExcelJS> {
  loaded ??= import('exceljs').then((m) => m.default);
  return loaded;
}
