/**
 * The one process also serves the built pages: /m and what is under it is the phone entry, every
 * other page path the console (whose own paths may start with "m", e.g. /mediation), and misses
 * under /api/ or /assets/ are real 404s, never a page.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import type { App } from './module.js';
import { testDatabase } from '../testing/harness.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'xz-web-'));
  writeFileSync(join(dist, 'index.html'), '<html>console</html>');
  writeFileSync(join(dist, 'm.html'), '<html>phone</html>');
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'assets', 'a.js'), 'export {}');
  database = await testDatabase();
  app = await buildApp({ database, webDist: dist });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

it('sends /m, /m/… and /m?… to the phone page and every other page path to the console', async () => {
  const page = async (url: string) => (await app.inject({ method: 'GET', url })).body;
  for (const url of ['/m', '/m/', '/m/cases/new', '/m?next=%2F']) expect([url, await page(url)]).toEqual([url, '<html>phone</html>']);
  for (const url of ['/', '/cases/12', '/mediation', '/disputes/pool', '/map']) expect([url, await page(url)]).toEqual([url, '<html>console</html>']);
  expect((await app.inject({ method: 'GET', url: '/assets/a.js' })).statusCode).toBe(200);
  const miss = await app.inject({ method: 'GET', url: '/assets/missing.js' });
  expect([miss.statusCode, miss.json().code]).toEqual([404, 'ROUTE_NOT_FOUND']);
  // An unknown API path is an API answer (here: not logged in), never a page.
  const api = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
  expect([api.statusCode, api.json().code]).toEqual([401, 'UNAUTHENTICATED']);
});
