/** Shapes of the deliberation (议事协商) API as the pages use them. */
export interface TopicItem {
  id: number; code: string; title: string; category: string; categoryLabel: string; state: string; stateLabel: string; villageName: string;
  proposerKind: string; proposerLabel: string; signatures: number | null; amount: string | null; createdAt: string; publishedAt: string | null;
}
export interface Meeting {
  id: number; topicId: number; kind: string; kindLabel: string; heldAt: string; place: string; announcedAt: string; noticeDays: number; voteMode: 'counts' | 'open';
  expected: number; present: number | null; for: number; against: number; abstain: number; voteClosesAt: string | null; closedAt: string | null; open: boolean;
  acceptingVotes: boolean; quorumMet: boolean | null; result: string | null; resultLabel: string | null; rule: string; usedBy: string | null;
}
export interface HistoryEntry { id: number; action: string; actionLabel: string; actorName: string; comment: string | null; at: string }
export interface TopicDetail extends TopicItem {
  content: string; branchOpinion: string | null; committeeRecord: string | null; committeeOpinion: string | null; resolutionText: string | null;
  noticeText: string | null; noticeFrom: string | null; noticeTo: string | null; implementationResult: string | null; doneAt: string | null;
  meetings: Meeting[]; stages: { key: string; label: string; status: 'finish' | 'process' | 'wait' | 'error'; at: string | null }[];
  history: HistoryEntry[]; actions: { action: string; label: string }[]; can: { manage: boolean; guide: boolean; object: boolean };
  rules: Record<string, string>;
}
export interface MyDeliberation {
  published: (TopicItem & { noticeText: string | null; implementationResult: string | null })[];
  reviews: TopicItem[];
  votes: (Meeting & { title: string; content: string; myChoice: string | null })[];
}
export const STATES = ['proposed', 'branch_proposed', 'committees_discussed', 'members_reviewed', 'resolved', 'rejected', 'resolution_published', 'implementing', 'done'] as const;
export const CATEGORIES = ['assets', 'project', 'funds', 'rules', 'other'] as const;
export const KINDS = ['committees', 'members', 'representatives', 'villagers'] as const;
/** Which meeting kinds each step rests on. */
export const STEP_KINDS: Record<string, string[]> = { committee_discuss: ['committees'], members_review: ['members'], resolve: ['representatives', 'villagers'] };
export const day = (s: string | null | undefined) => (s ? new Date(s).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—');
export const when = (s: string | null | undefined) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, -3) : '—');
