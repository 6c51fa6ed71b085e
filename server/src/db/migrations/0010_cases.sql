-- 0010 cases: the work calendar, the workflow history, notifications, the case catalogue, cases
-- (事件/诉求) with photos and supervision notices, the triage model, and service orders (三单).
--
--  * Limits are counted in working days on the county's calendar: the PRC holidays ship as data in
--    core/calendar; calendar_days holds a county's own overrides (a local holiday, a changed 调休).
--  * workflow_history is shared by every process (cases, service orders, later mediation,
--    deliberation, finance): one row per step with actor, time, from, to, comment, attachments.
--    Append-only like audit_log.
--  * notifications are in-app rows; notification_outbox holds what an external sender (SMS,
--    WeChat) still has to deliver, written in the same transaction as the change (outbox pattern).
--  * cases carry region_path (where the matter is) for scope, and level + department_id for who
--    handles it now. Deadlines are timestamps computed from the calendar; deadline_gen changes
--    whenever they move so a stale timer job recognises itself and does nothing.

CREATE TABLE calendar_days (
  county_id  bigint NOT NULL,
  day        date NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('holiday','workday')),  -- workday = 调休上班
  name       text NOT NULL DEFAULT '',
  PRIMARY KEY (county_id, day)
);

CREATE TABLE workflow_history (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id    bigint NOT NULL,
  process      text NOT NULL,              -- 'case', 'service_order', …
  entity_id    bigint NOT NULL,
  region_path  text,
  action       text NOT NULL,
  from_state   text,
  to_state     text NOT NULL,
  actor_id     bigint,                     -- null = the system (timers)
  actor_name   text NOT NULL,
  comment      text,
  attachments  jsonb NOT NULL DEFAULT '[]',
  data         jsonb NOT NULL DEFAULT '{}', -- e.g. {dueAt, previousDueAt, days}
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workflow_history_entity_idx ON workflow_history(process, entity_id, id);
CREATE TRIGGER workflow_history_no_update BEFORE UPDATE OR DELETE ON workflow_history
  FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();

CREATE TABLE notifications (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id   bigint NOT NULL,
  user_id     bigint NOT NULL REFERENCES users(id),
  kind        text NOT NULL,               -- 'case.assigned', 'case.overdue', 'case.rate' …
  title       text NOT NULL,
  body        text NOT NULL DEFAULT '',
  entity      text,
  entity_id   bigint,
  read_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications(user_id, id);
CREATE INDEX notifications_unread_idx ON notifications(user_id) WHERE read_at IS NULL;

CREATE TABLE notification_outbox (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id        bigint NOT NULL,
  notification_id  bigint REFERENCES notifications(id),
  user_id          bigint NOT NULL,
  channel          text NOT NULL,          -- 'sms' | 'wechat' | …
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
  attempts         int NOT NULL DEFAULT 0,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX notification_outbox_pending_idx ON notification_outbox(id) WHERE status = 'pending';

-- 事件分类目录: a county-configurable tree. Limits in working days; the handling level says who
-- receives a new case of this category.
CREATE TABLE case_categories (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id       bigint NOT NULL,
  parent_id       bigint REFERENCES case_categories(id),
  code            text NOT NULL,
  name            text NOT NULL,
  handling_level  text NOT NULL CHECK (handling_level IN ('village','township','department')),
  department_id   bigint REFERENCES departments(id),  -- default department for level 'department'
  response_days   int NOT NULL CHECK (response_days BETWEEN 0 AND 60),
  handling_days   int NOT NULL CHECK (handling_days BETWEEN 1 AND 365),
  keywords        text[] NOT NULL DEFAULT '{}',      -- seed words for triage before any history
  active          boolean NOT NULL DEFAULT true,
  sort            int NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_id, code)
);
CREATE INDEX case_categories_parent_idx ON case_categories(county_id, parent_id);

-- 网格事项清单: what a grid worker must handle or report; items enter and leave the list.
CREATE TABLE grid_matters (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id       bigint NOT NULL,
  category_id     bigint REFERENCES case_categories(id),
  name            text NOT NULL,
  description     text NOT NULL DEFAULT '',
  handling_level  text NOT NULL CHECK (handling_level IN ('village','township','department')),
  response_days   int NOT NULL CHECK (response_days BETWEEN 0 AND 60),
  handling_days   int NOT NULL CHECK (handling_days BETWEEN 1 AND 365),
  entered_on      date NOT NULL DEFAULT current_date,
  exited_on       date,
  exit_reason     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_id, name, entered_on)
);
CREATE INDEX grid_matters_county_idx ON grid_matters(county_id, id);

CREATE TABLE cases (
  -- BY DEFAULT: the service takes nextval first so the code shown to people carries the id.
  id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  county_id          bigint NOT NULL,
  code               text NOT NULL,                 -- 'SJ20260315-000123', shown to people
  region_id          bigint NOT NULL REFERENCES regions(id),
  region_path        text NOT NULL,
  grid_id            bigint REFERENCES grids(id),
  category_id        bigint NOT NULL REFERENCES case_categories(id),
  grid_matter_id     bigint REFERENCES grid_matters(id),
  title              text NOT NULL,
  description        text NOT NULL,
  source             text NOT NULL CHECK (source IN ('phone','console','courtyard_meeting','household_visit','hotline')),
  source_ref         text,                          -- the meeting or visit the opinion came from
  reporter_user_id   bigint REFERENCES users(id),
  reporter_name      text NOT NULL,
  reporter_household_id bigint REFERENCES households(id),
  client_id          text,                          -- the phone's own id for the report
  lat                double precision,
  lng                double precision,
  address            text,
  state              text NOT NULL CHECK (state IN ('pending','handling','suspended','resolved','closed','merged')),
  level              text NOT NULL CHECK (level IN ('village','township','department')),
  department_id      bigint REFERENCES departments(id),
  handler_user_id    bigint REFERENCES users(id),   -- who accepted it at the current level
  response_due_at    timestamptz,                   -- current level must accept by then
  due_at             timestamptz,                   -- current handling deadline
  first_response_due_at timestamptz,                -- for the response rate: the first deadline
  first_response_at  timestamptz,
  deadline_gen       int NOT NULL DEFAULT 0,
  warn_level         text NOT NULL DEFAULT 'green' CHECK (warn_level IN ('green','yellow','red')),
  extension_days_requested int,
  suspended_at       timestamptz,
  supervised_at      timestamptz,
  dispatched_at      timestamptz,
  resolved_at        timestamptz,
  result             text,
  closed_at          timestamptz,
  close_reason       text CHECK (close_reason IN ('rated','revisit_timeout','merged')),
  rating             int CHECK (rating BETWEEN 1 AND 5),
  rated_at           timestamptz,
  rework_count       int NOT NULL DEFAULT 0,
  reopen_count       int NOT NULL DEFAULT 0,
  confirm_asked_at   timestamptz,
  confirmed_fixed    boolean,                       -- the reporter's answer weeks later
  merged_into_id     bigint REFERENCES cases(id),
  version            int NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_id, code)
);
CREATE UNIQUE INDEX cases_client_uq ON cases(reporter_user_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX cases_path_idx ON cases(region_path text_pattern_ops, id);
-- Inboxes and problem lists read open cases only; partial indexes stay small as cases close.
CREATE INDEX cases_open_path_idx ON cases(region_path text_pattern_ops, level, id)
  WHERE state IN ('pending','handling','suspended');
CREATE INDEX cases_open_dept_idx ON cases(department_id, id)
  WHERE state IN ('pending','handling','suspended') AND level = 'department';
CREATE INDEX cases_open_due_idx ON cases(county_id, due_at)
  WHERE state IN ('pending','handling','suspended');
CREATE INDEX cases_reporter_idx ON cases(reporter_user_id, id);
-- Rates take the cases reported in a period (one range scan per period and county).
CREATE INDEX cases_created_idx ON cases(county_id, created_at);
-- Duplicate search: same category, recent.
CREATE INDEX cases_dup_idx ON cases(county_id, category_id, created_at);
CREATE INDEX cases_department_idx ON cases(department_id, id) WHERE department_id IS NOT NULL;

-- Uploaded photos. The original (with EXIF) is kept for the record; what is shown is a re-encoded
-- copy without metadata. case_id is null between upload and the report that uses it.
CREATE TABLE case_photos (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  case_id       bigint REFERENCES cases(id),
  purpose       text NOT NULL DEFAULT 'report' CHECK (purpose IN ('report','result')),
  uploader_id   bigint NOT NULL REFERENCES users(id),
  mime          text NOT NULL,
  bytes         int NOT NULL,
  width         int NOT NULL,
  height        int NOT NULL,
  sha256        text NOT NULL,
  original_path text NOT NULL,
  public_path   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_photos_case_idx ON case_photos(case_id);
CREATE INDEX case_photos_uploader_idx ON case_photos(uploader_id, id);

-- 督办通知
CREATE TABLE case_supervisions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id    bigint NOT NULL,
  case_id      bigint NOT NULL REFERENCES cases(id),
  region_path  text NOT NULL,
  issued_by    bigint NOT NULL REFERENCES users(id),
  issuer_name  text NOT NULL,
  notice       text NOT NULL,
  reply_by     timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_supervisions_case_idx ON case_supervisions(case_id, id);

-- Triage classifier (naive Bayes over jieba tokens), one per county and target.
CREATE TABLE triage_models (
  county_id    bigint NOT NULL,
  target       text NOT NULL CHECK (target IN ('category','unit')),
  model        jsonb NOT NULL,
  samples      int NOT NULL,
  trained_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_id, target)
);

-- 三单: 村民点单 → 支部下单 → 党员接单 → 评价
CREATE TABLE service_orders (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id          bigint NOT NULL,
  code               text NOT NULL,
  region_id          bigint NOT NULL REFERENCES regions(id),
  region_path        text NOT NULL,
  household_id       bigint REFERENCES households(id),
  requester_user_id  bigint REFERENCES users(id),
  requester_name     text NOT NULL,
  kind               text NOT NULL,                 -- 代办, 助老, 农技, 维修, 其他 …
  title              text NOT NULL,
  description        text NOT NULL DEFAULT '',
  client_id          text,
  state              text NOT NULL CHECK (state IN ('requested','assigned','taken','completed','closed','cancelled')),
  member_id          bigint REFERENCES party_members(id),
  member_name        text,
  assigned_by        bigint REFERENCES users(id),
  assigned_at        timestamptz,
  taken_at           timestamptz,
  completed_at       timestamptz,
  result             text,
  rating             int CHECK (rating BETWEEN 1 AND 5),
  rated_at           timestamptz,
  version            int NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_id, code)
);
CREATE UNIQUE INDEX service_orders_client_uq ON service_orders(requester_user_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX service_orders_path_idx ON service_orders(region_path text_pattern_ops, id);
CREATE INDEX service_orders_member_idx ON service_orders(member_id, id);
CREATE INDEX service_orders_requester_idx ON service_orders(requester_user_id, id);
