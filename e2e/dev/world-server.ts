/**
 * Development aid for the web pages: the real server on the small test world (server/src/testing/world.ts)
 * instead of the demo county — fast to start, with one account per role (password TEST_PASSWORD).
 *   PORT=3101 DATA_DIR=/tmp/xz-world npx tsx e2e/dev/world-server.ts
 * Not used by the e2e tests (they start server/src/main.ts with the seeded demo county).
 */
import { loadConfig, configurePiiKeys } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/open.js';
import { migrate } from '../../server/src/db/migrate.js';
import { buildApp } from '../../server/src/app.js';
import { syncRoles } from '../../server/src/core/roles.js';
import { buildWorld } from '../../server/src/testing/world.js';
import { TEST_PASSWORD } from '../../server/src/testing/harness.js';

const cfg = loadConfig();
const { database, release } = await openDatabase(cfg);
configurePiiKeys(cfg);
await migrate(database, () => {});
await syncRoles(database.db);
const any = await database.db.selectFrom('households').select('id').limit(1).executeTakeFirst();
if (!any) {
  const w = await buildWorld(database.db);
  console.log('world built:', JSON.stringify({ regions: w.regions, households: w.households, users: Object.keys(w.users) }));
}
const app = await buildApp({ database, webDist: cfg.webDist, tiandituKey: cfg.tiandituKey, logger: false, loginRateLimit: 1000 });
await app.listen({ port: cfg.port, host: '127.0.0.1' });
console.log(`world server on http://127.0.0.1:${cfg.port}/ — password ${TEST_PASSWORD}`);
const stop = async () => { await app.close(); await database.close(); release(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
