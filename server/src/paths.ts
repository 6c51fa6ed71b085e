/**
 * Where the server package lives, found the same way whether this code runs from its sources
 * (src/…/*.ts under tsx: tests, CLI) or from the production bundle (dist/main.mjs, `npm start`):
 * walk up from this module to the folder whose package.json is the server's. Files the server
 * reads at run time (migrations) and the repository around it are named from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findServerRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@xiangzhi/server') return dir;
    if (dirname(dir) === dir) throw new Error(`找不到服务端目录（从 ${from} 向上查找 @xiangzhi/server 的 package.json）`);
  }
}

export const SERVER_ROOT = findServerRoot(import.meta.dirname);
/** The repository: web/dist and the default ./data sit here. */
export const REPO_ROOT = dirname(SERVER_ROOT);
export const MIGRATIONS_DIR = join(SERVER_ROOT, 'src/db/migrations');
