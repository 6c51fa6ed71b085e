import { it } from 'vitest';
import { testDatabase } from '../../testing/harness.js';
import { buildWorld } from '../../testing/world.js';
import { importRoster } from './import.js';
import { parseRoster } from './parse.js';
import { prepareExport } from './export.js';
import { asRosterRows, householdRows, xlsxOf } from './testing/factories.js';
import { Writable } from 'node:stream';
it('prof', { timeout: 300_000 }, async () => {
  const d = await testDatabase();
  const w = await buildWorld(d.db);
  const actor = { userId: w.users.villageA1!, username: 'x', displayName: 'x', kind: 'staff' as const, countyId: w.countyId, householdId: null, residentId: null, departmentId: null, totpPassed: true, ip: null,
    grants: [{ roleKey: 'village_cadre', regionId: w.regions.villageA1.id, regionPath: w.regions.villageA1.path, regionLevel: 'village', permissions: ['registry.import', 'registry.export'] }] };
  const rows = householdRows({ households: 2000 });
  let t = Date.now();
  const parsed = asRosterRows(rows);
  await importRoster({ db: d.db, actor }, w.regions.villageA1.id, parsed, { dryRun: true }); console.log('dry', Date.now() - t); t = Date.now();
  await importRoster({ db: d.db, actor }, w.regions.villageA1.id, parsed, { dryRun: false }); console.log('import', Date.now() - t); t = Date.now();
  const ex = await prepareExport({ db: d.db, actor }, { regionId: w.regions.villageA1.id });
  let n = 0;
  const orig = (await import('./queries.js'));
  await ex.write(new Writable({ write(c, _e, cb) { n += c.length; cb(); } }));
  console.log('export', Date.now() - t, n); t = Date.now();
  await d.drop();
});
