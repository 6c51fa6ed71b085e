/** Shapes of the disclosure API (server/src/modules/disclosure/service.ts). */
export interface Step { index: number; label: string; role: string; level: string; status: 'finish' | 'process' | 'wait' | 'error'; by: string | null; at: string | null; comment: string | null }
export interface Entry {
  id: number; villageId: number; villageName: string; entryDate: string; kind: 'income' | 'expense'; kindLabel: string; category: string;
  amount: string; amountFen: number; counterparty: string; purpose: string; voucherNo: string; payMethod: string; payMethodLabel: string;
  state: 'signing' | 'returned' | 'posted'; stateLabel: string; period: string | null; reversesId: number | null; reversedById: number | null;
  round: number; currentStep: number; createdByName: string; createdAt: string; postedAt: string | null; steps: Step[]; canSign: boolean;
}
export interface EntryDetail extends Entry {
  signoffs: { round: number; stepIndex: number; label: string; action: string; by: string; comment: string | null; at: string }[];
  history: { id: number; action: string; to: string; actorName: string; comment: string | null; at: string }[];
  actions: { action: string; label: string }[];
}
export interface CategoryRow { kind: 'income' | 'expense'; kindLabel: string; category: string; fen: number; amount: string; count: number }
export interface MonthEntry { id: number; entryDate: string; kind: string; kindLabel: string; category: string; amount: string; counterparty: string; purpose: string; voucherNo: string; payMethodLabel: string; reversesId: number | null }
export interface Month {
  villageId: number; villageName: string; month: string; published: boolean; publishedBy: string | null; publishedAt: string | null; note: string | null;
  opening: string; income: string; expense: string; closing: string; entryCount: number; byCategory: CategoryRow[]; entries: MonthEntry[];
}
export interface StaffMonth extends Month {
  pendingCount: number; canPublish: boolean; canAudit: boolean;
  audits: { year: number; quarter: number; opinion: string; by: string; at: string }[];
  yearClosed: { by: string; at: string; closing: string } | null;
}
export interface Notice { id: number; villageId: number; villageName: string; kind: string; kindLabel: string; title: string; body: string; publishFrom: string; publishTo: string | null; createdByName: string; createdAt: string }
export interface Village { id: number; name: string; townshipName: string }
export const CATEGORIES = ['办公经费', '工程款', '惠民资金', '集体经营收入', '上级补助', '其他'];
export const when = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '');
