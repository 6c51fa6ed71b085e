/**
 * The 安家村 (罗江区金山镇) model rule book, shipped as the county's default template.
 * Source: 《金山镇安家村村民（单位）日常积分管理细则》 as described in seeds/003: 6 categories
 * (遵纪守法、环境卫生、日常行为、社会服务 named; two left unnamed, filled here with 孝老爱亲 and
 * 移风易俗 and marked as examples a village edits), 34 items worth 0.4–3 分, and a negative list
 * of 10 items at −5 分 each. Items quoted by the source keep its wording (乐于公益事业、主动参与
 * 村级事务管理、参与迷信活动、故意损坏公共设施); the rest are typical 村规民约 items for a village to edit.
 * Scores are in tenths (0.4 分 → 4).
 */
import type { Kdb } from '../../db/database.js';

export interface TemplateItem {
  code: string;
  name: string;
  min: number; // tenths
  max: number; // tenths; equal to min for a fixed score
}
export interface TemplateCategory {
  name: string;
  isExample: boolean;
  items: TemplateItem[];
}

const i = (code: string, name: string, min: number, max = min): TemplateItem => ({ code, name, min, max });

export const ANJIA_CATEGORIES: TemplateCategory[] = [
  {
    name: '遵纪守法',
    isExample: false,
    items: [
      i('A01', '遵守村规民约，全年无违法违纪行为', 20, 30),
      i('A02', '主动参加法治宣传教育活动', 5),
      i('A03', '协助调解邻里矛盾纠纷，化解成功', 10, 20),
      i('A04', '举报违法犯罪线索经查属实', 20, 30),
      i('A05', '依法按时履行兵役、纳税等义务', 10),
      i('A06', '配合开展禁毒、反诈、扫黑除恶宣传', 5),
    ],
  },
  {
    name: '环境卫生',
    isExample: false,
    items: [
      i('B01', '房前屋后干净整洁，无乱堆乱放', 5, 10),
      i('B02', '生活垃圾分类投放到位', 5),
      i('B03', '畜禽圈养，无散养污染', 5),
      i('B04', '参加村组环境整治义务劳动', 10, 20),
      i('B05', '庭院绿化美化，获评美丽庭院', 20, 30),
      i('B06', '主动清理河道、沟渠、道路垃圾', 5, 10),
      i('B07', '厕所改造达标并正常使用', 4),
    ],
  },
  {
    name: '日常行为',
    isExample: false,
    items: [
      i('C01', '按时参加村民会议、院坝会', 5),
      i('C02', '主动参与村级事务管理，建言献策被采纳', 10, 20),
      i('C03', '爱护公共设施，主动报告损坏情况', 5),
      i('C04', '邻里和睦，互帮互助', 5, 10),
      i('C05', '按时缴纳医保、养老保险', 4),
      i('C06', '文明驾驶，遵守交通规则', 4),
    ],
  },
  {
    name: '社会服务',
    isExample: false,
    items: [
      i('D01', '乐于公益事业，参加志愿服务', 5, 10),
      i('D02', '为村集体公益事业捐款捐物', 10, 30),
      i('D03', '参与防汛、防火、疫情防控等应急工作', 10, 20),
      i('D04', '带动群众发展产业、就业增收', 20, 30),
      i('D05', '参加无偿献血', 20),
      i('D06', '见义勇为，受到表彰', 30),
      i('D07', '担任网格信息员，及时上报隐患', 5, 10),
    ],
  },
  {
    name: '孝老爱亲',
    isExample: true,
    items: [
      i('E01', '赡养老人，照料周到', 10, 20),
      i('E02', '关爱留守儿童、困难邻里', 5, 10),
      i('E03', '家庭和睦，获评文明家庭、好婆媳', 20, 30),
      i('E04', '子女就学无辍学', 5),
    ],
  },
  {
    name: '移风易俗',
    isExample: true,
    items: [
      i('F01', '婚事新办、丧事简办，报红白理事会备案', 10, 20),
      i('F02', '不大操大办，不随人情歪风', 5, 10),
      i('F03', '文明祭祀，不燃放烟花爆竹、不焚烧纸钱', 5),
      i('F04', '参加健康文明的文体活动', 4, 5),
    ],
  },
];

/** 负面清单: each −5 分. */
export const ANJIA_NEGATIVE: TemplateItem[] = [
  i('N01', '参与迷信活动', -50),
  i('N02', '故意损坏公共设施', -50),
  i('N03', '违法违规建房、乱搭乱建', -50),
  i('N04', '聚众赌博或参与黄赌毒', -50),
  i('N05', '非正常上访、缠访闹访', -50),
  i('N06', '打架斗殴、寻衅滋事', -50),
  i('N07', '虐待、遗弃老人或未成年人', -50),
  i('N08', '焚烧秸秆、乱倒垃圾造成污染', -50),
  i('N09', '大操大办红白事、高价彩礼', -50),
  i('N10', '拒不履行赡养义务或拖欠集体款项', -50),
];

export const TEMPLATE_NAME = '村民（单位）日常积分管理细则（安家村模式）';

/**
 * Creates the county's template rule book once (idempotent). Called by the seed loader; the
 * service also calls it lazily the first time a village starts a book from the template.
 */
export async function seedPointsTemplate(db: Kdb, countyId: number): Promise<number> {
  const existing = await db
    .selectFrom('points_rule_books')
    .select('id')
    .where('region_id', '=', countyId)
    .where('status', '=', 'template')
    .executeTakeFirst();
  if (existing) return existing.id;
  // UNIQUE (region_id, version) makes a concurrent second seeding fail instead of duplicating.
  const run = async (trx: Kdb) => {
    const county = await trx.selectFrom('regions').select(['path']).where('id', '=', countyId).executeTakeFirstOrThrow();
    const book = await trx
      .insertInto('points_rule_books')
      .values({ county_id: countyId, region_id: countyId, region_path: county.path, version: 1, name: TEMPLATE_NAME, status: 'template', based_on_id: null, adopted_at: null, adopted_by: null, meeting: null, resolution: null, deliberation_id: null, created_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertBookContent(trx, countyId, book.id, ANJIA_CATEGORIES, ANJIA_NEGATIVE);
    return book.id;
  };
  return db.isTransaction ? run(db) : db.transaction().execute((trx) => run(trx as unknown as Kdb));
}

/** Writes categories and items of a book (used by the template and by draft edits). */
export async function insertBookContent(db: Kdb, countyId: number, bookId: number, categories: TemplateCategory[], negative: TemplateItem[]): Promise<void> {
  let sort = 0;
  for (const [ci, c] of categories.entries()) {
    const cat = await db
      .insertInto('points_rule_categories')
      .values({ county_id: countyId, book_id: bookId, name: c.name, is_example: c.isExample, sort: ci })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (c.items.length) {
      await db
        .insertInto('points_rule_items')
        .values(c.items.map((it) => ({ county_id: countyId, book_id: bookId, category_id: cat.id, code: it.code, name: it.name, kind: 'positive' as const, min_score: it.min, max_score: it.max, sort: sort++ })))
        .execute();
    }
  }
  if (negative.length) {
    await db
      .insertInto('points_rule_items')
      .values(negative.map((it) => ({ county_id: countyId, book_id: bookId, category_id: null, code: it.code, name: it.name, kind: 'negative' as const, min_score: it.min, max_score: it.max, sort: sort++ })))
      .execute();
  }
}
