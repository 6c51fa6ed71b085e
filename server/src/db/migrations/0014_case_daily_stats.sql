-- 0014 the dashboard's rates at county scale: per-day aggregates of settled cases.
--
-- The rates (modules/cases/rates.ts, DESIGN.md "Rates") are counted over the cases reported in a
-- period. Counted from the case rows, a county year is 1,000,000 rows and a county month ~80,000:
-- ~1.3 s per dashboard. Most of those cases are finished; their figures no longer change. So:
--
--  * A case is SETTLED once it is closed with both its first response and its resolution
--    recorded: then none of its figures depends on the time the dashboard is read. (An open case
--    is due, or overdue, depending on "now"; so is a closed case lacking either time.)
--  * case_daily_stats holds the settled cases' figures summed per day of report (Beijing) and per
--    place, in three shapes, each for the dashboards it serves:
--      township   — per township (path cut to two ids): the county dashboard and its drill-down;
--      grid       — per village or group path and grid: every dashboard below the county;
--      department — per department: the county dashboard's department table.
--  * Triggers keep it in the same transaction as every change of a case row: a case entering the
--    settled state adds its figures, leaving it (reopen, rework) subtracts them. The triggers only
--    fire for rows settled before or after (WHEN), so a report — always open — costs nothing.
--  * The dashboard adds the unsettled cases of the period, counted live from the case rows with
--    the same definitions. They are few (open and recently closed cases), and cases_unsettled_idx
--    holds exactly them; it replaces cases_rates_idx (0012), which held every case.
--  * case_stats_rows() is the one definition of a settled case's figures: the triggers and the
--    rebuild (a bulk load, a repair) both use it. The test compares both with a count from scratch.

CREATE TABLE case_daily_stats (
  county_id          bigint NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('township','grid','department')),
  path               text COLLATE "C" NOT NULL,   -- C collation: LIKE 'prefix%' uses the key
  day                date NOT NULL,               -- day reported, Beijing time
  grid_id            bigint NOT NULL DEFAULT 0,   -- kind grid; 0 = no grid
  department_id      bigint NOT NULL DEFAULT 0,   -- kind department
  total              int NOT NULL DEFAULT 0,
  due_respond        int NOT NULL DEFAULT 0,
  responded_on_time  int NOT NULL DEFAULT 0,
  due_close          int NOT NULL DEFAULT 0,
  closed             int NOT NULL DEFAULT 0,
  closed_on_time     int NOT NULL DEFAULT 0,
  overdue            int NOT NULL DEFAULT 0,
  rated              int NOT NULL DEFAULT 0,
  satisfied          int NOT NULL DEFAULT 0,
  close_seconds      numeric NOT NULL DEFAULT 0,  -- Σ (closed_at − created_at), exact like avg()
  close_n            int NOT NULL DEFAULT 0,
  PRIMARY KEY (county_id, kind, path, day, grid_id, department_id)
);

-- The figures of one settled case, one row per shape it is counted in.
CREATE FUNCTION case_stats_rows(c cases) RETURNS TABLE (
  kind text, path text, day date, grid_id bigint, department_id bigint,
  total int, due_respond int, responded_on_time int, due_close int, closed int, closed_on_time int,
  overdue int, rated int, satisfied int, close_seconds numeric, close_n int
) LANGUAGE sql STABLE AS $$
  SELECT k.kind, k.path, (c.created_at AT TIME ZONE 'Asia/Shanghai')::date, k.grid_id, k.department_id,
    1,
    (c.first_response_due_at IS NOT NULL)::int,
    coalesce((c.first_response_at <= c.first_response_due_at)::int, 0),
    1,                                                  -- closed: due to close
    1,
    coalesce((c.resolved_at <= c.due_at)::int, 0),
    coalesce((c.resolved_at > c.due_at)::int, 0),
    (c.rating IS NOT NULL)::int,
    coalesce((c.rating >= 3)::int, 0),
    coalesce(extract(epoch FROM c.closed_at - c.created_at), 0),
    (c.closed_at IS NOT NULL)::int
  FROM (VALUES
    ('township', substring(c.region_path FROM '^/(?:[^/]+/){0,2}'), 0::bigint, 0::bigint),
    ('grid', c.region_path, coalesce(c.grid_id, 0), 0),
    ('department', substring(c.region_path FROM '^/(?:[^/]+/){0,1}'), 0, coalesce(c.department_id, 0))
  ) AS k(kind, path, grid_id, department_id)
  WHERE k.kind <> 'department' OR c.department_id IS NOT NULL
$$;

-- Adds (sign 1) or takes away (sign −1) one settled case's figures.
CREATE FUNCTION case_daily_stats_add(c cases, sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO case_daily_stats AS s (county_id, kind, path, day, grid_id, department_id, total, due_respond, responded_on_time,
    due_close, closed, closed_on_time, overdue, rated, satisfied, close_seconds, close_n)
  SELECT c.county_id, r.kind, r.path, r.day, r.grid_id, r.department_id, sign * r.total, sign * r.due_respond, sign * r.responded_on_time,
    sign * r.due_close, sign * r.closed, sign * r.closed_on_time, sign * r.overdue, sign * r.rated, sign * r.satisfied, sign * r.close_seconds, sign * r.close_n
  FROM case_stats_rows(c) r
  ON CONFLICT (county_id, kind, path, day, grid_id, department_id) DO UPDATE SET
    total = s.total + EXCLUDED.total, due_respond = s.due_respond + EXCLUDED.due_respond,
    responded_on_time = s.responded_on_time + EXCLUDED.responded_on_time, due_close = s.due_close + EXCLUDED.due_close,
    closed = s.closed + EXCLUDED.closed, closed_on_time = s.closed_on_time + EXCLUDED.closed_on_time, overdue = s.overdue + EXCLUDED.overdue,
    rated = s.rated + EXCLUDED.rated, satisfied = s.satisfied + EXCLUDED.satisfied,
    close_seconds = s.close_seconds + EXCLUDED.close_seconds, close_n = s.close_n + EXCLUDED.close_n
$$;

CREATE FUNCTION case_daily_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_settled boolean := TG_OP <> 'INSERT' AND OLD.state = 'closed' AND OLD.first_response_at IS NOT NULL AND OLD.resolved_at IS NOT NULL;
  new_settled boolean := TG_OP <> 'DELETE' AND NEW.state = 'closed' AND NEW.first_response_at IS NOT NULL AND NEW.resolved_at IS NOT NULL;
BEGIN
  -- Settled before and after with the same figures (a confirmation, a follow-up asked): nothing moves.
  IF old_settled AND new_settled
     AND (OLD.county_id, OLD.region_path, OLD.grid_id, OLD.department_id, OLD.created_at, OLD.first_response_due_at, OLD.first_response_at,
          OLD.due_at, OLD.resolved_at, OLD.closed_at, OLD.rating)
         IS NOT DISTINCT FROM
         (NEW.county_id, NEW.region_path, NEW.grid_id, NEW.department_id, NEW.created_at, NEW.first_response_due_at, NEW.first_response_at,
          NEW.due_at, NEW.resolved_at, NEW.closed_at, NEW.rating) THEN
    RETURN NULL;
  END IF;
  IF old_settled THEN PERFORM case_daily_stats_add(OLD, -1); END IF;
  IF new_settled THEN PERFORM case_daily_stats_add(NEW, 1); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_daily_stats_ins AFTER INSERT ON cases FOR EACH ROW
  WHEN (NEW.state = 'closed' AND NEW.first_response_at IS NOT NULL AND NEW.resolved_at IS NOT NULL)
  EXECUTE FUNCTION case_daily_stats_trigger();
CREATE TRIGGER cases_daily_stats_upd AFTER UPDATE ON cases FOR EACH ROW
  WHEN ((OLD.state = 'closed' AND OLD.first_response_at IS NOT NULL AND OLD.resolved_at IS NOT NULL)
     OR (NEW.state = 'closed' AND NEW.first_response_at IS NOT NULL AND NEW.resolved_at IS NOT NULL))
  EXECUTE FUNCTION case_daily_stats_trigger();
CREATE TRIGGER cases_daily_stats_del AFTER DELETE ON cases FOR EACH ROW
  WHEN (OLD.state = 'closed' AND OLD.first_response_at IS NOT NULL AND OLD.resolved_at IS NOT NULL)
  EXECUTE FUNCTION case_daily_stats_trigger();

-- A county's aggregates from scratch, with the same per-case figures as the triggers: after a
-- bulk load made with triggers off, or to repair. Runs in the caller's transaction and holds off
-- writers to cases meanwhile (SHARE lock), so no trigger adds to rows it is replacing.
CREATE FUNCTION case_daily_stats_rebuild(p_county bigint) RETURNS void LANGUAGE sql AS $$
  LOCK TABLE cases IN SHARE MODE;
  DELETE FROM case_daily_stats WHERE county_id = p_county;
  INSERT INTO case_daily_stats (county_id, kind, path, day, grid_id, department_id, total, due_respond, responded_on_time,
    due_close, closed, closed_on_time, overdue, rated, satisfied, close_seconds, close_n)
  SELECT c.county_id, r.kind, r.path, r.day, r.grid_id, r.department_id, sum(r.total), sum(r.due_respond), sum(r.responded_on_time),
    sum(r.due_close), sum(r.closed), sum(r.closed_on_time), sum(r.overdue), sum(r.rated), sum(r.satisfied), sum(r.close_seconds), sum(r.close_n)
  FROM cases c CROSS JOIN LATERAL case_stats_rows(c) r
  WHERE c.county_id = p_county AND c.state = 'closed' AND c.first_response_at IS NOT NULL AND c.resolved_at IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6
$$;

SELECT case_daily_stats_rebuild(county_id) FROM (SELECT DISTINCT county_id FROM cases) x;

-- The unsettled cases, for the live part of the dashboard: the same columns the rates read.
DROP INDEX IF EXISTS cases_rates_idx;
CREATE INDEX cases_unsettled_idx ON cases (county_id, created_at)
  INCLUDE (region_path, grid_id, department_id, state, first_response_due_at, first_response_at, due_at, resolved_at, closed_at, rating)
  WHERE state <> 'merged' AND (state <> 'closed' OR first_response_at IS NULL OR resolved_at IS NULL);
