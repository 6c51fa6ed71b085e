import { join } from 'node:path';
import type { Config } from '../config.js';
import { openPGlite, openPostgres, type Database } from './database.js';
import { lockDataDir } from './lock.js';

/** DATABASE_URL → PostgreSQL; otherwise embedded PGlite in <dataDir>/pg, guarded by a lock file. */
export async function openDatabase(cfg: Config): Promise<{ database: Database; release: () => void }> {
  if (cfg.databaseUrl) return { database: await openPostgres(cfg.databaseUrl), release: () => {} };
  const release = lockDataDir(cfg.dataDir);
  try {
    return { database: await openPGlite(join(cfg.dataDir, 'pg')), release };
  } catch (e) {
    release();
    throw e;
  }
}
