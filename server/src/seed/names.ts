/**
 * Chinese names for synthetic people. Surname weights follow the national frequency order with a
 * Hunan tilt (刘、李、王、张、陈、杨、曾、肖、邓 …). A village draws two or three dominant lineages
 * (a 刘家村 is mostly 刘) and fills the rest from the county-wide mix. Given names follow the
 * fashion of the person's birth decade so a grandmother is 桂英 and her granddaughter 梓涵.
 */
import type { Rng } from './prng.js';

const SURNAMES: [string, number][] = [
  ['刘', 90], ['李', 85], ['王', 80], ['张', 72], ['陈', 70], ['杨', 55], ['曾', 40], ['肖', 38], ['邓', 36],
  ['周', 35], ['黄', 34], ['罗', 33], ['谢', 30], ['唐', 30], ['彭', 28], ['胡', 26], ['尹', 22], ['蒋', 22],
  ['袁', 20], ['向', 18], ['伍', 18], ['戴', 17], ['吴', 17], ['赵', 16], ['朱', 16], ['徐', 15], ['孙', 14],
  ['马', 13], ['何', 13], ['郭', 13], ['林', 12], ['高', 12], ['谭', 12], ['邹', 11], ['石', 11], ['龙', 11],
  ['邱', 10], ['许', 10], ['宋', 10], ['郑', 10], ['梁', 9], ['韩', 9], ['贺', 9], ['钟', 8], ['田', 8],
  ['姚', 8], ['廖', 8], ['雷', 8], ['夏', 7], ['方', 7], ['熊', 7], ['段', 7], ['申', 6], ['阳', 6],
  ['苏', 6], ['卢', 6], ['魏', 6], ['严', 5], ['付', 5], ['沈', 5], ['丁', 5], ['蔡', 5], ['潘', 5],
  ['欧阳', 3], ['易', 4], ['舒', 4], ['毛', 4], ['颜', 4], ['莫', 3], ['覃', 3], ['粟', 3], ['滕', 2],
];
const SURNAME_NAMES = SURNAMES.map((s) => s[0]);
const SURNAME_WEIGHTS = SURNAMES.map((s) => s[1]);

export function commonSurname(rng: Rng): string {
  return rng.weighted(SURNAME_NAMES, SURNAME_WEIGHTS);
}

/** The surname mix of one village: 2–3 lineages hold most households, the rest are mixed. */
export interface SurnameMix {
  dominant: string[];
  weights: number[];
}

export function villageSurnames(rng: Rng): SurnameMix {
  const n = rng.chance(0.35) ? 2 : 3;
  const dominant: string[] = [];
  while (dominant.length < n) {
    const s = commonSurname(rng);
    if (!dominant.includes(s)) dominant.push(s);
  }
  // e.g. 刘 45%, 曾 15%, 李 8% — the first lineage clearly leads
  const weights = n === 2 ? [rng.int(40, 60), rng.int(12, 22)] : [rng.int(30, 48), rng.int(12, 20), rng.int(6, 12)];
  return { dominant, weights };
}

export function householdSurname(rng: Rng, mix: SurnameMix): string {
  const r = rng.next() * 100;
  let acc = 0;
  for (let i = 0; i < mix.dominant.length; i++) {
    acc += mix.weights[i]!;
    if (r < acc) return mix.dominant[i]!;
  }
  return commonSurname(rng);
}

type Era = 'old' | 'mid' | 'young';

// Whole given names people of each era really carry; single characters are combined below.
const GIVEN: Record<Era, Record<'M' | 'F', string[]>> = {
  old: {
    M: ['建国', '国庆', '德明', '志强', '建华', '国华', '德胜', '金生', '福生', '长生', '春生', '秋生', '光明', '卫东', '红军', '永福', '炳南', '运生',
      '桂生', '正华', '跃进', '有才', '满仓', '树林', '玉成', '振华', '传贵', '宗汉', '德旺', '昌盛'],
    F: ['秀英', '桂英', '玉兰', '桂兰', '淑珍', '秀兰', '凤英', '翠花', '菊花', '冬梅', '月娥', '玉梅', '春花', '荷花', '桂香', '爱华', '秀珍', '素梅',
      '金莲', '满秀', '玉娥', '腊梅', '早英', '巧云', '梅英', '桂芝', '美兰', '秋菊', '淑华', '兰英'],
  },
  mid: {
    M: ['伟', '勇', '军', '斌', '辉', '刚', '涛', '强', '明', '波', '建军', '志刚', '海波', '文华', '小军', '立新', '红兵', '卫国', '建平', '永红',
      '勇军', '俊', '华', '鹏', '飞', '剑', '锋', '志勇', '国平', '建林'],
    F: ['丽', '芳', '红梅', '海燕', '艳', '娟', '敏', '静', '霞', '英', '丽华', '美玲', '春燕', '小红', '秋云', '彩霞', '玉芳', '晓兰', '慧', '琴',
      '红霞', '莉', '小梅', '金凤', '雪梅', '艳华', '凤', '燕', '建英', '丽娟'],
  },
  young: {
    M: ['浩然', '宇轩', '俊杰', '子豪', '梓轩', '浩宇', '博文', '子涵', '一鸣', '思远', '皓轩', '家乐', '睿', '泽宇', '晨', '天佑', '嘉豪', '逸飞',
      '明轩', '宇航', '锦程', '文博', '子墨', '鑫', '浩', '子轩', '俊熙', '昊天', '瑞', '奕辰'],
    F: ['欣怡', '梓萱', '思琪', '雨涵', '诗涵', '可馨', '梓涵', '佳怡', '雨萱', '紫涵', '婉婷', '欣妍', '子琪', '语桐', '一诺', '梦瑶', '思雨', '悦',
      '若汐', '诗琪', '雅琪', '佳琪', '心怡', '馨月', '静怡', '晓彤', '雨桐', '安琪', '依诺', '沐晴'],
  },
};

// Extra characters to compose less common names, so a village is not full of exact namesakes.
const CHARS: Record<Era, Record<'M' | 'F', [string, string]>> = {
  old: { M: ['德国建志长金福永玉正有传炳', '明华生胜强才林成旺贵发保山'], F: ['秀桂玉淑凤翠冬月春金满巧美', '英兰珍花梅娥香莲云芝菊华'] },
  mid: { M: ['建志海文小立红卫永国俊勇', '军刚波华平林兵明伟斌涛辉'], F: ['丽红海春小秋彩玉晓金雪艳', '梅燕霞芳华玲云兰娟琴凤英'] },
  young: { M: ['浩宇俊子梓博一思家泽天嘉', '然轩杰豪宇文鸣远乐佑辰航'], F: ['欣梓思雨诗可佳紫婉子语梦', '怡萱琪涵馨妍桐瑶雨汐彤诺'] },
};

export function eraOf(birthYear: number): Era {
  return birthYear < 1966 ? 'old' : birthYear < 1991 ? 'mid' : 'young';
}

export function givenName(rng: Rng, gender: 'M' | 'F', birthYear: number): string {
  const era = eraOf(birthYear);
  if (rng.chance(0.7)) return rng.pick(GIVEN[era][gender]);
  const [first, second] = CHARS[era][gender];
  return rng.pick([...first]) + rng.pick([...second]);
}

export function fullName(rng: Rng, surname: string, gender: 'M' | 'F', birthYear: number): string {
  return surname + givenName(rng, gender, birthYear);
}
