-- 0030 visits (走访): a grid worker or cadre visits a household, notes who they met and what was
-- said, and lists the household's needs and opinions (0..n). An opinion can become a case in one
-- step (cases.source = 'household_visit'); the opinion keeps the case it became, so doing it twice
-- gives the same case.
--
--  * visits carry the household's place when visited (region_path for scope, village_id and
--    grid_id for the per-village and per-grid lists), like every placed row.
--  * household_last_visits keeps one row per visited household — its latest visit day and that
--    visit's follow-up day — so the county's "households not visited in the last N days" and
--    "follow-ups due" per village are index range counts over this small table, not a DISTINCT
--    over every visit of the period (measured at 200,000 households / 600,000 visits: the join
--    back to households alone cost ~300 ms). It is written in the same transaction as the visit;
--    a visit recorded late (补录, an earlier day) never moves the day backwards.
--    Its village_id follows the household: a trigger on households (like region_counts' in 0002)
--    moves it when the household moves to another village and empties it (NULL) while the
--    household is not active, in the same transaction as the registry's change. The WHEN clause
--    keeps ordinary household edits and roster re-imports from touching it.
--  * visit_opinions.case_id is not a foreign key: cases belong to the cases module, which may
--    reorganise its table (partitions, archives); the link is kept by the conversion use case.
--    visited_on / village_id are copied onto the opinion so the county's counts read one index.

CREATE TABLE visits (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  household_id  bigint NOT NULL REFERENCES households(id),
  region_path   text NOT NULL,
  village_id    bigint NOT NULL REFERENCES regions(id),
  grid_id       bigint REFERENCES grids(id),
  visitor_id    bigint NOT NULL REFERENCES users(id),
  visitor_name  text NOT NULL,
  visited_on    date NOT NULL,
  met           text NOT NULL,                 -- who was met: 户主本人, 配偶, 邻居代转 …
  notes         text NOT NULL DEFAULT '',
  follow_up_on  date,                          -- when to go back, if at all
  client_id     text,                          -- the phone's own id for the record (offline retry)
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (follow_up_on IS NULL OR follow_up_on >= visited_on)
);
CREATE UNIQUE INDEX visits_client_uq ON visits(visitor_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX visits_household_idx ON visits(household_id, visited_on DESC, id DESC);
CREATE INDEX visits_visitor_idx ON visits(visitor_id, id);
CREATE INDEX visits_path_idx ON visits(region_path text_pattern_ops, id);
CREATE INDEX visits_village_day_idx ON visits(village_id, visited_on);

CREATE TABLE visit_opinions (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  visit_id      bigint NOT NULL REFERENCES visits(id),
  seq           int NOT NULL,                  -- order as recorded, from 1
  kind          text NOT NULL CHECK (kind IN ('need','opinion')),   -- 需求 / 意见建议
  content       text NOT NULL,
  village_id    bigint NOT NULL,
  visited_on    date NOT NULL,
  case_id       bigint,
  case_code     text,
  converted_by  bigint REFERENCES users(id),
  converted_at  timestamptz,
  UNIQUE (visit_id, seq),
  CHECK ((case_id IS NULL) = (case_code IS NULL))
);
CREATE INDEX visit_opinions_village_day_idx ON visit_opinions(village_id, visited_on) INCLUDE (case_id);

CREATE TABLE household_last_visits (
  household_id     bigint PRIMARY KEY REFERENCES households(id),
  county_id        bigint NOT NULL,
  village_id       bigint,                     -- NULL while the household is not active
  last_visited_on  date NOT NULL,
  visit_id         bigint NOT NULL REFERENCES visits(id),
  follow_up_on     date                        -- the latest visit's follow-up day, if any
);
CREATE INDEX household_last_visits_village_idx ON household_last_visits(village_id, last_visited_on);
CREATE INDEX household_last_visits_follow_up_idx ON household_last_visits(village_id, follow_up_on) WHERE follow_up_on IS NOT NULL;
CREATE INDEX household_last_visits_visit_idx ON household_last_visits(visit_id);

CREATE FUNCTION household_last_visits_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- split_part(path, '/', 4) is the village id of a place at or under a village ('/1/25/301/4001/').
  UPDATE household_last_visits
     SET village_id = CASE WHEN NEW.status = 'active' THEN nullif(split_part(NEW.region_path, '/', 4), '')::bigint END
   WHERE household_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER households_last_visit_place AFTER UPDATE OF region_path, status ON households
  FOR EACH ROW WHEN (OLD.region_path IS DISTINCT FROM NEW.region_path OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION household_last_visits_place();
