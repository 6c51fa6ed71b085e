/**
 * Demo mediation (矛盾纠纷调解) in village01 and its township: a dozen and more disputes standing in
 * every state of the eight steps, acted by the demo accounts through the module's own services —
 * villager01 applies on the phone choosing mediator01, village01 accepts and assigns, mediator01
 * investigates, informs, mediates, records agreements or failures, follows up and archives, town01
 * takes a township-level dispute. Each dispute starts days or weeks before the load and each step
 * follows the one before (Ctx.now), so one open dispute is already past its 30-day limit and one
 * agreement's follow-up is due: the first job run marks them, as it would have on the day.
 * Deterministic: no randomness; the same county gives the same disputes.
 */
import type { Ctx } from '../core/context.js';
import type { DisputeType } from '../db/types.js';
import { applyForMediation, registerDispute, setProfile, stepDispute } from '../modules/mediation/service.js';
import type { StepInput } from '../modules/mediation/process.js';

interface Place {
  id: number;
  path: string;
  name: string;
}

type Fate = 'applied' | 'rejected' | 'accepted' | 'assigned' | 'investigated' | 'informed' | 'mediating' | 'overdue' | 'agreed' | 'failed' | 'followed_up' | 'archived' | 'archived_failed';

interface Plan {
  fate: Fate;
  daysAgo: number;
  type: DisputeType;
  summary: string;
  claim: string;
  amount?: number;
  byVillager?: boolean;
  township?: boolean;
}

const PLANS: Plan[] = [
  { fate: 'applied', daysAgo: 1, type: 'neighbour', summary: '邻居在两家交界处堆放柴火，挡住我家出入的小路，多次说了不搬', claim: '把柴火移走，留出通道', byVillager: true },
  { fate: 'applied', daysAgo: 2, type: 'labour_pay', summary: '在村里修水渠做了 20 天小工，包工头一直拖着不给工钱', claim: '结清工钱 3600 元', amount: 3600 },
  { fate: 'rejected', daysAgo: 12, type: 'contract_debt', summary: '借款纠纷，对方已向法院起诉', claim: '调解还款' },
  { fate: 'accepted', daysAgo: 3, type: 'homestead', summary: '翻建房屋时与邻居对宅基地界址有争议', claim: '按原界址建房' },
  { fate: 'assigned', daysAgo: 5, type: 'marriage_family', summary: '三个子女对老人赡养费分摊有分歧，老人无人照料', claim: '子女按月支付赡养费、轮流照料', byVillager: true },
  { fate: 'investigated', daysAgo: 8, type: 'damages', summary: '邻居家的牛吃了我家两分地的秧苗', claim: '赔偿秧苗损失 800 元', amount: 800 },
  { fate: 'informed', daysAgo: 10, type: 'land_forest', summary: '两个组对一片山林的界线说法不一，林木采伐受阻', claim: '明确山林界线', township: true },
  { fate: 'mediating', daysAgo: 14, type: 'neighbour', summary: '楼上邻居屋顶排水直接落到我家院子，下雨就积水', claim: '改造排水管，不再往我家排水' },
  { fate: 'overdue', daysAgo: 36, type: 'contract_debt', summary: '合伙养鱼散伙后，对投入和分成算不清账', claim: '按投入比例分配鱼塘收益', amount: 12000 },
  { fate: 'agreed', daysAgo: 24, type: 'neighbour', summary: '两家共用的水井，一家私自加装水泵抽水，另一家吃水困难', claim: '拆除水泵或错时用水', byVillager: true },
  { fate: 'failed', daysAgo: 30, type: 'damages', summary: '摩托车与三轮车相撞，对医药费承担分歧大', claim: '赔偿医药费、误工费 1.5 万元', amount: 15000 },
  { fate: 'followed_up', daysAgo: 45, type: 'marriage_family', summary: '婆媳矛盾，儿子外出务工，老人搬出独居', claim: '老人回家居住，家庭和睦' },
  { fate: 'archived', daysAgo: 80, type: 'homestead', summary: '兄弟分家对老宅的宅基地分割有争议', claim: '按分家协议分割', township: false },
  { fate: 'archived_failed', daysAgo: 70, type: 'labour_pay', summary: '在外地务工受伤，与老板就工伤赔偿协商不成', claim: '赔偿工伤损失', amount: 40000 },
];

/** Seeds the demo disputes; returns how many. Runs inside the load's transaction. */
export async function mediationActivity(as: Record<string, Ctx>, town: Place, v1: Place, log: (m: string) => void = () => {}): Promise<number> {
  const villager = as.villager01;
  const cadre = as.village01;
  const mediator = as.mediator01;
  const township = as.town01;
  if (!villager || !cadre || !mediator || !township) return 0;
  const db = cadre.db;
  const loadedAt = Date.now();
  const names = (await db.selectFrom('residents').select('name').where('region_path', 'like', `${v1.path}%`).where('relation', '=', '户主').orderBy('id').limit(40).execute()).map((r) => r.name);
  const who = (i: number) => names[i % Math.max(1, names.length)] ?? `村民${i}`;

  await setProfile({ ...cadre, now: new Date(loadedAt - 90 * 86_400_000) }, mediator.actor.userId, {
    specialties: ['neighbour', 'marriage_family', 'homestead'], intro: '村人民调解委员会调解员，熟悉本村情况，调解邻里、婚姻家庭和宅基地纠纷多年',
  });

  let made = 0;
  for (const [i, p] of PLANS.entries()) {
    let t = loadedAt - p.daysAgo * 86_400_000;
    const end = loadedAt - 3_600_000;
    /** The next step 2–30 hours after the previous one (fixed by position), never after the load. */
    const at = (ctx: Ctx, hours = 6 + ((i * 7) % 24)): Ctx => {
      t = Math.min(t + hours * 3_600_000, end);
      return { ...ctx, now: new Date(t) };
    };
    const manager = p.township ? township : cadre;
    const created = p.byVillager
      ? await applyForMediation({ ...villager, now: new Date(t) }, {
        type: p.type, summary: p.summary, claim: p.claim, amount: p.amount ?? null, otherParty: { name: who(i + 3) }, preferredMediatorId: mediator.actor.userId,
      })
      : await registerDispute({ ...manager, now: new Date(t) }, {
        regionId: v1.id, level: p.township ? 'township' : 'village', type: p.type, summary: p.summary, claim: p.claim, amount: p.amount ?? null,
        source: i % 3 === 0 ? 'hotline' : i % 3 === 1 ? 'walk_in' : 'visit',
        parties: [{ side: 'applicant', name: who(i) }, { side: 'respondent', name: who(i + 11) }, ...(p.fate === 'failed' ? [{ side: 'third' as const, name: who(i + 17) }] : [])],
      });
    made++;
    const id = created.id;
    const step = (ctx: Ctx, action: string, input: StepInput = {}, hours?: number) => stepDispute(at(ctx, hours), id, action, input);
    if (p.fate === 'applied') continue;
    if (p.fate === 'rejected') {
      await step(manager, 'reject', { reason: '该纠纷已进入诉讼程序，依法不再受理调解，已告知当事人' });
      continue;
    }
    await step(manager, 'accept', { comment: '属人民调解受理范围，予以受理' }, 2);
    if (p.fate === 'accepted') continue;
    await step(manager, 'assign', { mediatorUserId: mediator.actor.userId, comment: p.byVillager ? '按当事人选择确定调解员' : '指定本村调解员' }, 3);
    if (p.fate === 'assigned') continue;
    await step(mediator, 'investigate', { findings: `走访双方及知情村民，查看现场。${p.summary.slice(0, 20)}情况属实，双方分歧主要在${p.claim.slice(0, 12)}。` }, 20);
    if (p.fate === 'investigated') continue;
    const sessionAt = new Date(Math.min(t + 2 * 86_400_000, end));
    await step(mediator, 'inform', { rightsTold: true, sessionAt: sessionAt.toISOString(), sessionPlace: `${v1.name}人民调解室` }, 4);
    if (p.fate === 'informed') continue;
    await step(mediator, 'mediate', { place: `${v1.name}人民调解室`, attendees: '双方当事人、村民小组长', record: '双方各自陈述，调解员释法说理，双方同意各让一步，约定再次协商' }, 44);
    if (p.fate === 'mediating' || p.fate === 'overdue') continue;
    if (p.fate === 'failed' || p.fate === 'archived_failed') {
      await step(mediator, 'mediate', { place: `${v1.name}人民调解室`, record: '双方对赔偿数额分歧仍大，未能达成一致' }, 48);
      await step(mediator, 'fail', { referral: 'court', reason: '双方对赔偿数额分歧大，经两次调解未果，引导申请人通过诉调对接向法院起诉' }, 3);
      if (p.fate === 'archived_failed') await step(mediator, 'archive', { dossierNo: `${v1.name.slice(0, 2)}调〔${new Date(t).getUTCFullYear()}〕${i + 1}号` }, 30);
      continue;
    }
    const parties = await db.selectFrom('dispute_parties').select(['id', 'side']).where('dispute_id', '=', id).execute();
    await step(mediator, 'agree', {
      agreementText: '经村人民调解委员会调解，双方自愿达成如下协议：',
      terms: [`被申请人同意${p.claim}`, '双方今后和睦相处，不再因此事发生争执', '本协议履行完毕后，双方就此纠纷再无其他争议'],
      signedPartyIds: parties.filter((x) => x.side !== 'third').map((x) => x.id),
    }, 3);
    if (p.fate === 'agreed') continue;
    await step(mediator, 'follow_up', { performed: 'performed', note: '回访双方，协议已履行，关系缓和' }, 15 * 24);
    if (p.fate === 'followed_up') continue;
    await step(mediator, 'archive', { dossierNo: `${v1.name.slice(0, 2)}调〔${new Date(t).getUTCFullYear()}〕${i + 1}号` }, 48);
  }
  log(`演示调解数据：矛盾纠纷 ${made} 件（${town.name}${v1.name}）`);
  return made;
}
