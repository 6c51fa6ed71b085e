/** Shapes of the mediation API (server/src/modules/mediation/schema.ts). */
export interface DisputeItem {
  id: number; code: string; type: string; typeLabel: string; level: string; levelLabel: string; summary: string;
  state: string; stateLabel: string; regionId: number; regionName: string; villageName: string; source: string; sourceLabel: string;
  mediatorUserId: number | null; mediatorName: string | null; applicantNames: string; respondentNames: string;
  acceptedAt: string | null; deadlineAt: string | null; overdue: boolean; createdAt: string; version: number;
}

export interface Party { id: number; seq: number; side: string; sideLabel: string; name: string; residentId: number | null; phoneMasked: string | null; signedAt: string | null }
export interface Session { id: number; seq: number; heldAt: string; place: string; attendees: string; record: string; mediatorName: string }
export type StepStatus = 'finish' | 'process' | 'wait' | 'error' | 'skipped';
export interface Step { key: string; label: string; status: StepStatus; at: string | null }
export interface HistoryRow { id: number; action: string; actionLabel: string; from: string | null; to: string; actorName: string; comment: string | null; data: Record<string, unknown>; at: string }

export interface DisputeDetail extends DisputeItem {
  claim: string; amount: string | null; sourceRef: string | null; caseId: number | null;
  preferredMediator: { id: number; name: string } | null; assignReason: string | null; rejectReason: string | null;
  findings: string | null; sessionAt: string | null; sessionPlace: string | null;
  agreementText: string | null; agreementTerms: string[]; agreedAt: string | null;
  outcome: string | null; concludedAt: string | null; referral: string | null; referralLabel: string | null; failReason: string | null;
  followUpDueAt: string | null; followUpResult: string | null; followUpResultLabel: string | null; followUpNote: string | null; followedUpAt: string | null;
  dossierNo: string | null; archivedAt: string | null; readOnly: boolean;
  parties: Party[]; sessions: Session[]; steps: Step[]; history: HistoryRow[];
  actions: { action: string; label: string }[]; can: { edit: boolean };
}

export interface StepResult { id: number; state: string; dispute: DisputeDetail | null }

export interface Mediator {
  id: number; name: string; regionId: number; regionName: string; regionLevel: string; specialties: string[]; specialtyLabels: string[]; intro: string;
  openDisputes: number; concluded: number; agreements: number; successRate: number | null;
}

export interface Figures { accepted: number; concluded: number; agreements: number; failed: number; successRate: number | null; overdue: number; open: number }
export interface Stats {
  unit: { id: number; name: string; level: string }; from: string; to: string; total: Figures;
  byType: (Figures & { type: string; typeLabel: string })[];
  byVillage: (Figures & { villageId: number; villageName: string; townshipName: string })[];
  definitions: { key: string; name: string; formula: string }[];
}

export const TYPES = ['marriage_family', 'neighbour', 'land_forest', 'homestead', 'labour_pay', 'contract_debt', 'damages', 'other'] as const;
export const LEVELS = ['village', 'township', 'county'] as const;
export const STATES = ['applied', 'rejected', 'accepted', 'assigned', 'investigated', 'informed', 'mediating', 'agreed', 'failed', 'followed_up', 'archived'] as const;
export const REFERRALS = ['court', 'arbitration', 'petition', 'other'] as const;
export const PERFORMED = ['performed', 'partly', 'not_performed'] as const;

/** Which inputs a step needs (both entries build their forms from this). */
export const NEEDS: Record<string, string[]> = {
  accept: ['comment'], reject: ['reason'], escalate: ['reason'], assign: ['mediatorUserId', 'reason'], investigate: ['findings'],
  inform: ['rightsTold', 'sessionAt', 'sessionPlace'], mediate: ['place', 'attendees', 'record'],
  agree: ['agreementText', 'terms', 'signedPartyIds'], fail: ['referral', 'reason'], follow_up: ['performed', 'note'], archive: ['dossierNo'],
};

export const when = (v: string | null | undefined) => (v ? new Date(v).toLocaleString('zh-CN', { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : '—');
export const day = (v: string | null | undefined) => (v ? new Date(v).toLocaleDateString('zh-CN') : '—');
export const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
