/** Shapes the points API returns to phone pages (scores in points, e.g. 0.5). */
export interface MyPoints {
  subjectId: number;
  name: string;
  householdId: number;
  villageId: number;
  spendable: number;
  earned: number;
  spent: number;
  month: { period: string; score: number };
  quarter: { period: string; score: number; stars: number; rank: number; of: number };
  year: { period: string; score: number; rank: number; of: number };
  published: { publicationId: number; period: string; score: number; rank: number; stars: number } | null;
  blacklisted: boolean;
}
export interface Entry { id: number; kind: string; score: number; itemName: string | null; reason: string; occurredOn: string; reversedByEntryId: number | null }
export interface RuleItem { id: number; code: string; name: string; kind: string; min: number; max: number }
export interface RuleBook { id: number; name: string; categories: { id: number; name: string; items: RuleItem[] }[]; negative: RuleItem[] }
export const stars = (n: number) => (n > 0 ? '★'.repeat(n) : '—');
