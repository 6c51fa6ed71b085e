/** Rows → API shapes. Only masked personal data ever leaves through here. */
import type { Household, Resident } from '../schema.js';

export function ageOn(birthDate: string, today = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - y;
  const mm = today.getUTCMonth() + 1;
  if (mm < m || (mm === m && today.getUTCDate() < d)) age--;
  return Math.max(0, age);
}

export interface HouseholdRowLike {
  id: number; code: string; address: string; householder_name: string; phone_masked: string | null; member_count: number;
  tags: string[]; status: 'active' | 'moved' | 'merged'; region_id: number; grid_id: number | null;
  group_name: string; group_level: string; village_name: string | null; grid_name: string | null; member_name: string | null;
}

export function presentHousehold(r: HouseholdRowLike): Household {
  // A household placed directly on a village (no groups there) has no group name.
  const onVillage = r.group_level === 'village';
  return {
    id: r.id, code: r.code, address: r.address, householderName: r.householder_name, phoneMasked: r.phone_masked,
    memberCount: r.member_count, tags: r.tags ?? [], status: r.status, regionId: r.region_id,
    groupName: onVillage ? '' : r.group_name, villageName: onVillage ? r.group_name : (r.village_name ?? ''),
    gridId: r.grid_id, gridName: r.grid_name, linkedMemberName: r.member_name,
  };
}

export interface ResidentRowLike {
  id: number; name: string; gender: 'M' | 'F'; birth_date: string; relation: string; ethnicity: string;
  id_no_masked: string; phone_masked: string | null; political: 'masses' | 'league' | 'party';
  status: 'present' | 'away' | 'deceased' | 'moved';
}

export function presentResident(r: ResidentRowLike): Resident {
  return {
    id: r.id, name: r.name, gender: r.gender, birthDate: r.birth_date, age: ageOn(r.birth_date), relation: r.relation,
    ethnicity: r.ethnicity, idNumberMasked: r.id_no_masked, phoneMasked: r.phone_masked, political: r.political, status: r.status,
  };
}

/** What an audit row may hold about a household: no plaintext personal data. */
export function householdSnapshot(h: { address: string; grid_id: number | null; phone_masked: string | null; tags: string[]; status: string; householder_name: string }) {
  return { address: h.address, gridId: h.grid_id, phoneMasked: h.phone_masked, tags: h.tags, status: h.status, householderName: h.householder_name };
}

export function residentSnapshot(r: { name: string; relation: string; ethnicity: string; id_no_masked: string; phone_masked: string | null; political: string; status: string; gender: string; birth_date: string }) {
  return {
    name: r.name, relation: r.relation, ethnicity: r.ethnicity, idNumberMasked: r.id_no_masked, phoneMasked: r.phone_masked,
    political: r.political, status: r.status, gender: r.gender, birthDate: r.birth_date,
  };
}
