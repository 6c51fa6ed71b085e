/** TypeBox schemas of 村务公开 (disclosure): requests in. Amounts are strings 'yuan.fen' (numbers are coerced), never floats. */
import { Type } from 'typebox';
import { CATEGORIES } from './process.js';

const o = { additionalProperties: false } as const;
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
