/**
 * Two entries built into web/dist:
 *  - index.html → the console (Ant Design), served by the server at '/'
 *  - m.html     → the phone entry (antd-mobile, basename '/m'), served at '/m/*'
 * The phone entry must never import antd; its first load stays under 150 KB gzipped JS
 * (check with `node web/scripts/bundle-size.mjs` after a build).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
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
