-- Leaner registry indexes: every index is paid again on each of a county's ~800,000 roster rows.
--
-- residents(household_id) is covered by residents_household_order_idx (household_id, id).
DROP INDEX IF EXISTS residents_household_idx;
-- Name search is a substring match (LIKE '%张%') inside the caller's region, which a btree on
-- (county_id, name) cannot serve; the region path index narrows those lists instead.
DROP INDEX IF EXISTS households_name_idx;
DROP INDEX IF EXISTS residents_name_idx;
-- Keyed hashes and 户编号 are ASCII identifiers: byte order ("C") is their natural order, compares
-- with memcmp instead of the locale's strcoll, and lets UNIQUE (county_id, code) serve the
-- 户编号 prefix lookups that needed a separate text_pattern_ops index.
ALTER TABLE households ALTER COLUMN code TYPE text COLLATE "C";
ALTER TABLE households ALTER COLUMN householder_id_hash TYPE text COLLATE "C";
ALTER TABLE households ALTER COLUMN phone_hash TYPE text COLLATE "C";
ALTER TABLE residents ALTER COLUMN id_no_hash TYPE text COLLATE "C";
ALTER TABLE residents ALTER COLUMN phone_hash TYPE text COLLATE "C";
DROP INDEX IF EXISTS households_code_idx;
-- county_id on households and residents is a copy of the region's county, written by the same
-- code that writes region_id / household_id (whose foreign keys stay and do the real guarding).
-- Its own foreign key re-checked the county row for every one of ~1,000,000 rows on a county's
-- first import, for nothing the other keys don't already prove.
ALTER TABLE households DROP CONSTRAINT IF EXISTS households_county_id_fkey;
ALTER TABLE residents DROP CONSTRAINT IF EXISTS residents_county_id_fkey;
