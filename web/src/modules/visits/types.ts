/** Shapes of the visits API (server/src/modules/visits/schema.ts). */
export type OpinionKind = 'need' | 'opinion';

export interface CaseRef { id: number; code: string; state: string | null; stateLabel: string | null }

export interface Opinion { id: number; seq: number; kind: OpinionKind; content: string; case: CaseRef | null; convertedAt: string | null }

export interface Visit {
  id: number; householdId: number; householderName: string; householdCode: string;
  villageId: number; villageName: string; gridId: number | null;
  visitorId: number; visitorName: string; visitedOn: string; met: string; notes: string;
  followUpOn: string | null; createdAt: string;
  opinions: Opinion[];
}

export interface VisitDetail extends Visit { replayed?: boolean; can: { convert: boolean } }

export interface CoverageRow {
  villageId: number; villageName: string; townshipName: string;
  households: number; visited: number; unvisited: number; visits: number; opinions: number; converted: number; followUpsDue: number;
}
export interface Coverage { days: number; since: string; rows: CoverageRow[] }

export interface UnvisitedHousehold { id: number; code: string; householderName: string; address: string; groupName: string; gridId: number | null; lastVisitedOn: string | null }
export interface UnvisitedPage { days: number; since: string; items: UnvisitedHousehold[]; nextCursor: string | null }

/** Today as YYYY-MM-DD in Beijing time (the server checks visit days on the Beijing calendar). */
export function beijingToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Case states → tag colours dark enough for white text (WCAG AA contrast on the phone). */
export const CASE_TONE: Record<string, string> = {
  pending: '#ad4e00', handling: '#0958d9', suspended: '#595959', resolved: '#237804', closed: '#237804', merged: '#595959',
};

/** Outline tags on white: the text colour must pass AA too. */
export const TAG_DARK = { need: '#0958d9', opinion: '#595959', followUp: '#ad4e00', case: '#0958d9' } as const;
