import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, testApp, testDatabase, TEST_PASSWORD } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import { currentTotp } from '../../core/auth/totp.js';
import { actorFromToken } from '../../core/auth/sessions.js';
import type { App } from '../../core/module.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('login', () => {
  it('logs in, reports the caller and logs out', async () => {
    const c = new Client(app);
    await c.login('villageA1');
    const me = await c.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('villageA1');
    expect(me.body.permissions).toContain('registry.read');
    expect(String(c.cookie)).toMatch(/^xz_sid=/);
    await c.post('/api/v1/auth/logout');
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('sets an httpOnly SameSite cookie', async () => {
    const r = await new Client(app).post('/api/v1/auth/login', { username: 'villageA2', password: TEST_PASSWORD });
    const setCookie = String(r.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
  });

  it('answers a wrong password with a Chinese message, and locks after 5 failures for 15 minutes', async () => {
    const c = new Client(app);
    for (let i = 0; i < 4; i++) {
      const r = await c.post('/api/v1/auth/login', { username: 'townB', password: 'wrong' });
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('LOGIN_FAILED');
      expect(r.body.message).toBe('用户名或密码错误');
    }
    const fifth = await c.post('/api/v1/auth/login', { username: 'townB', password: 'wrong' });
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    // even the right password is refused while locked
    const right = await c.post('/api/v1/auth/login', { username: 'townB', password: TEST_PASSWORD });
    expect(right.body.code).toBe('ACCOUNT_LOCKED');
    const u = await database.db.selectFrom('users').select('locked_until').where('username', '=', 'townB').executeTakeFirstOrThrow();
    const minutes = (new Date(u.locked_until!).getTime() - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15.1);
    // once the lock has passed the right password works again
    await database.db.updateTable('users').set({ locked_until: new Date(Date.now() - 1000) }).where('username', '=', 'townB').execute();
    await new Client(app).login('townB');
    const audit = await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', String(world.users.townB)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.login_failed', 'auth.locked', 'auth.login']));
  });

  it('expires a session after 30 idle minutes', async () => {
    const c = new Client(app);
    await c.login('villageB1');
    const token = c.cookie.slice('xz_sid='.length);
    await expect(actorFromToken(database.db, token, null, Date.now() + 29 * 60_000)).resolves.toBeTruthy();
    await sql`update sessions set last_seen_at = now() - interval '31 minutes'`.execute(database.db);
    const r = await c.get('/api/v1/auth/me');
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('SESSION_EXPIRED');
  });

  it('requires TOTP for a county admin: enrol, then every login needs the code', async () => {
    const c = new Client(app);
    const first = await c.post('/api/v1/auth/login', { username: 'admin', password: TEST_PASSWORD });
    expect(first.body.mustEnrollTotp).toBe(true);
    // before enrolment the admin can reach nothing but the enrolment flow
    const blocked = await c.get('/api/v1/regions/tree');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('TOTP_REQUIRED');
    const setup = await c.post('/api/v1/auth/totp/setup');
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\//);
    const bad = await c.post('/api/v1/auth/totp/enable', { code: '000000' });
    expect(bad.body.code).toBe('TOTP_CODE_INVALID');
    expect((await c.post('/api/v1/auth/totp/enable', { code: currentTotp(setup.body.secret) })).status).toBe(200);

    const again = new Client(app);
    const noCode = await again.post('/api/v1/auth/login', { username: 'admin', password: TEST_PASSWORD });
    expect(noCode.body.code).toBe('TOTP_CODE_REQUIRED');
    const wrong = await again.post('/api/v1/auth/login', { username: 'admin', password: TEST_PASSWORD, totp: '123456' });
    expect(wrong.body.code).toBe('TOTP_CODE_INVALID');
    await again.login('admin', TEST_PASSWORD, currentTotp(setup.body.secret));
    expect((await again.get('/api/v1/auth/me')).body.mustEnrollTotp).toBe(false);
  });

  it('enforces password complexity', async () => {
    const c = new Client(app);
    await c.login('villageA2');
    const weak = await c.post('/api/v1/auth/password', { oldPassword: TEST_PASSWORD, newPassword: 'abcdefgh' });
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    const ok = await c.post('/api/v1/auth/password', { oldPassword: TEST_PASSWORD, newPassword: 'New#Pass2026' });
    expect(ok.status).toBe(200);
    await new Client(app).login('villageA2', 'New#Pass2026');
  });
});

describe('API conventions', () => {
  it('rejects malformed JSON, unknown fields, wrong types and huge bodies with Chinese messages', async () => {
    const c = new Client(app);
    const bad = await c.req('POST', '/api/v1/auth/login', '{"username": "x",', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_JSON');
    expect(bad.body.message).toMatch(/JSON/);
    const unknown = await c.post('/api/v1/auth/login', { username: 'a', password: 'b', admin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
    expect(unknown.body.message).toContain('不允许的字段');
    const wrongType = await c.post('/api/v1/auth/login', { username: { $ne: 1 }, password: 'b' });
    expect(wrongType.body.code).toBe('VALIDATION_FAILED');
    const huge = await c.req('POST', '/api/v1/auth/login', JSON.stringify({ username: 'a', password: 'x'.repeat(10 * 1024 * 1024) }), { 'content-type': 'application/json' });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('BODY_TOO_LARGE');
  });

  it('serves health and OpenAPI', async () => {
    const c = new Client(app);
    expect((await c.get('/api/health')).body.ok).toBe(true);
    const spec = await c.get('/api/openapi.json');
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toContain('/api/v1/auth/login');
  });

  it('answers unknown routes with a coded 404', async () => {
    const c = await new Client(app).login('villageB1');
    const r = await c.get('/api/v1/nope');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('keeps the audit log append-only in the database', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
  });
});
