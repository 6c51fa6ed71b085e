/** .xlsx exports of the figures and of a case list (exceljs), with the definitions on the sheet. */
import { beijingMinute } from '../../core/calendar/index.js';
import type ExcelJS from 'exceljs';
import { excel } from '../../core/excel.js';
import type { ratesReport, UnitRates } from './rates.js';
import type { toListItem } from './queries.js';

type Report = Awaited<ReturnType<typeof ratesReport>>;
const pct = (v: number | null) => (v == null ? '—' : v);

export async function ratesWorkbook(r: Report): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  wb.creator = '乡治';
  const ws = wb.addWorksheet('办理指标');
  ws.addRow([`${r.unit.name} 事件办理指标（${r.period.from} 至 ${r.period.to} 上报的事件）`]);
  ws.addRow([]);
  const head = ['单位', '事件数', '响应率', '结案率', '按期结案率', '超期率', '满意率', '平均结案时长（小时）', '应受理', '按时受理', '应结案', '已销号', '按期销号', '超期', '已评价', '满意'];
  ws.addRow(head).font = { bold: true };
  const line = (u: UnitRates) => {
    const x = u.rates;
    const row = ws.addRow([u.name, x.total, pct(x.responseRate), pct(x.completionRate), pct(x.onTimeRate), pct(x.overdueRate), pct(x.satisfactionRate), x.meanHoursToClose ?? '—',
      x.dueRespond, x.respondedOnTime, x.dueClose, x.closed, x.closedOnTime, x.overdue, x.rated, x.satisfied]);
    for (const c of [3, 4, 5, 6, 7]) row.getCell(c).numFmt = '0.0%';
  };
  line({ ...r.unit, name: `${r.unit.name}（合计）` });
  for (const c of r.children) line(c);
  if (r.departments.length) {
    ws.addRow([]);
    ws.addRow(['县直部门']).font = { bold: true };
    for (const d of r.departments) line(d);
  }
  ws.addRow([]);
  ws.addRow(['指标口径']).font = { bold: true };
  for (const d of r.definitions) ws.addRow([d.name, `${d.formula}；${d.note}`]);
  ws.getColumn(1).width = 22;
  for (let i = 2; i <= head.length; i++) ws.getColumn(i).width = 12;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function casesWorkbook(title: string, items: ReturnType<typeof toListItem>[]): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  const ws = wb.addWorksheet(title.slice(0, 31));
  const bj = (s: string | null) => (s ? beijingMinute(new Date(s)) : '');
  ws.addRow(['编号', '标题', '分类', '地点', '状态', '办理层级', '承办部门', '反映人', '上报时间', '办理时限', '办结时间', '销号时间', '评价', '超期']).font = { bold: true };
  for (const c of items) {
    ws.addRow([c.code, c.title, c.categoryName, c.regionName, c.stateLabel, c.levelLabel, c.departmentName ?? '', c.reporterName, bj(c.createdAt), bj(c.dueAt), bj(c.resolvedAt), bj(c.closedAt), c.rating ?? '', c.light === 'red' ? '是' : '']);
  }
  ws.columns.forEach((col, i) => (col.width = i === 1 ? 36 : 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
