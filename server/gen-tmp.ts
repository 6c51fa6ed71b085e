import { generateCounty } from './src/seed/generate.js';
import { parseIdNumber } from './src/core/pii.js';
const t = Date.now();
let hh = 0, res = 0, members = 0, adults = 0, linked = 0, l2 = 0, l2hh = 0, away = 0; const tags: Record<string, number> = {}; const sizes: Record<number, number> = {};
let first: any;
const per = Number(process.argv[2] ?? 30);
for await (const v of generateCounty({ countyCode: '430525', householdsPerVillage: per })) {
  first ??= v;
  hh += v.households.length;
  for (const h of v.households) { res += h.residents.length; sizes[h.residents.length] = (sizes[h.residents.length] ?? 0) + 1; for (const tg of h.tags) tags[tg] = (tags[tg] ?? 0) + 1; for (const r of h.residents) { if (2025 - +r.birthDate.slice(0,4) >= 18) adults++; if (r.status==='away') away++; const p = parseIdNumber(r.idNumber); if ('error' in p || p.birthDate !== r.birthDate || p.gender !== r.gender) throw new Error('bad id ' + r.idNumber); } }
  members += v.members.length; linked += v.members.reduce((a, m) => a + m.links.length, 0);
  const g2 = v.grids.filter(g => g.level === 'level2'); l2 += g2.length;
}
console.log(Date.now() - t, 'ms', { hh, res, avg: res / hh, members, adults, rate: members / adults, linked, cover: linked / hh, l2, perGrid: hh / l2, away: away/res }, tags, sizes);
console.log(JSON.stringify(first.households.slice(0, 3), null, 1).slice(0, 3000));
console.log(first.grids.slice(0,4), first.members.slice(0,2), first.cadres, first.branch, first.partyGroups, first.village, first.township.cadres.slice(0,3));
