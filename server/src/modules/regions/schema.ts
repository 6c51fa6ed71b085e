/** TypeBox shapes of the regions API (区划). Shared by routes and service. */
import { Type, type Static, type TSchema } from 'typebox';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const RegionLevel = Type.Union([Type.Literal('county'), Type.Literal('township'), Type.Literal('village'), Type.Literal('group')]);
export type RegionLevel = Static<typeof RegionLevel>;

export const RegionCounts = Type.Object({
  childCount: Type.Integer(),
  householdCount: Type.Integer(),
  residentCount: Type.Integer(),
  gridCount: Type.Integer(),
  partyMemberCount: Type.Integer(),
});
export type RegionCounts = Static<typeof RegionCounts>;

export const RegionNode = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: RegionLevel,
  kind: Nullable(Type.String()),
  parentId: Nullable(Type.Integer()),
  ...RegionCounts.properties,
});
export type RegionNode = Static<typeof RegionNode>;

export const RegionDetail = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: RegionLevel,
  kind: Nullable(Type.String()),
  parentId: Nullable(Type.Integer()),
  path: Type.String(),
  ancestors: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), level: RegionLevel })),
  counts: RegionCounts,
  centerLat: Nullable(Type.Number()),
  centerLng: Nullable(Type.Number()),
});
export type RegionDetail = Static<typeof RegionDetail>;

export const RegionHit = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: RegionLevel,
  ancestorsText: Type.String(),
});
export type RegionHit = Static<typeof RegionHit>;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const TreeQuery = Type.Object({ parentId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 40 }),
  level: Type.Optional(RegionLevel),
}, { additionalProperties: false });

export const CreateGroupBody = Type.Object({
  parentId: Type.Integer({ minimum: 1 }),
  name: Type.String({ minLength: 1, maxLength: 30 }),
}, { additionalProperties: false });
export type CreateGroupBody = Static<typeof CreateGroupBody>;

export const CreatedGroup = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), level: RegionLevel, parentId: Type.Integer() });

/** GeoJSON FeatureCollection for the map; geometry is a boundary, a centre point, or null. */
export const FeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.Integer(),
    geometry: Type.Unknown(),
    properties: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), level: RegionLevel, ...RegionCounts.properties }),
  })),
});
