/**
 * The roster's columns and vocabularies (花名册列与字典), shared by the template, the parser, the
 * validator and the export so the four can never disagree about a header or a word.
 */

export type RosterField =
  | 'householdCode' | 'group' | 'address' | 'name' | 'relation' | 'idNumber' | 'phone' | 'ethnicity' | 'political' | 'tags';

export interface RosterColumn {
  field: RosterField;
  header: string; // as printed in the template
  required: boolean; // the column must exist in the file
  width: number;
  help: string; // 填写说明
  aliases: string[]; // other headers counties' own sheets use for the same column
}

export const ROSTER_COLUMNS: RosterColumn[] = [
  { field: 'householdCode', header: '户编号(可空)', required: false, width: 22, aliases: ['户编号', '户号', '户编码'],
    help: '已登记的户填系统中的户编号；新户可留空。留空时，以“户主”行开始一户，其后未填户编号的行都属于这一户。' },
  { field: 'group', header: '村民小组', required: true, width: 12, aliases: ['组', '小组', '村民组', '所属小组'],
    help: '必填（户主行）。须是所选村已有的村民小组名称，如“一组”。' },
  { field: 'address', header: '门牌地址', required: true, width: 30, aliases: ['地址', '住址', '家庭住址', '门牌号'],
    help: '必填（户主行）。如“一组18号”。' },
  { field: 'name', header: '姓名', required: true, width: 12, aliases: ['居民姓名'],
    help: '必填，30字以内。' },
  { field: 'relation', header: '与户主关系', required: true, width: 12, aliases: ['关系', '与户主的关系'],
    help: '必填。每户有且只有一个“户主”；其他可填：配偶、子、女、儿媳、女婿、孙子、孙女、父亲、母亲、兄弟姐妹等。' },
  { field: 'idNumber', header: '身份证号', required: true, width: 22, aliases: ['身份证号码', '公民身份号码', '证件号码'],
    help: '必填，18位居民身份证号码（末位可为X）。请把本列设为“文本”格式，否则 Excel 会丢失末尾数字。同一人只能登记在一个村。' },
  { field: 'phone', header: '手机号', required: false, width: 15, aliases: ['手机号码', '联系电话', '电话'],
    help: '选填，11位手机号。户主的手机号即为该户联系电话。' },
  { field: 'ethnicity', header: '民族', required: false, width: 10, aliases: [],
    help: '选填，默认“汉族”。填56个民族之一，如“汉族”“苗族”“瑶族”（可省略“族”字）。' },
  { field: 'political', header: '政治面貌', required: false, width: 12, aliases: [],
    help: '选填，默认“群众”。可填：群众、共青团员、中共党员、中共预备党员。' },
  { field: 'tags', header: '户标签', required: false, width: 20, aliases: ['标签', '户类别'],
    help: '选填（户主行）。多个标签用顿号或逗号分开，如“脱贫户、独居老人”。每个标签20字以内，最多20个。' },
];

/** Header text as users type it: no spaces, no '*' marks, no '(可空)' notes. */
export function normalizeHeader(h: string): string {
  return h.replace(/\s+/g, '').replace(/[*＊]/g, '').replace(/[(（][^)）]*[)）]/g, '');
}

const HEADER_INDEX = new Map<string, RosterField>();
for (const c of ROSTER_COLUMNS) for (const h of [c.header, ...c.aliases]) HEADER_INDEX.set(normalizeHeader(h), c.field);

export function fieldOfHeader(h: string): RosterField | undefined {
  return HEADER_INDEX.get(normalizeHeader(h));
}

export function headerOf(field: RosterField): string {
  const c = ROSTER_COLUMNS.find((x) => x.field === field)!;
  return normalizeHeader(c.header);
}

export const HOUSEHOLDER = '户主';

/** 与户主关系 (after GB/T 4761 家庭关系, in the words village rosters use). */
export const RELATIONS = new Set([
  HOUSEHOLDER, '配偶', '夫', '妻',
  '子', '女', '儿子', '女儿', '长子', '次子', '三子', '长女', '次女', '三女', '独生子', '独生女', '养子', '养女', '继子', '继女', '子女',
  '儿媳', '女婿', '孙子', '孙女', '外孙子', '外孙女', '孙媳妇', '孙女婿', '曾孙子', '曾孙女',
  '父亲', '母亲', '父', '母', '继父', '继母', '养父', '养母', '公公', '婆婆', '岳父', '岳母',
  '祖父', '祖母', '外祖父', '外祖母', '兄', '弟', '姐', '妹', '兄弟姐妹', '兄弟', '姐妹', '嫂', '弟媳', '姐夫', '妹夫',
  '侄子', '侄女', '外甥', '外甥女', '其他', '其他亲属', '非亲属',
]);

/** 政治面貌 → residents.political. */
const POLITICAL: Record<string, 'masses' | 'league' | 'party'> = {
  群众: 'masses', 无党派人士: 'masses', 民主党派: 'masses',
  共青团员: 'league', 团员: 'league', 中国共产主义青年团团员: 'league',
  中共党员: 'party', 党员: 'party', 中国共产党党员: 'party', 中共预备党员: 'party', 预备党员: 'party',
};
export function politicalOf(s: string): 'masses' | 'league' | 'party' | undefined {
  return s === '' ? 'masses' : POLITICAL[s];
}
export const POLITICAL_LABEL: Record<string, string> = { masses: '群众', league: '共青团员', party: '中共党员' };

export const ETHNICITIES = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族', '满族', '侗族', '瑶族', '白族',
  '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族', '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族',
  '景颇族', '柯尔克孜族', '土族', '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族',
  '普米族', '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
];
const ETHNIC_SET = new Set(ETHNICITIES);
/** '' → 汉族; '苗' → 苗族; unknown → undefined. */
export function ethnicityOf(s: string): string | undefined {
  if (s === '') return '汉族';
  if (ETHNIC_SET.has(s)) return s;
  if (ETHNIC_SET.has(s + '族')) return s + '族';
  return undefined;
}

export function splitTags(s: string): string[] {
  return [...new Set(s.split(/[、,，;；|\s]+/).map((t) => t.trim()).filter(Boolean))];
}

export const STATUS_LABEL: Record<string, string> = {
  active: '在册', moved: '迁出', merged: '合户', present: '在家', away: '外出', deceased: '已故',
};
