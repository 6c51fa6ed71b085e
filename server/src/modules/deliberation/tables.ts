/** Table types of the deliberation module (migration 0050), merged into the database type. */
import type { ColumnType, Generated } from 'kysely';

type Ts = ColumnType<Date, Date | string | undefined, Date | string>;
type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type TopicState = 'proposed' | 'branch_proposed' | 'committees_discussed' | 'members_reviewed' | 'resolved' | 'rejected' | 'resolution_published' | 'implementing' | 'done';
export type TopicCategory = 'assets' | 'project' | 'funds' | 'rules' | 'other';
export type ProposerKind = 'branch' | 'villagers' | 'committee';
export type MeetingKind = 'committees' | 'members' | 'representatives' | 'villagers';
export type VoteChoice = 'for' | 'against' | 'abstain';
export type MeetingResult = 'passed' | 'failed' | 'no_quorum';

export interface DeliberationTopicsTable {
  id: Generated<number>;
  county_id: number;
  code: string;
  region_id: number;
  region_path: string;
  title: string;
  content: string;
  proposer_kind: ProposerKind;
  signatures: number | null;
  category: TopicCategory;
  amount: string | null;
  state: TopicState;
  branch_opinion: string | null;
  committee_meeting_id: number | null;
  committee_record: string | null;
  committee_opinion: string | null;
  review_meeting_id: number | null;
  resolve_meeting_id: number | null;
  resolution_text: string | null;
  notice_text: string | null;
  notice_from: string | null;
  notice_to: string | null;
  published_at: TsNull;
  implementation_result: string | null;
  done_at: TsNull;
  created_by: number | null;
  version: Generated<number>;
  created_at: Ts;
  updated_at: Ts;
}

export interface DeliberationMeetingsTable {
  id: Generated<number>;
  county_id: number;
  topic_id: number;
  region_path: string;
  kind: MeetingKind;
  held_at: Ts;
  place: string;
  announced_at: Ts;
  vote_mode: 'counts' | 'open';
  expected: number;
  present: number | null;
  votes_for: Generated<number>;
  votes_against: Generated<number>;
  votes_abstain: Generated<number>;
  vote_closes_at: TsNull;
  closed_at: TsNull;
  quorum_met: boolean | null;
  result: MeetingResult | null;
  used_by: string | null;
  created_by: number | null;
  created_at: Ts;
}

export interface DeliberationVotesTable {
  id: Generated<number>;
  county_id: number;
  meeting_id: number;
  voter_key: string;
  user_id: number;
  household_id: number | null;
  choice: VoteChoice;
  cast_at: Ts;
}

declare module '../../db/types.js' {
  interface DB {
    deliberation_topics: DeliberationTopicsTable;
    deliberation_meetings: DeliberationMeetingsTable;
    deliberation_votes: DeliberationVotesTable;
  }
}
