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
  patron_member_id: ColumnType<number | null, number | null | undefined, number | null>; // 0003_party
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

// ── points (0020) ──────────────────────────────────────────────────────────────────────────
export interface PointsRuleBooksTable {
  id: Id;
  county_id: number;
  region_id: number;
  region_path: string;
  version: number;
  /** Saves of this book (optimistic locking of drafts, migration 0041). */
  revision: Generated<number>;
  name: string;
  status: 'template' | 'draft' | 'adopted' | 'superseded';
  based_on_id: number | null;
  adopted_at: TsNull;
  adopted_by: number | null;
  meeting: string | null;
  resolution: string | null;
  deliberation_id: number | null;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface PointsRuleCategoriesTable {
  id: Id;
  county_id: number;
  book_id: number;
  name: string;
  is_example: Generated<boolean>;
  sort: Generated<number>;
}
export interface PointsRuleItemsTable {
  id: Id;
  county_id: number;
  book_id: number;
  category_id: number | null;
  code: string;
  name: string;
  kind: 'positive' | 'negative';
  min_score: number;
  max_score: number;
  sort: Generated<number>;
}
export interface PointsSettingsTable {
  region_id: number;
  county_id: number;
  region_path: string;
  objection_days: Generated<number>;
  star_thresholds: ColumnType<number[], number[] | undefined, number[]>;
  blacklist_threshold: Generated<number>;
  credit_bands: ColumnType<CreditBand[], string | undefined, string>;
  updated_at: Generated<Date>;
}
export interface CreditBand {
  minScore: number; // tenths, year score
  label: string;
  terms: string;
}
export type PointsSubjectKind = 'household' | 'enterprise' | 'family_farm' | 'business' | 'party_member' | 'staff';
export interface PointsSubjectsTable {
  id: Id;
  county_id: number;
  village_id: number;
  region_path: string;
  kind: PointsSubjectKind;
  household_id: number | null;
  party_member_id: number | null;
  user_id: number | null;
  name: string;
  status: Generated<'active' | 'closed'>;
  created_at: Generated<Date>;
}
export interface PointsClaimsTable {
  id: Id;
  county_id: number;
  village_id: number;
  region_path: string;
  subject_id: number;
  book_id: number;
  item_id: number;
  score: number;
  occurred_on: string;
  note: string | null;
  photo_url: string | null;
  photo_id: Generated<number | null>;
  source: 'record' | 'declare' | 'bulk';
  recorded_by: number;
  recorded_by_name: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  reviewed_by: number | null;
  reviewed_at: TsNull;
  review_reason: string | null;
  entry_id: number | null;
  created_at: Generated<Date>;
}
export interface PointsPhotosTable {
  id: Id;
  county_id: number;
  uploader_id: number;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  original_path: string;
  public_path: string;
  thumb_path: string;
  created_at: Generated<Date>;
}
export interface PointsChainsTable {
  village_id: number;
  county_id: number;
  last_seq: Generated<number>;
  last_hash: Generated<string>;
}
export interface PointsEntriesTable {
  id: Id;
  county_id: number;
  village_id: number;
  seq: number;
  region_path: string;
  subject_id: number;
  kind: 'award' | 'deduction' | 'reversal' | 'correction';
  score: number;
  item_id: number | null;
  claim_id: number | null;
  reverses_entry_id: number | null;
  appeal_id: number | null;
  occurred_on: string;
  reason: string;
  recorded_by: number | null;
  approved_by: number | null;
  created_at: Ts;
  prev_hash: string;
  hash: string;
}
export interface PointsPeriodScoresTable {
  subject_id: number;
  period: string;
  county_id: number;
  village_id: number;
  region_path: string;
  subject_kind: string;
  score: Generated<number>;
  entries: Generated<number>;
}
export interface PointsBalancesTable {
  subject_id: number;
  county_id: number;
  village_id: number;
  region_path: string;
  earned: Generated<number>;
  spent: Generated<number>;
  balance: Generated<number>;
  updated_at: Generated<Date>;
}
export interface PointsPublicationsTable {
  id: Id;
  county_id: number;
  village_id: number;
  region_path: string;
  period: string;
  status: 'draft' | 'approved' | 'published';
  prepared_by: number;
  branch_meeting: string | null;
  branch_resolution: string | null;
  approved_by: number | null;
  approved_at: TsNull;
  published_by: number | null;
  published_at: TsNull;
  objection_until: TsNull;
  created_at: Generated<Date>;
}
export interface PointsPublicationRowsTable {
  publication_id: number;
  subject_id: number;
  subject_kind: string;
  name: string;
  score: number;
  rank: number;
  stars: number;
}
export interface PointsAppealsTable {
  id: Id;
  county_id: number;
  village_id: number;
  region_path: string;
  entry_id: number;
  subject_id: number;
  publication_id: number | null;
  filed_by: number;
  filed_by_name: string;
  reason: string;
  status: Generated<'open' | 'investigating' | 'upheld' | 'rejected'>;
  investigation: string | null;
  decision_reason: string | null;
  corrected_score: number | null;
  decided_by: number | null;
  decided_at: TsNull;
  reversal_entry_id: number | null;
  correction_entry_id: number | null;
  created_at: Generated<Date>;
}
export interface PointsAwardsTable {
  id: Id;
  county_id: number;
  village_id: number;
  region_path: string;
  year: number;
  subject_id: number;
  title: string;
  amount_fen: Generated<number>;
  year_score: number;
  rank: number | null;
  awarded_by: number;
  created_at: Generated<Date>;
}
export interface PointsBlacklistTable {
  id: Id;
  county_id: number;
  village_id: number;
  region_path: string;
  subject_id: number;
  household_id: number | null;
  source_period: string;
  score: number;
  starts_on: string;
  ends_on: string;
  status: Generated<'active' | 'lifted'>;
  resolution: string | null;
  helper_user_id: number | null;
  helper_name: string | null;
  plan: string | null;
  lifted_reason: string | null;
  created_by: number;
  created_at: Generated<Date>;
}
export interface PointsBlacklistProgressTable {
  id: Id;
  blacklist_id: number;
  note: string;
  by_user: number;
  by_name: string;
  at: Generated<Date>;
}
export interface PointsConsentsTable {
  id: Id;
  county_id: number;
  household_id: number;
  region_path: string;
  recipient_kind: 'bank' | 'employer';
  recipient_name: string;
  purpose: string;
  token_hash: string;
  granted_by: number;
  expires_at: Ts;
  revoked_at: TsNull;
  created_at: Generated<Date>;
}
export interface PointsConsentAccessTable {
  id: Id;
  consent_id: number;
  at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
  outcome: 'served' | 'expired' | 'revoked';
}
export interface StoreStoresTable {
  id: Id;
  county_id: number;
  region_id: number;
  region_path: string;
  name: string;
  address: string | null;
  status: Generated<'open' | 'closed'>;
  created_at: Generated<Date>;
}
export interface StoreGoodsTable {
  id: Id;
  county_id: number;
  store_id: number;
  region_path: string;
  name: string;
  unit: Generated<string>;
  price: number;
  stock: Generated<number>;
  status: Generated<'on' | 'off'>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface StoreStockMovesTable {
  id: Id;
  county_id: number;
  store_id: number;
  goods_id: number;
  kind: 'donation' | 'purchase' | 'adjust' | 'redemption';
  qty: number;
  donor: string | null;
  note: string | null;
  redemption_id: number | null;
  by_user: number;
  at: Generated<Date>;
}
export interface StoreRedemptionsTable {
  id: Id;
  county_id: number;
  store_id: number;
  region_path: string;
  store_path: string;
  subject_id: number;
  household_id: number | null;
  goods_id: number;
  goods_name: string;
  qty: number;
  unit_price: number;
  total: number;
  receipt_no: string;
  cashier_id: number;
  cashier_name: string;
  created_at: Generated<Date>;
}

// ── cases, workflow, calendar, notifications, service orders (0010) ───────────────────────
export interface CalendarDaysTable {
  county_id: number;
  day: string;
  kind: 'holiday' | 'workday';
  name: Generated<string>;
}
export interface WorkflowHistoryTable {
  id: Id;
  county_id: number;
  process: string;
  entity_id: number;
  region_path: string | null;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_id: number | null;
  actor_name: string;
  comment: string | null;
  attachments: Json<unknown[]>;
  data: Json<Record<string, unknown>>;
  at: Generated<Date>;
}
export interface NotificationsTable {
  id: Id;
  county_id: number;
  user_id: number;
  kind: string;
  title: string;
  body: Generated<string>;
  entity: string | null;
  entity_id: number | null;
  read_at: TsNull;
  created_at: Generated<Date>;
}
export interface NotificationOutboxTable {
  id: Id;
  county_id: number;
  notification_id: number | null;
  user_id: number;
  channel: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: TsNull;
}
export type HandlingLevel = 'village' | 'township' | 'department';
export interface CaseCategoriesTable {
  id: Id;
  county_id: number;
  parent_id: number | null;
  code: string;
  name: string;
  handling_level: HandlingLevel;
  department_id: number | null;
  response_days: number;
  handling_days: number;
  keywords: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  sort: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface GridMattersTable {
  id: Id;
  county_id: number;
  category_id: number | null;
  name: string;
  description: Generated<string>;
  handling_level: HandlingLevel;
  response_days: number;
  handling_days: number;
  entered_on: ColumnType<string, string | undefined, string>;
  exited_on: string | null;
  exit_reason: string | null;
  created_at: Generated<Date>;
}
export type CaseState = 'pending' | 'handling' | 'suspended' | 'resolved' | 'closed' | 'merged';
export interface CasesTable {
  id: ColumnType<number, number | undefined, number>;
  county_id: number;
  code: string;
  region_id: number;
  region_path: string;
  grid_id: number | null;
  category_id: number;
  grid_matter_id: number | null;
  title: string;
  description: string;
  source: 'phone' | 'console' | 'courtyard_meeting' | 'household_visit' | 'hotline';
  source_ref: string | null;
  reporter_user_id: number | null;
  reporter_name: string;
  reporter_household_id: number | null;
  client_id: string | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  state: CaseState;
  level: HandlingLevel;
  department_id: number | null;
  handler_user_id: number | null;
  response_due_at: TsNull;
  due_at: TsNull;
  first_response_due_at: TsNull;
  first_response_at: TsNull;
  deadline_gen: Generated<number>;
  warn_level: Generated<'green' | 'yellow' | 'red'>;
  extension_days_requested: number | null;
  suspended_at: TsNull;
  supervised_at: TsNull;
  dispatched_at: TsNull;
  resolved_at: TsNull;
  result: string | null;
  closed_at: TsNull;
  close_reason: 'rated' | 'revisit_timeout' | 'merged' | null;
  rating: number | null;
  rated_at: TsNull;
  rework_count: Generated<number>;
  reopen_count: Generated<number>;
  confirm_asked_at: TsNull;
  confirmed_fixed: boolean | null;
  merged_into_id: number | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface CasePhotosTable {
  id: Id;
  county_id: number;
  case_id: number | null;
  purpose: Generated<'report' | 'result'>;
  uploader_id: number;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  original_path: string;
  public_path: string;
  created_at: Generated<Date>;
}
export interface CaseSupervisionsTable {
  id: Id;
  county_id: number;
  case_id: number;
  region_path: string;
  issued_by: number;
  issuer_name: string;
  notice: string;
  reply_by: TsNull;
  created_at: Generated<Date>;
}
export interface TriageModelsTable {
  county_id: number;
  target: 'category' | 'unit';
  model: Json<Record<string, unknown>>;
  samples: number;
  trained_at: Generated<Date>;
}
export type ServiceOrderState = 'requested' | 'assigned' | 'taken' | 'completed' | 'closed' | 'cancelled';
export interface ServiceOrdersTable {
  id: Id;
  county_id: number;
  code: string;
  region_id: number;
  region_path: string;
  household_id: number | null;
  requester_user_id: number | null;
  requester_name: string;
  kind: string;
  title: string;
  description: Generated<string>;
  client_id: string | null;
  state: ServiceOrderState;
  member_id: number | null;
  member_name: string | null;
  assigned_by: number | null;
  assigned_at: TsNull;
  taken_at: TsNull;
  completed_at: TsNull;
  result: string | null;
  rating: number | null;
  rated_at: TsNull;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Per-place counts kept by triggers (migration 0002); the region tree sums them. */
export interface RegionCountsTable {
  region_path: string;
  households: Generated<number>;
  residents: Generated<number>;
  grids: Generated<number>;
  party_members: Generated<number>;
}

/** 走访 (migration 0030): a visit to a household, the needs/opinions heard, the latest visit per household. */
export interface VisitsTable {
  id: Id;
  county_id: number;
  household_id: number;
  region_path: string;
  village_id: number;
  grid_id: number | null;
  visitor_id: number;
  visitor_name: string;
  visited_on: string;
  met: string;
  notes: Generated<string>;
  follow_up_on: string | null;
  client_id: string | null;
  created_at: Generated<Date>;
}

export interface VisitOpinionsTable {
  id: Id;
  county_id: number;
  visit_id: number;
  seq: number;
  kind: 'need' | 'opinion';
  content: string;
  village_id: number;
  visited_on: string;
  case_id: number | null;
  case_code: string | null;
  converted_by: number | null;
  converted_at: TsNull;
}

export interface HouseholdLastVisitsTable {
  household_id: number;
  county_id: number;
  village_id: number | null;
  last_visited_on: string;
  visit_id: number;
  follow_up_on: string | null;
}

export type DisputeState = 'applied' | 'rejected' | 'accepted' | 'assigned' | 'investigated' | 'informed' | 'mediating' | 'agreed' | 'failed' | 'followed_up' | 'archived';
export type DisputeLevel = 'village' | 'township' | 'county';
export type DisputeType = 'marriage_family' | 'neighbour' | 'land_forest' | 'homestead' | 'labour_pay' | 'contract_debt' | 'damages' | 'other';

export interface MediatorProfilesTable {
  user_id: number;
  county_id: number;
  specialties: Generated<string[]>;
  intro: Generated<string>;
  updated_at: Generated<Date>;
}

export interface DisputesTable {
  id: Generated<number>;
  county_id: number;
  code: string;
  region_id: number;
  region_path: string;
  village_id: number;
  level: DisputeLevel;
  type: DisputeType;
  summary: string;
  claim: string;
  amount: string | null;
  source: 'phone' | 'case' | 'hotline' | 'visit' | 'walk_in';
  source_ref: string | null;
  case_id: number | null;
  applicant_user_id: number | null;
  registered_by: number | null;
  preferred_mediator_id: number | null;
  mediator_user_id: number | null;
  assign_reason: string | null;
  state: Generated<DisputeState>;
  reject_reason: string | null;
  accepted_at: TsNull;
  deadline_at: TsNull;
  deadline_gen: Generated<number>;
  warned_at: TsNull;
  overdue_at: TsNull;
  findings: string | null;
  informed_at: TsNull;
  session_at: TsNull;
  session_place: string | null;
  sessions_count: Generated<number>;
  agreement_text: string | null;
  agreement_terms: ColumnType<string[] | null, string | null | undefined, string | null>;
  agreed_at: TsNull;
  outcome: 'agreed' | 'failed' | null;
  concluded_at: TsNull;
  referral: 'court' | 'arbitration' | 'petition' | 'other' | null;
  fail_reason: string | null;
  follow_up_due_at: TsNull;
  follow_up_reminded_at: TsNull;
  follow_up_result: 'performed' | 'partly' | 'not_performed' | null;
  follow_up_note: string | null;
  followed_up_at: TsNull;
  dossier_no: string | null;
  archived_at: TsNull;
  version: Generated<number>;
  created_at: Ts;
  updated_at: Ts;
}

export interface DisputePartiesTable {
  id: Id;
  county_id: number;
  dispute_id: number;
  seq: number;
  side: 'applicant' | 'respondent' | 'third';
  name: string;
  resident_id: number | null;
  phone_enc: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  signed_at: TsNull;
}

export interface DisputeSessionsTable {
  id: Id;
  county_id: number;
  dispute_id: number;
  seq: number;
  held_at: Ts;
  place: string;
  attendees: Generated<string>;
  record: string;
  mediator_id: number | null;
  mediator_name: string;
  created_at: Generated<Date>;
}

export interface DB {
  region_counts: RegionCountsTable;
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
  points_rule_books: PointsRuleBooksTable;
  points_rule_categories: PointsRuleCategoriesTable;
  points_rule_items: PointsRuleItemsTable;
  points_settings: PointsSettingsTable;
  points_subjects: PointsSubjectsTable;
  points_claims: PointsClaimsTable;
  points_photos: PointsPhotosTable;
  points_chains: PointsChainsTable;
  points_entries: PointsEntriesTable;
  points_period_scores: PointsPeriodScoresTable;
  points_balances: PointsBalancesTable;
  points_publications: PointsPublicationsTable;
  points_publication_rows: PointsPublicationRowsTable;
  points_appeals: PointsAppealsTable;
  points_awards: PointsAwardsTable;
  points_blacklist: PointsBlacklistTable;
  points_blacklist_progress: PointsBlacklistProgressTable;
  points_consents: PointsConsentsTable;
  points_consent_access: PointsConsentAccessTable;
  store_stores: StoreStoresTable;
  store_goods: StoreGoodsTable;
  store_stock_moves: StoreStockMovesTable;
  store_redemptions: StoreRedemptionsTable;
  calendar_days: CalendarDaysTable;
  workflow_history: WorkflowHistoryTable;
  notifications: NotificationsTable;
  notification_outbox: NotificationOutboxTable;
  case_categories: CaseCategoriesTable;
  grid_matters: GridMattersTable;
  cases: CasesTable;
  case_photos: CasePhotosTable;
  case_supervisions: CaseSupervisionsTable;
  triage_models: TriageModelsTable;
  service_orders: ServiceOrdersTable;
  visits: VisitsTable;
  visit_opinions: VisitOpinionsTable;
  household_last_visits: HouseholdLastVisitsTable;
  mediator_profiles: MediatorProfilesTable;
  disputes: DisputesTable;
  dispute_parties: DisputePartiesTable;
  dispute_sessions: DisputeSessionsTable;
}

export type { JSONColumnType };
