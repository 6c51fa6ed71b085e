-- 0001 foundation: regions, grids, registry, accounts, audit, idempotency, imports.
--
-- Conventions (read once, they hold for every later migration):
--  * every row carries county_id (the county region's id): a province shards by it (Citus
--    distribution column) and no query joins across counties;
--  * rows that belong to a place carry region_path, the materialised path of the region they
--    hang under ('/1/25/301/4410/'). Scope is one indexed predicate: region_path LIKE '/1/25/%'.
--    We use text + text_pattern_ops rather than ltree so the same SQL runs on PGlite and on any
--    PostgreSQL without an extension;
--  * personal data (ID numbers, phones) is stored encrypted (AES-256-GCM, *_enc), findable by a
--    keyed hash (*_hash) and shown masked (*_masked); plaintext never reaches the database.

CREATE TABLE regions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id   bigint,                      -- null only on the county row itself, filled after insert
  parent_id   bigint REFERENCES regions(id),
  level       text NOT NULL CHECK (level IN ('county','township','village','group')),
  code        text NOT NULL UNIQUE,        -- 12-digit statistical code (groups: village code + 3 digits)
  name        text NOT NULL,
  path        text NOT NULL,               -- '/1/25/301/' materialised path of ids, ends with '/'
  kind        text,                        -- village: '村' | '社区'; township: '镇' | '乡' | '街道'
  center_lat  double precision,
  center_lng  double precision,
  boundary    jsonb,                       -- optional GeoJSON geometry
  sort        int NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX regions_parent_idx ON regions(parent_id);
CREATE INDEX regions_path_idx ON regions(path text_pattern_ops);
CREATE INDEX regions_county_level_idx ON regions(county_id, level);

CREATE TABLE grids (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL REFERENCES regions(id),
  region_id     bigint NOT NULL REFERENCES regions(id),   -- the village (or township) the grid lies in
  region_path   text NOT NULL,
  parent_id     bigint REFERENCES grids(id),
  level         text NOT NULL CHECK (level IN ('level1','level2','micro')),
  code          text NOT NULL,
  name          text NOT NULL,
  boundary      jsonb,
  note          text,
  version       int NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_id, code)
);
CREATE INDEX grids_path_idx ON grids(region_path text_pattern_ops, id);
CREATE INDEX grids_parent_idx ON grids(parent_id);

-- Who staffs a grid: 总网格长 / 网格长 / 副网格长 / 网格员 / 网格专干.
CREATE TABLE grid_staff (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id   bigint NOT NULL,
  grid_id     bigint NOT NULL REFERENCES grids(id),
  role        text NOT NULL CHECK (role IN ('chief','head','deputy','worker','specialist')),
  user_id     bigint,                      -- set when the person has an account
  name        text NOT NULL,
  phone_enc   text,
  phone_hash  text,
  phone_masked text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (grid_id, role, name)
);
CREATE INDEX grid_staff_user_idx ON grid_staff(user_id);

CREATE TABLE households (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id       bigint NOT NULL REFERENCES regions(id),
  region_id       bigint NOT NULL REFERENCES regions(id),   -- villager group (or village)
  region_path     text NOT NULL,
  grid_id         bigint REFERENCES grids(id),
  code            text NOT NULL,          -- 户编号, unique in the county
  address         text NOT NULL,
  householder_name text NOT NULL,
  householder_id_hash text,               -- keyed hash of the householder's ID number (import key)
  phone_enc       text,
  phone_hash      text,
  phone_masked    text,
  member_count    int NOT NULL DEFAULT 0,
  tags            text[] NOT NULL DEFAULT '{}',  -- 低保户, 脱贫户, 独居老人, 留守儿童 …
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active','moved','merged')),
  version         int NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_id, code)
);
CREATE INDEX households_path_idx ON households(region_path text_pattern_ops, id);
CREATE INDEX households_grid_idx ON households(grid_id, id);
CREATE INDEX households_holder_hash_idx ON households(county_id, householder_id_hash);
CREATE INDEX households_name_idx ON households(county_id, householder_name);

CREATE TABLE residents (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL REFERENCES regions(id),
  household_id  bigint NOT NULL REFERENCES households(id),
  region_path   text NOT NULL,
  name          text NOT NULL,
  gender        text NOT NULL CHECK (gender IN ('M','F')),
  birth_date    date NOT NULL,
  relation      text NOT NULL,          -- 户主 / 配偶 / 子 / 女 / 父 / 母 / 孙子 …
  ethnicity     text NOT NULL DEFAULT '汉族',
  id_no_enc     text NOT NULL,
  id_no_hash    text NOT NULL,
  id_no_masked  text NOT NULL,
  phone_enc     text,
  phone_hash    text,
  phone_masked  text,
  political     text NOT NULL DEFAULT 'masses' CHECK (political IN ('masses','league','party')),
  status        text NOT NULL DEFAULT 'present' CHECK (status IN ('present','away','deceased','moved')),
  version       int NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_id, id_no_hash)
);
CREATE INDEX residents_household_idx ON residents(household_id);
CREATE INDEX residents_path_idx ON residents(region_path text_pattern_ops, id);
CREATE INDEX residents_phone_idx ON residents(county_id, phone_hash);
CREATE INDEX residents_name_idx ON residents(county_id, name);

CREATE TABLE party_orgs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id   bigint NOT NULL,
  region_id   bigint NOT NULL REFERENCES regions(id),
  region_path text NOT NULL,
  parent_id   bigint REFERENCES party_orgs(id),
  kind        text NOT NULL CHECK (kind IN ('committee','general_branch','branch','group')),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX party_orgs_path_idx ON party_orgs(region_path text_pattern_ops);

CREATE TABLE party_members (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  org_id        bigint NOT NULL REFERENCES party_orgs(id),
  region_path   text NOT NULL,
  resident_id   bigint REFERENCES residents(id),
  name          text NOT NULL,
  joined_on     date,
  link_quota    int NOT NULL DEFAULT 5,       -- households this member should link (泸溪 "158")
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active','away','transferred')),
  version       int NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX party_members_resident_uq ON party_members(resident_id) WHERE resident_id IS NOT NULL;
CREATE INDEX party_members_path_idx ON party_members(region_path text_pattern_ops, id);

-- 党员联户: one household has at most one linked member.
CREATE TABLE member_household_links (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  member_id     bigint NOT NULL REFERENCES party_members(id),
  household_id  bigint NOT NULL REFERENCES households(id) UNIQUE,
  region_path   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mhl_member_idx ON member_household_links(member_id);
CREATE INDEX mhl_path_idx ON member_household_links(region_path text_pattern_ops);

-- 包保: county leader → township, township cadre → village, village cadre → group,
-- party member → household.
CREATE TABLE patron_assignments (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id           bigint NOT NULL,
  level               text NOT NULL CHECK (level IN ('county_township','township_village','village_group','member_household')),
  patron_user_id      bigint,
  patron_name         text NOT NULL,
  patron_title        text,
  target_region_id    bigint REFERENCES regions(id),
  target_household_id bigint REFERENCES households(id),
  region_path         text NOT NULL,           -- path of the target, for scope
  starts_on           date NOT NULL DEFAULT current_date,
  ends_on             date,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((target_region_id IS NULL) <> (target_household_id IS NULL))
);
CREATE INDEX patron_path_idx ON patron_assignments(region_path text_pattern_ops);

CREATE TABLE departments (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id   bigint NOT NULL,
  code        text NOT NULL,
  name        text NOT NULL,
  phone       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_id, code)
);
-- 县直部门联村: a department's score follows the villages it is linked to.
CREATE TABLE department_villages (
  department_id bigint NOT NULL REFERENCES departments(id),
  region_id     bigint NOT NULL REFERENCES regions(id),
  county_id     bigint NOT NULL,
  PRIMARY KEY (department_id, region_id)
);
CREATE INDEX department_villages_region_idx ON department_villages(region_id);

CREATE TABLE users (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id       bigint NOT NULL,
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('staff','villager')),
  password_hash   text NOT NULL,
  resident_id     bigint REFERENCES residents(id),
  household_id    bigint REFERENCES households(id),
  department_id   bigint REFERENCES departments(id),
  failed_logins   int NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  totp_secret_enc text,
  totp_enabled    boolean NOT NULL DEFAULT false,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
  last_login_at   timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_household_idx ON users(household_id);

-- Roles are rows; their permissions are keys from the code's permission registry (unknown → deny).
CREATE TABLE roles (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key          text NOT NULL UNIQUE,
  name         text NOT NULL,
  permissions  text[] NOT NULL DEFAULT '{}',
  requires_totp boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- A role granted on a region node; the grant covers that node's whole subtree.
CREATE TABLE user_grants (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id    bigint NOT NULL,
  user_id      bigint NOT NULL REFERENCES users(id),
  role_id      bigint NOT NULL REFERENCES roles(id),
  region_id    bigint NOT NULL REFERENCES regions(id),
  region_path  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, role_id, region_id)
);

CREATE TABLE sessions (
  id            text PRIMARY KEY,          -- sha256 of the cookie token; the token itself is never stored
  user_id       bigint NOT NULL REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  totp_passed   boolean NOT NULL DEFAULT false,
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_user_idx ON sessions(user_id);

-- Append-only audit trail. Kept ≥ 6 months (网络安全法 §21); the database refuses edits.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id   bigint,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    bigint,
  actor_name  text,
  ip          text,
  action      text NOT NULL,              -- 'household.update', 'pii.reveal', 'auth.login_failed' …
  entity      text NOT NULL,
  entity_id   text,
  region_path text,
  before      jsonb,
  after       jsonb,
  note        text
);
CREATE INDEX audit_entity_idx ON audit_log(entity, entity_id, id);
CREATE INDEX audit_path_idx ON audit_log(region_path text_pattern_ops, id);
CREATE INDEX audit_at_idx ON audit_log(at);

CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable();

-- A POST retried with the same Idempotency-Key returns the first answer instead of acting twice.
CREATE TABLE idempotency_keys (
  user_id      bigint NOT NULL,
  key          text NOT NULL,
  route        text NOT NULL,
  status_code  int,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

CREATE TABLE import_jobs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id    bigint NOT NULL,
  user_id      bigint NOT NULL,
  region_id    bigint NOT NULL,
  file_name    text NOT NULL,
  dry_run      boolean NOT NULL,
  status       text NOT NULL CHECK (status IN ('running','done','failed')),
  total_rows   int NOT NULL DEFAULT 0,
  done_rows    int NOT NULL DEFAULT 0,
  created      int NOT NULL DEFAULT 0,
  updated      int NOT NULL DEFAULT 0,
  errors       jsonb NOT NULL DEFAULT '[]',
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

-- Durable job queue (timers, escalations, period closes). Claimed with FOR UPDATE SKIP LOCKED,
-- so a job fires once however many server processes run.
CREATE TABLE jobs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL,
  payload      jsonb NOT NULL DEFAULT '{}',
  run_at       timestamptz NOT NULL DEFAULT now(),
  dedupe_key   text UNIQUE,
  attempts     int NOT NULL DEFAULT 0,
  locked_by    text,
  locked_at    timestamptz,
  done_at      timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due_idx ON jobs(run_at) WHERE done_at IS NULL;

CREATE TABLE app_settings (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL
);
