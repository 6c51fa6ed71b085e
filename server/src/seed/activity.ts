/**
 * Demo activity: a year of points and a township's worth of cases, so a cadre logging in to the
 * demo county sees a living system rather than empty lists.
 *
 * Everything is written through the modules' own service functions, acting as the demo accounts
 * (grid01 records, eval01 reviews, town01 dispatches …) or, where the demo has no account for a
 * role in a place, as a demo actor holding exactly that role there. No module table is written
 * directly, so the rows are exactly what the application itself would write: audit rows, history,
 * the hash-chained ledger and its aggregates, timers and notifications.
 *
 * Time: points record the day a deed happened (occurredOn), so a year of history is real history.
 * Cases act at set times (Ctx.now): each is reported days or weeks before the load, according to
 * its fate, and each later step a few hours or days after the one before. So the dashboard's
 * times to close are real spans, and some open cases are already past their limits when the demo
 * starts: the job runner finds their deadline timers due on the first start and turns them yellow
 * and red (超期), as it would have on the day. The audit log still says when the seed wrote them.
 *
 * Deterministic: every choice comes from the seeded Rng; the same plan gives the same activity.
 * Runs inside the load's transaction (services' inTransaction reuses it).
 */
import type { Kdb } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import type { Ctx } from '../core/context.js';
import { loadGrants } from '../core/auth/sessions.js';
import type { CountyPlan } from './generate.js';
import { chooseDemoPlaces } from './demo-accounts.js';
import { Rng } from './prng.js';
import { adoptBook, createDraft } from '../modules/points/rules.js';
import { bulkRecord, chinaToday, declareClaim, listEntries, reviewClaims, type ClaimInput } from '../modules/points/claims.js';
import { listSubjects } from '../modules/points/subjects.js';
import { periodBounds, periodsOf } from '../modules/points/ledger.js';
import { approvePublication, preparePublication, publishPublication } from '../modules/points/standings.js';
import { fileAppeal } from '../modules/points/appeals.js';
import { assignHelper, closeBlacklistPeriod, listBlacklist } from '../modules/points/blacklist.js';
import { addGoods, createStore, redeem } from '../modules/store/service.js';
import { reportCase, stepCase, type StepInput } from '../modules/cases/service.js';
import { requestOrder, stepOrder } from '../modules/service-orders/service.js';
import { mediationActivity } from './mediation-activity.js';
import { deliberationActivity } from './deliberation-activity.js';
import { disclosureActivity } from './disclosure-activity.js';

export interface ActivityCounts {
  entries: number;
  pendingClaims: number;
  cases: number;
  serviceOrders: number;
  redemptions: number;
}

interface Village {
  id: number;
  path: string;
  name: string;
}

/** The demo account as the application would see it after login. */
async function actorOf(db: Kdb, userId: number): Promise<Actor> {
  const u = await db.selectFrom('users').select(['id', 'username', 'display_name', 'kind', 'county_id', 'household_id', 'resident_id', 'department_id']).where('id', '=', userId).executeTakeFirstOrThrow();
  return {
    userId: u.id, username: u.username, displayName: u.display_name, kind: u.kind, countyId: u.county_id, householdId: u.household_id,
    residentId: u.resident_id, departmentId: u.department_id, grants: await loadGrants(db, u.id), totpPassed: true, ip: null,
  };
}

/**
 * An actor for a role the demo has no account for in a place (village02's evaluation group): it
 * holds only the permissions given, on that region. userId 0 marks rows as written by the system.
 */
function roleActor(countyId: number, region: Village, displayName: string, permissions: string[]): Actor {
  return {
    userId: 0, username: 'system', displayName, kind: 'staff', countyId, householdId: null, residentId: null, departmentId: null, totpPassed: true, ip: null,
    grants: [{ roleKey: 'system', regionId: region.id, regionPath: region.path, regionLevel: 'village', permissions }],
  };
}

/** Generates the demo activity. Call after createDemoAccounts, with the users it returned. */
export async function generateActivity(db: Kdb, plan: CountyPlan, countyId: number, users: Record<string, number>, log: (m: string) => void = () => {}): Promise<ActivityCounts> {
  const started = Date.now();
  const places = chooseDemoPlaces(plan);
  const rng = new Rng(`${plan.seed}:activity`);
  const codes = [places.town01.code, places.village01.code, places.village02.code, ...places.town01.villages.map((v) => v.code)];
  const regions = await db.selectFrom('regions').select(['id', 'code', 'path', 'name', 'level']).where('county_id', '=', countyId).where('code', 'in', [...new Set(codes)]).execute();
  const byCode = (code: string) => regions.find((r) => r.code === code)!;
  const town = byCode(places.town01.code);
  const v1 = byCode(places.village01.code);
  const v2 = byCode(places.village02.code);
  const townVillages = regions.filter((r) => r.level === 'village' && r.path.startsWith(town.path)).sort((a, b) => a.code.localeCompare(b.code));

  const as: Record<string, Ctx> = {};
  for (const [name, id] of Object.entries(users)) as[name] = { db, actor: await actorOf(db, id) };

  // A county with a single village gives one demo village; never run a village twice.
  const points = await pointsActivity(db, countyId, rng.fork('points'), as, v1.id === v2.id ? [v1] : [v1, v2]);
  const redemptions = await storeActivity(db, rng.fork('store'), as, v1);
  const cases = await caseActivity(db, countyId, rng.fork('cases'), as, town, townVillages, v1, v2);
  await mediationActivity(as, town, v1, log);
  await deliberationActivity(as, town, v1, log);
  await disclosureActivity(as, town, v1, log);
  const serviceOrders = await serviceOrderActivity(as);
  const counts = { ...points, cases, serviceOrders, redemptions };
  log(`演示业务数据：积分 ${counts.entries} 条（待评议 ${counts.pendingClaims} 条）、事件 ${cases} 件、三单 ${serviceOrders} 件、兑换 ${redemptions} 笔，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
  return counts;
}

// ── Points ───────────────────────────────────────────────────────────────────────────────────

type Item = { id: number; name: string; min: number; max: number };

/** A score within the item's range, in whole tenths (the ledger refuses finer). */
function scoreIn(rng: Rng, it: Item): number {
  const lo = Math.round(it.min * 10);
  const hi = Math.round(it.max * 10);
  return rng.int(lo, hi) / 10;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(day + 'T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
}

/** The twelve months up to this one, oldest first, as [first day, last day] clamped to the allowed year. */
function lastTwelveMonths(today: string): { month: string; from: string; to: string }[] {
  const earliest = addDays(today, -360); // recording accepts up to 366 days back; keep a margin
  const out = [];
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  for (let i = 0; i < 12; i++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    const b = periodBounds(month);
    out.unshift({ month, from: b.from < earliest ? earliest : b.from, to: b.to > today ? today : b.to });
    m--;
    if (m === 0) [y, m] = [y - 1, 12];
  }
  return out.filter((x) => x.from <= x.to);
}

function previousQuarter(today: string): string {
  const q = periodsOf(today).quarter;
  const y = Number(q.slice(0, 4));
  const n = Number(q.slice(6));
  return n === 1 ? `${y - 1}-Q4` : `${y}-Q${n - 1}`;
}

async function pointsActivity(db: Kdb, countyId: number, rng: Rng, as: Record<string, Ctx>, villages: Village[]) {
  const today = chinaToday();
  const months = lastTwelveMonths(today);
  const lastQuarter = previousQuarter(today);
  const lq = periodBounds(lastQuarter);
  let entries = 0;
  let pendingClaims = 0;
  for (const [vi, v] of villages.entries()) {
    const vr = rng.fork(`village:${v.id}`);
    // Village01 works through its demo accounts; village02's cadre records and a village02 actor
    // holding only the review permission stands in for its evaluation group.
    const cadre = as[vi === 0 ? 'village01' : 'village02']!;
    const recorder = vi === 0 ? as.grid01! : cadre;
    const reviewer = vi === 0 ? as.eval01! : { db, actor: roleActor(countyId, v, `${v.name}评议小组`, ['points.read', 'points.review']) };

    const households = await db.selectFrom('households').select(['id']).where('region_path', 'like', `${v.path}%`).where('status', '=', 'active').orderBy('code').execute();
    // Village01 has run the system for a year; village02 adopted it half a year later.
    const villageMonths = vi === 0 ? months : months.slice(-6);
    // 四议两公开: the 安家村 template adopted as this village's rule book at a meeting.
    const draft = await createDraft(cadre, { villageId: v.id, from: 'template' });
    const book = await adoptBook(cadre, draft.id, {
      meeting: `${v.name}村民代表大会（${villageMonths[0]!.from.slice(0, 4)}年第一次）`,
      resolution: `经村党支部提议、村两委会商议、党员大会审议，村民代表大会表决通过《${v.name}村民（单位）日常积分管理细则》，自即日起施行。`,
    });
    const positive: Item[] = book.categories.flatMap((c) => c.items);
    const negative: Item[] = book.negative;

    const plan = planRecords(vr, households.map((h) => h.id), villageMonths, lq, positive, negative);

    for (const mo of villageMonths) {
      const rows = plan.get(mo.month) ?? [];
      if (!rows.length) continue;
      const { ids } = await bulkRecord(recorder, rows);
      const current = mo.month === months[months.length - 1]!.month;
      // This month's records wait for the evaluation group's monthly review (the review queue).
      const waiting = current ? ids.filter(() => vr.chance(0.35)) : [];
      // Now and then a record is sent back: the deed could not be confirmed.
      const rejected = !current && vr.chance(0.2) ? [ids[vr.int(0, ids.length - 1)]!] : [];
      const approve = ids.filter((id) => !waiting.includes(id) && !rejected.includes(id));
      if (rejected.length) await reviewClaims(reviewer, rejected, 'reject', '经评议小组核实，该事项证据不足，不予认定');
      if (approve.length) await reviewClaims(reviewer, approve, 'approve');
      entries += approve.length;
      pendingClaims += waiting.length;
    }

    // Publication of the last quarter, approved by the party branch, posted for objections.
    const pub = await preparePublication(cadre, { villageId: v.id, period: lastQuarter });
    await approvePublication(cadre, pub.id, { meeting: `${v.name}党支部委员会会议`, resolution: `审定${lastQuarter.replace('-Q', '年第')}季度村民积分结果，同意公示。` });
    await publishPublication(cadre, pub.id, {});
    // The black list for the last quarter, with a cadre paired to each household listed.
    await closeBlacklistPeriod(cadre, { villageId: v.id, period: lastQuarter, resolution: `${v.name}党支部委员会会议评定` });
    const listed = (await listBlacklist(cadre, { villageId: v.id })).filter((b) => b.sourcePeriod === lastQuarter);
    for (const b of listed) {
      await assignHelper(cadre, b.id, { helperName: cadre.actor.displayName, helperUserId: cadre.actor.userId, plan: '每月上门走访一次，帮助整改环境卫生，动员参加村里公益劳动' });
    }
  }

  // The villagers' own part: declarations waiting for review, and one open appeal.
  const v1item = await firstItem(db, villages[0]!.id);
  for (const [who, note] of [['villager01', '帮邻居抢收稻谷两天'], ['villager02', '自家门前三包，清理沟渠']] as const) {
    const ctx = as[who];
    if (!ctx?.actor.householdId) continue;
    const itemId = who === 'villager01' ? v1item : await firstItem(db, villages[1]!.id);
    if (!itemId) continue;
    await declareClaim(ctx, { itemId: itemId.id, score: itemId.min, occurredOn: today, note });
    pendingClaims++;
  }
  const v1 = as.villager01;
  if (v1?.actor.householdId) {
    // The villager contests the smallest award on their household's ledger.
    const awards = await listEntries(v1, { own: true, kind: 'award', limit: 200, cursor: null });
    const e = awards.reduce<(typeof awards)[number] | undefined>((a, b) => (!a || b.score < a.score ? b : a), undefined);
    if (e) await fileAppeal(v1, { entryId: e.id, reason: '这次义务劳动我家出了两个人、干了一整天，记的分偏低，请评议小组核实。' });
  }
  return { entries, pendingClaims };
}

async function firstItem(db: Kdb, villageId: number) {
  return db.selectFrom('points_rule_books as b').innerJoin('points_rule_items as i', 'i.book_id', 'b.id')
    .select(['i.id', 'i.min_score']).where('b.region_id', '=', villageId).where('b.status', '=', 'adopted').where('i.kind', '=', 'positive')
    .orderBy('i.sort').orderBy('i.id').executeTakeFirst()
    .then((r) => (r ? { id: r.id, min: r.min_score / 10 } : undefined));
}

/**
 * What the grid worker records, month by month: most households a deed or two a month (weighted
 * toward the items that are worth recording), a few households nothing at all, the odd item off
 * the negative list, and one or two households that slide in the last quarter and end below the
 * black-list line. Everyone else is kept above it, so the list names a few, not half the village.
 */
function planRecords(rng: Rng, households: number[], months: { month: string; from: string; to: string }[], lq: { from: string; to: string }, positive: Item[], negative: Item[]) {
  const plan = new Map<string, ClaimInput[]>(months.map((m) => [m.month, []]));
  const weights = positive.map((it) => 1 + it.max);
  const active = households.filter((_h, i) => i === 0 || !rng.chance(0.1));
  const troubled = new Set(active.slice(-2).filter((_h, i) => i === 0 || rng.chance(0.5)));
  const lqMonths = months.filter((m) => m.from >= lq.from && m.to <= lq.to);
  for (const h of active) {
    const pace = rng.chance(0.2) ? 0.8 : 1.6; // deeds a month, on average
    let lastQuarter = 0;
    for (const mo of months) {
      const inLq = lqMonths.includes(mo);
      const slipping = troubled.has(h) && inLq;
      const n = slipping ? rng.int(0, 1) : rng.weighted([0, 1, 2, 3], pace > 1 ? [1, 4, 4, 1] : [3, 5, 2, 0]);
      const rows = plan.get(mo.month)!;
      for (let k = 0; k < n; k++) {
        const it = rng.weighted(positive, weights);
        const score = scoreIn(rng, it);
        if (inLq) lastQuarter += score;
        rows.push({ householdId: h, itemId: it.id, score, occurredOn: pickDay(rng, mo), note: rng.chance(0.25) ? rng.pick(NOTES) : undefined });
      }
      if (slipping || rng.chance(0.01)) {
        const it = rng.pick(negative);
        const score = scoreIn(rng, it);
        if (inLq) lastQuarter += score;
        rows.push({ householdId: h, itemId: it.id, score, occurredOn: pickDay(rng, mo), note: '网格员巡查发现，已当面告知' });
      }
    }
    // Keep ordinary households above the line: one more recorded deed late in the quarter.
    const lastOfLq = lqMonths[lqMonths.length - 1];
    while (!troubled.has(h) && lastOfLq && lastQuarter < 8) {
      const it = positive.reduce((a, b) => (b.max > a.max ? b : a));
      plan.get(lastOfLq.month)!.push({ householdId: h, itemId: it.id, score: it.max, occurredOn: pickDay(rng, lastOfLq), note: rng.pick(NOTES) });
      lastQuarter += it.max;
    }
  }
  return plan;
}

function pickDay(rng: Rng, mo: { from: string; to: string }): string {
  const span = Math.round((Date.parse(mo.to) - Date.parse(mo.from)) / 86_400_000);
  return addDays(mo.from, rng.int(0, span));
}

const NOTES = ['入户走访核实', '村民小组长推荐', '有照片为证', '群众反映属实', '院坝会上提名', '党员联户时了解'];

// ── Store ────────────────────────────────────────────────────────────────────────────────────

const GOODS: { name: string; unit: string; price: number; stock: number; donor?: string }[] = [
  { name: '洗衣粉（500克）', unit: '袋', price: 3, stock: 80 },
  { name: '食用油（1.8升）', unit: '桶', price: 12, stock: 30 },
  { name: '大米（5公斤）', unit: '袋', price: 15, stock: 40, donor: '县农业农村局驻村工作队' },
  { name: '毛巾', unit: '条', price: 2, stock: 100 },
  { name: '电饭煲', unit: '台', price: 60, stock: 5, donor: '乡贤捐赠' },
  { name: '理发服务券', unit: '张', price: 4, stock: 50 },
];

async function storeActivity(db: Kdb, rng: Rng, as: Record<string, Ctx>, v1: Village): Promise<number> {
  const cadre = as.village01!;
  const store = await createStore(cadre, { regionId: v1.id, name: `${v1.name}积分超市`, address: `${v1.name}党群服务中心一楼` });
  const goods = [];
  for (const g of GOODS) goods.push(await addGoods(cadre, store.id, g));
  // Households with the most points spend a little of them.
  const subjects = await listSubjects(cadre, { villageId: v1.id, kind: 'household', limit: 500, cursor: null });
  const rich = subjects.filter((r) => (r.balance ?? 0) >= 200).sort((a, b) => (b.balance ?? 0) - (a.balance ?? 0) || a.id - b.id).slice(0, 8);
  let n = 0;
  for (const r of rich) {
    const g = goods[rng.int(0, goods.length - 1)]!;
    if (g.price * 10 > (r.balance ?? 0) || !r.household_id) continue;
    await redeem(cadre, store.id, { householdId: r.household_id, goodsId: g.id, qty: 1 });
    n++;
  }
  return n;
}

// ── Cases ────────────────────────────────────────────────────────────────────────────────────

/** What happens to a case after it is reported. */
type Fate = 'new' | 'accepted' | 'escalated' | 'dispatched' | 'dept_handling' | 'resolved' | 'rated' | 'rework' | 'reopened' | 'extended' | 'extension_asked' | 'suspended' | 'supervised';

const FATES: Fate[] = ['new', 'accepted', 'escalated', 'dispatched', 'dept_handling', 'resolved', 'rated', 'rework', 'reopened', 'extended', 'extension_asked', 'suspended', 'supervised'];
const FATE_WEIGHTS = [6, 6, 4, 3, 3, 6, 14, 2, 2, 1, 1, 1, 3];

/** Report texts by category code: [title, description]. */
const CASE_TEXTS: Record<string, [string, string][]> = {
  HJ01: [['垃圾桶满了没人清运', '组里公路边的垃圾桶已经满了三天，没人来清运，天热有臭味。'], ['河边堆放生活垃圾', '有人把生活垃圾倒在河边，越堆越多。']],
  HJ03: [['田里有人焚烧秸秆', '收割后田里有人在烧秸秆，浓烟很大，影响行车。']],
  JC04: [['路灯不亮', '村委会到学校这段路灯坏了好几盏，晚上学生回家很黑。'], ['健身器材损坏', '广场上的健身器材有一个断了，怕小孩受伤。']],
  XF01: [['邻居建房滴水纠纷', '邻居新房屋檐滴水落到我家院坝，协商不成。'], ['通道被占', '邻居在共用通道上堆放柴火，进出不方便。']],
  XF02: [['老人赡养问题', '组里一位八十多岁老人独居，子女不管，生活困难。']],
  TD02: [['宅基地审批咨询', '想在原址翻修老房子，不知道要办什么手续。']],
  FW03: [['代办残疾证', '家里老人行动不便，想请村里帮忙代办残疾证。']],
  JC01: [['村道路面塌陷', '通组公路有一段路面塌陷，坑很深，摩托车容易出事。']],
  AQ01: [['私拉电线隐患', '有住户从屋里私拉电线到猪圈，电线老化，存在火灾隐患。']],
  HJ02: [['养猪场污水直排', '附近养猪场的粪污直接排到水沟里，臭味很大。']],
  JC02: [['自来水停水', '我们组已经停水两天了，没人通知什么时候恢复。']],
  XF04: [['工钱被拖欠', '在镇上工地干了三个月，包工头一直拖欠工钱。']],
  FW02: [['申请临时救助', '家里有人生病住院，花了很多钱，想申请临时救助。']],
  QT01: [['建议增设公交站牌', '村口没有公交站牌，群众等车不方便，建议增设。']],
};

const VILLAGE_CATS = ['HJ01', 'HJ03', 'JC04', 'XF01', 'XF02', 'TD02', 'FW03', 'QT01'];
const TOWN_CATS = ['JC01', 'AQ01', 'FW02'];
const DEPT_CATS = ['HJ02', 'JC02', 'XF04'];

async function caseActivity(db: Kdb, countyId: number, rng: Rng, as: Record<string, Ctx>, town: Village, townVillages: Village[], v1: Village, v2: Village): Promise<number> {
  const cats = await db.selectFrom('case_categories').select(['id', 'code']).where('county_id', '=', countyId).execute();
  const catId = (code: string) => cats.find((c) => c.code === code)?.id;
  const dept = as.dept01!.actor.departmentId;
  const grid = await db.selectFrom('grid_staff').select('grid_id').where('user_id', '=', as.grid01!.actor.userId).executeTakeFirst();
  const townCtx = as.town01!;
  // One level above a township's own case is the county command centre (the 'county' account).
  const countyCtx = as.county ?? townCtx;
  const total = 48;
  const loadedAt = new Date();
  let made = 0;
  for (let i = 0; i < total; i++) {
    const fate = i < FATES.length ? FATES[i]! : rng.weighted(FATES, FATE_WEIGHTS);
    // Village-handled cases sit in the two villages with demo cadres (someone must act on them);
    // township and department cases come from all the township's villages.
    const needsDept = fate === 'dispatched' || fate === 'dept_handling';
    const kind = needsDept ? 'dept' : fate === 'escalated' ? 'village' : rng.weighted(['village', 'town', 'dept'] as const, [6, 3, 1]);
    const code = rng.pick(kind === 'village' ? VILLAGE_CATS : kind === 'town' ? TOWN_CATS : DEPT_CATS);
    const categoryId = catId(code);
    if (!categoryId) continue;
    const [title, description] = rng.pick(CASE_TEXTS[code]!);
    const village = kind === 'village' ? (rng.chance(0.6) ? v1 : v2) : rng.pick(townVillages);
    const villageCadre = village.id === v1.id ? as.village01! : village.id === v2.id ? as.village02! : null;
    // The reporter: the villager of that village on the phone, the grid worker on patrol, or a
    // cadre recording a call or a 院坝会 remark in a villager's name.
    let reporter: Ctx;
    let input: Parameters<typeof reportCase>[1] = { categoryId, title, description };
    const r = rng.next();
    if (village.id === v1.id && r < 0.3) reporter = as.villager01!;
    else if (village.id === v2.id && r < 0.3) reporter = as.villager02!;
    else if (village.id === v1.id && r < 0.6 && grid) {
      reporter = as.grid01!;
      input = { ...input, gridId: grid.grid_id, source: 'console' };
    } else {
      reporter = villageCadre ?? townCtx;
      input = { ...input, regionId: village.id, reporterName: `${rng.pick(SURNAMES)}${rng.pick(['大爷', '大姐', '师傅', '嬢嬢'])}（电话反映）`, source: 'hotline' };
    }
    input.clientId = `demo-case-${i}`;
    const times = new StepTimes(reportedAt(fate, rng, loadedAt), loadedAt, rng);
    const rep = await reportCase(times.first(reporter), input);
    made++;
    const handler = kind === 'village' ? villageCadre : townCtx;
    if (!handler) continue;
    await playCase(rep.id, fate, times, { reporter, handler, town: townCtx, above: kind === 'town' ? countyCtx : townCtx, dept: dept ? as.dept01! : null, deptId: dept, kind });
  }
  return made;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '周', '罗', '曾', '邓'];

const DAY = 86_400_000;

/**
 * How long before the load a case of this fate was reported. Closed cases are weeks old; cases
 * still waiting for a rating are days old (inside the revisit window); half the untouched ones
 * came in today or yesterday and half a fortnight ago — past their response and handling limits,
 * so the supervision list has real overdue cases to show.
 */
function reportedAt(fate: Fate, rng: Rng, loadedAt: Date): Date {
  const span = (from: number, to: number) => new Date(loadedAt.getTime() - (from + rng.next() * (to - from)) * DAY);
  switch (fate) {
    case 'new':
      return rng.chance(0.5) ? span(0.1, 1.2) : span(9, 16);
    case 'resolved':
      return span(1.5, 3);
    case 'rated':
    case 'rework':
    case 'reopened':
      return span(15, 50);
    case 'extended':
    case 'suspended':
    case 'supervised':
      return span(4, 14);
    default:
      return span(2, 12);
  }
}

/**
 * The times one case's steps act at: the report at its time, each later step some hours after the
 * one before (never after the load, and always in order, a minute apart at least).
 */
class StepTimes {
  private t: number;
  private readonly end: number;
  constructor(start: Date, loadedAt: Date, private readonly rng: Rng) {
    this.t = start.getTime();
    this.end = loadedAt.getTime() - 3_600_000;
  }

  first(ctx: Ctx): Ctx {
    return { ...ctx, now: new Date(this.t) };
  }

  /** ctx acting `minHours`–`maxHours` after the previous step. */
  next(ctx: Ctx, minHours = 2, maxHours = 30): Ctx {
    const wanted = this.t + (minHours + this.rng.next() * (maxHours - minHours)) * 3_600_000;
    this.t = Math.max(this.t + 60_000, Math.min(wanted, this.end));
    return { ...ctx, now: new Date(this.t) };
  }
}

interface Cast {
  reporter: Ctx;
  handler: Ctx;
  town: Ctx;
  /** Approves extensions and suspensions: the township for village and department cases, the county for the township's own. */
  above: Ctx;
  dept: Ctx | null;
  deptId: number | null;
  kind: 'village' | 'town' | 'dept';
}

/** Takes a reported case through the steps its fate names, as the people who would act. */
async function playCase(id: number, fate: Fate, times: StepTimes, c: Cast): Promise<void> {
  // A rating comes a day or more after the result; a reopening some days after the rating.
  const gap = (action: string): [number, number] => (action === 'rate' ? [20, 72] : action === 'reopen' ? [72, 160] : [2, 30]);
  const step = (ctx: Ctx, action: string, input: StepInput = {}) => stepCase(times.next(ctx, ...gap(action)), id, action, input);
  // Who rates: the reporter if a villager, else the village or township doing the revisit.
  const rater = c.reporter.actor.kind === 'villager' ? c.reporter : c.handler;
  if (fate === 'new') return;
  if (fate === 'escalated') {
    await step(c.handler, 'escalate', { comment: '涉及多个村民小组，村级协调不了，请镇里统筹处理' });
    return;
  }
  if (c.kind === 'dept' || fate === 'dispatched' || fate === 'dept_handling') {
    if (!c.deptId || !c.dept) return;
    await step(c.town, 'dispatch', { departmentId: c.deptId, comment: '属部门职责，请按时限办理并反馈' });
    if (fate === 'dispatched') return;
    await step(c.dept, 'accept');
    if (fate === 'dept_handling') return;
    await finish(step, fate, c.dept, c.above, rater);
    return;
  }
  await step(c.handler, 'accept');
  await finish(step, fate, c.handler, c.above, rater);
}

async function finish(step: (ctx: Ctx, action: string, input?: StepInput) => Promise<unknown>, fate: Fate, handler: Ctx, town: Ctx, rater: Ctx) {
  switch (fate) {
    case 'accepted':
    case 'dispatched':
    case 'dept_handling':
    case 'new':
    case 'escalated':
      return;
    case 'extension_asked':
      await step(handler, 'request_extension', { days: 5, comment: '需等待施工队进场，申请延期5个工作日' });
      return;
    case 'extended':
      await step(handler, 'request_extension', { days: 3, comment: '材料采购需要时间，申请延期3个工作日' });
      await step(town, 'approve_extension', { comment: '同意延期，请按新时限办结' });
      return;
    case 'suspended':
      await step(town, 'suspend', { comment: '涉及权属争议，待法院判决后再处理，暂予挂起' });
      return;
    case 'supervised':
      await step(town, 'supervise', { comment: '群众反映强烈，请于两个工作日内办结并反馈' });
      return;
  }
  await step(handler, 'resolve', { result: '已现场处理完毕，并向反映人说明了处理情况。' });
  if (fate === 'resolved') return;
  if (fate === 'rework') {
    await step(rater, 'rate', { rating: 2, comment: '问题没有彻底解决' });
    return;
  }
  await step(rater, 'rate', { rating: fate === 'reopened' ? 4 : 3 + (handler.actor.userId % 3), comment: '处理及时，满意' });
  if (fate === 'reopened') await step(rater.actor.kind === 'villager' ? rater : town, 'reopen', { comment: '过了几天问题又出现了，请再来看看' });
}

// ── Service orders (三单) ────────────────────────────────────────────────────────────────────

async function serviceOrderActivity(as: Record<string, Ctx>): Promise<number> {
  const villager = as.villager01;
  const branch = as.village01;
  const member = as.party01;
  if (!villager?.actor.householdId || !branch || !member) return 0;
  const memberRow = member.actor.residentId
    ? await member.db.selectFrom('party_members').select('id').where('resident_id', '=', member.actor.residentId).where('status', '=', 'active').executeTakeFirst()
    : undefined;
  const orders: { kind: string; title: string; description: string; upTo: 'requested' | 'assigned' | 'taken' | 'completed' | 'closed' }[] = [
    { kind: '助老助残', title: '帮老人代购降压药', description: '家里老人行动不便，请党员帮忙到镇卫生院代购降压药。', upTo: 'closed' },
    { kind: '农技帮扶', title: '柑橘树病虫害防治指导', description: '柑橘叶子发黄卷曲，想请懂农技的党员来看看。', upTo: 'completed' },
    { kind: '家电维修', title: '电视机没有信号', description: '机顶盒一直显示无信号，老人不会弄。', upTo: 'taken' },
    { kind: '政策咨询', title: '咨询新农合缴费', description: '想了解今年医保缴费标准和截止时间。', upTo: 'assigned' },
    { kind: '代办服务', title: '代办养老保险认证', description: '在外务工的儿子不在家，想请人帮忙办理养老保险资格认证。', upTo: 'requested' },
  ];
  let n = 0;
  for (const [i, o] of orders.entries()) {
    const r = await requestOrder(villager, { kind: o.kind, title: o.title, description: o.description, clientId: `demo-order-${i}` });
    n++;
    if (o.upTo === 'requested' || !memberRow) continue;
    await stepOrder(branch, r.id, 'assign', { memberId: memberRow.id, comment: '联户党员就近服务' });
    if (o.upTo === 'assigned') continue;
    await stepOrder(member, r.id, 'take', {});
    if (o.upTo === 'taken') continue;
    await stepOrder(member, r.id, 'complete', { result: '已上门服务，问题已解决。' });
    if (o.upTo === 'completed') continue;
    await stepOrder(villager, r.id, 'rate', { rating: 5, comment: '服务很贴心' });
  }
  return n;
}
