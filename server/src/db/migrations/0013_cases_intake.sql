-- 0013 case intake at county scale: the duplicate check reads only real candidates.
--
-- Every report looks for likely duplicates: the same category, within 200 m (or the same grid, or
-- without either the same village), reported within 7 days (modules/cases/duplicates.ts). The old
-- index stopped at (county, category, created_at), so a located report visited every case of its
-- category that fortnight (~1,200 at 1,000,000 cases a year) to test the distance.
--
--  * cases_dup_geo_idx: located cases by category and latitude band of 1/550° (≈ 202 m); a 200 m
--    radius lies within three bands. Partial: only located cases pay for it.
--  * cases_dup_place_idx: reports with neither location nor grid compare within their village or
--    group. It replaces cases_dup_idx, which nothing else reads.
--  * cases_dup_grid_idx (0012) stays for the same-grid comparison.

DROP INDEX IF EXISTS cases_dup_idx;
CREATE INDEX cases_dup_geo_idx ON cases (category_id, (floor(lat * 550)), created_at) WHERE lat IS NOT NULL;
CREATE INDEX cases_dup_place_idx ON cases (category_id, region_path, created_at);
