/**
 * Demo deliberation (议事协商, 四议两公开) in village01's village: topics standing at every stage,
 * acted by village01 through the module's own services, each step after the one before and every
 * meeting announced at least 3 days before it was held (Ctx.now lays them in the past). One
 * villagers' meeting has an open household vote running, which villager01 can cast on the phone;
 * town01 has left a guidance note and eval01 (村务监督委员会) an objection on one topic.
 * Deterministic: the same county gives the same topics.
 */
import type { Ctx } from '../core/context.js';
import { addRemark, createMeeting, createTopic, recordCounts, stepTopic } from '../modules/deliberation/service.js';
import type { TopicCategory, ProposerKind } from '../modules/deliberation/tables.js';

interface Place { id: number; path: string; name: string }

type Fate = 'proposed' | 'branch_proposed' | 'committees_discussed' | 'open_vote' | 'resolved' | 'rejected' | 'resolution_published' | 'implementing' | 'done';

interface Plan { fate: Fate; daysAgo: number; title: string; content: string; category: TopicCategory; proposer: ProposerKind; signatures?: number; amount?: number; resolution?: string; result?: string }

const PLANS: Plan[] = [
  { fate: 'proposed', daysAgo: 1, title: '三组至五组通组公路硬化', content: '三组至五组通组公路约 1.2 公里为泥结石路面，雨天泥泞，群众联名要求硬化', category: 'project', proposer: 'villagers', signatures: 36, amount: 420000 },
  { fate: 'branch_proposed', daysAgo: 3, title: '村集体闲置校舍出租', content: '原村小学校舍闲置多年，拟公开出租用于农产品加工，租期五年', category: 'assets', proposer: 'branch', amount: 30000 },
  { fate: 'committees_discussed', daysAgo: 7, title: '2026 年度临时救助对象评议', content: '对申请临时救助的 6 户进行评议，确定救助对象与金额', category: 'funds', proposer: 'committee', amount: 18000 },
  { fate: 'open_vote', daysAgo: 15, title: '修订村规民约（移风易俗、红白喜事简办）', content: '拟在村规民约中增加红白喜事简办、禁止燃放大型烟花、宴席不超过 15 桌等条款，请各户投票', category: 'rules', proposer: 'branch' },
  { fate: 'resolved', daysAgo: 16, title: '村级光伏电站收益分配方案', content: '村级光伏电站年收益约 8 万元，拟按公益岗位 50%、村集体积累 30%、困难户帮扶 20% 分配', category: 'funds', proposer: 'committee', amount: 80000, resolution: '同意光伏电站收益按 5:3:2 分配，公益岗位人员由村民小组推荐' },
  { fate: 'rejected', daysAgo: 18, title: '出售村集体林地林木', content: '有企业提出收购村集体 200 亩林地的林木', category: 'assets', proposer: 'committee', amount: 600000 },
  { fate: 'resolution_published', daysAgo: 24, title: '村部前广场照明改造', content: '村部前广场照明不足，拟安装太阳能路灯 20 盏', category: 'project', proposer: 'villagers', signatures: 28, amount: 60000,
    resolution: '同意安装太阳能路灯 20 盏，由村民代表监督采购' },
  { fate: 'implementing', daysAgo: 34, title: '集体鱼塘公开发包', content: '集体鱼塘承包期满，拟公开竞价发包，期限五年', category: 'assets', proposer: 'branch', amount: 50000, resolution: '同意鱼塘公开竞价发包，期限五年，底价每年一万元' },
  { fate: 'done', daysAgo: 70, title: '饮水安全巩固提升工程', content: '更换二组、四组老旧供水管网 3 公里，新建蓄水池一座', category: 'project', proposer: 'branch', amount: 260000,
    resolution: '同意实施饮水安全巩固提升工程，项目资金由县水利局补助、村集体配套', result: '工程已于 10 月完工并通过验收，实际支出 24.6 万元，二组、四组 126 户全部通上稳定自来水' },
];

const H = 3_600_000;
const D = 24 * H;

/** Seeds the demo topics; returns how many. Runs inside the load's transaction. */
export async function deliberationActivity(as: Record<string, Ctx>, _town: Place, v1: Place, log: (m: string) => void = () => {}): Promise<number> {
  const cadre = as.village01;
  if (!cadre) return 0;
  const loadedAt = Date.now();
  let made = 0;
  for (const [i, p] of PLANS.entries()) {
    let t = loadedAt - p.daysAgo * D + i * H;
    const at = (hours: number): Ctx => {
      t += hours * H;
      if (t > loadedAt) throw new Error(`deliberation demo: step of ${p.title} would be in the future`);
      return { ...cadre, now: new Date(t) };
    };
    const topic = await createTopic(at(0), { regionId: v1.id, title: p.title, content: p.content, category: p.category, proposerKind: p.proposer, signatures: p.signatures, amount: p.amount ?? null });
    made++;
    const id = topic.id;
    /** A meeting announced now, held 3 days and a few hours later, its counts recorded after it. */
    const meet = async (kind: 'committees' | 'members' | 'representatives', expected: number, c: { present: number; for: number; against: number; abstain: number }) => {
      const ctx = at(1);
      const held = new Date(t + 3 * D + 2 * H);
      const m = await createMeeting(ctx, id, { kind, heldAt: held.toISOString(), place: kind === 'members' ? `${v1.name}党员活动室` : `${v1.name}村委会会议室`, expected });
      at(3 * 24 + 4);
      await recordCounts({ ...cadre, now: new Date(t) }, m.id, c);
      return m.id;
    };
    if (p.fate === 'proposed') continue;
    await stepTopic(at(5), id, 'branch_propose', { opinion: '经村党支部委员会研究，同意提交两委会商议' });
    if (p.fate === 'branch_proposed') continue;
    const cm = await meet('committees', 9, { present: 8, for: 8, against: 0, abstain: 0 });
    await stepTopic(at(1), id, 'committee_discuss', { meetingId: cm, record: '两委成员逐项讨论了方案内容、资金来源和实施方式', opinion: '同意提交党员大会审议' });
    if (p.fate === 'committees_discussed') continue;
    if (p.fate === 'rejected') {
      const mm = await meet('members', 32, { present: 22, for: 9, against: 11, abstain: 2 });
      await stepTopic(at(1), id, 'members_review', { meetingId: mm, comment: '多数党员认为出售林木不利于生态保护和长远收益' });
      await addRemark({ ...(as.eval01 ?? cadre), now: new Date(t + H) }, id, { kind: 'objection', text: '林木评估价格未经第三方评估，出售程序不完备' }).catch(() => undefined);
      continue;
    }
    const mm = await meet('members', 32, { present: 27, for: 25, against: 1, abstain: 1 });
    await stepTopic(at(1), id, 'members_review', { meetingId: mm, comment: '党员大会审议通过' });
    if (p.fate === 'open_vote') {
      // A villagers' meeting voting household by household on the phone, still open now.
      const ctx = at(2);
      await createMeeting(ctx, id, { kind: 'villagers', voteMode: 'open', heldAt: new Date(t + 3 * D + 2 * H).toISOString(), place: '线上（手机按户投票）', voteClosesAt: new Date(loadedAt + 5 * D).toISOString() });
      if (as.town01) await addRemark({ ...as.town01, now: new Date(t + H) }, id, { kind: 'guide', text: '村规民约条款须符合法律法规，请在表决前报镇司法所审查' }).catch(() => undefined);
      continue;
    }
    const rm = await meet('representatives', 27, { present: 23, for: 21, against: 1, abstain: 1 });
    await stepTopic(at(1), id, 'resolve', { meetingId: rm, resolutionText: p.resolution ?? '同意' });
    if (p.fate === 'resolved') continue;
    const from = new Date(t + 3 * H);
    await stepTopic(at(3), id, 'publish', {
      noticeText: `经村民代表会议表决通过：${p.resolution}。现予公示。`, noticeFrom: from.toISOString().slice(0, 10), noticeTo: new Date(from.getTime() + 7 * D).toISOString().slice(0, 10),
    });
    if (p.fate === 'resolution_published') continue;
    await stepTopic(at(8 * 24), id, 'implement', { comment: '公示期满无异议，组织实施' });
    if (p.fate === 'implementing') continue;
    await stepTopic(at(30 * 24), id, 'complete', { result: p.result ?? '已实施完毕' });
  }
  log(`演示议事数据：议题 ${made} 项（江口村，四议两公开各环节；一项村民会议网上表决进行中）`);
  return made;
}
