/**
 * Demo 村务公开 in village01 (江口村): town01 sets the village's sign-off chain (经办人 →
 * 村务监督委员会 → 乡镇农经站, three different demo accounts), village01 enters three months of
 * income and expenses laid in the past, every expense signed level by level by village01, eval01
 * and town01; eval01 confirms and publishes the two earlier months; the last month stays open
 * with two expenses waiting at eval01's step; town01 writes a quarterly audit note; village01
 * posts notices of each kind. All through the module's own services at past times (ctx.now).
 * Deterministic: the same day gives the same rows.
 */
import type { Ctx } from '../core/context.js';
import { auditQuarter, createEntry, createNotice, publishMonth, setChain, stepEntry } from '../modules/disclosure/service.js';
import { beijingDay } from '../core/calendar/index.js';

interface Place { id: number; path: string; name: string }

interface Line { day: number; kind: 'income' | 'expense'; category: string; amount: string; counterparty: string; purpose: string; pay: 'bank_transfer' | 'official_card' | 'corporate_transfer' }

const MONTH_LINES: Line[][] = [
  [
    { day: 3, kind: 'income', category: '上级补助', amount: '50000.00', counterparty: '镇财政所', purpose: '村级组织运转经费（第一季度）', pay: 'bank_transfer' },
    { day: 6, kind: 'expense', category: '办公经费', amount: '1286.50', counterparty: '县城文具店', purpose: '村委会办公用品、打印耗材', pay: 'official_card' },
    { day: 12, kind: 'expense', category: '工程款', amount: '18600.00', counterparty: '江口建筑队', purpose: '二组便民桥护栏维修（验收合格）', pay: 'corporate_transfer' },
    { day: 18, kind: 'income', category: '集体经营收入', amount: '8400.00', counterparty: '茶叶合作社', purpose: '集体茶园承包费（上半年）', pay: 'bank_transfer' },
    { day: 24, kind: 'expense', category: '惠民资金', amount: '3200.00', counterparty: '困难户（4 户）', purpose: '临时救助金发放，每户 800 元', pay: 'bank_transfer' },
  ],
  [
    { day: 4, kind: 'income', category: '集体经营收入', amount: '2650.35', counterparty: '村光伏电站', purpose: '光伏发电收益', pay: 'bank_transfer' },
    { day: 9, kind: 'expense', category: '办公经费', amount: '460.00', counterparty: '县电信公司', purpose: '村委会宽带、电话费', pay: 'corporate_transfer' },
    { day: 15, kind: 'expense', category: '工程款', amount: '12800.00', counterparty: '江口建筑队', purpose: '村道排水沟清淤', pay: 'corporate_transfer' },
    { day: 22, kind: 'expense', category: '其他', amount: '980.00', counterparty: '镇卫生院', purpose: '老年人健康体检车辆租用', pay: 'official_card' },
  ],
  [
    { day: 2, kind: 'income', category: '上级补助', amount: '20000.00', counterparty: '县农业农村局', purpose: '人居环境整治奖补资金', pay: 'bank_transfer' },
    { day: 8, kind: 'expense', category: '工程款', amount: '15300.00', counterparty: '江口环卫队', purpose: '垃圾收集点改造', pay: 'corporate_transfer' },
    { day: 14, kind: 'expense', category: '办公经费', amount: '356.80', counterparty: '县城文具店', purpose: '公开栏展板制作', pay: 'official_card' },
    { day: 19, kind: 'expense', category: '惠民资金', amount: '2400.00', counterparty: '高龄老人（6 人）', purpose: '重阳节慰问金', pay: 'bank_transfer' },
    { day: 21, kind: 'expense', category: '其他', amount: '620.00', counterparty: '村民小组长（5 人）', purpose: '误工补贴', pay: 'bank_transfer' },
  ],
];

const at = (day: string, hour: number) => new Date(`${day}T${String(hour - 8).padStart(2, '0')}:00:00Z`); // Beijing hour → UTC
function monthsBack(today: string, n: number): string {
  let [y, m] = today.slice(0, 7).split('-').map(Number) as [number, number];
  m -= n;
  while (m < 1) { m += 12; y--; }
  return `${y}-${String(m).padStart(2, '0')}`;
}
const nextMonthOf = (m: string) => monthsBack(`${m}-01`, -1);

/** Lays down the demo 村务公开; returns how many rows it made (entries + notices). */
export async function disclosureActivity(as: Record<string, Ctx>, town: Place, v1: Place, log: (m: string) => void = () => {}): Promise<number> {
  const cadre = as.village01;
  const evaluator = as.eval01;
  const township = as.town01;
  if (!cadre || !evaluator || !township) return 0;
  void town;
  const today = beijingDay(new Date());
  const months = [monthsBack(today, 3), monthsBack(today, 2), monthsBack(today, 1)];
  await setChain({ ...township, now: at(`${months[0]}-01`, 9) }, {
    villageId: v1.id,
    steps: [{ label: '经办人', role: 'village_cadre' }, { label: '村务监督委员会审核', role: 'evaluation_group' }, { label: '乡镇农经站审核', role: 'township_cadre' }],
  });

  let entries = 0;
  let waiting = 0;
  for (const [mi, month] of months.entries()) {
    for (const [li, l] of MONTH_LINES[mi]!.entries()) {
      const day = `${month}-${String(l.day).padStart(2, '0')}`;
      const e = await createEntry({ ...cadre, now: at(day, 9) }, {
        villageId: v1.id, entryDate: day, kind: l.kind, category: l.category, amount: l.amount, counterparty: l.counterparty, purpose: l.purpose,
        voucherNo: `记-${month.replace('-', '')}-${String(li + 1).padStart(3, '0')}`, payMethod: l.pay,
      });
      entries++;
      if (l.kind === 'income') continue;
      await stepEntry({ ...cadre, now: at(day, 10) }, e.id, 'sign', { comment: '情况属实，票据齐全' });
      // the last month's final two expenses wait at the supervision committee (eval01)
      if (mi === 2 && li >= MONTH_LINES[2]!.length - 2) {
        waiting++;
        continue;
      }
      await stepEntry({ ...evaluator, now: at(day, 15) }, e.id, 'sign', { comment: '经审核，开支合理' });
      await stepEntry({ ...township, now: at(day, 17) }, e.id, 'sign', { comment: '同意入账' });
    }
    if (mi < 2) {
      await publishMonth({ ...evaluator, now: at(`${nextMonthOf(month)}-03`, 10) }, v1.id, month, { note: '经村务监督委员会逐笔核对，账实相符' });
    }
  }
  const q = Math.ceil(Number(months[0]!.slice(5)) / 3);
  await auditQuarter({ ...township, now: at(`${months[1]}-10`, 10) }, v1.id, { year: Number(months[0]!.slice(0, 4)), quarter: q, opinion: '票据齐全、审签完整，无现金收付；建议工程款附验收单原件' });

  const notices = [
    { kind: 'finance' as const, title: `${months[1]} 财务公开`, body: `本月收支明细已经村务监督委员会审核，在“村务公开 · 财务公开”中可查看。对账目有疑问的村民可向村务监督委员会反映。`, from: `${nextMonthOf(months[1]!)}-03` },
    { kind: 'village' as const, title: '垃圾收集点改造工程公示', body: '工程内容：改造垃圾收集点 6 处。施工单位：江口环卫队。工程款 15300 元，经村民代表会议决议。监督电话见公开栏。', from: `${months[2]}-08` },
    { kind: 'party' as const, title: '发展党员公示', body: '经支部大会讨论，拟将 1 名入党积极分子列为发展对象，公示期 5 天，对公示对象有意见的请向村党支部反映。', from: `${months[2]}-20` },
    { kind: 'policy' as const, title: '城乡居民医保缴费提醒', body: '明年度城乡居民医疗保险开始缴费，个人缴费标准以县医保局公告为准，可通过手机或到村便民服务点缴纳。', from: `${months[2]}-25` },
  ];
  for (const n of notices) {
    await createNotice({ ...cadre, now: at(n.from, 9) }, { villageId: v1.id, kind: n.kind, title: n.title, body: n.body, publishFrom: n.from, publishTo: null });
  }
  log(`演示村务公开：收支 ${entries} 笔（${waiting} 笔待村务监督委员会审签），已公示 2 个月，公告 ${notices.length} 条`);
  return entries + notices.length;
}
