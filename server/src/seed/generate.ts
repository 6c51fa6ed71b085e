/**
 * The synthetic county, generated village by village from a seed. Nothing here touches the
 * database: `generateCounty()` yields one village's data at a time (groups, grids, households with
 * their residents, the party branch and its members, who patrons what), so a 200,000-household
 * county streams through in constant memory and the same generator feeds the demo loader, the
 * benchmarks and roster-import fixtures.
 */
import { readDivision, type Division, type DivisionTownship, type DivisionVillage } from './division.js';
import { ageOf, generateFamily, IdAllocator, syntheticPhone, type GenResident } from './families.js';
import { countyCentre, townshipCentre, villageCentre } from './geo.js';
import { fullName, villageSurnames, commonSurname } from './names.js';
import { Rng } from './prng.js';

export const DEFAULT_SEED = 2026;
export const DEFAULT_HOUSEHOLDS_PER_VILLAGE = 30;
/** Level-2 grid size from the source documents: about 30 households / 100 people. */
export const HOUSEHOLDS_PER_LEVEL2_GRID = 30;
/** 泸溪 "158": a party member links at least five households. */
export const MEMBER_LINK_QUOTA = 5;

export interface GenerateOptions {
  countyCode: string; // 6 digits, e.g. '430525'
  /** Households in each village (default 30). Ignored when totalHouseholds is set. */
  householdsPerVillage?: number;
  /** Spread this many households over the county's villages (±25 % each), e.g. 200_000 for benchmarks. */
  totalHouseholds?: number;
  seed?: number;
}

export interface Person {
  name: string;
  title: string;
  gender: 'M' | 'F';
}

export interface GenGrid {
  code: string;
  name: string;
  level: 'level1' | 'level2';
  parentIndex: number | null; // index into the village's grids (level-2 → its level-1 grid)
  staff: { role: 'head' | 'deputy' | 'worker'; name: string; phone: string }[];
}

export interface GenHousehold {
  code: string; // 户编号: village code + 4 digits
  groupIndex: number;
  gridIndex: number; // index into grids, always a level-2 grid
  address: string;
  tags: string[];
  phone: string | null;
  residents: GenResident[]; // [0] is the householder
}

export interface GenPartyMember {
  householdIndex: number;
  residentIndex: number;
  joinedOn: string;
  linkQuota: number;
  status: 'active' | 'away';
  partyGroupIndex: number | null;
  links: number[]; // household indexes this member links (联户)
}

export interface TownshipPlan extends DivisionTownship {
  index: number;
  lat: number;
  lng: number;
  committeeName: string; // 镇党委 / 街道党工委
  cadres: Person[]; // 乡镇班子: each patrons a few villages
  villages: VillagePlan[];
}

export interface VillagePlan extends DivisionVillage {
  index: number; // within the township
  lat: number;
  lng: number;
  households: number;
  /** Index into CountyPlan.departments of the department linked to this village. */
  departmentIndex: number;
}

export interface VillageData {
  township: TownshipPlan;
  village: VillagePlan;
  groups: { code: string; name: string }[];
  grids: GenGrid[];
  households: GenHousehold[];
  branch: { kind: 'branch' | 'general_branch'; name: string };
  partyGroups: { name: string }[];
  members: GenPartyMember[];
  cadres: Person[]; // 村两委
  groupPatrons: { cadreIndex: number; groupIndex: number }[];
  householdPatrons: { memberIndex: number; householdIndex: number }[];
}

export interface CountyPlan {
  seed: number;
  county: { code: string; code6: string; name: string; lat: number; lng: number };
  townships: TownshipPlan[];
  leaders: Person[]; // 县领导: each patrons one or two townships
  townshipPatrons: { leaderIndex: number; townshipIndex: number }[];
  departments: { code: string; name: string; phone: string | null }[];
  totalHouseholds: number;
}

const NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
export function chineseNumber(n: number): string {
  if (n <= 10) return NUMERALS[n]!;
  if (n < 20) return '十' + NUMERALS[n - 10]!;
  return NUMERALS[Math.floor(n / 10)]! + '十' + (n % 10 ? NUMERALS[n % 10]! : '');
}

/** The county's departments (县直部门). 洞口 has 104; these are the ones villages deal with most. */
export const DEPARTMENT_NAMES = [
  '县委办', '县政府办', '县纪委监委', '县委组织部', '县委宣传部', '县委统战部', '县委政法委', '县发改局', '县教育局', '县科工信局',
  '县公安局', '县民政局', '县司法局', '县财政局', '县人社局', '县自然资源局', '县生态环境局', '县住建局', '县交通运输局', '县水利局',
  '县农业农村局', '县商务局', '县文旅广体局', '县卫健局', '县退役军人事务局', '县应急管理局', '县审计局', '县市场监管局', '县林业局',
  '县医保局', '县城管执法局', '县信访局', '县供销社', '县妇联', '团县委', '县残联',
];

const LEADER_TITLES = ['县委书记', '县长', '县委副书记', '县委常委、常务副县长', '县委常委、组织部长', '县委常委、宣传部长', '县委常委、政法委书记',
  '县纪委书记、监委主任', '县委常委、统战部长', '县委常委、县委办主任', '副县长', '副县长', '副县长', '县人大常委会副主任', '县政协副主席'];

function townshipTitles(kind: string): string[] {
  const unit = kind === '街道' ? '街道' : kind === '乡' ? '乡' : '镇';
  const party = kind === '街道' ? '党工委' : '党委';
  const head = kind === '街道' ? '街道办主任' : unit + '长';
  return [`${unit}${party}书记`, head, `${unit}${party}副书记`, `${unit}${party}委员、纪委书记`, `${unit}${party}委员、组织委员`,
    `${unit}${party}委员、宣传委员`, `${unit}${party}委员、武装部长`, `副${head}`, `副${head}`, kind === '街道' ? '街道人大工委主任' : `${unit}人大主席`];
}

const VILLAGE_TITLES = ['党支部书记、村委会主任', '党支部副书记', '村委会副主任', '村委委员、妇联主席', '村委委员、治保主任', '村务监督委员会主任'];

/** '平青村委会' → '平青村' (a few rows carry the committee's name). */
export function shortVillageName(name: string): string {
  return name.replace(/(村民委员会|村委会)$/, '村').replace(/(社区居委会|社区居民委员会)$/, '社区');
}

function person(rng: Rng, title: string, surname = commonSurname(rng)): Person {
  const gender = rng.chance(0.78) ? 'M' : 'F';
  return { name: fullName(rng, surname, gender, REFERENCE_YEAR_FOR_CADRES - rng.int(30, 55)), title, gender };
}
const REFERENCE_YEAR_FOR_CADRES = 2025;

/** Plans the county from the real division list: where each place is and how big it is. */
export async function planCounty(opts: GenerateOptions): Promise<CountyPlan> {
  const division: Division = await readDivision(opts.countyCode);
  const seed = opts.seed ?? DEFAULT_SEED;
  const rng = new Rng(`${seed}:plan:${division.county.code6}`);
  const [lat, lng] = countyCentre(division.county.code6);

  const villagesOf = new Map<string, DivisionVillage[]>();
  for (const v of division.villages) {
    const list = villagesOf.get(v.townshipCode) ?? [];
    list.push(v);
    villagesOf.set(v.townshipCode, list);
  }
  const allVillages = division.villages.length;
  const weights = division.villages.map(() => 0.75 + rng.next() * 0.5);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const perVillage = Math.max(0, Math.floor(opts.householdsPerVillage ?? DEFAULT_HOUSEHOLDS_PER_VILLAGE));
  const sizeOf = (i: number) => (opts.totalHouseholds ? Math.round((opts.totalHouseholds * weights[i]!) / weightSum) : perVillage);

  const departments = DEPARTMENT_NAMES.map((name, i) => ({
    code: 'D' + String(i + 1).padStart(3, '0'),
    name,
    phone: division.county.code6.startsWith('4305') ? `0739-7${String(rng.int(100000, 999999))}` : null,
  }));

  let villageNo = 0;
  let total = 0;
  const townships: TownshipPlan[] = [];
  division.townships.forEach((t, ti) => {
    const [tlat, tlng] = townshipCentre([lat, lng], ti, division.townships.length, t.kind === '街道', rng);
    const villages = (villagesOf.get(t.code) ?? []).map((v, vi): VillagePlan => {
      const [vlat, vlng] = villageCentre([tlat, tlng], vi, rng);
      const households = sizeOf(villageNo);
      total += households;
      return { ...v, index: vi, lat: vlat, lng: vlng, households, departmentIndex: villageNo++ % departments.length };
    });
    const cadreCount = Math.min(10, Math.max(4, Math.ceil(villages.length / 2)));
    const titles = townshipTitles(t.kind);
    const cadres = Array.from({ length: cadreCount }, (_, i) => person(rng, titles[i % titles.length]!));
    townships.push({
      ...t, index: ti, lat: tlat, lng: tlng, villages, cadres,
      committeeName: `${t.name}${t.kind === '街道' ? '党工委' : '党委'}`,
    });
  });
  const leaders = LEADER_TITLES.map((title) => person(rng, title));
  const townshipPatrons = townships.map((t) => ({ leaderIndex: t.index % leaders.length, townshipIndex: t.index }));
  void allVillages;
  return {
    seed,
    county: { ...division.county, lat, lng },
    townships,
    leaders,
    townshipPatrons,
    departments,
    totalHouseholds: total,
  };
}

/** The ethnic group of an ethnic township: '长塘瑶族乡' → '瑶族'. */
function localEthnicity(townshipName: string): string | null {
  const m = /(瑶|苗|侗|土家|壮|回|白|彝|藏|蒙古|满|黎|畲|水|布依|傣|哈尼)族/.exec(townshipName);
  return m ? m[0] : null;
}

/** Generates one village. Deterministic for (seed, village code) whatever else is generated. */
export function generateVillage(plan: CountyPlan, township: TownshipPlan, village: VillagePlan, ids: IdAllocator): VillageData {
  const rng = new Rng(`${plan.seed}:village:${village.code}`);
  const surnames = villageSurnames(rng);
  const vname = shortVillageName(village.name);
  const n = village.households;

  // 村民小组: 5–12 per village, households spread unevenly over them.
  const groupCount = rng.int(5, 12);
  const groups = Array.from({ length: groupCount }, (_, i) => ({
    code: village.code + String(i + 1).padStart(3, '0'),
    name: `${chineseNumber(i + 1)}组`,
  }));
  const groupWeights = groups.map(() => 0.6 + rng.next() * 0.8);
  const groupOfHousehold: number[] = [];
  for (let h = 0; h < n; h++) groupOfHousehold.push(rng.weighted(groups.map((_, i) => i), groupWeights));
  groupOfHousehold.sort((a, b) => a - b); // households are numbered group by group

  const cadreCount = rng.int(4, 6);
  const cadres = Array.from({ length: cadreCount }, (_, i) => person(rng, VILLAGE_TITLES[i]!, i < 3 ? surnames.dominant[i % surnames.dominant.length] : undefined));

  // Households and their people.
  const familyCtx = { rng, ids, surnames, localEthnicity: localEthnicity(township.name) };
  const houseNo = new Array<number>(groupCount).fill(0);
  const households: GenHousehold[] = groupOfHousehold.map((g, i) => {
    const fam = generateFamily(familyCtx);
    houseNo[g]!++;
    return {
      code: village.code + String(i + 1).padStart(4, '0'),
      groupIndex: g,
      gridIndex: -1,
      address: `${township.name}${vname}${groups[g]!.name}${houseNo[g]}号`,
      tags: fam.tags,
      phone: fam.phone,
      residents: fam.residents,
    };
  });

  // Grids: a level-1 grid per one or two groups, level-2 grids of ~30 households inside it.
  const grids: GenGrid[] = [];
  let l1 = 0;
  for (let g = 0; g < groupCount; ) {
    const span = g + 1 < groupCount && rng.chance(0.5) ? 2 : 1;
    const covered = groups.slice(g, g + span);
    l1++;
    const l1Index = grids.length;
    const head = cadres[(l1 - 1) % cadres.length]!;
    grids.push({
      code: `${village.code}-${String(l1).padStart(2, '0')}`,
      name: `第${chineseNumber(l1)}网格（${covered.map((c) => c.name).join('、')}）`,
      level: 'level1',
      parentIndex: null,
      staff: [{ role: 'head', name: head.name, phone: syntheticPhone(rng) }],
    });
    const members = households.map((h, i) => ({ h, i })).filter(({ h }) => h.groupIndex >= g && h.groupIndex < g + span);
    const k = Math.max(1, Math.round(members.length / HOUSEHOLDS_PER_LEVEL2_GRID));
    for (let j = 0; j < k; j++) {
      const slice = members.slice(Math.floor((j * members.length) / k), Math.floor(((j + 1) * members.length) / k));
      const gridIndex = grids.length;
      for (const { h } of slice) h.gridIndex = gridIndex;
      grids.push({
        code: `${village.code}-${String(l1).padStart(2, '0')}-${String(j + 1).padStart(2, '0')}`,
        name: `第${chineseNumber(l1)}网格${j + 1}号`,
        level: 'level2',
        parentIndex: l1Index,
        staff: [gridWorker(rng, slice.map((s) => s.h), surnames.dominant[0]!)],
      });
    }
    g += span;
  }

  const members = choosePartyMembers(rng, households);
  linkHouseholds(rng, members, households);
  const branchKind = members.length >= 50 ? 'general_branch' : 'branch';
  const partyGroups: { name: string }[] = [];
  if (members.length >= 3) {
    // 党小组 by grid: members in grid order, about seven to a group.
    const count = Math.max(1, Math.ceil(members.length / 7));
    const ordered = members.map((m, i) => ({ m, i })).sort((a, b) => households[a.m.householdIndex]!.gridIndex - households[b.m.householdIndex]!.gridIndex);
    ordered.forEach(({ m }, pos) => (m.partyGroupIndex = Math.floor((pos * count) / ordered.length)));
    for (let i = 0; i < count; i++) partyGroups.push({ name: `第${chineseNumber(i + 1)}党小组` });
  }

  const groupPatrons = groups.map((_, gi) => ({ cadreIndex: gi % cadres.length, groupIndex: gi }));
  const householdPatrons: VillageData['householdPatrons'] = [];
  const active = members.map((m, i) => ({ m, i })).filter(({ m }) => m.status === 'active');
  if (active.length > 0) {
    households.forEach((h, hi) => {
      if (h.tags.length === 0) return;
      // 党员包保困难户: the nearest active member (same group first).
      const same = active.filter(({ m }) => households[m.householdIndex]!.groupIndex === h.groupIndex && m.householdIndex !== hi);
      const pool = same.length > 0 ? same : active.filter(({ m }) => m.householdIndex !== hi);
      if (pool.length > 0) householdPatrons.push({ memberIndex: rng.pick(pool).i, householdIndex: hi });
    });
  }

  return {
    township,
    village,
    groups,
    grids,
    households,
    branch: { kind: branchKind, name: `${vname}${branchKind === 'general_branch' ? '党总支' : '党支部'}` },
    partyGroups,
    members,
    cadres,
    groupPatrons,
    householdPatrons,
  };
}

/** 网格员: a present adult of the grid's own households when there is one. */
function gridWorker(rng: Rng, households: GenHousehold[], surname: string): GenGrid['staff'][number] {
  const candidates = households.flatMap((h) => h.residents).filter((r) => r.status === 'present' && ageOf(r) >= 25 && ageOf(r) <= 60);
  if (candidates.length > 0) {
    const r = rng.pick(candidates);
    return { role: 'worker', name: r.name, phone: r.phone ?? syntheticPhone(rng) };
  }
  const gender = rng.chance(0.5) ? 'M' : 'F';
  return { role: 'worker', name: fullName(rng, surname, gender, 1980 + rng.int(0, 15)), phone: syntheticPhone(rng) };
}

/** About 4 % of adults, older people more often; at least three per village (a branch needs three). */
function choosePartyMembers(rng: Rng, households: GenHousehold[]): GenPartyMember[] {
  const adults: { hi: number; ri: number; weight: number; age: number }[] = [];
  households.forEach((h, hi) =>
    h.residents.forEach((r, ri) => {
      const age = ageOf(r);
      if (age < 18) return;
      const weight = age >= 60 ? 2.2 : age >= 45 ? 1.3 : age >= 30 ? 0.8 : 0.45;
      adults.push({ hi, ri, weight, age });
    }),
  );
  const weightSum = adults.reduce((a, b) => a + b.weight, 0);
  const wanted = Math.min(adults.length, Math.max(3, Math.round(adults.length * 0.04)));
  const chosen: typeof adults = [];
  const scale = (wanted / Math.max(weightSum, 1e-9)) * 1.0;
  for (const a of adults) if (rng.chance(a.weight * scale)) chosen.push(a);
  // Top up (or trim) to the wanted number so small villages still have a branch.
  const rest = rng.shuffle(adults.filter((a) => !chosen.includes(a)));
  while (chosen.length < wanted && rest.length > 0) chosen.push(rest.pop()!);
  chosen.sort((a, b) => a.hi - b.hi || a.ri - b.ri);
  return chosen.map((a) => {
    const r = households[a.hi]!.residents[a.ri]!;
    r.political = 'party';
    const joinAge = Math.min(a.age, rng.int(20, 48));
    const joinYear = REFERENCE_YEAR_FOR_CADRES - a.age + joinAge;
    const joinedOn = `${Math.min(joinYear, REFERENCE_YEAR_FOR_CADRES)}-${String(rng.pick([1, 3, 6, 7, 9, 11, 12])).padStart(2, '0')}-01`;
    const away = r.status === 'away' || rng.chance(0.05);
    return { householdIndex: a.hi, residentIndex: a.ri, joinedOn, linkQuota: away ? 0 : MEMBER_LINK_QUOTA, status: away ? 'away' : 'active', partyGroupIndex: null, links: [] };
  });
}

/**
 * 党员联户: each active member links households near their own, most five to nine, some fewer
 * (under quota on purpose), and about one household in eight stays uncovered, so the coverage
 * pages have something to show.
 */
function linkHouseholds(rng: Rng, members: GenPartyMember[], households: GenHousehold[]): void {
  const cap = Math.floor(households.length * 0.88);
  const taken = new Set<number>();
  for (const m of members) {
    if (m.status !== 'active') continue;
    const target = rng.chance(0.2) ? rng.int(1, MEMBER_LINK_QUOTA - 1) : rng.int(MEMBER_LINK_QUOTA, 10);
    const home = households[m.householdIndex]!.groupIndex;
    const candidates = households
      .map((h, i) => ({ i, d: Math.abs(h.groupIndex - home) + rng.next() }))
      .filter(({ i }) => !taken.has(i) && i !== m.householdIndex)
      .sort((a, b) => a.d - b.d);
    for (const c of candidates) {
      if (m.links.length >= target || taken.size >= cap) break;
      m.links.push(c.i);
      taken.add(c.i);
    }
  }
}

/**
 * Streams the synthetic county one village at a time (one batch = one village's households and
 * residents). Memory stays flat at any size; IDs stay unique across the whole county.
 */
export async function* generateCounty(opts: GenerateOptions, plan?: CountyPlan): AsyncGenerator<VillageData, void, undefined> {
  const p = plan ?? (await planCounty(opts));
  const ids = new IdAllocator(p.county.code6);
  for (const t of p.townships) {
    for (const v of t.villages) yield generateVillage(p, t, v, ids);
  }
}
