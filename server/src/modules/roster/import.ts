/**
 * importRoster: one village's 花名册 into households and residents, all or nothing.
 *
 *   validate every row (no database) → check against the database (groups, people registered in
 *   another village, 户编号 of another village) → if any row is bad, or on a dry run, stop with the
 *   full list → else one transaction: households, residents, member counts and audit rows, in
 *   batches of set-based statements.
 *
 * Matching makes a re-import a no-op: a household is found by 户编号, else by its householder's
 * keyed ID hash; a resident by the keyed hash of their ID number (UNIQUE per county). Rows whose
 * content is unchanged are not written at all (no version bump, no audit row).
 */
import { covers } from '../../core/actor.js';
import { audit, diff } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { AppError, defineErrors } from '../../core/errors.js';
import { encrypt, keyedHash, maskIdNumber, maskPhone } from '../../core/pii.js';
import type { ImportRowError } from '../../db/types.js';
import type { Kdb } from '../../db/database.js';
import { requireRegion } from '../regions/service.js';
import { headerOf } from './columns.js';
import type { RosterRow } from './parse.js';
import * as q from './queries.js';
import { planRows, type PlannedHousehold, type PlannedResident } from './validate.js';

defineErrors({
  ROSTER_REGION_NOT_VILLAGE: { status: 400, message: '花名册须按村导入，请选择一个村（社区）' },
  ROSTER_CODES_EXHAUSTED: { status: 409, message: '该村民小组的户编号已用完（最多9999户），请联系管理员' },
});

export interface ImportOptions {
  dryRun: boolean;
  /** Called as rows are checked and written; cheap, may be called often. */
  onProgress?: (doneRows: number, totalRows: number) => void;
  /** Names the file's job in audit notes. */
  jobId?: number;
}

export interface ImportResult {
  totalRows: number;
  doneRows: number;
  /** Residents (rows) inserted / matched to someone already registered. */
  created: number;
  updated: number;
  households: { created: number; updated: number };
  /** Rows and households whose stored content actually changed. */
  changed: { households: number; residents: number };
  errors: ImportRowError[];
}

/** Households per write batch: ~3,500 residents, a few statements, one progress tick. */
const BATCH = 1000;
const LOOKUP_CHUNK = 5000;

interface Village {
  id: number;
  name: string;
  path: string;
  countyId: number;
}

export async function requireVillage(ctx: Ctx, regionId: number): Promise<Village> {
  const r = await requireRegion(ctx, regionId, 'registry.import');
  if (r.level !== 'village') throw new AppError('ROSTER_REGION_NOT_VILLAGE', { regionId, level: r.level });
  return { id: r.id, name: r.name, path: r.path, countyId: r.county_id! };
}

export async function importRoster(ctx: Ctx, regionId: number, rows: RosterRow[], opts: ImportOptions): Promise<ImportResult> {
  const village = await requireVillage(ctx, regionId);
  const total = rows.length;
  const plan = planRows(rows);
  const hashes = hashAll(plan.households);
  const result: ImportResult = {
    totalRows: total, doneRows: 0, created: 0, updated: 0, households: { created: 0, updated: 0 }, changed: { households: 0, residents: 0 }, errors: [],
  };

  const run = async (db: Kdb) => {
    const checked = await checkAgainstDb(db, ctx, village, plan.households, hashes);
    result.errors = [...plan.errors, ...checked.errors].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
    if (result.errors.length > 0 || opts.dryRun) {
      // A dry run reports what a real run would do, counted the same way.
      for (const h of checked.resolved) {
        result.households[h.existing ? 'updated' : 'created']++;
        for (const p of h.plan.residents) result[checked.residents.has(hashes.get(p.idNumber)!) ? 'updated' : 'created']++;
      }
      result.doneRows = total;
      opts.onProgress?.(total, total);
      return;
    }
    await write({ ...ctx, db }, village, checked, hashes, result, opts);
  };

  if (opts.dryRun) await run(ctx.db);
  else await inTransaction(ctx, async (tx) => {
    // One import per village at a time: generated 户编号 and matching must see each other's rows.
    await q.lockVillage(tx.db, village.id);
    await run(tx.db);
  });
  return result;
}

function hashAll(households: PlannedHousehold[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const h of households) for (const p of h.residents) m.set(p.idNumber, keyedHash(p.idNumber));
  return m;
}

interface Resolved {
  plan: PlannedHousehold;
  group: { id: number; code: string; path: string };
  existing: q.ExistingHousehold | null;
}

interface Checked {
  errors: ImportRowError[];
  resolved: Resolved[];
  residents: Map<string, q.ExistingResident>; // by id_no_hash
}

async function checkAgainstDb(db: Kdb, ctx: Ctx, village: Village, households: PlannedHousehold[], hashes: Map<string, string>): Promise<Checked> {
  const errors: ImportRowError[] = [];
  const err = (row: number, field: Parameters<typeof headerOf>[0], reason: string) => errors.push({ row, column: headerOf(field), reason });

  const groups = new Map<string, { id: number; code: string; path: string }>();
  for (const g of await q.groupsOfVillage(db, village.id)) {
    if (!covers(ctx.actor, 'registry.import', g.path)) continue;
    groups.set(g.name, g);
    groups.set(g.code, g);
  }

  const residents = new Map<string, q.ExistingResident>();
  const allHashes = [...hashes.values()];
  for (let i = 0; i < allHashes.length; i += LOOKUP_CHUNK) {
    for (const r of await q.residentsByHashes(db, village.countyId, allHashes.slice(i, i + LOOKUP_CHUNK))) residents.set(r.id_no_hash, r);
  }

  const codes = households.filter((h) => h.code).map((h) => h.code!);
  const byCode = new Map<string, q.ExistingHousehold>();
  for (let i = 0; i < codes.length; i += LOOKUP_CHUNK) {
    for (const h of await q.householdsByCodes(db, village.countyId, codes.slice(i, i + LOOKUP_CHUNK))) byCode.set(h.code, h);
  }
  const holderHashes = households.filter((h) => !h.code && h.householder).map((h) => hashes.get(h.householder!.idNumber)!);
  const byHolder = new Map<string, q.ExistingHousehold>();
  for (let i = 0; i < holderHashes.length; i += LOOKUP_CHUNK) {
    for (const h of await q.householdsByHolderHashes(db, village.countyId, village.path, holderHashes.slice(i, i + LOOKUP_CHUNK))) {
      if (!byHolder.has(h.householder_id_hash!)) byHolder.set(h.householder_id_hash!, h);
    }
  }

  const claimed = new Map<number, number>(); // existing household id → row that claimed it
  const resolved: Resolved[] = [];
  for (const h of households) {
    let ok = true;
    for (const p of h.residents) {
      const found = residents.get(hashes.get(p.idNumber)!);
      if (found && !found.region_path.startsWith(village.path)) {
        err(p.row, 'idNumber', '此人已登记在其他村，一人只能在一处登记；请先由原村办理迁出');
        ok = false;
      }
    }
    const group = groups.get(h.group);
    if (h.group && !group) {
      err(h.row, 'group', `本村没有名为“${h.group}”的村民小组`);
      ok = false;
    }
    let existing: q.ExistingHousehold | null = null;
    if (h.code) {
      existing = byCode.get(h.code) ?? null;
      if (existing && !existing.region_path.startsWith(village.path)) {
        err(h.row, 'householdCode', `户编号“${h.code}”已是其他村的户，不能导入到本村`);
        ok = false;
      }
    } else if (h.householder) {
      existing = byHolder.get(hashes.get(h.householder.idNumber)!) ?? null;
    }
    if (existing && ok) {
      const other = claimed.get(existing.id);
      if (other !== undefined) {
        err(h.row, h.code ? 'householdCode' : 'idNumber', `与第${other}行的户对应系统中的同一户（户编号${existing.code}），请合并为一户`);
        ok = false;
      } else claimed.set(existing.id, h.row);
    }
    if (ok && group && h.householder) resolved.push({ plan: h, group, existing });
  }
  return { errors, resolved, residents };
}

/**
 * Next free 户编号 per group: 小组代码 + 4-digit sequence, as registry numbers new households.
 * Codes the file itself gives to new households are skipped, so the two never collide.
 */
async function codeAllocator(db: Kdb, countyId: number, reserved: Set<string>) {
  const next = new Map<string, number>();
  return async (groupCode: string): Promise<string> => {
    let n = next.get(groupCode);
    if (n === undefined) n = (await q.maxHouseholdSuffix(db, countyId, groupCode)) + 1;
    let code: string;
    do {
      if (n > 9999) throw new AppError('ROSTER_CODES_EXHAUSTED', { groupCode });
      code = groupCode + String(n++).padStart(4, '0');
    } while (reserved.has(code));
    next.set(groupCode, n);
    return code;
  };
}

function sealedPhone(p: string | null) {
  return p ? { phoneEnc: encrypt(p), phoneHash: keyedHash(p), phoneMasked: maskPhone(p) } : { phoneEnc: null, phoneHash: null, phoneMasked: null };
}

async function write(ctx: Ctx, village: Village, checked: Checked, hashes: Map<string, string>, result: ImportResult, opts: ImportOptions) {
  const db = ctx.db;
  const countyId = village.countyId;
  const nextCode = await codeAllocator(db, countyId, new Set(checked.resolved.filter((h) => h.plan.code).map((h) => h.plan.code!)));
  const note = opts.jobId ? `花名册导入（任务 #${opts.jobId}）` : '花名册导入';
  let done = 0;

  for (let i = 0; i < checked.resolved.length; i += BATCH) {
    const batch = checked.resolved.slice(i, i + BATCH);

    // 1. households: insert the new, update the changed, learn every id.
    const inserts: q.HouseholdInsert[] = [];
    const updates: q.HouseholdUpdate[] = [];
    const idOf = new Map<Resolved, number>();
    const codeOf = new Map<Resolved, string>();
    for (const h of batch) {
      const holder = h.plan.householder!;
      const base = {
        regionId: h.group.id, regionPath: h.group.path, address: h.plan.address, householderName: holder.name,
        householderIdHash: hashes.get(holder.idNumber)!, ...sealedPhone(holder.phone),
      };
      if (h.existing) {
        updates.push({ ...base, id: h.existing.id, tags: h.plan.tags.length ? h.plan.tags : null });
        idOf.set(h, h.existing.id);
        codeOf.set(h, h.existing.code);
      } else {
        const code = h.plan.code ?? (await nextCode(h.group.code));
        inserts.push({ ...base, code, tags: h.plan.tags, memberCount: h.plan.residents.length });
        codeOf.set(h, code);
      }
    }
    const insertedIds = new Map((await q.insertHouseholds(db, countyId, inserts)).map((r) => [r.code, r.id]));
    for (const h of batch) if (!h.existing) idOf.set(h, insertedIds.get(codeOf.get(h)!)!);
    const changedHouseholds = new Set(await q.updateHouseholds(db, updates));

    // 2. residents: insert the new, update the matched (moving them between households if the file says so).
    const rIns: q.ResidentInsert[] = [];
    const rUpd: q.ResidentUpdate[] = [];
    // member_count changes only where someone arrives or leaves; a new household of new people is
    // counted at insert, so a first import or a re-import refreshes next to nothing.
    const touched = new Set<number>();
    const perHousehold = new Map<number, { created: string[]; updated: string[] }>();
    for (const h of batch) {
      const householdId = idOf.get(h)!;
      perHousehold.set(householdId, { created: [], updated: [] });
      for (const p of h.plan.residents) {
        const hash = hashes.get(p.idNumber)!;
        const found = checked.residents.get(hash);
        if (found) {
          if (found.household_id !== householdId) touched.add(found.household_id).add(householdId);
          rUpd.push(residentUpdate(found.id, householdId, h.group.path, p));
          result.updated++;
        } else {
          if (h.existing) touched.add(householdId);
          rIns.push(residentInsert(householdId, h.group.path, p, hash));
          perHousehold.get(householdId)!.created.push(p.name);
          result.created++;
        }
      }
    }
    await q.insertResidents(db, countyId, rIns);
    const changedResidents = await q.updateResidents(db, rUpd);
    const nameOf = new Map(rUpd.map((u) => [u.id, u.name]));
    for (const r of changedResidents) perHousehold.get(r.household_id)?.updated.push(nameOf.get(r.id)!);
    await q.refreshMemberCounts(db, [...touched]);

    // 3. one audit row per household that was created or changed (itself or its people).
    await q.insertAuditRows(db, ctx.actor, note, auditRows(batch, idOf, codeOf, changedHouseholds, perHousehold));

    result.households.created += inserts.length;
    result.households.updated += updates.length;
    result.changed.households += changedHouseholds.size + inserts.length;
    result.changed.residents += rIns.length + changedResidents.length;
    done += batch.reduce((n, h) => n + h.plan.residents.length, 0);
    result.doneRows = done;
    opts.onProgress?.(done, result.totalRows);
  }
  result.doneRows = result.totalRows;

  await audit(ctx, {
    action: 'roster.import', entity: 'region', entityId: village.id, regionPath: village.path, note,
    after: { rows: result.totalRows, created: result.created, updated: result.updated, households: result.households, changed: result.changed },
  });
}

function residentInsert(householdId: number, regionPath: string, p: PlannedResident, hash: string): q.ResidentInsert {
  return {
    householdId, regionPath, name: p.name, gender: p.gender, birthDate: p.birthDate, relation: p.relation, ethnicity: p.ethnicity,
    idNoEnc: encrypt(p.idNumber), idNoHash: hash, idNoMasked: maskIdNumber(p.idNumber), political: p.political, ...sealedPhone(p.phone),
  };
}

/** Blank optional cells keep what is stored: a roster without phones must not erase them. */
function residentUpdate(id: number, householdId: number, regionPath: string, p: PlannedResident): q.ResidentUpdate {
  return {
    id, householdId, regionPath, name: p.name, relation: p.relation,
    ethnicity: p.ethnicityGiven ? p.ethnicity : null, political: p.politicalGiven ? p.political : null, ...sealedPhone(p.phone),
  };
}

function auditRows(
  batch: Resolved[], idOf: Map<Resolved, number>, codeOf: Map<Resolved, string>, changed: Set<number>,
  people: Map<number, { created: string[]; updated: string[] }>,
): q.AuditBulkRow[] {
  const out: q.AuditBulkRow[] = [];
  for (const h of batch) {
    const id = idOf.get(h)!;
    const p = people.get(id)!;
    const holder = h.plan.householder!;
    const now = {
      regionId: h.group.id, address: h.plan.address, householderName: holder.name,
      phoneMasked: holder.phone ? maskPhone(holder.phone) : (h.existing?.phone_masked ?? null),
      tags: h.plan.tags.length || !h.existing ? h.plan.tags : h.existing.tags,
    };
    const residents = { residentsCreated: p.created, residentsUpdated: p.updated };
    if (!h.existing) {
      out.push({ action: 'household.create', entity: 'household', entityId: String(id), regionPath: h.group.path, before: null,
        after: JSON.stringify({ code: codeOf.get(h), ...now, ...residents }) });
      continue;
    }
    if (!changed.has(id) && p.created.length === 0 && p.updated.length === 0) continue;
    const e = h.existing;
    const d = diff({ regionId: e.region_id, address: e.address, householderName: e.householder_name, phoneMasked: e.phone_masked, tags: e.tags }, now);
    out.push({ action: 'household.import', entity: 'household', entityId: String(id), regionPath: h.group.path,
      before: JSON.stringify(d.before), after: JSON.stringify({ ...d.after, ...residents }) });
  }
  return out;
}
