-- 0020 points (积分制) and the points store (积分超市).
--
-- Scores are integer tenths of a point everywhere (0.4 分 → 4) so sums stay exact.
-- The ledger (points_entries) is append-only and hash-chained per village; review state lives in
-- points_claims, and only an approved claim posts an entry. Per-period aggregates and spendable
-- balances are updated in the same transaction as the entry, so rankings never scan the ledger.

-- ── Rule books ────────────────────────────────────────────────────────────────────────────────
-- A village's versioned rule book. The county keeps one 'template' book (安家村 model) that
-- villages copy; a village edits a 'draft', which takes effect only when 'adopted' (meeting and
-- resolution recorded). Adopting a new version supersedes the old one.
CREATE TABLE points_rule_books (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id        bigint NOT NULL,
  region_id        bigint NOT NULL REFERENCES regions(id),   -- village (county for the template)
  region_path      text NOT NULL,
  version          int NOT NULL,
  name             text NOT NULL,
  status           text NOT NULL CHECK (status IN ('template','draft','adopted','superseded')),
  based_on_id      bigint REFERENCES points_rule_books(id),
  adopted_at       timestamptz,
  adopted_by       bigint,
  meeting          text,            -- e.g. 2026年3月5日 村民代表大会
  resolution       text,            -- resolution text / number
  deliberation_id  bigint,          -- link to the deliberation module's resolution, when it exists
  created_by       bigint,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_id, version)
);
CREATE UNIQUE INDEX points_rule_books_one_adopted ON points_rule_books(region_id) WHERE status = 'adopted';
CREATE INDEX points_rule_books_path_idx ON points_rule_books(region_path text_pattern_ops, id);

CREATE TABLE points_rule_categories (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id   bigint NOT NULL,
  book_id     bigint NOT NULL REFERENCES points_rule_books(id) ON DELETE CASCADE,
  name        text NOT NULL,
  is_example  boolean NOT NULL DEFAULT false,   -- template categories a village is expected to edit
  sort        int NOT NULL DEFAULT 0
);
CREATE INDEX points_rule_categories_book_idx ON points_rule_categories(book_id);

CREATE TABLE points_rule_items (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id    bigint NOT NULL,
  book_id      bigint NOT NULL REFERENCES points_rule_books(id) ON DELETE CASCADE,
  category_id  bigint REFERENCES points_rule_categories(id) ON DELETE CASCADE, -- null: negative list
  code         text NOT NULL,
  name         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('positive','negative')),
  min_score    int NOT NULL,      -- tenths; fixed score when min = max
  max_score    int NOT NULL,
  sort         int NOT NULL DEFAULT 0,
  CHECK (min_score <= max_score),
  CHECK ((kind = 'positive' AND min_score > 0) OR (kind = 'negative' AND max_score < 0)),
  UNIQUE (book_id, code)
);
CREATE INDEX points_rule_items_book_idx ON points_rule_items(book_id);

-- Per-village settings (defaults when absent): objection window, star thresholds, blacklist line,
-- credit bands for the bank summary.
CREATE TABLE points_settings (
  region_id           bigint PRIMARY KEY REFERENCES regions(id),
  county_id           bigint NOT NULL,
  region_path         text NOT NULL,
  objection_days      int NOT NULL DEFAULT 7 CHECK (objection_days BETWEEN 1 AND 60),
  star_thresholds     int[] NOT NULL DEFAULT '{50,100,150,200,250}',  -- quarter score (tenths) for 1..N stars
  blacklist_threshold int NOT NULL DEFAULT 70,                          -- tenths: below 7 分
  credit_bands        jsonb NOT NULL DEFAULT '[]',
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- ── Subjects ──────────────────────────────────────────────────────────────────────────────────
-- Who earns points: households (the main subject), enterprises, family farms, individual
-- businesses registered in the village, party members (党员积分卡), staff (网格员/村务助理).
CREATE TABLE points_subjects (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id        bigint NOT NULL,
  village_id       bigint NOT NULL REFERENCES regions(id),
  region_path      text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('household','enterprise','family_farm','business','party_member','staff')),
  household_id     bigint REFERENCES households(id),
  party_member_id  bigint REFERENCES party_members(id),
  user_id          bigint REFERENCES users(id),
  name             text NOT NULL,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active','closed')),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX points_subjects_household_uq ON points_subjects(household_id) WHERE kind = 'household';
CREATE UNIQUE INDEX points_subjects_member_uq ON points_subjects(party_member_id) WHERE kind = 'party_member';
CREATE UNIQUE INDEX points_subjects_staff_uq ON points_subjects(user_id, village_id) WHERE kind = 'staff';
CREATE INDEX points_subjects_path_idx ON points_subjects(region_path text_pattern_ops, id);
CREATE INDEX points_subjects_village_idx ON points_subjects(village_id, kind, id);

-- ── Claims (recorded / declared, awaiting review) ────────────────────────────────────────────
CREATE TABLE points_claims (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id      bigint NOT NULL,
  village_id     bigint NOT NULL,
  region_path    text NOT NULL,               -- the subject's path
  subject_id     bigint NOT NULL REFERENCES points_subjects(id),
  book_id        bigint NOT NULL REFERENCES points_rule_books(id),
  item_id        bigint NOT NULL REFERENCES points_rule_items(id),
  score          int NOT NULL,                -- tenths
  occurred_on    date NOT NULL,
  note           text,
  photo_url      text,
  source         text NOT NULL CHECK (source IN ('record','declare','bulk')),
  recorded_by    bigint NOT NULL,
  recorded_by_name text NOT NULL,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
  reviewed_by    bigint,
  reviewed_at    timestamptz,
  review_reason  text,
  entry_id       bigint,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_claims_queue_idx ON points_claims(village_id, status, id);
CREATE INDEX points_claims_path_idx ON points_claims(region_path text_pattern_ops, id);
CREATE INDEX points_claims_subject_idx ON points_claims(subject_id, id);

-- ── The ledger ────────────────────────────────────────────────────────────────────────────────
-- Chain head per village: locked FOR UPDATE while an entry is appended, so a village's entries get
-- consecutive seq numbers and each hash covers the one before.
CREATE TABLE points_chains (
  village_id  bigint PRIMARY KEY REFERENCES regions(id),
  county_id   bigint NOT NULL,
  last_seq    bigint NOT NULL DEFAULT 0,
  last_hash   text NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
);

CREATE TABLE points_entries (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id          bigint NOT NULL,
  village_id         bigint NOT NULL,
  seq                bigint NOT NULL,
  region_path        text NOT NULL,
  subject_id         bigint NOT NULL REFERENCES points_subjects(id),
  kind               text NOT NULL CHECK (kind IN ('award','deduction','reversal','correction')),
  score              int NOT NULL,            -- tenths, signed
  item_id            bigint REFERENCES points_rule_items(id),
  claim_id           bigint REFERENCES points_claims(id),
  reverses_entry_id  bigint REFERENCES points_entries(id),
  appeal_id          bigint,
  occurred_on        date NOT NULL,           -- decides the period the score counts in
  reason             text NOT NULL,
  recorded_by        bigint,
  approved_by        bigint,
  created_at         timestamptz NOT NULL,
  prev_hash          text NOT NULL,
  hash               text NOT NULL,
  UNIQUE (village_id, seq)
);
CREATE UNIQUE INDEX points_entries_reverses_uq ON points_entries(reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;
CREATE UNIQUE INDEX points_entries_claim_uq ON points_entries(claim_id) WHERE claim_id IS NOT NULL;
CREATE INDEX points_entries_subject_idx ON points_entries(subject_id, id);
CREATE INDEX points_entries_path_idx ON points_entries(region_path text_pattern_ops, id);

CREATE FUNCTION points_ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'points_entries is append-only: post a reversal instead' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER points_entries_no_update BEFORE UPDATE OR DELETE ON points_entries
  FOR EACH ROW EXECUTE FUNCTION points_ledger_immutable();
CREATE TRIGGER points_entries_no_truncate BEFORE TRUNCATE ON points_entries
  FOR EACH STATEMENT EXECUTE FUNCTION points_ledger_immutable();

-- Per-period score: one row per subject × period ('2026-03', '2026-Q1', '2026').
CREATE TABLE points_period_scores (
  subject_id    bigint NOT NULL REFERENCES points_subjects(id),
  period        text NOT NULL,
  county_id     bigint NOT NULL,
  village_id    bigint NOT NULL,
  region_path   text NOT NULL,
  subject_kind  text NOT NULL,
  score         int NOT NULL DEFAULT 0,
  entries       int NOT NULL DEFAULT 0,
  PRIMARY KEY (subject_id, period)
);
CREATE INDEX points_period_village_idx ON points_period_scores(village_id, period, subject_kind, score DESC, subject_id);
CREATE INDEX points_period_county_idx ON points_period_scores(county_id, period, subject_kind, score DESC, subject_id);

-- Spendable points: earned (net of deductions and reversals) minus spent in the store.
-- A redemption only succeeds while balance >= price (conditional UPDATE), so the store can never
-- take it below zero; a deduction posted after spending can, and later awards pay it back first.
CREATE TABLE points_balances (
  subject_id   bigint PRIMARY KEY REFERENCES points_subjects(id),
  county_id    bigint NOT NULL,
  village_id   bigint NOT NULL,
  region_path  text NOT NULL,
  earned       int NOT NULL DEFAULT 0,
  spent        int NOT NULL DEFAULT 0 CHECK (spent >= 0),
  balance      int NOT NULL DEFAULT 0,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- ── Publication (公示), appeals (复议), awards, blacklist ──────────────────────────────────────
CREATE TABLE points_publications (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id        bigint NOT NULL,
  village_id       bigint NOT NULL REFERENCES regions(id),
  region_path      text NOT NULL,
  period           text NOT NULL,             -- '2026-Q1'
  status           text NOT NULL CHECK (status IN ('draft','approved','published')),
  prepared_by      bigint NOT NULL,
  branch_meeting   text,                      -- 村党总支部审定: meeting
  branch_resolution text,
  approved_by      bigint,
  approved_at      timestamptz,
  published_by     bigint,
  published_at     timestamptz,
  objection_until  timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (village_id, period)
);
CREATE INDEX points_publications_path_idx ON points_publications(region_path text_pattern_ops, id);

-- The list as posted: a snapshot, so later corrections do not rewrite what was published.
CREATE TABLE points_publication_rows (
  publication_id  bigint NOT NULL REFERENCES points_publications(id) ON DELETE CASCADE,
  subject_id      bigint NOT NULL,
  subject_kind    text NOT NULL,
  name            text NOT NULL,
  score           int NOT NULL,
  rank            int NOT NULL,
  stars           int NOT NULL,
  PRIMARY KEY (publication_id, subject_id)
);

CREATE TABLE points_appeals (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id          bigint NOT NULL,
  village_id         bigint NOT NULL,
  region_path        text NOT NULL,
  entry_id           bigint NOT NULL REFERENCES points_entries(id),
  subject_id         bigint NOT NULL,
  publication_id     bigint REFERENCES points_publications(id),
  filed_by           bigint NOT NULL,
  filed_by_name      text NOT NULL,
  reason             text NOT NULL,
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open','investigating','upheld','rejected')),
  investigation      text,
  decision_reason    text,
  corrected_score    int,
  decided_by         bigint,
  decided_at         timestamptz,
  reversal_entry_id  bigint,
  correction_entry_id bigint,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_appeals_path_idx ON points_appeals(region_path text_pattern_ops, id);
CREATE INDEX points_appeals_entry_idx ON points_appeals(entry_id);

CREATE TABLE points_awards (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id    bigint NOT NULL,
  village_id   bigint NOT NULL,
  region_path  text NOT NULL,
  year         int NOT NULL,
  subject_id   bigint NOT NULL REFERENCES points_subjects(id),
  title        text NOT NULL,                 -- 十星家庭户, 创业致富能手 …
  amount_fen   int NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
  year_score   int NOT NULL,
  rank         int,
  awarded_by   bigint NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (year, subject_id, title)
);
CREATE INDEX points_awards_path_idx ON points_awards(region_path text_pattern_ops, year);

CREATE TABLE points_blacklist (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id       bigint NOT NULL,
  village_id      bigint NOT NULL,
  region_path     text NOT NULL,
  subject_id      bigint NOT NULL REFERENCES points_subjects(id),
  household_id    bigint,
  source_period   text NOT NULL,              -- the period whose score put it here
  score           int NOT NULL,
  starts_on       date NOT NULL,              -- the next period
  ends_on         date NOT NULL,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active','lifted')),
  resolution      text,                       -- 评议小组评议、村党总支审核
  helper_user_id  bigint,
  helper_name     text,
  plan            text,
  lifted_reason   text,
  created_by      bigint NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subject_id, source_period)
);
CREATE INDEX points_blacklist_household_idx ON points_blacklist(household_id, starts_on);
CREATE INDEX points_blacklist_path_idx ON points_blacklist(region_path text_pattern_ops, id);

CREATE TABLE points_blacklist_progress (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  blacklist_id  bigint NOT NULL REFERENCES points_blacklist(id),
  note          text NOT NULL,
  by_user       bigint NOT NULL,
  by_name       text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_blacklist_progress_idx ON points_blacklist_progress(blacklist_id, id);

-- ── Linked uses with consent (bank credit, employers) ─────────────────────────────────────────
CREATE TABLE points_consents (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id       bigint NOT NULL,
  household_id    bigint NOT NULL REFERENCES households(id),
  region_path     text NOT NULL,
  recipient_kind  text NOT NULL CHECK (recipient_kind IN ('bank','employer')),
  recipient_name  text NOT NULL,
  purpose         text NOT NULL,
  token_hash      text NOT NULL UNIQUE,       -- the code the villager hands over; only its hash is kept
  granted_by      bigint NOT NULL,
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_consents_household_idx ON points_consents(household_id, id);

CREATE TABLE points_consent_access (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consent_id   bigint NOT NULL REFERENCES points_consents(id),
  at           timestamptz NOT NULL DEFAULT now(),
  ip           text,
  user_agent   text,
  outcome      text NOT NULL             -- 'served' | 'expired' | 'revoked'
);
CREATE INDEX points_consent_access_idx ON points_consent_access(consent_id, id);

-- ── The points store (积分超市) ────────────────────────────────────────────────────────────────
CREATE TABLE store_stores (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id    bigint NOT NULL,
  region_id    bigint NOT NULL REFERENCES regions(id),   -- a village or a township
  region_path  text NOT NULL,
  name         text NOT NULL,
  address      text,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX store_stores_path_idx ON store_stores(region_path text_pattern_ops, id);

CREATE TABLE store_goods (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id    bigint NOT NULL,
  store_id     bigint NOT NULL REFERENCES store_stores(id),
  region_path  text NOT NULL,
  name         text NOT NULL,
  unit         text NOT NULL DEFAULT '件',
  price        int NOT NULL CHECK (price > 0),            -- tenths of a point
  stock        int NOT NULL DEFAULT 0 CHECK (stock >= 0),
  status       text NOT NULL DEFAULT 'on' CHECK (status IN ('on','off')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (store_id, name)
);
CREATE INDEX store_goods_store_idx ON store_goods(store_id, id);

-- Every stock change: donations and purchases in, redemptions and write-offs out.
CREATE TABLE store_stock_moves (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id    bigint NOT NULL,
  store_id     bigint NOT NULL REFERENCES store_stores(id),
  goods_id     bigint NOT NULL REFERENCES store_goods(id),
  kind         text NOT NULL CHECK (kind IN ('donation','purchase','adjust','redemption')),
  qty          int NOT NULL,
  donor        text,
  note         text,
  redemption_id bigint,
  by_user      bigint NOT NULL,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX store_stock_moves_idx ON store_stock_moves(store_id, at);
CREATE INDEX store_stock_moves_goods_idx ON store_stock_moves(goods_id, id);

CREATE TABLE store_redemptions (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  store_id      bigint NOT NULL REFERENCES store_stores(id),
  region_path   text NOT NULL,                -- the household's path (villager sees own; scope by store too)
  store_path    text NOT NULL,
  subject_id    bigint NOT NULL REFERENCES points_subjects(id),
  household_id  bigint,
  goods_id      bigint NOT NULL REFERENCES store_goods(id),
  goods_name    text NOT NULL,
  qty           int NOT NULL CHECK (qty > 0),
  unit_price    int NOT NULL,
  total         int NOT NULL,
  receipt_no    text NOT NULL UNIQUE,
  cashier_id    bigint NOT NULL,
  cashier_name  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX store_redemptions_store_idx ON store_redemptions(store_id, created_at);
CREATE INDEX store_redemptions_subject_idx ON store_redemptions(subject_id, id);
CREATE INDEX store_redemptions_path_idx ON store_redemptions(store_path text_pattern_ops, id);
