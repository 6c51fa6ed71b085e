/** TypeBox schemas shared by the case routes. Responses are camelCase. */
import { Type } from 'typebox';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Level = Type.Union([Type.Literal('village'), Type.Literal('township'), Type.Literal('department')]);
export const Source = Type.Union([Type.Literal('phone'), Type.Literal('console'), Type.Literal('courtyard_meeting'), Type.Literal('household_visit'), Type.Literal('hotline')]);

export const MapQuery = Type.Object({ regionId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
export const CaseMap = Type.Object({
  villages: Type.Array(Type.Object({
    id: Type.Integer(), name: Type.String(), townshipName: Nullable(Type.String()), lat: Nullable(Type.Number()), lng: Nullable(Type.Number()),
    open: Type.Integer(), yellow: Type.Integer(), red: Type.Integer(), supervised: Type.Integer(),
  })),
  points: Type.Array(Type.Object({
    id: Type.Integer(), code: Type.String(), title: Type.String(), lat: Type.Number(), lng: Type.Number(),
    light: Nullable(Type.String()), supervised: Type.Boolean(),
  })),
});

export const Category = Type.Object({
  id: Type.Integer(), parentId: Nullable(Type.Integer()), code: Type.String(), name: Type.String(), handlingLevel: Type.String(),
  departmentId: Nullable(Type.Integer()), responseDays: Type.Integer(), handlingDays: Type.Integer(), keywords: Type.Array(Type.String()), active: Type.Boolean(),
});

export const CategoryBody = Type.Object({
  parentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  code: Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9_-]+$' }),
  name: Type.String({ minLength: 1, maxLength: 40 }),
  handlingLevel: Level,
  departmentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  responseDays: Type.Integer({ minimum: 0, maximum: 60 }),
  handlingDays: Type.Integer({ minimum: 1, maximum: 365 }),
  keywords: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 50 })),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const CategoryPatch = Type.Partial(Type.Omit(CategoryBody, ['code']), { additionalProperties: false });

export const GridMatter = Type.Object({
  id: Type.Integer(), name: Type.String(), description: Type.String(), categoryId: Nullable(Type.Integer()), categoryName: Nullable(Type.String()),
  handlingLevel: Type.String(), responseDays: Type.Integer(), handlingDays: Type.Integer(), enteredOn: Type.String(), exitedOn: Nullable(Type.String()), exitReason: Nullable(Type.String()),
});

export const GridMatterBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  categoryId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  handlingLevel: Level,
  responseDays: Type.Integer({ minimum: 0, maximum: 60 }),
  handlingDays: Type.Integer({ minimum: 1, maximum: 365 }),
}, { additionalProperties: false });

const reportFields = {
  categoryId: Type.Integer({ minimum: 1 }),
  title: Type.Optional(Type.String({ maxLength: 60 })),
  description: Type.String({ minLength: 2, maxLength: 2000 }),
  regionId: Type.Optional(Type.Integer({ minimum: 1 })),
  gridId: Type.Optional(Type.Integer({ minimum: 1 })),
  lat: Type.Optional(Type.Number({ minimum: 3, maximum: 54 })),
  lng: Type.Optional(Type.Number({ minimum: 73, maximum: 136 })),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  photoIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 9 })),
  reporterName: Type.Optional(Type.String({ maxLength: 40 })),
  gridMatterId: Type.Optional(Type.Integer({ minimum: 1 })),
};

export const ReportBody = Type.Object({
  ...reportFields,
  clientId: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
  source: Type.Optional(Source),
  sourceRef: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

export const OpinionsBody = Type.Object({
  source: Type.Union([Type.Literal('courtyard_meeting'), Type.Literal('household_visit')]),
  sourceRef: Type.String({ minLength: 1, maxLength: 200 }),
  opinions: Type.Array(Type.Object(reportFields, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
}, { additionalProperties: false });

export const Duplicate = Type.Object({
  id: Type.Integer(), code: Type.String(), title: Type.String(), state: Type.String(), distanceM: Nullable(Type.Number()), similarity: Type.Number(), createdAt: Type.String(),
});

export const ReportResult = Type.Object({
  id: Type.Integer(), code: Type.String(), state: Type.String(), replayed: Type.Boolean(), possibleDuplicates: Type.Array(Duplicate),
});

export const CaseItem = Type.Object({
  id: Type.Integer(), code: Type.String(), title: Type.String(), state: Type.String(), stateLabel: Type.String(), level: Type.String(), levelLabel: Type.String(),
  categoryId: Type.Integer(), categoryName: Type.String(), regionId: Type.Integer(), regionName: Type.String(), gridId: Nullable(Type.Integer()),
  departmentId: Nullable(Type.Integer()), departmentName: Nullable(Type.String()), reporterName: Type.String(), source: Type.String(),
  createdAt: Type.String(), responseDueAt: Nullable(Type.String()), dueAt: Nullable(Type.String()), resolvedAt: Nullable(Type.String()), closedAt: Nullable(Type.String()),
  rating: Nullable(Type.Integer()), light: Nullable(Type.String()), supervised: Type.Boolean(),
});

export const CaseDetail = Type.Object({
  ...CaseItem.properties,
  description: Type.String(), sourceRef: Nullable(Type.String()), address: Nullable(Type.String()), lat: Nullable(Type.Number()), lng: Nullable(Type.Number()),
  result: Nullable(Type.String()), closeReason: Nullable(Type.String()), reworkCount: Type.Integer(), reopenCount: Type.Integer(),
  extensionDaysRequested: Nullable(Type.Integer()), suspendedAt: Nullable(Type.String()), mergedIntoId: Nullable(Type.Integer()),
  confirmedFixed: Nullable(Type.Boolean()), confirmAskedAt: Nullable(Type.String()), isReporter: Type.Boolean(),
  photos: Type.Array(Type.Object({ id: Type.Integer(), purpose: Type.String(), width: Type.Integer(), height: Type.Integer(), url: Type.String() })),
  supervisions: Type.Array(Type.Object({ id: Type.Integer(), issuerName: Type.String(), notice: Type.String(), replyBy: Nullable(Type.String()), createdAt: Type.String() })),
  history: Type.Array(Type.Object({
    id: Type.Integer(), action: Type.String(), actionLabel: Type.String(), from: Nullable(Type.String()), to: Type.String(), actorName: Type.String(),
    comment: Nullable(Type.String()), data: Type.Record(Type.String(), Type.Unknown()), at: Type.String(),
  })),
  actions: Type.Array(Type.Object({ action: Type.String(), label: Type.String() })),
});

export const STEP_ACTIONS = ['accept', 'escalate', 'dispatch', 'send_back', 'request_extension', 'approve_extension', 'reject_extension', 'suspend', 'resume', 'resolve', 'rate', 'reopen', 'confirm', 'merge', 'supervise'] as const;

export const StepBody = Type.Object({
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
  result: Type.Optional(Type.String({ maxLength: 2000 })),
  photoIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 9 })),
  rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  fixed: Type.Optional(Type.Boolean()),
  targetId: Type.Optional(Type.Integer({ minimum: 1 })),
  replyBy: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
}, { additionalProperties: false });

const RatesShape = Type.Object({
  total: Type.Integer(), dueRespond: Type.Integer(), respondedOnTime: Type.Integer(), dueClose: Type.Integer(), closed: Type.Integer(), closedOnTime: Type.Integer(),
  overdue: Type.Integer(), rated: Type.Integer(), satisfied: Type.Integer(), meanHoursToClose: Nullable(Type.Number()),
  responseRate: Nullable(Type.Number()), completionRate: Nullable(Type.Number()), onTimeRate: Nullable(Type.Number()), overdueRate: Nullable(Type.Number()), satisfactionRate: Nullable(Type.Number()),
});
const UnitRates = Type.Object({ id: Type.Integer(), kind: Type.String(), level: Type.String(), name: Type.String(), rates: RatesShape });

export const RatesQuery = Type.Object({
  regionId: Type.Optional(Type.Integer({ minimum: 1 })),
  from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  to: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
});

export const RatesReport = Type.Object({
  unit: UnitRates,
  children: Type.Array(UnitRates),
  departments: Type.Array(UnitRates),
  trend: Type.Array(Type.Object({ day: Type.String(), reported: Type.Integer(), closed: Type.Integer() })),
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  definitions: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), formula: Type.String(), note: Type.String() })),
});

export const ListQuery = Type.Object({
  list: Type.Optional(Type.Union(['inbox', 'problem', 'assigned', 'closed', 'supervision', 'mine', 'all'].map((l) => Type.Literal(l)))),
  regionId: Type.Optional(Type.Integer({ minimum: 1 })),
  categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  state: Type.Optional(Type.Union(['pending', 'handling', 'suspended', 'resolved', 'closed', 'merged'].map((l) => Type.Literal(l)))),
  q: Type.Optional(Type.String({ maxLength: 60 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const Triage = Type.Object({
  categories: Type.Array(Type.Object({ categoryId: Type.Integer(), name: Type.String(), confidence: Type.Number() })),
  units: Type.Array(Type.Object({ unit: Type.String(), level: Type.String(), departmentId: Nullable(Type.Integer()), name: Type.String(), confidence: Type.Number() })),
  tokens: Type.Array(Type.String()),
});
