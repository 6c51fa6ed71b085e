/**
 * 事件分类目录 and 网格事项清单. Each category says who receives a new case (village / township /
 * department) and its response and handling limits in working days. A county edits the tree; the
 * default below follows common 网格事项清单 practice (罗江、洞口) and the GB/T 30428 idea of a
 * limit matrix. Keywords seed the triage classifier before the county has any routing history.
 */
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { Ctx } from '../../core/context.js';
import { inTransaction } from '../../core/context.js';
import { audit, diff } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import type { HandlingLevel } from '../../db/types.js';

type Leaf = [code: string, name: string, level: HandlingLevel, responseDays: number, handlingDays: number, keywords: string[]];
type Branch = { code: string; name: string; children: Leaf[] };

export const DEFAULT_CATALOGUE: Branch[] = [
  { code: 'TD', name: '土地与建房', children: [
    ['TD01', '违法占地建房', 'township', 1, 10, ['违建', '乱搭乱建', '占用耕地', '违法建房', '加盖', '建房']],
    ['TD02', '宅基地问题', 'village', 1, 7, ['宅基地', '地基', '审批', '建房申请']],
    ['TD03', '农村危房', 'township', 1, 15, ['危房', '房屋开裂', '倒塌', '漏雨', '土坯房']],
  ] },
  { code: 'HJ', name: '生态环境与人居环境', children: [
    ['HJ01', '垃圾清运', 'village', 1, 3, ['垃圾', '垃圾桶', '清运', '堆放', '臭']],
    ['HJ02', '污水与养殖污染', 'department', 1, 10, ['污水', '排污', '养猪场', '粪污', '臭味', '水质']],
    ['HJ03', '秸秆焚烧与烟尘', 'village', 0, 1, ['焚烧', '秸秆', '烧', '浓烟']],
    ['HJ04', '河道沟渠', 'township', 1, 7, ['河道', '沟渠', '水渠', '堵塞', '淤积', '漂浮物']],
  ] },
  { code: 'XF', name: '信访与矛盾纠纷', children: [
    ['XF01', '邻里纠纷', 'village', 1, 7, ['邻居', '吵架', '纠纷', '滴水', '通道', '争执']],
    ['XF02', '婚姻家庭纠纷', 'village', 1, 7, ['赡养', '离婚', '家暴', '老人', '子女', '婆媳']],
    ['XF03', '土地山林权属纠纷', 'township', 1, 15, ['山林', '界址', '承包地', '确权', '边界']],
    ['XF04', '劳资纠纷', 'department', 1, 10, ['工资', '欠薪', '工钱', '包工头', '拖欠']],
    ['XF05', '信访诉求', 'township', 1, 15, ['上访', '信访', '反映', '诉求']],
  ] },
  { code: 'ZA', name: '社会治安', children: [
    ['ZA01', '治安隐患', 'township', 0, 3, ['偷', '盗窃', '赌博', '打架', '陌生人']],
    ['ZA02', '矛盾激化苗头', 'township', 0, 2, ['扬言', '报复', '冲突', '激化', '持刀']],
    ['ZA03', '电信网络诈骗', 'department', 1, 5, ['诈骗', '骗子', '转账', '刷单', '电话']],
  ] },
  { code: 'AQ', name: '安全生产与防灾', children: [
    ['AQ01', '消防隐患', 'township', 0, 3, ['消防', '电线', '着火', '私拉', '液化气', '火灾']],
    ['AQ02', '道路交通安全', 'department', 1, 5, ['交通', '超载', '摩托车', '事故', '无证驾驶']],
    ['AQ03', '地质灾害隐患', 'department', 0, 3, ['滑坡', '塌方', '山体', '落石', '裂缝']],
    ['AQ04', '食品安全', 'department', 1, 5, ['食品', '过期', '小卖部', '餐馆', '中毒']],
    ['AQ05', '防溺水', 'village', 0, 2, ['溺水', '池塘', '游泳', '水塘', '护栏']],
  ] },
  { code: 'FW', name: '民生服务', children: [
    ['FW01', '社保医保', 'township', 1, 10, ['医保', '社保', '养老保险', '报销', '缴费']],
    ['FW02', '低保与救助', 'township', 1, 10, ['低保', '救助', '困难', '残疾', '补贴']],
    ['FW03', '证照代办', 'village', 1, 5, ['代办', '身份证', '户口', '证明', '办证']],
    ['FW04', '就业帮扶', 'department', 1, 10, ['就业', '务工', '培训', '找工作']],
  ] },
  { code: 'JC', name: '基础设施', children: [
    ['JC01', '道路桥梁', 'township', 1, 10, ['道路', '路面', '坑', '桥', '塌陷', '破损']],
    ['JC02', '饮水安全', 'department', 1, 5, ['自来水', '停水', '饮水', '水管', '水压']],
    ['JC03', '电力通信', 'department', 1, 5, ['停电', '电压', '电杆', '网络', '信号', '宽带']],
    ['JC04', '路灯与公共设施', 'village', 1, 5, ['路灯', '健身器材', '公厕', '广场']],
  ] },
  { code: 'NY', name: '农业农村', children: [
    ['NY01', '农技与农资', 'department', 1, 7, ['农药', '化肥', '种子', '病虫害', '农技']],
    ['NY02', '动物疫病', 'department', 0, 3, ['死猪', '疫病', '病死', '鸡瘟', '防疫']],
  ] },
  { code: 'QT', name: '其他', children: [['QT01', '其他事项', 'village', 1, 7, []]] },
];

export const DEFAULT_GRID_MATTERS: [name: string, categoryCode: string, description: string][] = [
  ['矛盾纠纷排查', 'XF01', '每月走访网格内住户，发现纠纷苗头及时调处或上报'],
  ['安全隐患巡查', 'AQ01', '巡查用电用火、液化气、危旧房屋等安全隐患'],
  ['人居环境巡查', 'HJ01', '巡查垃圾堆放、污水直排、乱堆乱放'],
  ['违法建设巡查', 'TD01', '发现违法占地建房第一时间劝阻并上报'],
  ['特殊人群关爱走访', 'FW02', '走访独居老人、留守儿童、困难群众'],
  ['森林防火与秸秆禁烧巡查', 'HJ03', '防火期每日巡查，发现火情立即上报'],
  ['防溺水巡查', 'AQ05', '汛期、暑期巡查池塘水库，劝离游泳人员'],
  ['群众诉求收集', 'XF05', '收集院坝会、走访中群众反映的意见建议'],
];

/** Loads the default catalogue for a county once (idempotent); the seed loader calls this. */
export async function seedCaseCatalogue(db: Kdb, countyId: number): Promise<void> {
  const has = await db.selectFrom('case_categories').select('id').where('county_id', '=', countyId).limit(1).executeTakeFirst();
  if (has) return;
  const byCode = new Map<string, number>();
  let sort = 0;
  for (const b of DEFAULT_CATALOGUE) {
    const parent = await db
      .insertInto('case_categories')
      .values({ county_id: countyId, code: b.code, name: b.name, handling_level: 'village', response_days: 1, handling_days: 7, sort: sort++ })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows = await db
      .insertInto('case_categories')
      .values(b.children.map(([code, name, level, r, h, keywords]) => ({
        county_id: countyId, parent_id: parent.id, code, name, handling_level: level, response_days: r, handling_days: h, keywords, sort: sort++,
      })))
      .returning(['id', 'code'])
      .execute();
    for (const r of rows) byCode.set(r.code, r.id);
  }
  for (const [name, code, description] of DEFAULT_GRID_MATTERS) {
    const catId = byCode.get(code)!;
    const cat = DEFAULT_CATALOGUE.flatMap((b) => b.children).find((c) => c[0] === code)!;
    await db
      .insertInto('grid_matters')
      .values({ county_id: countyId, category_id: catId, name, description, handling_level: cat[2], response_days: cat[3], handling_days: cat[4] })
      .execute();
  }
}

export interface CategoryRow {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  handlingLevel: HandlingLevel;
  departmentId: number | null;
  responseDays: number;
  handlingDays: number;
  keywords: string[];
  active: boolean;
}

export async function listCategories(db: Kdb, countyId: number, includeInactive = false): Promise<CategoryRow[]> {
  let q = db.selectFrom('case_categories').selectAll().where('county_id', '=', countyId);
  if (!includeInactive) q = q.where('active', '=', true);
  const rows = await q.orderBy('sort').orderBy('id').execute();
  return rows.map(toCategory);
}

function toCategory(r: { id: number; parent_id: number | null; code: string; name: string; handling_level: HandlingLevel; department_id: number | null; response_days: number; handling_days: number; keywords: string[]; active: boolean }): CategoryRow {
  return { id: r.id, parentId: r.parent_id, code: r.code, name: r.name, handlingLevel: r.handling_level, departmentId: r.department_id, responseDays: r.response_days, handlingDays: r.handling_days, keywords: r.keywords, active: r.active };
}

/** A category a case can be filed under: active, in the caller's county. */
export async function requireCategory(db: Kdb, countyId: number, id: number): Promise<CategoryRow> {
  const r = await db.selectFrom('case_categories').selectAll().where('id', '=', id).where('county_id', '=', countyId).where('active', '=', true).executeTakeFirst();
  if (!r) throw new AppError('CASE_CATEGORY_NOT_FOUND', { categoryId: id });
  return toCategory(r);
}

/**
 * The categories reports are filed under, kept per process: a report needs a category's level and
 * limits, and reading them costs a round trip per report. The cache is only a guess — the report
 * statement re-checks in the database that the category is still active with the level and limits
 * it used (reportGuard), and on a mismatch forgets the entry and reads afresh. So an edit made by
 * another server process, or straight in SQL, is never missed; this process's own edits forget
 * the entry at once.
 */
const reportCategories = new Map<string, CategoryRow>();

export async function reportCategory(db: Kdb, countyId: number, id: number, fresh = false): Promise<CategoryRow> {
  const key = `${countyId}:${id}`;
  const hit = fresh ? undefined : reportCategories.get(key);
  if (hit) return hit;
  const cat = await requireCategory(db, countyId, id);
  if (reportCategories.size >= 10_000) reportCategories.clear();
  reportCategories.set(key, cat);
  return cat;
}

export function forgetReportCategory(countyId: number, id: number): void {
  reportCategories.delete(`${countyId}:${id}`);
}

/** The condition, true in the database while `cat` still says what a report relied on. */
export function categoryGuard(countyId: number, cat: CategoryRow) {
  return sql<boolean>`EXISTS (SELECT 1 FROM case_categories WHERE id = ${cat.id}::int8 AND county_id = ${countyId}::int8 AND active
    AND handling_level = ${cat.handlingLevel}::text AND response_days = ${cat.responseDays}::int AND handling_days = ${cat.handlingDays}::int)`;
}

export interface CategoryInput {
  parentId?: number | null;
  code: string;
  name: string;
  handlingLevel: HandlingLevel;
  departmentId?: number | null;
  responseDays: number;
  handlingDays: number;
  keywords?: string[];
  active?: boolean;
}

async function checkRefs(db: Kdb, countyId: number, i: Partial<CategoryInput>) {
  if (i.parentId) {
    const p = await db.selectFrom('case_categories').select('id').where('id', '=', i.parentId).where('county_id', '=', countyId).executeTakeFirst();
    if (!p) throw new AppError('CASE_CATEGORY_NOT_FOUND', { parentId: i.parentId });
  }
  if (i.departmentId) {
    const d = await db.selectFrom('departments').select('id').where('id', '=', i.departmentId).where('county_id', '=', countyId).executeTakeFirst();
    if (!d) throw new AppError('CASE_DEPARTMENT_NOT_FOUND', { departmentId: i.departmentId });
  }
}

export async function createCategory(ctx: Ctx, i: CategoryInput): Promise<CategoryRow> {
  return inTransaction(ctx, async (tx) => {
    const countyId = tx.actor.countyId;
    await checkRefs(tx.db, countyId, i);
    const dup = await tx.db.selectFrom('case_categories').select('id').where('county_id', '=', countyId).where('code', '=', i.code).executeTakeFirst();
    if (dup) throw new AppError('CASE_CATEGORY_CODE_TAKEN', { code: i.code });
    const r = await tx.db
      .insertInto('case_categories')
      .values({
        county_id: countyId, parent_id: i.parentId ?? null, code: i.code, name: i.name, handling_level: i.handlingLevel,
        department_id: i.departmentId ?? null, response_days: i.responseDays, handling_days: i.handlingDays, keywords: i.keywords ?? [], active: i.active ?? true,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'case_category.create', entity: 'case_category', entityId: r.id, after: toCategory(r) });
    return toCategory(r);
  });
}

export async function updateCategory(ctx: Ctx, id: number, i: Partial<CategoryInput>): Promise<CategoryRow> {
  return inTransaction(ctx, async (tx) => {
    const countyId = tx.actor.countyId;
    const before = await tx.db.selectFrom('case_categories').selectAll().where('id', '=', id).where('county_id', '=', countyId).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('CASE_CATEGORY_NOT_FOUND', { categoryId: id });
    if (i.parentId === id) throw new AppError('VALIDATION_FAILED', { field: 'parentId' }, '上级分类不能是自己');
    await checkRefs(tx.db, countyId, i);
    const r = await tx.db
      .updateTable('case_categories')
      .set({
        ...(i.parentId !== undefined ? { parent_id: i.parentId } : {}),
        ...(i.name !== undefined ? { name: i.name } : {}),
        ...(i.handlingLevel !== undefined ? { handling_level: i.handlingLevel } : {}),
        ...(i.departmentId !== undefined ? { department_id: i.departmentId } : {}),
        ...(i.responseDays !== undefined ? { response_days: i.responseDays } : {}),
        ...(i.handlingDays !== undefined ? { handling_days: i.handlingDays } : {}),
        ...(i.keywords !== undefined ? { keywords: i.keywords } : {}),
        ...(i.active !== undefined ? { active: i.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    forgetReportCategory(countyId, id);
    const d = diff(toCategory(before) as unknown as Record<string, unknown>, toCategory(r) as unknown as Record<string, unknown>);
    await audit(tx, { action: 'case_category.update', entity: 'case_category', entityId: id, ...d });
    return toCategory(r);
  });
}

export async function listGridMatters(db: Kdb, countyId: number, includeExited: boolean) {
  let q = db
    .selectFrom('grid_matters')
    .leftJoin('case_categories', 'case_categories.id', 'grid_matters.category_id')
    .select(['grid_matters.id', 'grid_matters.name', 'grid_matters.description', 'grid_matters.category_id', 'case_categories.name as category_name',
      'grid_matters.handling_level', 'grid_matters.response_days', 'grid_matters.handling_days', 'grid_matters.entered_on', 'grid_matters.exited_on', 'grid_matters.exit_reason'])
    .where('grid_matters.county_id', '=', countyId);
  if (!includeExited) q = q.where('grid_matters.exited_on', 'is', null);
  const rows = await q.orderBy('grid_matters.id').execute();
  return rows.map((r) => ({
    id: r.id, name: r.name, description: r.description, categoryId: r.category_id, categoryName: r.category_name, handlingLevel: r.handling_level,
    responseDays: r.response_days, handlingDays: r.handling_days, enteredOn: r.entered_on, exitedOn: r.exited_on, exitReason: r.exit_reason,
  }));
}

export interface GridMatterInput {
  name: string;
  description?: string;
  categoryId?: number | null;
  handlingLevel: HandlingLevel;
  responseDays: number;
  handlingDays: number;
}

/** 事项准入: a new item enters the list. */
export async function enterGridMatter(ctx: Ctx, i: GridMatterInput) {
  return inTransaction(ctx, async (tx) => {
    if (i.categoryId) await requireCategory(tx.db, tx.actor.countyId, i.categoryId);
    const open = await tx.db.selectFrom('grid_matters').select('id').where('county_id', '=', tx.actor.countyId).where('name', '=', i.name).where('exited_on', 'is', null).executeTakeFirst();
    if (open) throw new AppError('GRID_MATTER_EXISTS', { name: i.name });
    const r = await tx.db
      .insertInto('grid_matters')
      .values({ county_id: tx.actor.countyId, name: i.name, description: i.description ?? '', category_id: i.categoryId ?? null, handling_level: i.handlingLevel, response_days: i.responseDays, handling_days: i.handlingDays, entered_on: sql<string>`current_date` as unknown as string })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'grid_matter.enter', entity: 'grid_matter', entityId: r.id, after: i });
    return r.id;
  });
}

/** 事项退出: the item leaves the list; the row stays as history. */
export async function exitGridMatter(ctx: Ctx, id: number, reason: string) {
  return inTransaction(ctx, async (tx) => {
    const r = await tx.db
      .updateTable('grid_matters')
      .set({ exited_on: sql<string>`current_date` as unknown as string, exit_reason: reason })
      .where('id', '=', id)
      .where('county_id', '=', tx.actor.countyId)
      .where('exited_on', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('GRID_MATTER_NOT_FOUND', { id });
    await audit(tx, { action: 'grid_matter.exit', entity: 'grid_matter', entityId: id, note: reason });
  });
}
