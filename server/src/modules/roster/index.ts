/**
 * Roster (花名册): a village's households and residents in and out of spreadsheets — the
 * template, the all-or-nothing import with a dry run and per-row errors, and the export.
 * importRoster() is exported for the benchmark and for seeding.
 */
import type { ModuleDef } from '../../core/module.js';
import { rosterRoutes } from './routes.js';

export { importRoster, type ImportOptions, type ImportResult } from './import.js';
export { parseRoster, type RosterRow } from './parse.js';
export { drainImports, runImport } from './jobs.js';

export const rosterModule: ModuleDef = {
  name: 'roster',
  routes: rosterRoutes,
  menu: [{ key: 'menu.roster', path: '/roster', permission: 'registry.import' }],
};
