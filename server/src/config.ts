/** All configuration comes from the environment; defaults make `npm start` work with nothing set. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generatePiiKeys, setPiiKeys } from './core/pii.js';
import { REPO_ROOT } from './paths.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null; // null → embedded PGlite in dataDir
  dataDir: string;
  webDist: string;
  secureCookie: boolean;
  tiandituKey: string | null;
  seedCounty: string; // statistical code of the demo county
  logLevel: string;
}

export function loadConfig(env = process.env): Config {
  const root = REPO_ROOT;
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || null,
    dataDir: resolve(env.DATA_DIR ?? join(root, 'data')),
    webDist: resolve(env.WEB_DIST ?? join(root, 'web/dist')),
    secureCookie: env.XZ_SECURE_COOKIE === '1',
    tiandituKey: env.TIANDITU_KEY || null,
    seedCounty: env.XZ_SEED_COUNTY ?? '430525',
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

/**
 * PII keys: XZ_PII_KEY / XZ_HASH_KEY (64 hex chars each) in production. For the embedded default
 * they are generated once into <dataDir>/keys.json (mode 600) and reused on every start.
 */
export function configurePiiKeys(cfg: Config, env = process.env): void {
  let enc = env.XZ_PII_KEY;
  let mac = env.XZ_HASH_KEY;
  if (!enc || !mac) {
    const file = join(cfg.dataDir, 'keys.json');
    if (!existsSync(file)) {
      mkdirSync(cfg.dataDir, { recursive: true });
      writeFileSync(file, JSON.stringify(generatePiiKeys()), { mode: 0o600 });
    }
    const k = JSON.parse(readFileSync(file, 'utf8')) as { enc: string; mac: string };
    enc = k.enc;
    mac = k.mac;
  }
  setPiiKeys({ enc: Buffer.from(enc, 'hex'), mac: Buffer.from(mac, 'hex') });
}
