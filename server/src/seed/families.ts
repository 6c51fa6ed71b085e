/**
 * One synthetic household: who lives in it, how old they are, how they are related, whether they
 * are away working, and which assistance tags the household carries. Ages hang together (a child
 * is born when the parent is 21–35, a grandchild when the child is), ID numbers match birth date
 * and gender, and the mix of household shapes follows a Hunan village in the 2020s: many older
 * couples and three-generation homes, young adults often away, a few people living alone.
 */
import { makeIdNumber } from '../core/pii.js';
import { commonSurname, fullName, householdSurname, type SurnameMix } from './names.js';
import { hashString, type Rng } from './prng.js';

export type Gender = 'M' | 'F';

/** Ages are counted at the end of this year, so the data is the same whenever it is generated. */
export const REFERENCE_YEAR = 2025;

export interface GenResident {
  name: string;
  gender: Gender;
  birthDate: string; // YYYY-MM-DD, equal to the ID number's
  relation: string; // 户主 配偶 子 女 儿媳 女婿 孙子 孙女 父亲 母亲
  idNumber: string;
  phone: string | null;
  political: 'masses' | 'league' | 'party';
  status: 'present' | 'away';
  ethnicity: string;
}

export const TAGS = ['低保户', '脱贫户', '独居老人', '留守儿童', '残疾人'] as const;

/**
 * Hands out ID numbers unique within the county: the 3-digit sequence is counted per birth date
 * and gender (odd for men, even for women, as GB 11643 says), so 500 people of one sex can share
 * a birthday before we move to the next day.
 */
export class IdAllocator {
  private used = new Map<string, number>();
  constructor(private readonly area6: string) {}

  make(birthDate: string, gender: Gender): string {
    let date = birthDate;
    for (;;) {
      const key = date + gender;
      const k = this.used.get(key) ?? 0;
      if (k < 500) {
        this.used.set(key, k + 1);
        const slot = (k + (hashString(key) % 500)) % 500; // spread numbers, still unique per key
        return makeIdNumber(this.area6, date, slot * 2 + (gender === 'M' ? 1 : 0), gender);
      }
      date = nextDay(date);
    }
  }
}

function nextDay(d: string): string {
  const t = new Date(d + 'T00:00:00Z');
  t.setUTCDate(t.getUTCDate() + 1);
  if (t.getUTCFullYear() > REFERENCE_YEAR) t.setUTCFullYear(REFERENCE_YEAR, 0, 1);
  return t.toISOString().slice(0, 10);
}

function birthDateFor(rng: Rng, age: number): string {
  const year = REFERENCE_YEAR - age;
  const month = rng.int(1, 12);
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = rng.int(1, dim);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const PHONE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157',
  '158', '159', '173', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '199'];

export function syntheticPhone(rng: Rng): string {
  return rng.pick(PHONE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

export interface FamilyContext {
  rng: Rng;
  ids: IdAllocator;
  surnames: SurnameMix;
  /** The ethnic group of an ethnic township (瑶族乡 → 瑶族), or null. */
  localEthnicity: string | null;
}

interface Draft {
  surname: string;
  gender: Gender;
  age: number;
  relation: string;
  away?: boolean;
}

type Shape = 'elder_single' | 'elder_couple' | 'single_adult' | 'nuclear' | 'three_generation' | 'with_parents';
const SHAPES: Shape[] = ['elder_single', 'elder_couple', 'single_adult', 'nuclear', 'three_generation', 'with_parents'];
const SHAPE_WEIGHTS = [5, 16, 4, 31, 30, 14];

const other = (g: Gender): Gender => (g === 'M' ? 'F' : 'M');

/** Children of a couple whose mother is `motherAge`: 1–3 of them, born when she was 21–35. */
function children(rng: Rng, surname: string, motherAge: number, max: number, relationSon: string, relationDaughter: string): Draft[] {
  const out: Draft[] = [];
  const n = rng.weighted([1, 2, 3], [40, 45, 15]);
  let age = motherAge - rng.int(21, 28);
  for (let i = 0; i < Math.min(n, max) && age >= 0; i++) {
    const g: Gender = rng.chance(0.53) ? 'M' : 'F';
    out.push({ surname, gender: g, age, relation: g === 'M' ? relationSon : relationDaughter });
    age -= rng.int(2, 5);
  }
  return out;
}

/** Drafts the people of one household; the first is the householder. */
function draftFamily(rng: Rng, surname: string): { drafts: Draft[]; shape: Shape } {
  const shape = rng.weighted(SHAPES, SHAPE_WEIGHTS);
  const drafts: Draft[] = [];
  // The lineage name goes with the husband: a woman heading the household married into it.
  const spouseOf = (d: Draft, ageGap = rng.int(-1, 5)): Draft => {
    const spouse: Draft = {
      surname: commonSurname(rng),
      gender: other(d.gender),
      age: Math.max(20, d.gender === 'M' ? d.age - ageGap : d.age + ageGap),
      relation: '配偶',
    };
    if (d.gender === 'F') [d.surname, spouse.surname] = [spouse.surname, d.surname];
    return spouse;
  };
  switch (shape) {
    case 'elder_single': {
      drafts.push({ surname, gender: rng.chance(0.62) ? 'F' : 'M', age: rng.int(66, 92), relation: '户主' });
      break;
    }
    case 'elder_couple': {
      const h: Draft = { surname, gender: rng.chance(0.9) ? 'M' : 'F', age: rng.int(60, 86), relation: '户主' };
      drafts.push(h, spouseOf(h));
      break;
    }
    case 'single_adult': {
      drafts.push({ surname, gender: rng.chance(0.8) ? 'M' : 'F', age: rng.int(28, 62), relation: '户主' });
      break;
    }
    case 'nuclear': {
      const h: Draft = { surname, gender: rng.chance(0.92) ? 'M' : 'F', age: rng.int(27, 56), relation: '户主' };
      const s = spouseOf(h);
      const mother = h.gender === 'F' ? h : s;
      const father = h.gender === 'M' ? h : s;
      drafts.push(h, s, ...children(rng, father.surname, mother.age, 3, '子', '女'));
      break;
    }
    case 'three_generation': {
      // Grandparents head the household; a married son (and his wife) and their children live in.
      const h: Draft = { surname, gender: rng.chance(0.9) ? 'M' : 'F', age: rng.int(48, 74), relation: '户主' };
      const s = rng.chance(0.85) ? spouseOf(h) : null;
      drafts.push(h);
      if (s) drafts.push(s);
      const grandma = h.gender === 'F' ? h : s ?? { age: h.age - 2 };
      const sonAge = Math.max(22, grandma.age - rng.int(21, 30));
      const son: Draft = { surname: h.gender === 'M' ? h.surname : s?.surname ?? surname, gender: 'M', age: sonAge, relation: '子' };
      const wife: Draft = { surname: commonSurname(rng), gender: 'F', age: Math.max(21, sonAge - rng.int(-1, 4)), relation: '儿媳' };
      drafts.push(son, wife, ...children(rng, son.surname, wife.age, 2, '孙子', '孙女'));
      if (rng.chance(0.25) && sonAge - 2 >= 18) {
        drafts.push({ surname: son.surname, gender: 'F', age: rng.int(18, Math.max(18, sonAge - 2)), relation: '女' });
      }
      break;
    }
    case 'with_parents': {
      const h: Draft = { surname, gender: 'M', age: rng.int(30, 52), relation: '户主' };
      const s = spouseOf(h);
      drafts.push(h, s, ...children(rng, surname, s.age, 2, '子', '女'));
      const fatherAge = h.age + rng.int(22, 34);
      if (fatherAge <= 92 && rng.chance(0.7)) drafts.push({ surname, gender: 'M', age: fatherAge, relation: '父亲' });
      const motherAge = Math.min(95, h.age + rng.int(21, 32));
      drafts.push({ surname: commonSurname(rng), gender: 'F', age: motherAge, relation: '母亲' });
      break;
    }
  }
  return { drafts, shape };
}

/** Working-age people are often away (外出务工); a couple with young children mostly goes together. */
function markAway(rng: Rng, drafts: Draft[], shape: Shape): void {
  const hasGrandparents = shape === 'three_generation' || shape === 'with_parents';
  const young = drafts.filter((d) => d.age >= 18 && d.age <= 55);
  const parentsOfKids = drafts.filter((d) => ['子', '儿媳'].includes(d.relation) && shape === 'three_generation');
  if (hasGrandparents && parentsOfKids.length === 2 && rng.chance(0.14)) {
    for (const p of parentsOfKids) p.away = true;
  } else if (shape === 'with_parents' && rng.chance(0.1)) {
    for (const p of drafts.filter((d) => d.relation === '户主' || d.relation === '配偶')) p.away = true;
  }
  for (const d of young) {
    // In a nuclear family one parent stays with the children.
    if (d.away === undefined && shape !== 'nuclear' && !['子', '儿媳'].includes(d.relation) && rng.chance(0.15)) d.away = true;
    if (d.away === undefined && shape === 'nuclear' && d.relation === '户主' && rng.chance(0.25)) d.away = true;
    if (d.away === undefined && ['子', '女'].includes(d.relation) && d.age >= 18 && rng.chance(0.45)) d.away = true;
  }
}

function tagsFor(rng: Rng, people: GenResident[], shape: Shape): string[] {
  const tags: string[] = [];
  const ages = people.map((p) => REFERENCE_YEAR - Number(p.birthDate.slice(0, 4)));
  const elderly = shape === 'elder_single' || shape === 'elder_couple';
  if (rng.chance(elderly ? 0.09 : 0.025)) tags.push('低保户');
  if (rng.chance(0.07)) tags.push('脱贫户');
  if (shape === 'elder_single' && ages[0]! >= 65) tags.push('独居老人');
  const kids = people.filter((p, i) => ages[i]! < 16);
  const parentsAway = people.filter((p) => ['子', '儿媳', '户主', '配偶'].includes(p.relation) && p.status === 'away');
  if (kids.length > 0 && parentsAway.length >= 2) tags.push('留守儿童');
  if (rng.chance(0.03)) tags.push('残疾人');
  return tags;
}

export interface GenFamily {
  residents: GenResident[];
  tags: string[];
  phone: string | null;
}

export function generateFamily(ctx: FamilyContext): GenFamily {
  const { rng } = ctx;
  const surname = householdSurname(rng, ctx.surnames);
  const { drafts, shape } = draftFamily(rng, surname);
  markAway(rng, drafts, shape);
  const residents = drafts.map((d): GenResident => {
    const birth = birthDateFor(rng, d.age);
    const idNumber = ctx.ids.make(birth, d.gender);
    const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
    const age = REFERENCE_YEAR - Number(birthDate.slice(0, 4));
    const hasPhone = age >= 16 && rng.chance(age > 75 ? 0.4 : 0.92);
    return {
      name: fullName(rng, d.surname, d.gender, Number(birthDate.slice(0, 4))),
      gender: d.gender,
      birthDate,
      relation: d.relation,
      idNumber,
      phone: hasPhone ? syntheticPhone(rng) : null,
      political: age >= 14 && age <= 28 && rng.chance(0.22) ? 'league' : 'masses',
      status: d.away ? 'away' : 'present',
      ethnicity: ctx.localEthnicity && rng.chance(0.45) ? ctx.localEthnicity : '汉族',
    };
  });
  const phone = residents.find((r) => r.phone && r.status === 'present')?.phone ?? residents.find((r) => r.phone)?.phone ?? null;
  return { residents, tags: tagsFor(rng, residents, shape), phone };
}

export function ageOf(r: { birthDate: string }): number {
  return REFERENCE_YEAR - Number(r.birthDate.slice(0, 4));
}
