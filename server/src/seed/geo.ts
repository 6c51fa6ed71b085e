/**
 * Synthetic map positions. The statistical division data has no coordinates, but the console map
 * needs a point per township and village to draw anything, so we place them deterministically:
 * townships on a jittered spiral around the county's centre (街道 nearest the middle), villages
 * clustered around their township. A county replaces these with real boundaries when it has them.
 */
import { Rng } from './prng.js';

/** Real centres of counties the project talks about (the source documents' places). */
const KNOWN_COUNTIES: Record<string, [number, number]> = {
  '430525': [27.06, 110.58], // 洞口县
  '433122': [28.22, 110.22], // 泸溪县
  '421181': [31.17, 115.01], // 麻城市
  '510604': [31.32, 104.51], // 德阳市罗江区
  '340602': [33.99, 116.83], // 淮北市杜集区
  '510421': [26.88, 102.11], // 米易县
  '510802': [32.43, 105.84], // 广元市利州区
};

/** Provincial capitals: a county we have no entry for lands near its capital. */
const PROVINCES: Record<string, [number, number]> = {
  '11': [39.9, 116.4], '12': [39.13, 117.2], '13': [38.04, 114.51], '14': [37.87, 112.55], '15': [40.84, 111.75],
  '21': [41.8, 123.43], '22': [43.82, 125.32], '23': [45.75, 126.65], '31': [31.23, 121.47], '32': [32.06, 118.8],
  '33': [30.27, 120.15], '34': [31.82, 117.23], '35': [26.07, 119.3], '36': [28.68, 115.86], '37': [36.65, 117.12],
  '41': [34.75, 113.63], '42': [30.59, 114.31], '43': [28.23, 112.94], '44': [23.13, 113.26], '45': [22.82, 108.32],
  '46': [20.04, 110.35], '50': [29.56, 106.55], '51': [30.66, 104.07], '52': [26.65, 106.63], '53': [25.04, 102.71],
  '54': [29.65, 91.13], '61': [34.34, 108.94], '62': [36.06, 103.83], '63': [36.62, 101.78], '64': [38.47, 106.27],
  '65': [43.83, 87.62],
};

export function countyCentre(code6: string): [number, number] {
  const known = KNOWN_COUNTIES[code6];
  if (known) return known;
  const base = PROVINCES[code6.slice(0, 2)] ?? [30.6, 114.3];
  const rng = new Rng('county-centre:' + code6);
  // Within about ±1.8° of the capital: a believable spot in the province.
  return [round(base[0] + (rng.next() - 0.5) * 3.6), round(base[1] + (rng.next() - 0.5) * 3.6)];
}

const GOLDEN = Math.PI * (3 - Math.sqrt(5));

/** Township i of n: urban 街道 close to the centre, the rest on a spiral out to ~0.22° (≈ 24 km). */
export function townshipCentre(centre: [number, number], index: number, n: number, urban: boolean, rng: Rng): [number, number] {
  const r = urban ? 0.02 + rng.next() * 0.03 : 0.06 + 0.16 * Math.sqrt((index + 1) / Math.max(n, 1));
  const a = index * GOLDEN + rng.next() * 0.4;
  return [round(centre[0] + r * Math.sin(a)), round(centre[1] + (r * Math.cos(a)) / Math.cos((centre[0] * Math.PI) / 180))];
}

/** Village j of a township: within ~0.05° (≈ 5 km) of the township seat. */
export function villageCentre(town: [number, number], index: number, rng: Rng): [number, number] {
  const r = 0.012 + 0.04 * Math.sqrt(rng.next());
  const a = index * GOLDEN * 2 + rng.next();
  return [round(town[0] + r * Math.sin(a)), round(town[1] + r * Math.cos(a))];
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
