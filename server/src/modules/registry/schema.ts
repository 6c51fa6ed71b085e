/** TypeBox shapes of the registry API: grids, grid staff, households, residents, reveal. */
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../core/paging.js';
import { Nullable } from '../regions/schema.js';

export { Nullable };

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const StaffParams = Type.Object({ id: Type.Integer({ minimum: 1 }), staffId: Type.Integer({ minimum: 1 }) });

const Name = Type.String({ minLength: 1, maxLength: 30 });
const Phone = Type.String({ minLength: 1, maxLength: 20 });
const Version = Type.Integer({ minimum: 1 });

// ---- grids ----
export const GridLevel = Type.Union([Type.Literal('level1'), Type.Literal('level2'), Type.Literal('micro')]);
export type GridLevel = Static<typeof GridLevel>;
export const StaffRole = Type.Union([Type.Literal('chief'), Type.Literal('head'), Type.Literal('deputy'), Type.Literal('worker'), Type.Literal('specialist')]);
export type StaffRole = Static<typeof StaffRole>;

/** GeoJSON Polygon / MultiPolygon; checked for shape in the service. */
const Boundary = Type.Object({
  type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
  coordinates: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });

export const GridStaff = Type.Object({
  id: Type.Integer(),
  role: StaffRole,
  name: Type.String(),
  phoneMasked: Nullable(Type.String()),
  userId: Nullable(Type.Integer()),
});
export const Grid = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: GridLevel,
  regionId: Type.Integer(),
  regionName: Type.String(),
  parentId: Nullable(Type.Integer()),
  householdCount: Type.Integer(),
  staff: Type.Array(GridStaff),
});
export type Grid = Static<typeof Grid>;
export const GridDetail = Type.Object({
  ...Grid.properties,
  version: Type.Integer(),
  note: Nullable(Type.String()),
  boundary: Type.Unknown(),
});
export type GridDetail = Static<typeof GridDetail>;

export const GridListQuery = Type.Object({
  ...PageQuery.properties,
  regionId: Type.Optional(Type.Integer({ minimum: 1 })),
  level: Type.Optional(GridLevel),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
}, { additionalProperties: false });
export type GridListQuery = Static<typeof GridListQuery>;

export const CreateGridBody = Type.Object({
  regionId: Type.Integer({ minimum: 1 }),
  level: GridLevel,
  code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z_-]+$' }),
  name: Name,
  parentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  boundary: Type.Optional(Nullable(Boundary)),
}, { additionalProperties: false });
export type CreateGridBody = Static<typeof CreateGridBody>;

export const UpdateGridBody = Type.Object({
  version: Version,
  name: Type.Optional(Name),
  parentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  boundary: Type.Optional(Nullable(Boundary)),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
}, { additionalProperties: false });
export type UpdateGridBody = Static<typeof UpdateGridBody>;

export const AddStaffBody = Type.Object({
  role: StaffRole,
  name: Name,
  phone: Type.Optional(Phone),
  userId: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false });
export type AddStaffBody = Static<typeof AddStaffBody>;

// ---- households ----
export const HouseholdStatus = Type.Union([Type.Literal('active'), Type.Literal('moved'), Type.Literal('merged')]);
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 20 });

export const Household = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  address: Type.String(),
  householderName: Type.String(),
  phoneMasked: Nullable(Type.String()),
  memberCount: Type.Integer(),
  tags: Type.Array(Type.String()),
  status: HouseholdStatus,
  regionId: Type.Integer(),
  groupName: Type.String(),
  villageName: Type.String(),
  gridId: Nullable(Type.Integer()),
  gridName: Nullable(Type.String()),
  linkedMemberName: Nullable(Type.String()),
});
export type Household = Static<typeof Household>;

export const PoliticalStatus = Type.Union([Type.Literal('masses'), Type.Literal('league'), Type.Literal('party')]);
export const ResidentStatus = Type.Union([Type.Literal('present'), Type.Literal('away'), Type.Literal('deceased'), Type.Literal('moved')]);

export const Resident = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  gender: Type.Union([Type.Literal('M'), Type.Literal('F')]),
  birthDate: Type.String(),
  age: Type.Integer(),
  relation: Type.String(),
  ethnicity: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: Nullable(Type.String()),
  political: PoliticalStatus,
  status: ResidentStatus,
});
export type Resident = Static<typeof Resident>;

export const ResidentListItem = Type.Object({
  ...Resident.properties,
  householdId: Type.Integer(),
  householdCode: Type.String(),
  householderName: Type.String(),
});
export type ResidentListItem = Static<typeof ResidentListItem>;

export const ResidentDetail = Type.Object({
  ...ResidentListItem.properties,
  version: Type.Integer(),
  can: Type.Object({ edit: Type.Boolean(), reveal: Type.Boolean() }),
});
export type ResidentDetail = Static<typeof ResidentDetail>;

export const Patron = Type.Object({
  id: Type.Integer(),
  level: Type.String(),
  patronName: Type.String(),
  patronTitle: Nullable(Type.String()),
  targetType: Type.Union([Type.Literal('region'), Type.Literal('household')]),
  startsOn: Type.String(),
});

export const HouseholdDetail = Type.Object({
  ...Household.properties,
  version: Type.Integer(),
  residents: Type.Array(Resident),
  linkedMember: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
  patrons: Type.Array(Patron),
  can: Type.Object({ edit: Type.Boolean(), reveal: Type.Boolean() }),
});
export type HouseholdDetail = Static<typeof HouseholdDetail>;

export const HouseholdListQuery = Type.Object({
  ...PageQuery.properties,
  regionId: Type.Optional(Type.Integer({ minimum: 1 })),
  gridId: Type.Optional(Type.Integer({ minimum: 1 })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  phone: Type.Optional(Phone),
}, { additionalProperties: false });
export type HouseholdListQuery = Static<typeof HouseholdListQuery>;

export const CreateHouseholdBody = Type.Object({
  regionId: Type.Integer({ minimum: 1 }),
  gridId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  address: Type.String({ minLength: 1, maxLength: 100 }),
  householderName: Name,
  phone: Type.Optional(Nullable(Phone)),
  tags: Type.Optional(Tags),
}, { additionalProperties: false });
export type CreateHouseholdBody = Static<typeof CreateHouseholdBody>;

export const UpdateHouseholdBody = Type.Object({
  version: Version,
  address: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  gridId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  phone: Type.Optional(Nullable(Phone)),
  tags: Type.Optional(Tags),
  status: Type.Optional(HouseholdStatus),
}, { additionalProperties: false });
export type UpdateHouseholdBody = Static<typeof UpdateHouseholdBody>;

export const HistoryEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorName: Nullable(Type.String()),
  action: Type.String(),
  entity: Type.String(),
  entityId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  note: Nullable(Type.String()),
});

// ---- residents ----
export const ResidentListQuery = Type.Object({
  ...PageQuery.properties,
  regionId: Type.Optional(Type.Integer({ minimum: 1 })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  phone: Type.Optional(Phone),
}, { additionalProperties: false });
export type ResidentListQuery = Static<typeof ResidentListQuery>;

const Relation = Type.String({ minLength: 1, maxLength: 10 });
const Ethnicity = Type.String({ minLength: 1, maxLength: 10 });

export const CreateResidentBody = Type.Object({
  name: Name,
  idNumber: Type.String({ minLength: 1, maxLength: 20 }),
  relation: Relation,
  phone: Type.Optional(Nullable(Phone)),
  ethnicity: Type.Optional(Ethnicity),
  political: Type.Optional(PoliticalStatus),
}, { additionalProperties: false });
export type CreateResidentBody = Static<typeof CreateResidentBody>;

export const UpdateResidentBody = Type.Object({
  version: Version,
  name: Type.Optional(Name),
  idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  relation: Type.Optional(Relation),
  phone: Type.Optional(Nullable(Phone)),
  ethnicity: Type.Optional(Ethnicity),
  political: Type.Optional(PoliticalStatus),
  status: Type.Optional(ResidentStatus),
}, { additionalProperties: false });
export type UpdateResidentBody = Static<typeof UpdateResidentBody>;

export const RevealBody = Type.Object({
  field: Type.Union([Type.Literal('idNumber'), Type.Literal('phone')]),
  purpose: Type.String({ minLength: 2, maxLength: 100 }),
}, { additionalProperties: false });
export type RevealBody = Static<typeof RevealBody>;
export const Revealed = Type.Object({ value: Type.String(), expiresAt: Type.String() });

export const MyHousehold = Type.Object({
  ...Household.properties,
  residents: Type.Array(Resident),
  linkedMember: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), phoneMasked: Nullable(Type.String()), hasPhone: Type.Boolean() })),
});

export const LinkedMemberPhone = Type.Object({ memberId: Type.Integer(), name: Type.String(), phone: Type.String() });
export const HouseholdPageQuery = Type.Object({ ...PageQuery.properties }, { additionalProperties: false });
