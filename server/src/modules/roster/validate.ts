/**
 * Row rules that need no database: required fields, ID numbers, phones, vocabularies, and how
 * rows form households. The output is a plan (households with their residents) plus every bad
 * row as {row, column, reason} — all of them, so a village clerk fixes the file in one pass.
 */
import { normalizePhone, parseIdNumber } from '../../core/pii.js';
import type { ImportRowError } from '../../db/types.js';
import { ethnicityOf, headerOf, HOUSEHOLDER, politicalOf, RELATIONS, splitTags, type RosterField } from './columns.js';
import type { RosterRow } from './parse.js';

export interface PlannedResident {
  row: number;
  name: string;
  relation: string;
  idNumber: string;
  gender: 'M' | 'F';
  birthDate: string;
  phone: string | null;
  ethnicity: string;
  political: 'masses' | 'league' | 'party';
  /** False when the cell was blank (the default applies to a new resident, a stored value is kept). */
  ethnicityGiven: boolean;
  politicalGiven: boolean;
}

export interface PlannedHousehold {
  /** Row of the 户主 (or of the first row when the household has none — then it is in error). */
  row: number;
  code: string | null;
  group: string;
  address: string;
  tags: string[];
  householder: PlannedResident | null;
  residents: PlannedResident[];
}

export interface Plan {
  households: PlannedHousehold[];
  errors: ImportRowError[];
}

const MAX_NAME = 30;
const MAX_ADDRESS = 200;
const MAX_CODE = 40;

export class RowErrors {
  readonly list: ImportRowError[] = [];
  add(row: number, field: RosterField, reason: string): void {
    this.list.push({ row, column: headerOf(field), reason });
  }
  sorted(): ImportRowError[] {
    return [...this.list].sort((a, b) => a.row - b.row);
  }
}

/** Full-width digits (１２３, Ｘ), spaces and Excel's leading text mark (') are what people type. */
function cleanNumber(s: string): string {
  return s.normalize('NFKC').replace(/\s/g, '').replace(/^'/, '');
}

/** Checks each row on its own; returns the resident, or null when the row is unusable. */
function residentOf(r: RosterRow, errors: RowErrors, today: Date): PlannedResident | null {
  let ok = true;
  const bad = (field: RosterField, reason: string) => {
    errors.add(r.row, field, reason);
    ok = false;
  };
  if (!r.name) bad('name', '姓名不能为空');
  else if (r.name.length > MAX_NAME) bad('name', `姓名不能超过${MAX_NAME}个字`);

  if (!r.relation) bad('relation', '与户主关系不能为空');
  else if (!RELATIONS.has(r.relation)) bad('relation', `无法识别的与户主关系“${r.relation}”，请填写户主、配偶、子、女等`);

  let id: ReturnType<typeof parseIdNumber> | null = null;
  if (!r.idNumber) bad('idNumber', '身份证号不能为空');
  else {
    const raw = cleanNumber(r.idNumber);
    id = parseIdNumber(raw, today);
    if ('error' in id) {
      const lost = r.idNumberWasNumeric || /^\d(\.\d+)?E\+?\d+$/i.test(raw);
      bad('idNumber', lost ? '身份证号被 Excel 存成了数字，末尾几位已丢失；请把该列设为文本格式后重新填写' : id.error);
    }
  }

  let phone: string | null = null;
  if (r.phone) {
    phone = normalizePhone(cleanNumber(r.phone));
    if (!phone) bad('phone', `手机号“${r.phone}”无效，应为11位中国大陆手机号`);
  }
  const ethnicity = ethnicityOf(r.ethnicity);
  if (!ethnicity) bad('ethnicity', `无法识别的民族“${r.ethnicity}”，请填写56个民族之一，如“汉族”`);
  const political = politicalOf(r.political);
  if (!political) bad('political', `无法识别的政治面貌“${r.political}”，可填群众、共青团员、中共党员、中共预备党员`);

  if (!ok || !id || 'error' in id) return null;
  return {
    row: r.row, name: r.name, relation: r.relation, idNumber: id.normalized, gender: id.gender, birthDate: id.birthDate,
    phone, ethnicity: ethnicity!, political: political!, ethnicityGiven: r.ethnicity !== '', politicalGiven: r.political !== '',
  };
}

interface Draft {
  key: string;
  code: string | null;
  rows: RosterRow[];
}

/**
 * Rows sharing a 户编号 are one household wherever they stand; a row without 户编号 belongs to the
 * household of the nearest 户主 row above it (a 户主 row without 户编号 starts a new household).
 */
function groupRows(rows: RosterRow[], errors: RowErrors): Draft[] {
  const drafts = new Map<string, Draft>();
  let current: Draft | null = null;
  for (const r of rows) {
    if (r.householdCode.length > MAX_CODE) {
      errors.add(r.row, 'householdCode', `户编号不能超过${MAX_CODE}个字符`);
      continue;
    }
    let d: Draft | undefined;
    if (r.householdCode) {
      const key = 'code:' + r.householdCode;
      d = drafts.get(key);
      if (!d) drafts.set(key, (d = { key, code: r.householdCode, rows: [] }));
    } else if (r.relation === HOUSEHOLDER) {
      d = { key: 'row:' + r.row, code: null, rows: [] };
      drafts.set(d.key, d);
    } else if (current) {
      d = current;
    } else {
      errors.add(r.row, 'householdCode', '未填户编号，且上方没有户主行，无法确定此人属于哪一户');
      continue;
    }
    d.rows.push(r);
    if (r.relation === HOUSEHOLDER) current = d;
  }
  return [...drafts.values()];
}

export function planRows(rows: RosterRow[], today = new Date()): Plan {
  const errors = new RowErrors();
  const seenId = new Map<string, number>();
  const households: PlannedHousehold[] = [];

  for (const d of groupRows(rows, errors)) {
    const heads = d.rows.filter((r) => r.relation === HOUSEHOLDER);
    if (heads.length === 0) {
      errors.add(d.rows[0]!.row, 'relation', d.code ? `户编号“${d.code}”的这一户没有户主，每户须有且只有一个户主` : '这一户没有户主，每户须有且只有一个户主');
    }
    for (const extra of heads.slice(1)) {
      errors.add(extra.row, 'relation', `同一户有多个户主（第${heads[0]!.row}行已是户主），每户须有且只有一个户主`);
    }
    const head = heads[0] ?? null;
    if (head) {
      if (!head.group) errors.add(head.row, 'group', '户主行的村民小组不能为空');
      if (!head.address) errors.add(head.row, 'address', '户主行的门牌地址不能为空');
      else if (head.address.length > MAX_ADDRESS) errors.add(head.row, 'address', `门牌地址不能超过${MAX_ADDRESS}个字`);
    }
    const tags = head ? splitTags(head.tags) : [];
    if (head && tags.some((t) => t.length > 20)) errors.add(head.row, 'tags', '每个户标签不能超过20个字');
    if (tags.length > 20) errors.add(head!.row, 'tags', '户标签最多20个');

    const residents: PlannedResident[] = [];
    for (const r of d.rows) {
      if (head && r !== head && r.group && head.group && r.group !== head.group) {
        errors.add(r.row, 'group', `与户主（第${head.row}行）的村民小组“${head.group}”不一致，同一户须在同一小组`);
      }
      const p = residentOf(r, errors, today);
      if (!p) continue;
      const first = seenId.get(p.idNumber);
      if (first !== undefined) {
        errors.add(r.row, 'idNumber', `身份证号与第${first}行重复，同一人在文件中只能出现一次`);
        continue;
      }
      seenId.set(p.idNumber, r.row);
      residents.push(p);
    }
    households.push({
      row: head?.row ?? d.rows[0]!.row,
      code: d.code,
      group: head?.group ?? '',
      address: head?.address ?? '',
      tags,
      householder: residents.find((p) => p.row === head?.row) ?? null,
      residents,
    });
  }
  return { households, errors: errors.sorted() };
}
