-- 0012 cases at county scale (1,000,000 cases): indexes shaped like the hot queries.
--
--  * The dashboard's rates read every case reported in a period under a region. One covering index
--    on (county, created_at) carrying every column the figures use lets that pass run index-only
--    (no heap visits for the ~80,000 cases of a county month). It replaces cases_created_idx.
--  * The duplicate check runs after every report: same category, same grid, ±7 days. The old index
--    stopped at the category, so each report visited the heap for every case of that category in
--    the fortnight to test the grid; with the grid in the key it reads only the real candidates.
--  * The response-deadline timer (migration-free: a job kind) needs no index.

DROP INDEX IF EXISTS cases_created_idx;
CREATE INDEX cases_rates_idx ON cases(county_id, created_at)
  INCLUDE (region_path, grid_id, department_id, state, first_response_due_at, first_response_at, due_at, resolved_at, closed_at, rating);

CREATE INDEX cases_dup_grid_idx ON cases(category_id, grid_id, created_at) WHERE grid_id IS NOT NULL;
