/**
 * Kysely and SQL for the roster, no rules. Bulk writes pass one array per column through
 * unnest(), so a batch of thousands of rows is one statement with a dozen parameters (no
 * 65,535-parameter ceiling, one round trip, one plan) on PostgreSQL and on PGlite alike.
 */
import { sql, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../../core/actor.js';
import { escapeLike, inScope } from '../../core/actor.js';

// ---- lookups used by validation ----

export async function groupsOfVillage(db: Kdb, villageId: number) {
  return db.selectFrom('regions').select(['id', 'name', 'code', 'path']).where('parent_id', '=', villageId).where('level', '=', 'group').execute();
}

export interface ExistingResident {
  id: number;
  household_id: number;
  region_path: string;
  id_no_hash: string;
}

export async function residentsByHashes(db: Kdb, countyId: number, hashes: string[]): Promise<ExistingResident[]> {
  if (hashes.length === 0) return [];
  // One unique-index probe per key. Written as a LATERAL … LIMIT 1 so the plan cannot depend on
  // statistics: during a county's first import the table grows faster than autovacuum analyses it,
  // and with stale row counts '= any(…)' was planned as a scan of the whole county (15 ms a village).
  const r = await sql<ExistingResident>`
    select p.id, p.household_id, p.region_path, p.id_no_hash
    from unnest(${hashes}::text[]) as k(hash)
    cross join lateral (
      select id, household_id, region_path, id_no_hash from residents
      where county_id = ${countyId} and id_no_hash = k.hash limit 1
    ) p`.execute(db);
  return r.rows;
}

export interface ExistingHousehold {
  id: number;
  code: string;
  region_id: number;
  region_path: string;
  address: string;
  householder_name: string;
  householder_id_hash: string | null;
  phone_masked: string | null;
  tags: string[];
}

const householdCols = sql`id, code, region_id, region_path, address, householder_name, householder_id_hash, phone_masked, tags`;

export async function householdsByCodes(db: Kdb, countyId: number, codes: string[]): Promise<ExistingHousehold[]> {
  if (codes.length === 0) return [];
  // LATERAL … LIMIT 1: one probe of UNIQUE (county_id, code) per code, whatever the statistics say.
  const r = await sql<ExistingHousehold>`
    select h.* from unnest(${codes}::text[]) as k(code)
    cross join lateral (select ${householdCols} from households where county_id = ${countyId} and code = k.code limit 1) h`.execute(db);
  return r.rows;
}

/** For each hash, the oldest active household in the village whose householder has it. */
export async function householdsByHolderHashes(db: Kdb, countyId: number, villagePath: string, hashes: string[]): Promise<ExistingHousehold[]> {
  if (hashes.length === 0) return [];
  const r = await sql<ExistingHousehold>`
    select h.* from unnest(${hashes}::text[]) as k(hash)
    cross join lateral (
      select ${householdCols} from households
      where county_id = ${countyId} and householder_id_hash = k.hash
        and region_path like ${escapeLike(villagePath) + '%'} and status = 'active'
      order by id limit 1
    ) h`.execute(db);
  return r.rows;
}

/** Highest 4-digit household suffix used under a group code (户编号 = 小组代码 + 4位序号). */
export async function maxHouseholdSuffix(db: Kdb, countyId: number, groupCode: string): Promise<number> {
  const r = await db
    .selectFrom('households')
    .select(sql<string | null>`max(substr(code, ${groupCode.length + 1}))`.as('m'))
    .where('county_id', '=', countyId)
    .where('code', 'like', `${escapeLike(groupCode)}____`)
    .where(sql<SqlBool>`substr(code, ${groupCode.length + 1}) ~ '^[0-9]{4}$'`)
    .executeTakeFirst();
  return r?.m ? Number(r.m) : 0;
}

/** Serialises imports into one village, so generated 户编号 never collide. */
export async function lockVillage(db: Kdb, villageId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('roster.import'), ${villageId}::int)`.execute(db);
}

// ---- bulk writes ----

/**
 * A household's tags travel as one string per row, joined by the unit separator (U+001F, a
 * control character no tag keeps: it is dropped from each tag first), and come apart with
 * string_to_array — a row's ragged tag list cannot be a column of a 2-D array, and parsing a JSON
 * array per row cost a subquery for every household.
 */
const TAG_SEPARATOR = '\u001f';
export const joinTags = (tags: string[]) => tags.map((t) => t.replaceAll(TAG_SEPARATOR, '')).join(TAG_SEPARATOR);

export interface HouseholdInsert {
  regionId: number;
  regionPath: string;
  code: string;
  address: string;
  householderName: string;
  householderIdHash: string;
  phoneEnc: string | null;
  phoneHash: string | null;
  phoneMasked: string | null;
  tags: string[];
  /** Residents the household starts with (all new to the registry). */
  memberCount: number;
}

export async function insertHouseholds(db: Kdb, countyId: number, rows: HouseholdInsert[]): Promise<{ id: number; code: string }[]> {
  if (rows.length === 0) return [];
  const col = <K extends keyof HouseholdInsert>(k: K) => rows.map((r) => r[k]);
  const r = await sql<{ id: number; code: string }>`
    insert into households (county_id, region_id, region_path, code, address, householder_name, householder_id_hash,
                            phone_enc, phone_hash, phone_masked, tags, member_count)
    select ${countyId}, v.region_id, v.region_path, v.code, v.address, v.householder_name, v.holder_hash,
           v.phone_enc, v.phone_hash, v.phone_masked, string_to_array(v.tags, chr(31)), v.member_count
    from unnest(${col('regionId')}::bigint[], ${col('regionPath')}::text[], ${col('code')}::text[], ${col('address')}::text[],
                ${col('householderName')}::text[], ${col('householderIdHash')}::text[], ${col('phoneEnc')}::text[],
                ${col('phoneHash')}::text[], ${col('phoneMasked')}::text[], ${rows.map((x) => joinTags(x.tags))}::text[],
                ${col('memberCount')}::int[])
      as v(region_id, region_path, code, address, householder_name, holder_hash, phone_enc, phone_hash, phone_masked, tags, member_count)
    returning id, code`.execute(db);
  return r.rows;
}

/** Null phone / tags mean "not in the file": keep what is stored. */
export interface HouseholdUpdate extends Omit<HouseholdInsert, 'code' | 'tags' | 'memberCount'> {
  id: number;
  tags: string[] | null;
}

/** Updates only households whose content differs; returns the ids that changed. */
export async function updateHouseholds(db: Kdb, rows: HouseholdUpdate[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const col = <K extends keyof HouseholdUpdate>(k: K) => rows.map((r) => r[k]);
  const r = await sql<{ id: number }>`
    with v as (
      select v.*, case when v.tags_joined is null then null else string_to_array(v.tags_joined, chr(31)) end as tags
      from unnest(${col('id')}::bigint[], ${col('regionId')}::bigint[], ${col('regionPath')}::text[], ${col('address')}::text[],
                  ${col('householderName')}::text[], ${col('householderIdHash')}::text[], ${col('phoneEnc')}::text[],
                  ${col('phoneHash')}::text[], ${col('phoneMasked')}::text[], ${rows.map((x) => (x.tags ? joinTags(x.tags) : null))}::text[])
        as v(id, region_id, region_path, address, householder_name, holder_hash, phone_enc, phone_hash, phone_masked, tags_joined)
    )
    update households h set
      region_id = v.region_id, region_path = v.region_path, address = v.address, householder_name = v.householder_name,
      householder_id_hash = v.holder_hash,
      phone_enc = case when v.phone_hash is null or v.phone_hash = h.phone_hash then h.phone_enc else v.phone_enc end,
      phone_hash = coalesce(v.phone_hash, h.phone_hash),
      phone_masked = coalesce(v.phone_masked, h.phone_masked),
      tags = coalesce(v.tags, h.tags),
      version = h.version + 1, updated_at = now()
    from v
    where h.id = v.id
      and (h.region_id, h.region_path, h.address, h.householder_name, h.householder_id_hash, h.phone_hash, h.tags)
          is distinct from
          (v.region_id, v.region_path, v.address, v.householder_name, v.holder_hash, coalesce(v.phone_hash, h.phone_hash), coalesce(v.tags, h.tags))
    returning h.id`.execute(db);
  return r.rows.map((x) => x.id);
}

export interface ResidentInsert {
  householdId: number;
  regionPath: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  relation: string;
  ethnicity: string;
  idNoEnc: string;
  idNoHash: string;
  idNoMasked: string;
  phoneEnc: string | null;
  phoneHash: string | null;
  phoneMasked: string | null;
  political: string;
}

export async function insertResidents(db: Kdb, countyId: number, rows: ResidentInsert[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof ResidentInsert>(k: K) => rows.map((r) => r[k]);
  const r = await sql`
    insert into residents (county_id, household_id, region_path, name, gender, birth_date, relation, ethnicity,
                           id_no_enc, id_no_hash, id_no_masked, phone_enc, phone_hash, phone_masked, political)
    select ${countyId}, v.*
    from unnest(${col('householdId')}::bigint[], ${col('regionPath')}::text[], ${col('name')}::text[], ${col('gender')}::text[],
                ${col('birthDate')}::date[], ${col('relation')}::text[], ${col('ethnicity')}::text[], ${col('idNoEnc')}::text[],
                ${col('idNoHash')}::text[], ${col('idNoMasked')}::text[], ${col('phoneEnc')}::text[], ${col('phoneHash')}::text[],
                ${col('phoneMasked')}::text[], ${col('political')}::text[])
      as v(household_id, region_path, name, gender, birth_date, relation, ethnicity, id_no_enc, id_no_hash, id_no_masked,
           phone_enc, phone_hash, phone_masked, political)`.execute(db);
  return Number(r.numAffectedRows ?? rows.length);
}

/** Null ethnicity / political / phone mean "blank in the file": keep what is stored. */
export interface ResidentUpdate {
  id: number;
  householdId: number;
  regionPath: string;
  name: string;
  relation: string;
  ethnicity: string | null;
  political: string | null;
  phoneEnc: string | null;
  phoneHash: string | null;
  phoneMasked: string | null;
}

/** Updates only residents whose content differs; returns them with their household. */
export async function updateResidents(db: Kdb, rows: ResidentUpdate[]): Promise<{ id: number; household_id: number }[]> {
  if (rows.length === 0) return [];
  const col = <K extends keyof ResidentUpdate>(k: K) => rows.map((r) => r[k]);
  const r = await sql<{ id: number; household_id: number }>`
    update residents p set
      household_id = v.household_id, region_path = v.region_path, name = v.name, relation = v.relation,
      ethnicity = coalesce(v.ethnicity, p.ethnicity), political = coalesce(v.political, p.political),
      phone_enc = case when v.phone_hash is null or v.phone_hash = p.phone_hash then p.phone_enc else v.phone_enc end,
      phone_hash = coalesce(v.phone_hash, p.phone_hash),
      phone_masked = coalesce(v.phone_masked, p.phone_masked),
      version = p.version + 1, updated_at = now()
    from unnest(${col('id')}::bigint[], ${col('householdId')}::bigint[], ${col('regionPath')}::text[], ${col('name')}::text[],
                ${col('relation')}::text[], ${col('ethnicity')}::text[], ${col('political')}::text[], ${col('phoneEnc')}::text[],
                ${col('phoneHash')}::text[], ${col('phoneMasked')}::text[])
      as v(id, household_id, region_path, name, relation, ethnicity, political, phone_enc, phone_hash, phone_masked)
    where p.id = v.id
      and (p.household_id, p.region_path, p.name, p.relation, p.ethnicity, p.political, p.phone_hash)
          is distinct from
          (v.household_id, v.region_path, v.name, v.relation, coalesce(v.ethnicity, p.ethnicity), coalesce(v.political, p.political),
           coalesce(v.phone_hash, p.phone_hash))
    returning p.id, p.household_id`.execute(db);
  return r.rows;
}

/** member_count = residents living there (present or away), for the given households. */
export async function refreshMemberCounts(db: Kdb, householdIds: number[]): Promise<void> {
  if (householdIds.length === 0) return;
  await sql`
    update households h set member_count = c.n
    from (
      select x.id, count(p.id) filter (where p.status in ('present', 'away'))::int as n
      from unnest(${householdIds}::bigint[]) as x(id) left join residents p on p.household_id = x.id
      group by x.id
    ) c
    where h.id = c.id and h.member_count <> c.n`.execute(db);
}

export interface AuditBulkRow {
  action: string;
  entity: string;
  entityId: string;
  regionPath: string;
  before: string | null;
  after: string;
}

/** Many audit rows in one statement (same columns core/audit.ts writes one at a time). */
export async function insertAuditRows(db: Kdb, actor: Actor, note: string, rows: AuditBulkRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof AuditBulkRow>(k: K) => rows.map((r) => r[k]);
  await sql`
    insert into audit_log (county_id, actor_id, actor_name, ip, action, entity, entity_id, region_path, before, after, note)
    select ${actor.countyId}, ${actor.userId || null}::bigint, ${actor.displayName}, ${actor.ip}, v.action, v.entity, v.entity_id,
           v.region_path, v.before::jsonb, v.after::jsonb, ${note}
    from unnest(${col('action')}::text[], ${col('entity')}::text[], ${col('entityId')}::text[], ${col('regionPath')}::text[],
                ${col('before')}::text[], ${col('after')}::text[]) as v(action, entity, entity_id, region_path, before, after)`.execute(db);
}

// ---- import jobs ----

export async function insertJob(db: Kdb, j: { countyId: number; userId: number; regionId: number; fileName: string; dryRun: boolean; totalRows: number }) {
  return db
    .insertInto('import_jobs')
    .values({ county_id: j.countyId, user_id: j.userId, region_id: j.regionId, file_name: j.fileName, dry_run: j.dryRun, status: 'running', total_rows: j.totalRows, errors: '[]' })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function finishJob(db: Kdb, id: number, f: { status: 'done' | 'failed'; doneRows: number; created: number; updated: number; errors: unknown[] }) {
  await db
    .updateTable('import_jobs')
    .set({ status: f.status, done_rows: f.doneRows, created: f.created, updated: f.updated, errors: JSON.stringify(f.errors), finished_at: new Date() })
    .where('id', '=', id)
    .execute();
}

const jobCols = [
  'j.id', 'j.region_id', 'j.user_id', 'j.file_name', 'j.dry_run', 'j.status', 'j.total_rows', 'j.done_rows', 'j.created',
  'j.updated', 'j.created_at', 'j.finished_at', 'r.name as region_name', 'r.path as region_path', 'u.display_name as user_name',
] as const;

export async function findJob(db: Kdb, id: number) {
  return db
    .selectFrom('import_jobs as j')
    .innerJoin('regions as r', 'r.id', 'j.region_id')
    .leftJoin('users as u', 'u.id', 'j.user_id')
    .select([...jobCols, 'j.errors', 'j.county_id'])
    .where('j.id', '=', id)
    .executeTakeFirst();
}

export async function listJobs(db: Kdb, actor: Actor, f: { regionPath: string | null; cursor: number | null; limit: number }) {
  let q = db
    .selectFrom('import_jobs as j')
    .innerJoin('regions as r', 'r.id', 'j.region_id')
    .leftJoin('users as u', 'u.id', 'j.user_id')
    .select([...jobCols, sql<number>`jsonb_array_length(j.errors)`.as('error_count')])
    .where('j.county_id', '=', actor.countyId)
    .where(inScope(actor, 'registry.import', 'r.path'));
  if (f.regionPath) q = q.where('r.path', 'like', escapeLike(f.regionPath) + '%');
  if (f.cursor != null) q = q.where('j.id', '<', f.cursor);
  return q.orderBy('j.id', 'desc').limit(f.limit + 1).execute();
}

// ---- export ----

/** The regions under `path` and its ancestors (for township / village / group names). */
export async function regionsAroundPath(db: Kdb, path: string, ancestorIds: number[]) {
  return db
    .selectFrom('regions')
    .select(['id', 'name', 'level'])
    .where((eb) => eb.or([eb('path', 'like', escapeLike(path) + '%'), ...(ancestorIds.length ? [eb('id', 'in', ancestorIds)] : [])]))
    .execute();
}

export async function householdBatch(db: Kdb, countyId: number, path: string, afterId: number, limit: number) {
  return db
    .selectFrom('households as h')
    .leftJoin('grids as g', 'g.id', 'h.grid_id')
    .select(['h.id', 'h.code', 'h.region_id', 'h.region_path', 'h.address', 'h.householder_name', 'h.phone_enc', 'h.phone_masked',
      'h.member_count', 'h.tags', 'h.status', 'g.name as grid_name'])
    .where('h.county_id', '=', countyId)
    .where('h.region_path', 'like', escapeLike(path) + '%')
    .where('h.id', '>', afterId)
    .orderBy('h.id')
    .limit(limit)
    .execute();
}

/** The residents of these households, householder first, in household order. */
export async function residentsOfHouseholds(db: Kdb, householdIds: number[]) {
  if (householdIds.length === 0) return [];
  return db
    .selectFrom('residents as p')
    .select(['p.id', 'p.household_id', 'p.name', 'p.gender', 'p.birth_date', 'p.relation', 'p.ethnicity', 'p.id_no_enc', 'p.id_no_masked',
      'p.phone_enc', 'p.phone_masked', 'p.political', 'p.status'])
    .where('p.household_id', 'in', householdIds)
    .orderBy('p.household_id')
    .orderBy(sql`p.relation = '户主'`, 'desc')
    .orderBy('p.id')
    .execute();
}
