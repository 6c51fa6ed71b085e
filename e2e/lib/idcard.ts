/** A valid GB 11643 ID number for test rows (check digit computed). */
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const C = '10X98765432';

export function makeIdNumber(area: string, birth: string, seq: number, gender: 'M' | 'F'): string {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (gender === 'M')) s = (s + 1) % 1000;
  const body = area + birth.replace(/-/g, '') + String(s).padStart(3, '0');
  const sum = [...body].reduce((a, ch, i) => a + Number(ch) * W[i]!, 0);
  return body + C[sum % 11];
}
