-- 0060 disclosure (村务公开, 利州 三公治村 "公开理财"): village finance with level-by-level sign-off,
-- monthly publication, quarterly audit notes, a year-end close, and the village notice board.
--
--  * Money is integer fen (bigint), never float: sums are exact.
--  * An expense carries a snapshot of its village's sign-off chain (steps jsonb) taken when it was
--    entered, so editing the chain never changes an entry already on its way. current_step and
--    round say where it stands; a return starts a new round when resubmitted.
--  * disclosure_signoffs is the sign-off record; the unique indexes make "one signature per step
--    per round" and "nobody signs twice in one round" hold in the database, not only in code.
--  * A posted entry is immutable (trigger); a correction is a reversing entry (reverses_id,
--    negative amount), at most one per entry.
--  * period is the accounting month the entry counts in, set when posted: the month of its date,
--    or the first later month not yet published if that month is already published (frozen).

CREATE TABLE disclosure_chains (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  region_id     bigint REFERENCES regions(id),       -- NULL: the county default
  region_path   text NOT NULL,
  steps         jsonb NOT NULL,                      -- [{label, role, level: 'village'|'township'}], 1..8
  updated_by    bigint REFERENCES users(id),
  updated_by_name text NOT NULL DEFAULT '',
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX disclosure_chains_uq ON disclosure_chains(county_id, COALESCE(region_id, 0));

CREATE TABLE finance_entries (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id      bigint NOT NULL,
  village_id     bigint NOT NULL REFERENCES regions(id),
  region_path    text NOT NULL,
  entry_date     date NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('income','expense')),
  category       text NOT NULL,
  amount_fen     bigint NOT NULL CHECK (amount_fen <> 0),
  counterparty   text NOT NULL,
  purpose        text NOT NULL,
  voucher_no     text NOT NULL,
  pay_method     text NOT NULL CHECK (pay_method IN ('bank_transfer','official_card','corporate_transfer')),
  attachments    jsonb NOT NULL DEFAULT '[]',
  state          text NOT NULL CHECK (state IN ('signing','returned','posted')),
  steps          jsonb NOT NULL DEFAULT '[]',
  current_step   int NOT NULL DEFAULT 0,
  round          int NOT NULL DEFAULT 1,
  period         text,                                -- 'YYYY-MM', set when posted
  reverses_id    bigint REFERENCES finance_entries(id),
  created_by     bigint NOT NULL REFERENCES users(id),
  created_by_name text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  posted_at      timestamptz,
  version        int NOT NULL DEFAULT 1,
  CHECK ((state = 'posted') = (period IS NOT NULL)),
  CHECK (reverses_id IS NULL OR amount_fen < 0),
  CHECK (reverses_id IS NOT NULL OR amount_fen > 0)
);
CREATE UNIQUE INDEX finance_entries_reverses_uq ON finance_entries(reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX finance_entries_path_idx ON finance_entries(region_path text_pattern_ops, id);
-- A village's month, opening balance and year: index-only range scans (kind and amount ride along).
CREATE INDEX finance_entries_period_idx ON finance_entries(village_id, period) INCLUDE (kind, amount_fen) WHERE state = 'posted';
CREATE INDEX finance_entries_waiting_idx ON finance_entries(village_id, state) WHERE state <> 'posted';

-- A posted entry never changes (corrections are reversing entries).
CREATE FUNCTION finance_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state = 'posted' THEN
    RAISE EXCEPTION 'finance entry % is posted and cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER finance_entries_immutable_trg BEFORE UPDATE OR DELETE ON finance_entries
  FOR EACH ROW EXECUTE FUNCTION finance_entries_immutable();

CREATE TABLE disclosure_signoffs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  entry_id      bigint NOT NULL REFERENCES finance_entries(id),
  round         int NOT NULL,
  step_index    int NOT NULL,
  label         text NOT NULL,
  role          text NOT NULL,
  action        text NOT NULL CHECK (action IN ('sign','return')),
  user_id       bigint NOT NULL REFERENCES users(id),
  user_name     text NOT NULL,
  comment       text,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX disclosure_signoffs_step_uq ON disclosure_signoffs(entry_id, round, step_index) WHERE action = 'sign';
CREATE UNIQUE INDEX disclosure_signoffs_user_uq ON disclosure_signoffs(entry_id, round, user_id) WHERE action = 'sign';
CREATE INDEX disclosure_signoffs_entry_idx ON disclosure_signoffs(entry_id, id);

CREATE TABLE disclosure_months (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  village_id    bigint NOT NULL REFERENCES regions(id),
  region_path   text NOT NULL,
  month         text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  opening_fen   bigint NOT NULL,
  income_fen    bigint NOT NULL,
  expense_fen   bigint NOT NULL,
  closing_fen   bigint NOT NULL,
  by_category   jsonb NOT NULL,
  entry_count   int NOT NULL,
  confirmed_by  bigint NOT NULL REFERENCES users(id),
  confirmed_by_name text NOT NULL,
  note          text,
  published_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (village_id, month)
);
CREATE INDEX disclosure_months_path_idx ON disclosure_months(region_path text_pattern_ops, month);

CREATE TABLE disclosure_audits (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  village_id    bigint NOT NULL REFERENCES regions(id),
  region_path   text NOT NULL,
  year          int NOT NULL,
  quarter       int NOT NULL CHECK (quarter BETWEEN 1 AND 4),
  opinion       text NOT NULL,
  auditor_id    bigint NOT NULL REFERENCES users(id),
  auditor_name  text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (village_id, year, quarter)
);

CREATE TABLE disclosure_year_closes (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  village_id    bigint NOT NULL REFERENCES regions(id),
  region_path   text NOT NULL,
  year          int NOT NULL,
  closing_fen   bigint NOT NULL,
  closed_by     bigint NOT NULL REFERENCES users(id),
  closed_by_name text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (village_id, year)
);

CREATE TABLE disclosure_notices (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  village_id    bigint NOT NULL REFERENCES regions(id),
  region_path   text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('party','village','finance','policy')),
  title         text NOT NULL,
  body          text NOT NULL,
  publish_from  date NOT NULL,
  publish_to    date,
  created_by    bigint NOT NULL REFERENCES users(id),
  created_by_name text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (publish_to IS NULL OR publish_to >= publish_from)
);
CREATE INDEX disclosure_notices_path_idx ON disclosure_notices(region_path text_pattern_ops, publish_from DESC, id DESC);
