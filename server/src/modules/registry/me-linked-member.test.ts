/**
 * 我的家庭: the villager sees the party member who links their household, masked like every number,
 * and gets the full number to call only by asking for it — which the audit log records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import { decrypt } from '../../core/pii.js';
import { grantRole } from '../../core/roles.js';
import { hashPassword } from '../../core/auth/password.js';
import { TEST_PASSWORD } from '../../testing/harness.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let w: World;
let memberPhone: string;
let householdPhone: string;

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  w = await buildWorld(db);
  const org = await db.insertInto('party_orgs').values({ county_id: w.countyId, region_id: w.regions.villageA1.id, region_path: w.regions.villageA1.path, kind: 'branch', name: '一村党支部' }).returning('id').executeTakeFirstOrThrow();
  // The member is 李秀英, householder of hA1b (who has a phone); she links 张建国's household hA1a.
  const resident = await db.selectFrom('residents').select(['id', 'phone_enc']).where('household_id', '=', w.households.hA1b).where('relation', '=', '户主').executeTakeFirstOrThrow();
  memberPhone = decrypt(resident.phone_enc!);
  const m = await db.insertInto('party_members').values({ county_id: w.countyId, org_id: org.id, region_path: w.regions.groupA1.path, resident_id: resident.id, name: '李秀英' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('member_household_links').values({ county_id: w.countyId, member_id: m.id, household_id: w.households.hA1a, region_path: w.regions.groupA1.path }).execute();
  // A member without a resident row (no phone on record) links 三村's hB1a.
  const orgB = await db.insertInto('party_orgs').values({ county_id: w.countyId, region_id: w.regions.villageB1.id, region_path: w.regions.villageB1.path, kind: 'branch', name: '三村党支部' }).returning('id').executeTakeFirstOrThrow();
  const mB = await db.insertInto('party_members').values({ county_id: w.countyId, org_id: orgB.id, region_path: w.regions.groupB1.path, resident_id: null, name: '外来党员' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('member_household_links').values({ county_id: w.countyId, member_id: mB.id, household_id: w.households.hB1a, region_path: w.regions.groupB1.path }).execute();
  // A member with no mobile of her own (赵春华's spouse in 二村) is reached at her household's phone;
  // she links 刘志强's household hA2b, whose householder gets an account here.
  const orgA2 = await db.insertInto('party_orgs').values({ county_id: w.countyId, region_id: w.regions.villageA2.id, region_path: w.regions.villageA2.path, kind: 'branch', name: '二村党支部' }).returning('id').executeTakeFirstOrThrow();
  const spouse = await db.selectFrom('residents').select(['id', 'phone_enc']).where('household_id', '=', w.households.hA2a).where('relation', '=', '配偶').executeTakeFirstOrThrow();
  expect(spouse.phone_enc).toBeNull();
  householdPhone = decrypt((await db.selectFrom('households').select('phone_enc').where('id', '=', w.households.hA2a).executeTakeFirstOrThrow()).phone_enc!);
  const mA2 = await db.insertInto('party_members').values({ county_id: w.countyId, org_id: orgA2.id, region_path: w.regions.groupA2.path, resident_id: spouse.id, name: '赵家1' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('member_household_links').values({ county_id: w.countyId, member_id: mA2.id, household_id: w.households.hA2b, region_path: w.regions.groupA2.path }).execute();
  const u = await db.insertInto('users').values({ county_id: w.countyId, username: 'villagerA2', display_name: '刘志强', kind: 'villager', password_hash: await hashPassword(TEST_PASSWORD), household_id: w.households.hA2b }).returning('id').executeTakeFirstOrThrow();
  await grantRole(db, u.id, 'villager', w.regions.villageA2.id);
  app = await testApp(database);
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('GET /me/household — linked party member', () => {
  it('names the member with a masked number; the full one comes on asking, and is audited', async () => {
    const c = await new Client(app).login('villagerA1');
    const r = await c.get('/api/v1/me/household');
    expect(r.status).toBe(200);
    expect(memberPhone).toMatch(/^1\d{10}$/);
    expect(r.body.linkedMember).toEqual({ id: expect.any(Number), name: '李秀英', hasPhone: true, phoneMasked: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/) });
    expect(JSON.stringify(r.body)).not.toContain(memberPhone);
    // the household's own people stay masked
    expect(JSON.stringify(r.body.residents)).not.toMatch(/\d{17}[\dX]/);
    const call = await c.post('/api/v1/me/household/linked-member/phone', {});
    expect(call.status).toBe(200);
    expect(call.body).toEqual({ memberId: r.body.linkedMember.id, name: '李秀英', phone: memberPhone });
    const log = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'pii.reveal').where('entity', '=', 'party_member').execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ entity_id: String(r.body.linkedMember.id), note: '村民拨打联户党员电话' });
    expect(JSON.stringify(log[0])).not.toContain(memberPhone);
  });

  it('a member without a mobile of their own: the household phone of the member', async () => {
    const c = await new Client(app).login('villagerA2');
    const r = await c.get('/api/v1/me/household');
    expect(r.body.linkedMember).toMatchObject({ name: '赵家1', hasPhone: true, phoneMasked: householdPhone.slice(0, 3) + '****' + householdPhone.slice(-4) });
    expect((await c.post('/api/v1/me/household/linked-member/phone', {})).body.phone).toBe(householdPhone);
  });

  it('a member with no phone on record: name only, and nothing to reveal', async () => {
    const c = await new Client(app).login('villagerB1');
    const r = await c.get('/api/v1/me/household');
    expect(r.body.linkedMember).toMatchObject({ name: '外来党员', hasPhone: false, phoneMasked: null });
    expect((await c.post('/api/v1/me/household/linked-member/phone', {})).status).toBe(404);
  });
});
