import type { Database } from '../db/database.js';
import { syncRoles } from '../core/roles.js';

/** Placeholder until the demo county loader lands: keeps roles in step. */
export async function seedIfEmpty(database: Database, _county: string, _log: (m: string) => void): Promise<void> {
  await syncRoles(database.db);
}
