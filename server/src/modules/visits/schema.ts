/** TypeBox schemas of the visits (走访) module: requests in, responses out. */
import { Type, type Static, type TSchema } from 'typebox';

const o = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD（北京时间）' });
const Id = Type.Integer({ minimum: 1 });

export const IdParam = Type.Object({ id: Id });
export const OpinionParams = Type.Object({ id: Id, opinionId: Id });

export const OpinionKind = Type.Union([Type.Literal('need'), Type.Literal('opinion')], { description: 'need 需求 / opinion 意见建议' });

export const VisitBody = Type.Object({
  householdId: Id,
  visitedOn: Day,
  met: Type.String({ minLength: 1, maxLength: 60, description: '见到的人，如：户主本人、配偶' }),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
  followUpOn: Type.Optional(Nullable(Day)),
  opinions: Type.Optional(Type.Array(Type.Object({ kind: OpinionKind, content: Type.String({ minLength: 1, maxLength: 1000 }) }, o), { maxItems: 20 })),
  clientId: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
}, o);
export type VisitBody = Static<typeof VisitBody>;

export const ToCaseBody = Type.Object({
  categoryId: Id,
  title: Type.Optional(Type.String({ maxLength: 60 })),
}, o);
export type ToCaseBody = Static<typeof ToCaseBody>;

export const VisitListQuery = Type.Object({
  householdId: Type.Optional(Id),
  regionId: Type.Optional(Id),
  gridId: Type.Optional(Id),
  visitorId: Type.Optional(Id),
  mine: Type.Optional(Type.Boolean({ description: '只看我登记的走访' })),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  withOpinions: Type.Optional(Type.Boolean({ description: '只看收集到需求或意见的走访' })),
  followUpDue: Type.Optional(Type.Boolean({ description: '只看回访日期已到、此后还没有再走访的' })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}, o);
export type VisitListQuery = Static<typeof VisitListQuery>;

export const CoverageQuery = Type.Object({
  regionId: Type.Optional(Id),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
}, o);

export const UnvisitedQuery = Type.Object({
  regionId: Type.Optional(Id),
  gridId: Type.Optional(Id),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}, o);

const CaseRef = Type.Object({
  id: Type.Integer(), code: Type.String(),
  state: Nullable(Type.String({ description: '调用者看不到该事件时为 null' })), stateLabel: Nullable(Type.String()),
});

export const Opinion = Type.Object({
  id: Type.Integer(), seq: Type.Integer(), kind: Type.String(), content: Type.String(),
  case: Nullable(CaseRef), convertedAt: Nullable(Type.String()),
});

export const VisitItem = Type.Object({
  id: Type.Integer(), householdId: Type.Integer(), householderName: Type.String(), householdCode: Type.String(),
  villageId: Type.Integer(), villageName: Type.String(), gridId: Nullable(Type.Integer()),
  visitorId: Type.Integer(), visitorName: Type.String(), visitedOn: Type.String(), met: Type.String(), notes: Type.String(),
  followUpOn: Nullable(Type.String()), createdAt: Type.String(),
  opinions: Type.Array(Opinion),
});

export const VisitDetail = Type.Object({
  ...VisitItem.properties,
  replayed: Type.Optional(Type.Boolean()),
  can: Type.Object({ convert: Type.Boolean() }),
});

export const ToCaseResult = Type.Object({ opinion: Opinion, replayed: Type.Boolean() });

export const CoverageRow = Type.Object({
  villageId: Type.Integer(), villageName: Type.String(), townshipName: Type.String(),
  households: Type.Integer(), visited: Type.Integer(), unvisited: Type.Integer(),
  visits: Type.Integer(), opinions: Type.Integer(), converted: Type.Integer(), followUpsDue: Type.Integer(),
});
export const Coverage = Type.Object({ days: Type.Integer(), since: Type.String(), rows: Type.Array(CoverageRow) });

export const UnvisitedHousehold = Type.Object({
  id: Type.Integer(), code: Type.String(), householderName: Type.String(), address: Type.String(),
  groupName: Type.String(), gridId: Nullable(Type.Integer()), lastVisitedOn: Nullable(Type.String()),
});
