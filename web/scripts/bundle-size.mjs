#!/usr/bin/env node
/**
 * Prints the gzipped size of the JavaScript each entry loads first (the entry script plus the
 * chunks Vite preloads for it), from web/dist. Budget: phone entry ≤ 150 KB.
 *   node web/scripts/bundle-size.mjs          human-readable
 *   node web/scripts/bundle-size.mjs --json   {"m": {"jsGzip": ..., "cssGzip": ..., "files": [...]}, "index": {...}}
 * Exits 1 when the phone entry is over budget.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(import.meta.dirname, '../dist');
const PHONE_BUDGET = 150 * 1024;

function firstLoad(html) {
  const text = readFileSync(join(dist, html), 'utf8');
  const js = new Set();
  const css = new Set();
  for (const m of text.matchAll(/<script[^>]+src="([^"]+)"/g)) js.add(m[1]);
  for (const m of text.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)) js.add(m[1]);
  for (const m of text.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)) css.add(m[1]);
  const size = (files) => [...files].map((f) => {
    const buf = readFileSync(join(dist, f.replace(/^\//, '')));
    return { file: f, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  });
  const jsFiles = size(js);
  const cssFiles = size(css);
  return {
    jsGzip: jsFiles.reduce((a, f) => a + f.gzip, 0),
    jsRaw: jsFiles.reduce((a, f) => a + f.bytes, 0),
    cssGzip: cssFiles.reduce((a, f) => a + f.gzip, 0),
    files: [...jsFiles, ...cssFiles],
  };
}

if (!existsSync(join(dist, 'm.html'))) {
  console.error('web/dist 不存在，请先运行 npm run build');
  process.exit(2);
}
const out = { m: firstLoad('m.html'), index: firstLoad('index.html') };
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
if (process.argv.includes('--json')) console.log(JSON.stringify(out, null, 2));
else {
  for (const [name, r] of Object.entries(out)) {
    console.log(`${name === 'm' ? '手机端 m.html' : '控制台 index.html'}: 首屏 JS ${kb(r.jsGzip)} gzip（原始 ${kb(r.jsRaw)}），CSS ${kb(r.cssGzip)} gzip`);
    for (const f of r.files) console.log(`   ${f.file}  ${kb(f.gzip)}`);
  }
  console.log(`手机端预算 ${kb(PHONE_BUDGET)}：${out.m.jsGzip <= PHONE_BUDGET ? '达标' : '超出'}`);
}
process.exit(out.m.jsGzip <= PHONE_BUDGET ? 0 : 1);
