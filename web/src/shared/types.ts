/** Shapes of the foundation API (see the contract in the server's OpenAPI at /api/docs). */
export type RegionLevel = 'county' | 'township' | 'village' | 'group';

export interface RegionCounts {
  childCount: number;
  householdCount: number;
  residentCount: number;
  gridCount: number;
  partyMemberCount: number;
}

export interface RegionNode extends RegionCounts {
  id: number;
  code: string;
  name: string;
  level: RegionLevel;
  kind: string | null;
  parentId: number | null;
}

export interface RegionDetail {
  id: number;
  code: string;
  name: string;
  level: RegionLevel;
  kind: string | null;
  parentId: number | null;
  path: string;
  ancestors: { id: number; name: string; level: RegionLevel }[];
  counts: RegionCounts;
  centerLat: number | null;
  centerLng: number | null;
}

export interface RegionHit {
  id: number;
  code: string;
  name: string;
  level: RegionLevel;
  ancestorsText: string;
}

export interface GeoFeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; id: number; geometry: unknown; properties: RegionCounts & { id: number; code: string; name: string; level: RegionLevel } }[];
}

export interface GridStaff {
  id: number;
  role: 'chief' | 'head' | 'deputy' | 'worker' | 'specialist';
  name: string;
  phoneMasked: string | null;
  userId?: number | null;
}

export interface Grid {
  id: number;
  code: string;
  name: string;
  level: 'level1' | 'level2' | 'micro';
  regionId: number;
  regionName: string;
  parentId: number | null;
  householdCount: number;
  staff: GridStaff[];
  version?: number;
  note?: string | null;
}

export interface HouseholdRow {
  id: number;
  code: string;
  address: string;
  householderName: string;
  phoneMasked: string | null;
  memberCount: number;
  tags: string[];
  status: 'active' | 'moved' | 'merged';
  regionId: number;
  groupName: string;
  villageName: string;
  gridId: number | null;
  gridName: string | null;
  linkedMemberName: string | null;
}

export type Political = 'masses' | 'league' | 'party';
export type ResidentStatus = 'present' | 'away' | 'deceased' | 'moved';

export interface Resident {
  id: number;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  age: number;
  relation: string;
  ethnicity: string;
  idNumberMasked: string;
  phoneMasked: string | null;
  political: Political;
  status: ResidentStatus;
}

export interface ResidentListItem extends Resident {
  householdId: number;
  householdCode: string;
  householderName: string;
}

export interface ResidentDetail extends ResidentListItem {
  version: number;
  can: { edit: boolean; reveal: boolean };
}

export interface Patron {
  id: number;
  level: string;
  patronName: string;
  patronTitle: string | null;
  targetType: 'region' | 'household';
  startsOn: string;
}

export interface HouseholdDetail extends HouseholdRow {
  version: number;
  residents: Resident[];
  /** The linked party member; `phone` only if the server chooses to give a villager the number to call. */
  linkedMember: { id: number; name: string; phone?: string | null; phoneMasked?: string | null } | null;
  patrons: Patron[];
  can: { edit: boolean; reveal: boolean };
}

export interface HistoryRow {
  id: number;
  at: string;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
}
