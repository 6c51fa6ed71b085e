-- 0022 points performance (issue 5).
--
-- A village's quarterly list (公示 draft, stars, village ranking) read every matching aggregate row
-- from the heap: a bitmap scan touching one scattered page per household. The same key with
-- county_id included lets it run as an index-only scan in score order; it replaces the narrower
-- index, so writers maintain no extra index.
CREATE INDEX points_period_village_cover_idx
  ON points_period_scores (village_id, period, subject_kind, score DESC, subject_id) INCLUDE (county_id);
DROP INDEX points_period_village_idx;
