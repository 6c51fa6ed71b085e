/**
 * Roster files for tests and benchmarks, built in code: rows of synthetic households with valid
 * ID numbers, and the same rows as .xlsx, .csv (UTF-8 or GBK) and a multipart upload body.
 */
import ExcelJS from 'exceljs';
import { makeIdNumber } from '../../../core/pii.js';
import { ROSTER_COLUMNS, type RosterField } from '../columns.js';
import type { RosterRow } from '../parse.js';

export type RowInput = Partial<Omit<RosterRow, 'row'>>;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['建国', '秀英', '桂兰', '志强', '春华', '德明', '玉梅', '国庆', '海燕', '小军'];

/**
 * A valid, unique ID number for index i (area 430581, so it never meets world.ts' 430525 people):
 * the birth date walks day by day from 1950, the sequence separates more than 20,160 people.
 */
export function idFor(i: number, gender: 'M' | 'F' = i % 2 ? 'F' : 'M'): string {
  const day = i % 20160;
  const d = new Date(Date.UTC(1950, 0, 1) + day * 86_400_000);
  const date = d.toISOString().slice(0, 10);
  return makeIdNumber('430581', date, Math.floor(i / 20160) * 2, gender);
}

export interface HouseholdSpec {
  households: number;
  membersPerHousehold?: number;
  group?: string;
  /** First index for ID numbers and names, so two files never share people. */
  start?: number;
  withCodes?: string | null; // prefix for 户编号, or null to leave it blank
}

/** Householder first, then spouse and children; phones on householders. */
export function householdRows(spec: HouseholdSpec): RowInput[] {
  const out: RowInput[] = [];
  const m = spec.membersPerHousehold ?? 3;
  const start = spec.start ?? 0;
  for (let h = 0; h < spec.households; h++) {
    const base = start + h * m;
    const surname = SURNAMES[(start + h) % SURNAMES.length]!;
    for (let k = 0; k < m; k++) {
      const i = base + k;
      out.push({
        householdCode: spec.withCodes ? `${spec.withCodes}${String(start + h).padStart(5, '0')}` : '',
        group: k === 0 ? (spec.group ?? '一组') : '',
        address: k === 0 ? `${spec.group ?? '一组'}${start + h + 1}号` : '',
        name: surname + GIVEN[i % GIVEN.length]!,
        relation: k === 0 ? '户主' : k === 1 ? '配偶' : k % 2 ? '女' : '子',
        idNumber: idFor(i, k === 1 ? 'F' : k === 0 ? 'M' : undefined),
        phone: k === 0 ? `139${String(10_000_000 + i).slice(-8)}` : '',
        ethnicity: k === 2 ? '苗族' : '',
        political: k === 0 && h % 5 === 0 ? '中共党员' : '',
        tags: k === 0 && h % 7 === 0 ? '脱贫户、独居老人' : '',
      });
    }
  }
  return out;
}

/** Rows as RosterRow objects (what parseRoster returns; rows numbered from 2 under a header). */
export function asRosterRows(rows: RowInput[]): RosterRow[] {
  return rows.map((r, i) => ({
    row: i + 2, householdCode: '', group: '', address: '', name: '', relation: '', idNumber: '', phone: '', ethnicity: '', political: '', tags: '', ...r,
  }));
}

const FIELDS: RosterField[] = ROSTER_COLUMNS.map((c) => c.field);

export async function xlsxOf(rows: RowInput[], opts: { sheet?: string; headers?: string[]; numericIds?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheet ?? '花名册');
  ws.addRow(opts.headers ?? ROSTER_COLUMNS.map((c) => c.header));
  for (const r of rows) {
    ws.addRow(FIELDS.map((f) => (f === 'idNumber' && opts.numericIds && r.idNumber && /^\d+$/.test(r.idNumber) ? Number(r.idNumber) : (r[f] ?? ''))));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvOf(rows: RowInput[], opts: { bom?: boolean; encoding?: 'utf8' | 'gbk' } = {}): Buffer {
  const lines = [ROSTER_COLUMNS.map((c) => c.header).join(',')];
  for (const r of rows) lines.push(FIELDS.map((f) => csvCell(String(r[f] ?? ''))).join(','));
  const text = lines.join('\r\n') + '\r\n';
  if (opts.encoding === 'gbk') return encodeGbk(text);
  return Buffer.concat([opts.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}

let gbkTable: Map<string, number> | null = null;
/** Node has a GBK decoder but no encoder: build the reverse table once from the decoder. */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk');
    for (let hi = 0x81; hi <= 0xfe; hi++) {
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue;
        const ch = dec.decode(Uint8Array.from([hi, lo]));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, (hi << 8) | lo);
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) bytes.push(c);
    else {
      const g = gbkTable.get(ch);
      if (g === undefined) throw new Error(`no GBK code for ${ch}`);
      bytes.push(g >> 8, g & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** A multipart/form-data body with one file field. */
export function multipart(file: Buffer, fileName: string, field = 'file', contentType = 'application/octet-stream') {
  const boundary = '----xz' + Math.random().toString(16).slice(2);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    'utf8',
  );
  const body = Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Reads every sheet of a workbook into arrays of cell texts (row 1 = headers). */
export async function readWorkbook(buf: Buffer): Promise<Record<string, string[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: Record<string, string[][]> = {};
  for (const ws of wb.worksheets) {
    const rows: string[][] = [];
    ws.eachRow((row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (c, col) => {
        cells[col - 1] = c.value == null ? '' : String(c.value);
      });
      rows.push(Array.from(cells, (c) => c ?? ''));
    });
    out[ws.name] = rows;
  }
  return out;
}
