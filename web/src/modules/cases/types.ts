/** Shapes of the case API (server/src/modules/cases/schema.ts). */
export interface CaseItem {
  id: number; code: string; title: string; state: string; stateLabel: string; level: string; levelLabel: string;
  categoryId: number; categoryName: string; regionId: number; regionName: string; gridId: number | null;
  departmentId: number | null; departmentName: string | null; reporterName: string; source: string;
  createdAt: string; responseDueAt: string | null; dueAt: string | null; resolvedAt: string | null; closedAt: string | null;
  rating: number | null; light: 'green' | 'yellow' | 'red' | null; supervised: boolean;
}
export interface HistoryStep { id: number; action: string; actionLabel: string; from: string | null; to: string; actorName: string; comment: string | null; data: Record<string, unknown>; at: string }
export interface CaseDetail extends CaseItem {
  description: string; sourceRef: string | null; address: string | null; lat: number | null; lng: number | null; result: string | null;
  closeReason: string | null; reworkCount: number; reopenCount: number; extensionDaysRequested: number | null; mergedIntoId: number | null;
  confirmedFixed: boolean | null; confirmAskedAt: string | null; isReporter: boolean;
  photos: { id: number; purpose: string; url: string }[];
  supervisions: { id: number; issuerName: string; notice: string; createdAt: string }[];
  history: HistoryStep[];
  actions: { action: string; label: string }[];
}
export interface Category { id: number; parentId: number | null; code: string; name: string; handlingLevel: string; responseDays: number; handlingDays: number }
export interface StepResult { id: number; state: string; level: string; case: CaseDetail | null }
export interface Rates {
  total: number; closed: number; overdue: number; rated: number; meanHoursToClose: number | null;
  responseRate: number | null; completionRate: number | null; onTimeRate: number | null; overdueRate: number | null; satisfactionRate: number | null;
}
export interface UnitRates { id: number; kind: string; level: string; name: string; rates: Rates }
export interface RatesReport {
  unit: UnitRates; children: UnitRates[]; departments: UnitRates[];
  trend: { day: string; reported: number; closed: number }[];
  definitions: { key: string; name: string; formula: string; note: string }[];
}
export const pct = (v: number | null) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
export const when = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');
