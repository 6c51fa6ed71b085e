/** TypeBox schemas of 村务公开 (disclosure): requests in, responses out. Amounts are strings 'yuan.fen' (numbers are coerced), never floats. */
import { Type, type Static, type TSchema } from 'typebox';
import { CATEGORIES } from './process.js';

const o = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([Type.Null(), t]);
const L = Type.Literal;
const Id = Type.Integer({ minimum: 1 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD（北京时间）' });
export const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const Amount = Type.String({ minLength: 1, maxLength: 20, description: '金额（元），大于 0，最多两位小数，如 "1234.50"' });
const Kind = Type.Union([L('income'), L('expense')], { description: 'income 收入，expense 支出' });
const NoticeKind = Type.Union([L('party'), L('village'), L('finance'), L('policy')], { description: 'party 党务公开，village 村务公开，finance 财务公开，policy 惠民政策' });
const State = Type.Union([L('signing'), L('returned'), L('posted')]);

export const IdParam = Type.Object({ id: Id });
export const VillageParam = Type.Object({ villageId: Id });
export const MonthParams = Type.Object({ villageId: Id, month: Month });
export const MyMonthParams = Type.Object({ month: Month });
export const StepParams = Type.Object({ id: Id, action: Type.Union([L('sign'), L('return'), L('resubmit')]) });

export const EntryBody = Type.Object({
  villageId: Id,
  entryDate: Day,
  kind: Kind,
  category: Type.String({ minLength: 1, maxLength: 20, description: `类别：${CATEGORIES.join('、')}` }),
  amount: Amount,
  counterparty: Type.String({ minLength: 1, maxLength: 100, description: '收款人/付款人' }),
  purpose: Type.String({ minLength: 1, maxLength: 500, description: '用途/事由' }),
  voucherNo: Type.String({ minLength: 1, maxLength: 40, description: '凭证号' }),
  payMethod: Type.String({ minLength: 1, maxLength: 30, description: 'bank_transfer 银行转账，official_card 公务卡，corporate_transfer 对公转账（不收付现金）' }),
  attachments: Type.Optional(Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), url: Type.Optional(Type.String({ maxLength: 500 })) }, o), { maxItems: 20 })),
}, o);

export const StepBody = Type.Object({
  comment: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])),
  amount: Type.Optional(Amount),
  purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  voucherNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
}, o);

export const ReverseBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, o);

export const ListQuery = Type.Object({
  villageId: Type.Optional(Id), state: Type.Optional(State), kind: Type.Optional(Kind), period: Type.Optional(Month),
  pending: Type.Optional(Type.Boolean({ description: '只看待我审签的' })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}, o);

export const ChainQuery = Type.Object({ villageId: Type.Optional(Id) }, o);
export const ChainBody = Type.Object({
  villageId: Type.Optional(Type.Union([Type.Null(), Id], { description: '不填为全县默认' })),
  steps: Type.Array(Type.Object({ label: Type.String({ minLength: 1, maxLength: 30 }), role: Type.String({ minLength: 1, maxLength: 40 }) }, o), { minItems: 1, maxItems: 8 }),
}, o);

export const PublishBody = Type.Object({ note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])) }, o);
export const AuditBody = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }), quarter: Type.Integer({ minimum: 1, maximum: 4 }), opinion: Type.String({ minLength: 1, maxLength: 2000 }) }, o);
export const CloseBody = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }, o);
export const OverviewQuery = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }, o);

export const NoticeBody = Type.Object({
  villageId: Id, kind: NoticeKind,
  title: Type.String({ minLength: 1, maxLength: 100 }), body: Type.String({ minLength: 1, maxLength: 10000 }),
  publishFrom: Day, publishTo: Type.Optional(Type.Union([Type.Null(), Day])),
}, o);
export const NoticeQuery = Type.Object({
  villageId: Type.Optional(Id), kind: Type.Optional(NoticeKind),
  cursor: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}, o);
export const MyNoticeQuery = Type.Object({
  kind: Type.Optional(NoticeKind), cursor: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}, o);

// ── responses (every field the service returns: the serializer drops what is not listed) ──

const Int = Type.Integer();
const Str = Type.String();
const Bool = Type.Boolean();
const NStr = Nullable(Str);
const NInt = Nullable(Int);
const Money = Type.String({ description: '金额（元），两位小数，如 "1234.50"；冲销为负' });
const NMoney = Nullable(Money);
const Action = Type.Object({ action: Str, label: Str });

export const EntryStep = Type.Object({
  index: Int, label: Str, role: Str, level: Type.String({ description: 'village 村级，township 乡镇' }),
  status: Type.String({ description: 'finish 已审签，process 待审签，error 退回，wait 未到' }),
  by: NStr, at: NStr, comment: NStr,
});

export const EntryItem = Type.Object({
  id: Int, villageId: Int, villageName: Str, entryDate: Str, kind: Str, kindLabel: Str, category: Str,
  amount: Money, amountFen: Type.Integer({ description: '金额（分）' }), counterparty: Str, purpose: Str, voucherNo: Str,
  payMethod: Str, payMethodLabel: Str, attachments: Type.Array(Type.Object({ name: Str, url: Type.Optional(Str) })),
  state: Str, stateLabel: Str, period: Nullable(Type.String({ description: '计入的月份 YYYY-MM（入账后）' })), reversesId: NInt, reversedById: NInt,
  round: Int, currentStep: Int, createdByName: Str, createdAt: Str, postedAt: NStr,
  steps: Type.Array(EntryStep), canSign: Bool,
});
export type EntryItem = Static<typeof EntryItem>;

export const EntryDetail = Type.Object({
  ...EntryItem.properties,
  signoffs: Type.Array(Type.Object({ round: Int, stepIndex: Int, label: Str, action: Str, by: Str, comment: NStr, at: Str })),
  history: Type.Array(Type.Object({
    id: Int, action: Str, from: NStr, to: Str, actorId: NInt, actorName: Str, comment: NStr,
    attachments: Type.Array(Type.Unknown()), data: Type.Record(Type.String(), Type.Unknown()), at: Str,
  })),
  actions: Type.Array(Action),
});
export type EntryDetail = Static<typeof EntryDetail>;
/** A sign-off step answers the entry as it now stands, or null when the caller can no longer see it. */
export const StepResult = Nullable(EntryDetail);

export const Villages = Type.Object({ items: Type.Array(Type.Object({ id: Int, name: Str, townshipName: Str })) });

export const Chain = Type.Object({
  villageId: NInt,
  steps: Type.Array(Type.Object({ label: Str, role: Str, level: Str })),
  source: Type.String({ description: 'village 本村设置，county 全县默认，builtin 系统默认' }),
  updatedBy: NStr, updatedAt: NStr,
  roles: Type.Array(Type.Object({ key: Str, name: Str, level: Str })),
});

export const MonthList = Type.Object({
  villageId: Int, villageName: Str,
  items: Type.Array(Type.Object({ month: Str, published: Bool, publishedBy: NStr, publishedAt: NStr, income: NMoney, expense: NMoney, closing: NMoney })),
});

const CategoryRow = Type.Object({ kind: Str, category: Str, fen: Int, count: Int, kindLabel: Str, amount: Money });
const MonthEntry = Type.Object({
  id: Int, entryDate: Str, kind: Str, kindLabel: Str, category: Str, amount: Money, amountFen: Int, counterparty: Str, purpose: Str, voucherNo: Str,
  payMethodLabel: Str, reversesId: NInt,
});
export const MonthView = Type.Object({
  villageId: Int, villageName: Str, month: Str, published: Bool, publishedBy: NStr, publishedAt: NStr, note: NStr,
  opening: Money, income: Money, expense: Money, closing: Money,
  openingFen: Int, incomeFen: Int, expenseFen: Int, closingFen: Int, entryCount: Int,
  byCategory: Type.Array(CategoryRow), entries: Type.Array(MonthEntry),
});
export type MonthView = Static<typeof MonthView>;
export const StaffMonthView = Type.Object({
  ...MonthView.properties,
  pendingCount: Int, canPublish: Bool, canAudit: Bool,
  audits: Type.Array(Type.Object({ year: Int, quarter: Int, opinion: Str, by: Str, at: Str })),
  yearClosed: Nullable(Type.Object({ by: Str, at: Str, closing: Money })),
});
export type StaffMonthView = Static<typeof StaffMonthView>;

export const AuditResult = Type.Object({ villageId: Int, year: Int, quarter: Int, opinion: Str, by: Str });
export const CloseResult = Type.Object({ villageId: Int, year: Int, closing: Money, by: Str });

export const Overview = Type.Object({
  year: Int,
  items: Type.Array(Type.Object({
    villageId: Int, villageName: Str, townshipName: Str, income: Money, expense: Money,
    waiting: Type.Integer({ description: '未入账（审签中、退回）的笔数' }), monthsPublished: Int, lastPublished: NStr,
  })),
});

export const Notice = Type.Object({
  id: Int, villageId: Int, villageName: Str, kind: Str, kindLabel: Str, title: Str, body: Str, publishFrom: Str, publishTo: NStr, createdByName: Str, createdAt: Str,
});
export type Notice = Static<typeof Notice>;

export const MyMonths = Type.Object({
  villageId: Int, villageName: Str,
  items: Type.Array(Type.Object({ month: Str, income: Money, expense: Money, closing: Money, publishedAt: Str })),
});
export type MyMonths = Static<typeof MyMonths>;
