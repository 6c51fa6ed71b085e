/** Table types of the disclosure module (0060_disclosure.sql), merged into DB by augmentation. */
import type { ColumnType, Generated } from 'kysely';

type Ts = ColumnType<Date, Date | string | undefined, Date | string>;
type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string | undefined, string>;

export type EntryKind = 'income' | 'expense';
export type EntryState = 'signing' | 'returned' | 'posted';
export type PayMethod = 'bank_transfer' | 'official_card' | 'corporate_transfer';
export type NoticeKind = 'party' | 'village' | 'finance' | 'policy';
export type StepLevel = 'village' | 'township';
export interface ChainStep { label: string; role: string; level: StepLevel }

export interface DisclosureChainsTable {
  id: Generated<number>;
  county_id: number;
  region_id: number | null;
  region_path: string;
  steps: Json<ChainStep[]>;
  updated_by: number | null;
  updated_by_name: Generated<string>;
  updated_at: Ts;
}

export interface FinanceEntriesTable {
  id: Generated<number>;
  county_id: number;
  village_id: number;
  region_path: string;
  entry_date: string;
  kind: EntryKind;
  category: string;
  amount_fen: number;
  counterparty: string;
  purpose: string;
  voucher_no: string;
  pay_method: PayMethod;
  attachments: Json<unknown[]>;
  state: EntryState;
  steps: Json<ChainStep[]>;
  current_step: Generated<number>;
  round: Generated<number>;
  period: string | null;
  reverses_id: number | null;
  created_by: number;
  created_by_name: string;
  created_at: Ts;
  posted_at: TsNull;
  version: Generated<number>;
}

export interface DisclosureSignoffsTable {
  id: Generated<number>;
  county_id: number;
  entry_id: number;
  round: number;
  step_index: number;
  label: string;
  role: string;
  action: 'sign' | 'return';
  user_id: number;
  user_name: string;
  comment: string | null;
  at: Ts;
}

export interface DisclosureMonthsTable {
  id: Generated<number>;
  county_id: number;
  village_id: number;
  region_path: string;
  month: string;
  opening_fen: number;
  income_fen: number;
  expense_fen: number;
  closing_fen: number;
  by_category: Json<CategoryTotal[]>;
  entry_count: number;
  confirmed_by: number;
  confirmed_by_name: string;
  note: string | null;
  published_at: Ts;
}
export interface CategoryTotal { kind: EntryKind; category: string; fen: number; count: number }

export interface DisclosureAuditsTable {
  id: Generated<number>;
  county_id: number;
  village_id: number;
  region_path: string;
  year: number;
  quarter: number;
  opinion: string;
  auditor_id: number;
  auditor_name: string;
  at: Ts;
}

export interface DisclosureYearClosesTable {
  id: Generated<number>;
  county_id: number;
  village_id: number;
  region_path: string;
  year: number;
  closing_fen: number;
  closed_by: number;
  closed_by_name: string;
  at: Ts;
}

export interface DisclosureNoticesTable {
  id: Generated<number>;
  county_id: number;
  village_id: number;
  region_path: string;
  kind: NoticeKind;
  title: string;
  body: string;
  publish_from: string;
  publish_to: string | null;
  created_by: number;
  created_by_name: string;
  created_at: Ts;
}

declare module '../../db/types.js' {
  interface DB {
    disclosure_chains: DisclosureChainsTable;
    finance_entries: FinanceEntriesTable;
    disclosure_signoffs: DisclosureSignoffsTable;
    disclosure_months: DisclosureMonthsTable;
    disclosure_audits: DisclosureAuditsTable;
    disclosure_year_closes: DisclosureYearClosesTable;
    disclosure_notices: DisclosureNoticesTable;
  }
}
