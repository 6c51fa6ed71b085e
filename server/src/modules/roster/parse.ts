/**
 * Reading an uploaded roster (.xlsx or .csv) into plain rows. Nothing here knows the database:
 * a file that cannot be read at all is a 4xx for the upload; a row with bad content is the
 * validator's business and is reported by row and column.
 */
import type ExcelJS from 'exceljs';
import { excel } from '../../core/excel.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError, defineErrors } from '../../core/errors.js';
import { fieldOfHeader, ROSTER_COLUMNS, type RosterField } from './columns.js';

defineErrors({
  ROSTER_FILE_MISSING: { status: 400, message: '请选择要导入的花名册文件（表单字段 file）' },
  ROSTER_FILE_UNSUPPORTED: { status: 415, message: '不支持的文件格式，请上传 .xlsx 或 .csv 格式的花名册' },
  ROSTER_FILE_UNREADABLE: { status: 400, message: '文件已损坏或不是有效的 Excel/CSV 表格，无法读取' },
  ROSTER_COLUMNS_MISSING: { status: 400, message: '表格缺少必需的列，请使用花名册模板' },
  ROSTER_FILE_EMPTY: { status: 400, message: '表格中没有可导入的数据行' },
  ROSTER_TOO_MANY_ROWS: { status: 400, message: '单个文件最多导入100000行，请按村拆分后再导入' },
});

export const MAX_ROWS = 100_000;

/** One data row of the roster, as text; `row` is the spreadsheet's own row number (1-based). */
export interface RosterRow {
  row: number;
  householdCode: string;
  group: string;
  address: string;
  name: string;
  relation: string;
  idNumber: string;
  phone: string;
  ethnicity: string;
  political: string;
  tags: string;
  /** Set when Excel stored the ID number as a number (its last digits are lost). */
  idNumberWasNumeric?: boolean;
}

const EMPTY: Omit<RosterRow, 'row'> = {
  householdCode: '', group: '', address: '', name: '', relation: '', idNumber: '', phone: '', ethnicity: '', political: '', tags: '',
};

export type FileKind = 'xlsx' | 'csv';

/** Decides by content, not by the name a browser sent: xlsx is a zip, csv is text. */
export function detectKind(buf: Buffer, fileName: string): FileKind {
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return 'xlsx';
  // Old binary .xls (OLE2) and anything else with NUL bytes is not something we read.
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0) throw new AppError('ROSTER_FILE_UNSUPPORTED', { reason: '旧版 .xls 格式，请在 Excel 中另存为 .xlsx' });
  if (buf.subarray(0, 4096).includes(0)) throw new AppError('ROSTER_FILE_UNSUPPORTED', { fileName });
  if (/\.(xlsx|xlsm)$/i.test(fileName)) throw new AppError('ROSTER_FILE_UNREADABLE', { fileName });
  return 'csv';
}

/** UTF-8 (with or without BOM), or GBK as Excel on a Chinese Windows saves "CSV". */
export function decodeText(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('gbk').decode(buf);
  }
}

export async function parseRoster(buf: Buffer, fileName: string): Promise<RosterRow[]> {
  const kind = detectKind(buf, fileName);
  const tables = kind === 'xlsx' ? await xlsxTables(buf) : [csvTable(buf)];
  // A workbook may hold other sheets (填写说明, an exported 户 sheet): read the first with a roster header.
  const table = tables.find((t) => headerRowOf(t) >= 0) ?? tables[0];
  if (!table) throw new AppError('ROSTER_FILE_EMPTY');
  return rowsOf(table);
}

interface Cell {
  text: string;
  numeric: boolean;
}
interface Table {
  rows: { number: number; cells: Cell[] }[];
}

function csvTable(buf: Buffer): Table {
  let records: { record: string[]; info: { records: number; empty_lines: number } }[];
  try {
    records = parseCsv(decodeText(buf), { relax_column_count: true, skip_empty_lines: true, info: true, bom: true, trim: false }) as unknown as typeof records;
  } catch (e) {
    throw new AppError('ROSTER_FILE_UNREADABLE', { reason: (e as Error).message.slice(0, 200) });
  }
  // The row number Excel shows for the file: one row per record (a quoted field may span lines),
  // blank lines included.
  return { rows: records.map((r) => ({ number: r.info.records + r.info.empty_lines, cells: r.record.map((t) => ({ text: t, numeric: false })) })) };
}

async function xlsxTables(buf: Buffer): Promise<Table[]> {
  const wb = new (await excel()).Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (e) {
    throw new AppError('ROSTER_FILE_UNREADABLE', { reason: (e as Error).message.slice(0, 200) });
  }
  const sheets = [...wb.worksheets].sort((a, b) => Number(b.name === '花名册') - Number(a.name === '花名册'));
  return sheets.filter((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden').map(sheetTable);
}

function sheetTable(ws: ExcelJS.Worksheet): Table {
  const rows: Table['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellOf(cell.value);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= { text: '', numeric: false };
    rows.push({ number, cells });
  });
  return { rows };
}

/** Index of the header row (a title row or two above it is common), or -1. */
function headerRowOf(table: Table): number {
  return table.rows.slice(0, 10).findIndex((r) => {
    const fields = new Set(r.cells.map((c) => fieldOfHeader(c.text)));
    return fields.has('name') && fields.has('idNumber');
  });
}

/** A cell's value as the text a person sees, whatever Excel stored (rich text, formula, link). */
function cellOf(v: ExcelJS.CellValue): Cell {
  if (v == null) return { text: '', numeric: false };
  if (typeof v === 'number') return { text: Number.isInteger(v) && Math.abs(v) < 1e21 ? BigInt(v).toString() : String(v), numeric: true };
  if (typeof v === 'string') return { text: v, numeric: false };
  if (typeof v === 'boolean') return { text: v ? '是' : '否', numeric: false };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), numeric: false };
  if ('richText' in v) return { text: v.richText.map((r) => r.text).join(''), numeric: false };
  if ('formula' in v || 'sharedFormula' in v) return cellOf((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in v) return { text: String(v.text), numeric: false };
  return { text: '', numeric: false };
}

/** Finds the header row (a title row above it is common), maps columns, returns the data rows. */
function rowsOf(table: Table): RosterRow[] {
  const headerAt = headerRowOf(table);
  if (headerAt < 0) {
    throw new AppError('ROSTER_COLUMNS_MISSING', { missing: ROSTER_COLUMNS.filter((c) => c.required).map((c) => c.header) });
  }
  const colOf = new Map<RosterField, number>();
  table.rows[headerAt]!.cells.forEach((c, i) => {
    const f = fieldOfHeader(c.text);
    if (f && !colOf.has(f)) colOf.set(f, i);
  });
  const missing = ROSTER_COLUMNS.filter((c) => c.required && !colOf.has(c.field)).map((c) => c.header);
  if (missing.length) throw new AppError('ROSTER_COLUMNS_MISSING', { missing }, `表格缺少必需的列：${missing.join('、')}`);

  const out: RosterRow[] = [];
  for (const r of table.rows.slice(headerAt + 1)) {
    const row: RosterRow = { row: r.number, ...EMPTY };
    let any = false;
    for (const [field, i] of colOf) {
      const cell = r.cells[i];
      const text = (cell?.text ?? '').replace(/[\u200b\ufeff]/g, '').trim();
      if (text) any = true;
      row[field] = text;
      if (field === 'idNumber' && cell?.numeric && text) row.idNumberWasNumeric = true;
    }
    if (!any || isSampleRow(row)) continue;
    out.push(row);
    if (out.length > MAX_ROWS) throw new AppError('ROSTER_TOO_MANY_ROWS', { max: MAX_ROWS });
  }
  if (out.length === 0) throw new AppError('ROSTER_FILE_EMPTY');
  return out;
}

/** The template's sample row says 示例 so a file returned unedited imports no invented person. */
export function isSampleRow(r: Pick<RosterRow, 'householdCode' | 'name'>): boolean {
  return r.householdCode.startsWith('示例') || r.name.startsWith('示例');
}
