/**
 * Two entries built into web/dist:
 *  - index.html → the console (Ant Design), served by the server at '/'
 *  - m.html     → the phone entry (antd-mobile, basename '/m'), served at '/m/*'
 * The phone entry must never import antd; its first load stays under 150 KB gzipped JS
 * (check with `node web/scripts/bundle-size.mjs` after a build).
 */
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

const root = import.meta.dirname;

/**
 * Emits dist/m/sw.js, the phone entry's service worker (template: web/sw/phone-sw.js), with the
 * files to keep offline: the phone page and every chunk the m.html entry can load — its static
 * imports and its lazy pages, walked through the bundle graph — with their CSS. Console-only
 * chunks (antd, ECharts) are never in the list, so a cheap phone stores only what it runs.
 */
function phoneServiceWorker(): Plugin {
  return {
    name: 'xz-phone-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((x) => x.type === 'chunk');
      const entry = chunks.find((c) => c.isEntry && c.facadeModuleId?.endsWith('m.html'));
      if (!entry) throw new Error('phone service worker: no m.html entry chunk');
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const files = new Set<string>();
      const walk = (fileName: string) => {
        if (files.has(fileName)) return;
        const c = byName.get(fileName);
        if (!c) return;
        files.add(fileName);
        for (const css of c.viteMetadata?.importedCss ?? []) files.add(css);
        for (const f of [...c.imports, ...c.dynamicImports]) walk(f);
      };
      walk(entry.fileName);
      const precache = ['/m/', ...[...files].sort().map((f) => '/' + f)];
      const build = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(resolve(root, 'sw/phone-sw.js'), 'utf8')
        .replace('const BUILD = __BUILD__;', `const BUILD = ${JSON.stringify(build)};`)
        .replace('const PRECACHE = __PRECACHE__;', `const PRECACHE = ${JSON.stringify(precache)};`);
      if (source.includes('= __')) throw new Error('phone service worker: a placeholder was not replaced');
      this.emitFile({ type: 'asset', fileName: 'm/sw.js', source });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), phoneServiceWorker()],
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: {
        index: resolve(root, 'index.html'),
        m: resolve(root, 'm.html'),
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
