/**
 * `npm run migrate`: applies pending migrations to the configured database (DATABASE_URL, or the
 * embedded ./data with its lock) and exits. `npm start` migrates too; this is for deployments
 * that migrate before rolling out new processes.
 */
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open.js';
import { migrate } from '../db/migrate.js';
import { DataDirLockedError } from '../db/lock.js';

async function main(): Promise<void> {
  const cfg = loadConfig();
  let opened;
  try {
    opened = await openDatabase(cfg);
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error('迁移失败：' + e.message);
      process.exit(2);
    }
    throw e;
  }
  try {
    const applied = await migrate(opened.database, (m) => console.log(m));
    console.log(applied.length ? `已执行 ${applied.length} 个迁移：${applied.join('、')}` : '数据库已是最新结构，无需迁移');
  } finally {
    await opened.database.close();
    opened.release();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
