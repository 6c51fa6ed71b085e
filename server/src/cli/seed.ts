/**
 * `npm run seed -- --county 433122 [--households-per-village N] [--reset]`
 *
 * Loads a county's real townships and villages with synthetic households, people, party members
 * and demo accounts into the configured database (DATABASE_URL, or the embedded ./data — stop
 * the server first, the data folder has one owner). Refuses a database that already holds
 * regions unless --reset, which empties the whole database (every table, the audit log included)
 * and migrates it afresh. On PostgreSQL --reset also needs --yes.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig, configurePiiKeys } from '../config.js';
import { openDatabase } from '../db/open.js';
import { migrate } from '../db/migrate.js';
import { DataDirLockedError } from '../db/lock.js';
import type { Database } from '../db/database.js';
import { AppError } from '../core/errors.js';
import { syncRoles } from '../core/roles.js';
import { readDivision } from '../seed/division.js';
import { DEFAULT_HOUSEHOLDS_PER_VILLAGE, DEFAULT_SEED, loadCounty } from '../seed/index.js';
import { DEMO_ACCOUNTS, DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD } from '../seed/demo-accounts.js';

const USAGE = `用法：npm run seed -- [--county 430525] [--households-per-village ${DEFAULT_HOUSEHOLDS_PER_VILLAGE}] [--total-households N] [--seed ${DEFAULT_SEED}] [--reset [--yes]]

  --county                   县级行政区划代码（6位），默认 XZ_SEED_COUNTY 或 430525（洞口县）
  --households-per-village   每个村合成多少户，默认 ${DEFAULT_HOUSEHOLDS_PER_VILLAGE}
  --total-households         全县合成总户数（各村 ±25%），例如 200000；给出时忽略上一项
  --seed                     随机种子，相同种子生成相同数据
  --reset                    先清空整个数据库（所有表，包括操作日志）再重建并载入
  --yes                      在 PostgreSQL（DATABASE_URL）上确认 --reset`;

class UsageError extends Error {}

function positiveInt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} 应为非负整数，收到「${v}」`);
  return Number(v);
}

async function resetDatabase(database: Database): Promise<void> {
  // Dropping the schema is the one reset that needs no list of tables and no trigger exceptions
  // (audit_log refuses DELETE and TRUNCATE by design); migrations then rebuild everything.
  await database.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      county: { type: 'string' },
      'households-per-village': { type: 'string' },
      'total-households': { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const cfg = loadConfig();
  const countyCode = values.county ?? cfg.seedCounty;
  const householdsPerVillage = positiveInt(values['households-per-village'], '--households-per-village');
  const totalHouseholds = positiveInt(values['total-households'], '--total-households');
  const seed = positiveInt(values.seed, '--seed');
  if (values.reset && cfg.databaseUrl && !values.yes) {
    throw new UsageError('--reset 会清空 DATABASE_URL 指向的整个 PostgreSQL 数据库（所有表和操作日志），确认请同时加 --yes');
  }

  await readDivision(countyCode); // an unknown code fails here, before the database is touched
  const opened = await openDatabase(cfg);
  const { database } = opened;
  try {
    configurePiiKeys(cfg);
    if (values.reset) {
      console.log('清空数据库…');
      await resetDatabase(database);
    }
    await migrate(database, (m) => console.log(m));
    await syncRoles(database.db);
    const existing = await database.db.selectFrom('regions').select(['name', 'code']).where('level', '=', 'county').execute();
    if (existing.length > 0) {
      throw new UsageError(`数据库里已有区划数据（${existing.map((c) => `${c.name} ${c.code.slice(0, 6)}`).join('、')}）。要换成新的演示县，请加 --reset（会清空整个数据库）。`);
    }
    const r = await loadCounty(database, { countyCode, householdsPerVillage, totalHouseholds, seed, log: (m) => console.log(m) });
    console.log(`\n${r.plan.county.name}：${r.townships} 个乡镇、${r.villages} 个村、${r.households} 户、${r.residents} 人，用时 ${r.seconds.toFixed(1)} 秒。`);
    console.log(`演示账号（密码均为 ${DEMO_PASSWORD}）：${DEMO_ACCOUNTS.map((a) => a.username).join(' ')}`);
    console.log(`admin 的动态口令密钥：${DEMO_ADMIN_TOTP_SECRET}`);
  } finally {
    await database.close();
    opened.release();
  }
}

main().catch((e) => {
  if (String((e as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS')) {
    console.error('参数有误：' + (e as Error).message + '\n\n' + USAGE);
    process.exit(2);
  }
  if (e instanceof UsageError || e instanceof AppError || e instanceof DataDirLockedError) {
    console.error('载入失败：' + e.message + (e instanceof AppError && e.details ? `（${JSON.stringify(e.details)}）` : ''));
    if (e instanceof UsageError) console.error('\n' + USAGE);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
