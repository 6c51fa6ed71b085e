/**
 * The roster template and the registry export (台账导出), both .xlsx.
 *
 * The export streams: households are read in keyset batches and each row is committed to the
 * zip as it is written, so a county-wide export holds one batch in memory, not 800,000 people.
 * Its 人 sheet carries the template's columns first, so an exported file can be corrected and
 * imported again (with ?reveal=1; masked ID numbers are refused by the importer, as they should be).
 */
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { excel } from '../../core/excel.js';
import { covers, requirePermission } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import type { Ctx } from '../../core/context.js';
import { AppError, defineErrors } from '../../core/errors.js';
import { decrypt } from '../../core/pii.js';
import type { Kdb } from '../../db/database.js';
import { idsOfPath, requireRegion } from '../regions/service.js';
import { POLITICAL_LABEL, ROSTER_COLUMNS, STATUS_LABEL } from './columns.js';
import * as q from './queries.js';
import type { ExportQuery } from './schema.js';

defineErrors({
  ROSTER_PURPOSE_REQUIRED: { status: 400, message: '导出完整身份证号与手机号须填写用途（2至100字）' },
});

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E7F5' } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FF1F3864' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFB4C6E7' } }, bottom: { style: 'thin', color: { argb: 'FFB4C6E7' } },
  left: { style: 'thin', color: { argb: 'FFB4C6E7' } }, right: { style: 'thin', color: { argb: 'FFB4C6E7' } },
};

function styleHeader(row: ExcelJS.Row): void {
  row.height = 22;
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
    c.font = HEADER_FONT;
    c.border = THIN;
    c.alignment = { vertical: 'middle', horizontal: 'center' };
  });
}

// ---- template ----

export async function rosterTemplate(ctx: Ctx, regionId?: number): Promise<Buffer> {
  requirePermission(ctx.actor, 'registry.import');
  // With a village, the 村民小组 column offers that village's groups as a drop-down.
  let groups: string[] = [];
  if (regionId) {
    const r = await requireRegion(ctx, regionId, 'registry.import');
    if (r.level === 'village') groups = (await q.groupsOfVillage(ctx.db, r.id)).map((g) => g.name);
  }

  const wb = new (await excel()).Workbook();
  wb.creator = '乡治';
  const ws = wb.addWorksheet('花名册', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = ROSTER_COLUMNS.map((c) => ({ header: c.header, key: c.field, width: c.width }));
  styleHeader(ws.getRow(1));
  // 户编号, 身份证号 and 手机号 are text: as numbers Excel would round an ID number's last digits away.
  for (const k of ['householdCode', 'idNumber', 'phone']) ws.getColumn(k).numFmt = '@';
  ws.addRow({
    householdCode: '示例（导入前请删除此行）', group: groups[0] ?? '一组', address: '一组18号', name: '张三', relation: '户主',
    idNumber: '43052519800101123X', phone: '13800000000', ethnicity: '汉族', political: '群众', tags: '脱贫户',
  }).font = { italic: true, color: { argb: 'FF808080' } };

  const last = 2000;
  const colLetter = (k: string) => ws.getColumn(k).letter;
  const list = (key: string, values: string[], prompt: string) => {
    const formula = `"${values.join(',')}"`;
    if (formula.length > 255) return; // Excel's limit for an inline list
    // Range validation exists at run time but is missing from exceljs' typings.
    (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${colLetter(key)}2:${colLetter(key)}${last}`, {
      type: 'list', allowBlank: true, formulae: [formula], showErrorMessage: false, showInputMessage: true, prompt,
    });
  };
  list('relation', ['户主', '配偶', '子', '女', '儿媳', '女婿', '孙子', '孙女', '父亲', '母亲', '兄弟姐妹', '其他'], '每户有且只有一个户主');
  list('political', ['群众', '共青团员', '中共党员', '中共预备党员'], '默认群众');
  if (groups.length) list('group', groups, '选择本村的村民小组');

  const help = wb.addWorksheet('填写说明');
  help.columns = [{ header: '列名', key: 'h', width: 16 }, { header: '是否必填', key: 'r', width: 12 }, { header: '填写说明', key: 'd', width: 90 }];
  styleHeader(help.getRow(1));
  for (const c of ROSTER_COLUMNS) help.addRow({ h: c.header, r: c.required ? (c.field === 'group' || c.field === 'address' ? '户主行必填' : '必填') : '选填', d: c.help });
  help.addRow({});
  for (const line of [
    '1. 每行填写一位居民。同一户的成员可填相同的户编号；新户不填户编号时，请把户主行放在本户成员的最前面。',
    '2. 导入前可先“试导入”（只校验不写入），系统会列出每个有问题的行、列和原因；任何一行有误，整个文件都不会写入。',
    '3. 已登记的居民按身份证号匹配、已登记的户按户编号或户主身份证号匹配：重复导入同一文件不会产生重复数据。',
    '4. 手机号、民族、政治面貌、户标签留空时，已登记的信息保持不变。',
    '5. 第一行灰色斜体的示例行以“示例”开头，导入时会被跳过，也可以直接删除。',
    '6. 支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）文件，单个文件不超过20MB。',
  ]) help.addRow({ h: line }).getCell(1).alignment = { wrapText: false };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- export ----

export interface PreparedExport {
  fileName: string;
  write: (out: Writable) => Promise<void>;
}

/** Checks scope and reveal rights and writes the audit row now; the workbook is written by `write`. */
export async function prepareExport(ctx: Ctx, query: ExportQuery): Promise<PreparedExport> {
  const region = await requireRegion(ctx, query.regionId, 'registry.export');
  const reveal = query.reveal === 1;
  if (reveal) {
    if (!covers(ctx.actor, 'pii.reveal', region.path)) throw new AppError('FORBIDDEN', { permission: 'pii.reveal' });
    if (!query.purpose || query.purpose.trim().length < 2) throw new AppError('ROSTER_PURPOSE_REQUIRED');
  }
  // Exporting a whole place's registry is itself worth a line in the log; revealing is a pii.reveal.
  await audit(ctx, {
    action: reveal ? 'pii.reveal' : 'roster.export', entity: 'region', entityId: region.id, regionPath: region.path,
    note: reveal ? query.purpose!.trim() : null, after: { export: 'roster', reveal, fields: reveal ? ['idNumber', 'phone'] : [] },
  });
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return {
    fileName: `${region.name}花名册${day}.xlsx`,
    write: (out) => writeWorkbook(ctx.db, region.county_id!, region.path, reveal, out),
  };
}

const BATCH = 1000;

async function writeWorkbook(db: Kdb, countyId: number, path: string, reveal: boolean, out: Writable): Promise<void> {
  const places = await placeNames(db, path);
  const wb = new (await excel()).stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '乡治';

  const hs = wb.addWorksheet('户', { views: [{ state: 'frozen', ySplit: 1 }] });
  hs.columns = [
    { header: '户编号', width: 22 }, { header: '乡镇', width: 12 }, { header: '村', width: 12 }, { header: '村民小组', width: 12 },
    { header: '门牌地址', width: 30 }, { header: '户主姓名', width: 12 }, { header: '联系电话', width: 15 }, { header: '人数', width: 8 },
    { header: '户标签', width: 20 }, { header: '网格', width: 16 }, { header: '状态', width: 8 },
  ];
  styleHeader(hs.getRow(1));
  hs.getRow(1).commit();
  for await (const batch of householdBatches(db, countyId, path)) {
    for (const h of batch) {
      const p = places(h.region_id, h.region_path);
      hs.addRow([
        h.code, p.township, p.village, p.group, h.address, h.householder_name,
        reveal && h.phone_enc ? decrypt(h.phone_enc) : h.phone_masked ?? '', h.member_count, h.tags.join('、'), h.grid_name ?? '',
        STATUS_LABEL[h.status] ?? h.status,
      ]).commit();
    }
  }
  hs.commit();

  const ps = wb.addWorksheet('人', { views: [{ state: 'frozen', ySplit: 1 }] });
  ps.columns = [
    ...ROSTER_COLUMNS.map((c) => ({ header: c.field === 'householdCode' ? '户编号' : c.header, width: c.width })),
    { header: '性别', width: 6 }, { header: '出生日期', width: 12 }, { header: '状态', width: 8 }, { header: '乡镇', width: 12 }, { header: '村', width: 12 },
  ];
  styleHeader(ps.getRow(1));
  ps.getRow(1).commit();
  for await (const batch of householdBatches(db, countyId, path)) {
    const byId = new Map(batch.map((h) => [h.id, h]));
    for (const r of await q.residentsOfHouseholds(db, batch.map((h) => h.id))) {
      const h = byId.get(r.household_id)!;
      const p = places(h.region_id, h.region_path);
      const isHead = r.relation === '户主';
      ps.addRow([
        h.code, p.group, h.address, r.name, r.relation,
        reveal ? decrypt(r.id_no_enc) : r.id_no_masked, reveal && r.phone_enc ? decrypt(r.phone_enc) : r.phone_masked ?? '',
        r.ethnicity, POLITICAL_LABEL[r.political] ?? r.political, isHead ? h.tags.join('、') : '',
        r.gender === 'M' ? '男' : '女', r.birth_date, STATUS_LABEL[r.status] ?? r.status, p.township, p.village,
      ]).commit();
    }
  }
  ps.commit();
  await wb.commit();
}

async function* householdBatches(db: Kdb, countyId: number, path: string) {
  let after = 0;
  for (;;) {
    const batch = await q.householdBatch(db, countyId, path, after, BATCH);
    if (batch.length === 0) return;
    yield batch;
    after = batch[batch.length - 1]!.id;
  }
}

/** Township / village / group names for a household, from one read of the regions involved. */
async function placeNames(db: Kdb, path: string) {
  const byId = new Map((await q.regionsAroundPath(db, path, idsOfPath(path))).map((r) => [r.id, r]));
  const at = (ids: number[], level: string) => ids.map((i) => byId.get(i)).find((r) => r?.level === level)?.name ?? '';
  return (regionId: number, regionPath: string) => {
    const ids = idsOfPath(regionPath);
    return { township: at(ids, 'township'), village: at(ids, 'village'), group: byId.get(regionId)?.level === 'group' ? byId.get(regionId)!.name : '' };
  };
}
