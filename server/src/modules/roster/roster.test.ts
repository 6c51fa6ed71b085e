import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import type { Actor } from '../../core/actor.js';
import { actorFromToken } from '../../core/auth/sessions.js';
import { decrypt, keyedHash, makeIdNumber } from '../../core/pii.js';
import { drainImports, importRoster } from './index.js';
import { asRosterRows, csvOf, householdRows, idFor, multipart, readWorkbook, xlsxOf, type RowInput } from './testing/factories.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
let clerk: Client; // village_cadre of 一村 (registry.import, registry.export, pii.reveal there)

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
  clerk = await new Client(app).login('villageA1');
});
afterAll(async () => {
  await drainImports();
  await app?.close();
  await database?.drop();
});

const db = () => database.db;

async function upload(c: Client, regionId: number, file: Buffer, fileName: string, dryRun: 0 | 1) {
  const m = multipart(file, fileName);
  return c.post(`/api/v1/roster/import?regionId=${regionId}&dryRun=${dryRun}`, m.body, m.headers);
}

/** Uploads and waits for the job to finish; returns the job as GET reports it. */
async function importFile(c: Client, regionId: number, file: Buffer, fileName: string, dryRun: 0 | 1) {
  const r = await upload(c, regionId, file, fileName, dryRun);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return waitJob(c, r.body.jobId);
}

async function waitJob(c: Client, jobId: number) {
  await drainImports();
  for (let i = 0; i < 100; i++) {
    const j = await c.get(`/api/v1/roster/import/${jobId}`);
    expect(j.status).toBe(200);
    if (j.body.status !== 'running') return j.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

async function counts() {
  const r = await sql<{ h: number; p: number }>`select (select count(*) from households)::int as h, (select count(*) from residents)::int as p`.execute(db());
  return r.rows[0]!;
}

async function download(c: Client, url: string) {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: c.cookie } });
  return { status: res.statusCode, headers: res.headers, raw: res.rawPayload, json: () => JSON.parse(res.body) };
}

async function actorOf(c: Client): Promise<Actor> {
  return actorFromToken(db(), c.cookie.slice('xz_sid='.length), null);
}

describe('template', () => {
  it('has the 花名册 sheet with the Chinese headers, a sample row and the 填写说明 sheet', async () => {
    const r = await download(clerk, `/api/v1/roster/template.xlsx?regionId=${world.regions.villageA1.id}`);
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toContain('spreadsheetml');
    expect(String(r.headers['content-disposition'])).toContain("filename*=UTF-8''");
    const wb = await readWorkbook(r.raw);
    expect(Object.keys(wb)).toEqual(['花名册', '填写说明']);
    expect(wb['花名册']![0]).toEqual(['户编号(可空)', '村民小组', '门牌地址', '姓名', '与户主关系', '身份证号', '手机号', '民族', '政治面貌', '户标签']);
    expect(wb['花名册']![1]![0]).toMatch(/^示例/);
    expect(wb['填写说明']!.length).toBeGreaterThan(10);
  });

  it('imported untouched, the sample row is skipped and the file is reported empty', async () => {
    const t = await download(clerk, '/api/v1/roster/template.xlsx');
    const r = await upload(clerk, world.regions.villageA1.id, t.raw, '模板.xlsx', 1);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('ROSTER_FILE_EMPTY');
  });

  it('needs registry.import', async () => {
    const v = await new Client(app).login('villagerA1');
    expect((await v.get('/api/v1/roster/template.xlsx')).status).toBe(403);
  });
});

describe('import a good file', () => {
  const rows = householdRows({ households: 4, membersPerHousehold: 3, start: 100 });

  it('dry run reports what would happen and writes nothing to the registry', async () => {
    const before = await counts();
    const job = await importFile(clerk, world.regions.villageA1.id, await xlsxOf(rows), '一村花名册.xlsx', 1);
    expect(job).toMatchObject({ status: 'done', dryRun: true, totalRows: 12, doneRows: 12, created: 12, updated: 0, errors: [] });
    expect(await counts()).toEqual(before);
  });

  it('imports an .xlsx: households with generated codes, residents with gender and birth date from the ID number', async () => {
    const before = await counts();
    const job = await importFile(clerk, world.regions.villageA1.id, await xlsxOf(rows), '一村花名册.xlsx', 0);
    expect(job).toMatchObject({ status: 'done', dryRun: false, totalRows: 12, doneRows: 12, created: 12, updated: 0, errors: [] });
    expect(await counts()).toEqual({ h: before.h + 4, p: before.p + 12 });

    const holder = rows[0]!;
    const h = await db().selectFrom('households').selectAll().where('householder_id_hash', '=', keyedHash(holder.idNumber!)).executeTakeFirstOrThrow();
    expect(h.code).toMatch(/^430525100201001\d{4}$/);
    expect(h.region_id).toBe(world.regions.groupA1.id);
    expect(h.region_path).toBe(world.regions.groupA1.path);
    expect(h.member_count).toBe(3);
    expect(h.address).toBe(holder.address);
    expect(h.tags).toEqual(['脱贫户', '独居老人']);
    expect(h.phone_masked).toBe(holder.phone!.slice(0, 3) + '****' + holder.phone!.slice(-4));
    expect(decrypt(h.phone_enc!)).toBe(holder.phone);

    const people = await db().selectFrom('residents').selectAll().where('household_id', '=', h.id).orderBy('id').execute();
    expect(people.map((p) => p.relation)).toEqual(['户主', '配偶', '子']);
    const id = holder.idNumber!;
    expect(people[0]).toMatchObject({ name: holder.name, gender: 'M', birth_date: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, political: 'party' });
    expect(people[1]!.gender).toBe('F');
    expect(people[2]!.ethnicity).toBe('苗族');
    expect(people[1]!.ethnicity).toBe('汉族');
    expect(people[0]!.id_no_masked).toBe(id.slice(0, 6) + '********' + id.slice(-4));
    expect(people.every((p) => p.id_no_enc.startsWith('v1.') && !p.id_no_enc.includes(id))).toBe(true);

    const a = await db().selectFrom('audit_log').selectAll().where('action', '=', 'roster.import').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(a.entity_id).toBe(String(world.regions.villageA1.id));
    expect(a.region_path).toBe(world.regions.villageA1.path);
    expect(a.after).toMatchObject({ rows: 12, created: 12, updated: 0 });
    const perHousehold = await db().selectFrom('audit_log').select('action').where('entity', '=', 'household').where('entity_id', '=', String(h.id)).execute();
    expect(perHousehold.map((x) => x.action)).toEqual(['household.create']);
  });

  it('re-importing the same file changes nothing: no new rows, updated = rows, versions untouched', async () => {
    const before = await counts();
    const versions = await db().selectFrom('residents').select(['id', 'version']).orderBy('id').execute();
    const auditBefore = await db().selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).where('entity', '=', 'household').executeTakeFirstOrThrow();
    const job = await importFile(clerk, world.regions.villageA1.id, await xlsxOf(rows), '一村花名册.xlsx', 0);
    expect(job).toMatchObject({ status: 'done', created: 0, updated: 12, errors: [] });
    expect(await counts()).toEqual(before);
    expect(await db().selectFrom('residents').select(['id', 'version']).orderBy('id').execute()).toEqual(versions);
    const auditAfter = await db().selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).where('entity', '=', 'household').executeTakeFirstOrThrow();
    expect(auditAfter.n).toBe(auditBefore.n);
  });

  it('a changed phone updates the resident and the household; blank optional cells keep stored values', async () => {
    const changed = rows.map((r) => ({ ...r, ethnicity: '', political: '' }));
    changed[0] = { ...changed[0]!, phone: '13912345678' };
    const job = await importFile(clerk, world.regions.villageA1.id, csvOf(changed, { bom: true }), '改号.csv', 0);
    expect(job).toMatchObject({ status: 'done', created: 0, updated: 12 });
    const p = await db().selectFrom('residents').selectAll().where('id_no_hash', '=', keyedHash(rows[0]!.idNumber!)).executeTakeFirstOrThrow();
    expect(p.phone_hash).toBe(keyedHash('13912345678'));
    expect(p.phone_masked).toBe('139****5678');
    expect(p.version).toBe(2);
    expect(p.political).toBe('party'); // blank 政治面貌 kept 中共党员
    const h = await db().selectFrom('households').selectAll().where('id', '=', p.household_id).executeTakeFirstOrThrow();
    expect(h.phone_hash).toBe(keyedHash('13912345678'));
    expect(h.version).toBe(2);
    expect(h.tags).toEqual(['脱贫户', '独居老人']);
    const miao = await db().selectFrom('residents').select('ethnicity').where('id_no_hash', '=', keyedHash(rows[2]!.idNumber!)).executeTakeFirstOrThrow();
    expect(miao.ethnicity).toBe('苗族');
    const history = await db().selectFrom('audit_log').selectAll().where('entity', '=', 'household').where('entity_id', '=', String(h.id)).orderBy('id').execute();
    expect(history.map((x) => x.action)).toEqual(['household.create', 'household.import']);
    expect(history[1]!.after).toMatchObject({ phoneMasked: '139****5678', residentsUpdated: [rows[0]!.name] });
  });

  it('matches by 户编号: a member moves between households and member counts follow', async () => {
    const [a, b] = await db().selectFrom('households').select(['id', 'code']).where('householder_id_hash', 'in', [keyedHash(rows[3]!.idNumber!), keyedHash(rows[6]!.idNumber!)]).orderBy('id').execute();
    // The file moves rows[5] (a child of household A) into household B, naming households by code.
    const file: RowInput[] = [
      { ...rows[3]!, householdCode: a!.code }, { ...rows[4]!, householdCode: a!.code },
      { ...rows[6]!, householdCode: b!.code }, { ...rows[7]!, householdCode: b!.code }, { ...rows[8]!, householdCode: b!.code },
      { ...rows[5]!, householdCode: b!.code, relation: '其他' },
    ];
    const job = await importFile(clerk, world.regions.villageA1.id, await xlsxOf(file), '调户.xlsx', 0);
    expect(job).toMatchObject({ status: 'done', created: 0, updated: 6 });
    const mc = await db().selectFrom('households').select(['id', 'member_count']).where('id', 'in', [a!.id, b!.id]).orderBy('id').execute();
    expect(mc.map((x) => x.member_count)).toEqual([2, 4]);
  });

  it('imports a GBK-encoded .csv as Excel on Chinese Windows saves it', async () => {
    const gbk = householdRows({ households: 2, start: 300, group: '一组' });
    const job = await importFile(clerk, world.regions.villageA1.id, csvOf(gbk, { encoding: 'gbk' }), 'gbk.csv', 0);
    expect(job).toMatchObject({ status: 'done', created: 6, errors: [] });
    const p = await db().selectFrom('residents').select('name').where('id_no_hash', '=', keyedHash(gbk[0]!.idNumber!)).executeTakeFirstOrThrow();
    expect(p.name).toBe(gbk[0]!.name);
  });

  it('keeps a given 户编号 for a new household and reads a header below a title row', async () => {
    const r = householdRows({ households: 1, start: 400, withCodes: 'YC-' });
    const wbRows = [{ householdCode: '一村花名册（2026年）' } as RowInput, ...r];
    const buf = await xlsxOf(wbRows);
    // the "title" row sits above the header: rebuild with the title first
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('花名册')!;
    ws.spliceRows(1, 0, ['一村花名册（2026年）']);
    ws.spliceRows(3, 1);
    const job = await importFile(clerk, world.regions.villageA1.id, Buffer.from(await wb.xlsx.writeBuffer()), 'title.xlsx', 0);
    expect(job).toMatchObject({ status: 'done', created: 3, errors: [] });
    const h = await db().selectFrom('households').select('code').where('householder_id_hash', '=', keyedHash(r[0]!.idNumber!)).executeTakeFirstOrThrow();
    expect(h.code).toBe('YC-00400');
  });
});

describe('bad rows', () => {
  it('lists every bad row with row, column and reason, and writes nothing', async () => {
    const ok = householdRows({ households: 1, start: 500 });
    const badCheck = idFor(510).slice(0, 17) + (idFor(510)[17] === '0' ? '1' : '0');
    const futureBirth = '430581' + '20990101' + '001' + '0';
    const file: RowInput[] = [
      /* 2 */ { ...ok[1]!, relation: '配偶' }, // no 户编号 and no 户主 above
      /* 3 */ ...ok, // rows 3–5 fine
      /* 6 */ { group: '一组', address: '一组9号', name: '', relation: '户主', idNumber: idFor(520) }, // name missing
      /* 7 */ { name: '钱甲', relation: '表舅', idNumber: idFor(521), ethnicity: '火星族' }, // unknown relation, unknown ethnicity
      /* 8 */ { group: '九组', address: '九组1号', name: '钱乙', relation: '户主', idNumber: idFor(522) }, // unknown group
      /* 9 */ { group: '一组', address: '一组10号', name: '钱丙', relation: '户主', idNumber: badCheck, phone: '12345' }, // bad check digit, bad phone
      /* 10 */ { name: '钱丁', relation: '子', idNumber: futureBirth }, // bad birth date
      /* 11 */ { name: '钱戊', relation: '女', idNumber: ok[0]!.idNumber }, // same ID as row 3
      /* 12 */ { householdCode: 'X-1', group: '一组', address: '一组11号', name: '孙甲', relation: '配偶', idNumber: idFor(523) }, // household without 户主
      /* 13 */ { householdCode: 'X-2', group: '一组', address: '一组12号', name: '孙乙', relation: '户主', idNumber: idFor(524) },
      /* 14 */ { householdCode: 'X-2', name: '孙丙', relation: '户主', idNumber: idFor(525) }, // second 户主
      /* 15 */ { group: '一组', address: '一组13号', name: '陈桂兰', relation: '户主', idNumber: world.idNumbers.hB1a }, // registered in 三村
      /* 16 */ { group: '一组', address: '', name: '周甲', relation: '户主', idNumber: idFor(526), political: '无政府' }, // no address, bad political
    ];
    const before = await counts();
    for (const dryRun of [1, 0] as const) {
      const job = await importFile(clerk, world.regions.villageA1.id, await xlsxOf(file), 'bad.xlsx', dryRun);
      expect(job.status).toBe(dryRun ? 'done' : 'failed');
      const errs = job.errors as { row: number; column: string; reason: string }[];
      const at = (row: number, column: string) => errs.find((e) => e.row === row && e.column === column);
      expect(at(2, '户编号')?.reason).toMatch(/上方没有户主/);
      expect(at(6, '姓名')?.reason).toBe('姓名不能为空');
      expect(at(7, '与户主关系')?.reason).toMatch(/无法识别的与户主关系“表舅”/);
      expect(at(8, '村民小组')?.reason).toBe('本村没有名为“九组”的村民小组');
      expect(at(9, '身份证号')?.reason).toBe('身份证号码校验位错误');
      expect(at(9, '手机号')?.reason).toMatch(/手机号“12345”无效/);
      expect(at(10, '身份证号')?.reason).toBe('身份证号码中的出生日期无效');
      expect(at(11, '身份证号')?.reason).toMatch(/与第3行重复/);
      expect(at(7, '民族')?.reason).toMatch(/火星族/);
      expect(at(12, '与户主关系')?.reason).toMatch(/没有户主/);
      expect(at(14, '与户主关系')?.reason).toMatch(/多个户主（第13行已是户主）/);
      expect(at(15, '身份证号')?.reason).toMatch(/已登记在其他村/);
      expect(at(16, '门牌地址')?.reason).toBe('户主行的门牌地址不能为空');
      expect(at(16, '政治面貌')?.reason).toMatch(/无政府/);
      // the good household (rows 3–5) is not reported
      expect(errs.filter((e) => e.row >= 3 && e.row <= 5)).toEqual([]);
      expect(errs.map((e) => e.row)).toEqual([...errs.map((e) => e.row)].sort((x, y) => x - y));
    }
    expect(await counts()).toEqual(before);
  });

  it('numbers .csv rows as Excel shows them (a quoted field may span lines, blank lines count)', async () => {
    const r = householdRows({ households: 1, start: 620 });
    r[0] = { ...r[0]!, address: '一组\n620号' };
    const text = csvOf(r).toString('utf8').split('\r\n');
    text.splice(2, 0, ''); // a blank line before the spouse
    const bad = text.join('\r\n').replace(r[2]!.idNumber!, '123');
    const job = await importFile(clerk, world.regions.villageA1.id, Buffer.from(bad, 'utf8'), 'rows.csv', 1);
    expect(job.errors).toEqual([{ row: 5, column: '身份证号', reason: '身份证号码应为18位（末位可为X）' }]);
  });

  it('explains an ID number Excel stored as a number', async () => {
    const r = householdRows({ households: 1, start: 600, membersPerHousehold: 1 });
    const job = await importFile(clerk, world.regions.villageA1.id, await xlsxOf(r, { numericIds: true }), 'num.xlsx', 1);
    expect(job.errors).toHaveLength(1);
    expect(job.errors[0]).toMatchObject({ row: 2, column: '身份证号' });
    expect(job.errors[0].reason).toMatch(/存成了数字/);
    // full-width digits and a leading ' are read as the number they show
    const fw = r.map((x) => ({ ...x, idNumber: "'" + x.idNumber!.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) }));
    expect((await importFile(clerk, world.regions.villageA1.id, await xlsxOf(fw), 'fw.xlsx', 1)).errors).toEqual([]);
  });

  it('refuses a 户编号 that belongs to another village', async () => {
    const other = await db().selectFrom('households').select('code').where('id', '=', world.households.hB1a).executeTakeFirstOrThrow();
    const r = householdRows({ households: 1, start: 610 }).map((x) => ({ ...x, householdCode: other.code }));
    const job = await importFile(clerk, world.regions.villageA1.id, await xlsxOf(r), 'code.xlsx', 1);
    expect(job.errors).toEqual([{ row: 2, column: '户编号', reason: `户编号“${other.code}”已是其他村的户，不能导入到本村` }]);
  });
});

describe('the file and the caller', () => {
  const good = householdRows({ households: 1, start: 700 });

  it('an out-of-scope village answers 404, like a missing one', async () => {
    const c = await new Client(app).login('villageA2');
    const r = await upload(c, world.regions.villageA1.id, await xlsxOf(good), 'a.xlsx', 1);
    expect(r.status).toBe(404);
    expect((await upload(c, 999_999, await xlsxOf(good), 'a.xlsx', 1)).status).toBe(404);
  });

  it('a caller without registry.import gets 403; a group is not a village', async () => {
    const g = await new Client(app).login('gridA1');
    expect((await upload(g, world.regions.villageA1.id, await xlsxOf(good), 'a.xlsx', 1)).status).toBe(403);
    const r = await upload(clerk, world.regions.groupA1.id, await xlsxOf(good), 'a.xlsx', 1);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('ROSTER_REGION_NOT_VILLAGE');
  });

  it('a group of another village is unknown here', async () => {
    const t = await new Client(app).login('townA');
    const job = await importFile(t, world.regions.villageA2.id, await xlsxOf(householdRows({ households: 1, start: 710, group: '二组' })), 'a.xlsx', 1);
    expect(job.errors).toEqual([{ row: 2, column: '村民小组', reason: '本村没有名为“二组”的村民小组' }]);
  });

  it('refuses what is not a spreadsheet, a broken workbook, missing columns, no file, and a file over 20 MB', async () => {
    const v = world.regions.villageA1.id;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(100)]);
    let r = await upload(clerk, v, png, 'photo.png', 1);
    expect([r.status, r.body.code]).toEqual([415, 'ROSTER_FILE_UNSUPPORTED']);
    r = await upload(clerk, v, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 1)]), 'broken.xlsx', 1);
    expect([r.status, r.body.code]).toEqual([400, 'ROSTER_FILE_UNREADABLE']);
    r = await upload(clerk, v, await xlsxOf(good, { headers: ['姓名', '身份证号', '手机号'] }), 'cols.xlsx', 1);
    expect([r.status, r.body.code]).toEqual([400, 'ROSTER_COLUMNS_MISSING']);
    expect(r.body.message).toContain('村民小组');
    expect(r.body.details.missing).toEqual(['村民小组', '门牌地址', '与户主关系']);
    r = await clerk.post(`/api/v1/roster/import?regionId=${v}`, { file: 'x' });
    expect([r.status, r.body.code]).toEqual([400, 'ROSTER_FILE_MISSING']);
    const m = multipart(await xlsxOf(good), 'a.xlsx', 'other');
    r = await clerk.post(`/api/v1/roster/import?regionId=${v}`, m.body, m.headers);
    expect([r.status, r.body.code]).toEqual([400, 'ROSTER_FILE_MISSING']);
    r = await upload(clerk, v, Buffer.alloc(20 * 1024 * 1024 + 10, 0x41), 'huge.csv', 1);
    expect([r.status, r.body.code]).toEqual([413, 'BODY_TOO_LARGE']);
  });

  it('a job is visible to whoever holds registry.import over its village, 404 to others', async () => {
    const job = await importFile(clerk, world.regions.villageA1.id, await xlsxOf(good), 'a.xlsx', 1);
    const town = await new Client(app).login('townA');
    expect((await town.get(`/api/v1/roster/import/${job.id}`)).status).toBe(200);
    const other = await new Client(app).login('townB');
    expect((await other.get(`/api/v1/roster/import/${job.id}`)).body.code).toBe('NOT_FOUND');
    expect((await other.get('/api/v1/roster/import/987654')).status).toBe(404);

    const mine = await clerk.get(`/api/v1/roster/imports?regionId=${world.regions.villageA1.id}&limit=3`);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(3);
    expect(mine.body.items[0]).toMatchObject({ id: job.id, fileName: 'a.xlsx', regionName: '一村', userName: 'villageA1', dryRun: true });
    expect(mine.body.nextCursor).toBeTruthy();
    const next = await clerk.get(`/api/v1/roster/imports?regionId=${world.regions.villageA1.id}&limit=3&cursor=${mine.body.nextCursor}`);
    expect(next.body.items[0].id).toBeLessThan(mine.body.items[2].id);
    expect((await other.get('/api/v1/roster/imports')).body.items).toEqual([]);
    expect((await other.get(`/api/v1/roster/imports?regionId=${world.regions.villageA1.id}`)).status).toBe(404);
  });

  it('a retried upload with the same Idempotency-Key starts no second job', async () => {
    const m = multipart(await xlsxOf(good), 'a.xlsx');
    const url = `/api/v1/roster/import?regionId=${world.regions.villageA1.id}&dryRun=1`;
    const first = await clerk.post(url, m.body, { ...m.headers, 'idempotency-key': 'roster-retry-1' });
    const again = await clerk.post(url, m.body, { ...m.headers, 'idempotency-key': 'roster-retry-1' });
    expect(first.status).toBe(202);
    expect(again.body.jobId).toBe(first.body.jobId);
    await waitJob(clerk, first.body.jobId);
  });
});

describe('progress and scale', () => {
  it('importRoster reports progress and the 2,000-household file imports in one go', { timeout: 240_000 }, async () => {
    const rows = householdRows({ households: 2000, membersPerHousehold: 3, start: 10_000, group: '一组' });
    const xlsx = await xlsxOf(rows);
    const before = await counts();
    const t0 = Date.now();
    const job = await importFile(clerk, world.regions.villageA1.id, xlsx, '2000户.xlsx', 0);
    const ms = Date.now() - t0;
    expect(job).toMatchObject({ status: 'done', totalRows: 6000, doneRows: 6000, created: 6000, updated: 0, errors: [] });
    expect(await counts()).toEqual({ h: before.h + 2000, p: before.p + 6000 });
    console.log(`2,000 households / 6,000 rows over HTTP (${database.kind}): ${ms} ms`);

    const ticks: number[] = [];
    const actor = await actorOf(clerk);
    const r = await importRoster({ db: db(), actor }, world.regions.villageA1.id, asRosterRows(rows), { dryRun: false, onProgress: (d) => ticks.push(d) });
    expect(r).toMatchObject({ created: 0, updated: 6000, households: { created: 0, updated: 2000 }, changed: { households: 0, residents: 0 } });
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks[ticks.length - 1]).toBe(6000);
    expect(await counts()).toEqual({ h: before.h + 2000, p: before.p + 6000 });
    const codes = await db().selectFrom('households').select('code').where('region_id', '=', world.regions.groupA1.id).execute();
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
  });
});

describe('export', () => {
  it('writes 户 and 人 sheets for the scope, masked by default, and logs the export', { timeout: 120_000 }, async () => {
    const r = await download(clerk, `/api/v1/roster/export.xlsx?regionId=${world.regions.villageA1.id}`);
    expect(r.status).toBe(200);
    expect(String(r.headers['content-disposition'])).toContain(encodeURIComponent('一村花名册'));
    const wb = await readWorkbook(r.raw);
    expect(Object.keys(wb)).toEqual(['户', '人']);
    const hh = wb['户']!;
    expect(hh[0]!.slice(0, 4)).toEqual(['户编号', '乡镇', '村', '村民小组']);
    const inVillage = await db().selectFrom('households').select(sql<number>`count(*)::int`.as('n')).where('region_path', 'like', world.regions.villageA1.path + '%').executeTakeFirstOrThrow();
    expect(hh.length - 1).toBe(inVillage.n);
    expect(hh.slice(1).every((row) => row[1] === '甲镇' && row[2] === '一村')).toBe(true);
    const people = wb['人']!;
    expect(people[0]!.slice(0, 6)).toEqual(['户编号', '村民小组', '门牌地址', '姓名', '与户主关系', '身份证号']);
    expect(people.slice(1).every((row) => /^\d{6}\*{8}[\dX]{4}$/.test(row[5]!))).toBe(true);
    expect(people.slice(1).some((row) => row[0] === wb['户']![1]![0])).toBe(true);
    const a = await db().selectFrom('audit_log').selectAll().where('action', '=', 'roster.export').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(a.entity_id).toBe(String(world.regions.villageA1.id));
  });

  it('reveals full numbers only with pii.reveal and a purpose, audited; the revealed file imports back as a no-op', async () => {
    const base = `/api/v1/roster/export.xlsx?regionId=${world.regions.villageA2.id}`;
    const town = await new Client(app).login('townA');
    expect((await download(town, `${base}&reveal=1`)).json().code).toBe('ROSTER_PURPOSE_REQUIRED');
    const r = await download(town, `${base}&reveal=1&purpose=${encodeURIComponent('核对低保名单')}`);
    expect(r.status).toBe(200);
    const wb = await readWorkbook(r.raw);
    const ids = wb['人']!.slice(1).map((row) => row[5]);
    expect(ids).toContain(world.idNumbers.hA2a);
    const a = await db().selectFrom('audit_log').selectAll().where('action', '=', 'pii.reveal').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(a.note).toBe('核对低保名单');
    expect(a.region_path).toBe(world.regions.villageA2.path);

    const before = await counts();
    const job = await importFile(town, world.regions.villageA2.id, r.raw, '二村导出.xlsx', 0);
    expect(job).toMatchObject({ status: 'done', created: 0, errors: [] });
    expect(job.updated).toBe(ids.length);
    expect(await counts()).toEqual(before);
  });

  it('refuses out-of-scope regions (404) and callers without the permissions (403)', async () => {
    expect((await download(clerk, `/api/v1/roster/export.xlsx?regionId=${world.regions.villageB1.id}`)).status).toBe(404);
    const g = await new Client(app).login('gridA1');
    expect((await download(g, `/api/v1/roster/export.xlsx?regionId=${world.regions.villageA1.id}`)).status).toBe(403);
    const dept = await new Client(app).login('dept');
    expect((await download(dept, `/api/v1/roster/export.xlsx?regionId=${world.regions.villageA1.id}`)).status).toBe(403);
  });
});

describe('ID numbers of the world', () => {
  it('the OpenAPI document lists the roster routes', async () => {
    const r = await new Client(app).get('/api/openapi.json');
    expect(r.status).toBe(200);
    for (const p of ['/api/v1/roster/template.xlsx', '/api/v1/roster/import', '/api/v1/roster/import/{jobId}', '/api/v1/roster/imports', '/api/v1/roster/export.xlsx']) {
      expect(r.body.paths[p], p).toBeTruthy();
    }
    expect(r.body.paths['/api/v1/roster/import'].post.tags).toEqual(['花名册']);
  });

  it('world ids and factory ids never meet', () => {
    expect(makeIdNumber('430581', '1990-01-01', 0, 'M')).not.toBe(world.idNumbers.hA1a);
    expect(idFor(0).slice(0, 6)).toBe('430581');
  });
});
