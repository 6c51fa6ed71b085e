/**
 * `npm start`: lock ./data (embedded) or connect to DATABASE_URL, migrate, load the demo county on
 * first run, serve API + console + phone pages on one port.
 */
import { loadConfig, configurePiiKeys } from './config.js';
import { openDatabase } from './db/open.js';
import { migrate } from './db/migrate.js';
import { buildApp } from './app.js';
import { seedIfEmpty } from './seed/index.js';
import { startJobRunner } from './core/jobs.js';
import { DataDirLockedError } from './db/lock.js';

async function main() {
  const cfg = loadConfig();
  let opened;
  try {
    opened = await openDatabase(cfg);
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error('启动失败：' + e.message);
      process.exit(2);
    }
    throw e;
  }
  const { database } = opened;
  configurePiiKeys(cfg);
  await migrate(database, (m) => console.log(m));
  await seedIfEmpty(database, cfg.seedCounty, (m) => console.log(m));
  const app = await buildApp({
    database,
    webDist: cfg.webDist,
    secureCookie: cfg.secureCookie,
    tiandituKey: cfg.tiandituKey,
    logger: { level: cfg.logLevel },
  });
  const stopJobs = startJobRunner(database.db);
  await app.listen({ port: cfg.port, host: cfg.host });
  console.log(`乡治已启动：控制台 http://localhost:${cfg.port}/  手机端 http://localhost:${cfg.port}/m/  接口文档 http://localhost:${cfg.port}/api/docs  （数据库：${database.kind === 'pglite' ? '嵌入式 PGlite ' + cfg.dataDir : 'PostgreSQL'}）`);
  const shutdown = async () => {
    stopJobs();
    await app.close();
    await database.close();
    opened.release();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
