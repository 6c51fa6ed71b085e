/**
 * Table types for Kysely. One interface per table, named after the glossary; keep in step with
 * migrations/. Generated<T> marks columns the database fills in.
 */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Ts = ColumnType<Date, Date | string | undefined, Date | string>;
type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Id = Generated<number>;
type Json<T = unknown> = ColumnType<T, string | undefined, string>;

export interface RegionsTable {
  id: Id;
  county_id: number | null;
  parent_id: number | null;
  level: 'county' | 'township' | 'village' | 'group';
  code: string;
  name: string;
  path: string;
  kind: string | null;
  center_lat: number | null;
  center_lng: number | null;
  boundary: Json | null;
  sort: Generated<number>;
  created_at: Generated<Date>;
}

export interface GridsTable {
  id: Id;
  county_id: number;
  region_id: number;
  region_path: string;
  parent_id: number | null;
  level: 'level1' | 'level2' | 'micro';
  code: string;
  name: string;
  boundary: Json | null;
  note: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface GridStaffTable {
  id: Id;
  county_id: number;
  grid_id: number;
  role: 'chief' | 'head' | 'deputy' | 'worker' | 'specialist';
  user_id: number | null;
  name: string;
  phone_enc: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  created_at: Generated<Date>;
}

export interface HouseholdsTable {
  id: Id;
  county_id: number;
  region_id: number;
  region_path: string;
  grid_id: number | null;
  code: string;
  address: string;
  householder_name: string;
  householder_id_hash: string | null;
  phone_enc: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  member_count: Generated<number>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<'active' | 'moved' | 'merged'>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ResidentsTable {
  id: Id;
  county_id: number;
  household_id: number;
  region_path: string;
  name: string;
  gender: 'M' | 'F';
  birth_date: string;
  relation: string;
  ethnicity: Generated<string>;
  id_no_enc: string;
  id_no_hash: string;
  id_no_masked: string;
  phone_enc: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  political: Generated<'masses' | 'league' | 'party'>;
  status: Generated<'present' | 'away' | 'deceased' | 'moved'>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PartyOrgsTable {
  id: Id;
  county_id: number;
  region_id: number;
  region_path: string;
  parent_id: number | null;
  kind: 'committee' | 'general_branch' | 'branch' | 'group';
  name: string;
  created_at: Generated<Date>;
}

export interface PartyMembersTable {
  id: Id;
  county_id: number;
  org_id: number;
  region_path: string;
  resident_id: number | null;
  name: string;
  joined_on: string | null;
  link_quota: Generated<number>;
  status: Generated<'active' | 'away' | 'transferred'>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MemberHouseholdLinksTable {
  id: Id;
  county_id: number;
  member_id: number;
  household_id: number;
  region_path: string;
  created_at: Generated<Date>;
}

export interface PatronAssignmentsTable {
  id: Id;
  county_id: number;
  level: 'county_township' | 'township_village' | 'village_group' | 'member_household';
  patron_user_id: number | null;
  patron_name: string;
  patron_title: string | null;
  target_region_id: number | null;
  target_household_id: number | null;
  region_path: string;
  starts_on: string;
  ends_on: string | null;
  created_at: Generated<Date>;
}

export interface DepartmentsTable {
  id: Id;
  county_id: number;
  code: string;
  name: string;
  phone: string | null;
  created_at: Generated<Date>;
}

export interface DepartmentVillagesTable {
  department_id: number;
  region_id: number;
  county_id: number;
}

export interface UsersTable {
  id: Id;
  county_id: number;
  username: string;
  display_name: string;
  kind: 'staff' | 'villager';
  password_hash: string;
  resident_id: number | null;
  household_id: number | null;
  department_id: number | null;
  failed_logins: Generated<number>;
  locked_until: TsNull;
  totp_secret_enc: string | null;
  totp_enabled: Generated<boolean>;
  status: Generated<'active' | 'disabled'>;
  last_login_at: TsNull;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RolesTable {
  id: Id;
  key: string;
  name: string;
  permissions: ColumnType<string[], string[] | undefined, string[]>;
  requires_totp: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface UserGrantsTable {
  id: Id;
  county_id: number;
  user_id: number;
  role_id: number;
  region_id: number;
  region_path: string;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: Generated<Date>;
  last_seen_at: Ts;
  totp_passed: Generated<boolean>;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Id;
  county_id: number | null;
  at: Generated<Date>;
  actor_id: number | null;
  actor_name: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  region_path: string | null;
  before: Json | null;
  after: Json | null;
  note: string | null;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  route: string;
  status_code: number | null;
  response: Json | null;
  created_at: Generated<Date>;
}

export interface ImportJobsTable {
  id: Id;
  county_id: number;
  user_id: number;
  region_id: number;
  file_name: string;
  dry_run: boolean;
  status: 'running' | 'done' | 'failed';
  total_rows: Generated<number>;
  done_rows: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  errors: Json<ImportRowError[]>;
  created_at: Generated<Date>;
  finished_at: TsNull;
}

export interface ImportRowError {
  row: number;
  column: string;
  reason: string;
}

export interface JobsTable {
  id: Id;
  kind: string;
  payload: Json<Record<string, unknown>>;
  run_at: Ts;
  dedupe_key: string | null;
  attempts: Generated<number>;
  locked_by: string | null;
  locked_at: TsNull;
  done_at: TsNull;
  last_error: string | null;
  created_at: Generated<Date>;
}

export interface AppSettingsTable {
  key: string;
  value: Json;
}

export interface DB {
  regions: RegionsTable;
  grids: GridsTable;
  grid_staff: GridStaffTable;
  households: HouseholdsTable;
  residents: ResidentsTable;
  party_orgs: PartyOrgsTable;
  party_members: PartyMembersTable;
  member_household_links: MemberHouseholdLinksTable;
  patron_assignments: PatronAssignmentsTable;
  departments: DepartmentsTable;
  department_villages: DepartmentVillagesTable;
  users: UsersTable;
  roles: RolesTable;
  user_grants: UserGrantsTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  import_jobs: ImportJobsTable;
  jobs: JobsTable;
  app_settings: AppSettingsTable;
}

export type { JSONColumnType };
