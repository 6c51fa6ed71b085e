-- 0002 registry: region tree counts, and helper indexes for the registry lists.
--
-- The region tree shows, for each child of a node, how many active households, living residents,
-- grids and active party members lie under it. Counting the rows themselves is O(rows under the
-- node): ~1,000,000 index entries for the county root, ~0.5 s. Instead each place keeps a small
-- row of counts (region_counts, keyed by the region_path the rows carry — a group for households
-- and residents, a village for grids and members), maintained by statement-level triggers in the
-- same transaction as the change. The tree then sums at most a few thousand count rows per child
-- with one index range scan over region_path — one query per request, a few ms at county scale.
-- Statement-level triggers with transition tables keep bulk imports cheap: one upsert per place
-- per statement, not per row. Keys are places, never the county row, so writers in different
-- groups never wait on each other.

CREATE TABLE region_counts (
  region_path    text NOT NULL,
  households     int NOT NULL DEFAULT 0,   -- status = 'active'
  residents      int NOT NULL DEFAULT 0,   -- status IN ('present','away')
  grids          int NOT NULL DEFAULT 0,
  party_members  int NOT NULL DEFAULT 0    -- status = 'active'
);
CREATE UNIQUE INDEX region_counts_path_uq ON region_counts(region_path text_pattern_ops);

-- One function for every counted table: the trigger arguments name the count column and the
-- predicate that says which rows count. Old rows subtract, new rows add, and places whose net
-- change is zero are not touched — an edit that moves nothing locks no count row.
CREATE FUNCTION region_counts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  col text := TG_ARGV[0];
  predicate text := TG_ARGV[1];
  src text;
BEGIN
  src := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT region_path, 1 AS d FROM new_rows WHERE %s', predicate)
    WHEN 'DELETE' THEN format('SELECT region_path, -1 AS d FROM old_rows WHERE %s', predicate)
    ELSE format('SELECT region_path, -1 AS d FROM old_rows WHERE %1$s UNION ALL SELECT region_path, 1 FROM new_rows WHERE %1$s', predicate)
  END;
  EXECUTE format(
    'INSERT INTO region_counts AS rc (region_path, %1$I)
       SELECT region_path, sum(d) FROM (%2$s) x GROUP BY region_path HAVING sum(d) <> 0
     ON CONFLICT (region_path) DO UPDATE SET %1$I = rc.%1$I + EXCLUDED.%1$I',
    col, src);
  RETURN NULL;
END $$;

CREATE TRIGGER households_counts_ins AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('households', 'status = ''active''');
CREATE TRIGGER households_counts_upd AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('households', 'status = ''active''');
CREATE TRIGGER households_counts_del AFTER DELETE ON households REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('households', 'status = ''active''');

CREATE TRIGGER residents_counts_ins AFTER INSERT ON residents REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('residents', 'status IN (''present'', ''away'')');
CREATE TRIGGER residents_counts_upd AFTER UPDATE ON residents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('residents', 'status IN (''present'', ''away'')');
CREATE TRIGGER residents_counts_del AFTER DELETE ON residents REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('residents', 'status IN (''present'', ''away'')');

CREATE TRIGGER grids_counts_ins AFTER INSERT ON grids REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('grids', 'true');
CREATE TRIGGER grids_counts_upd AFTER UPDATE ON grids REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('grids', 'true');
CREATE TRIGGER grids_counts_del AFTER DELETE ON grids REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('grids', 'true');

CREATE TRIGGER party_members_counts_ins AFTER INSERT ON party_members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('party_members', 'status = ''active''');
CREATE TRIGGER party_members_counts_upd AFTER UPDATE ON party_members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('party_members', 'status = ''active''');
CREATE TRIGGER party_members_counts_del AFTER DELETE ON party_members REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION region_counts_trigger('party_members', 'status = ''active''');

-- Rows that existed before this migration.
INSERT INTO region_counts (region_path, households)
  SELECT region_path, count(*) FROM households WHERE status = 'active' GROUP BY region_path
  ON CONFLICT (region_path) DO UPDATE SET households = EXCLUDED.households;
INSERT INTO region_counts (region_path, residents)
  SELECT region_path, count(*) FROM residents WHERE status IN ('present', 'away') GROUP BY region_path
  ON CONFLICT (region_path) DO UPDATE SET residents = EXCLUDED.residents;
INSERT INTO region_counts (region_path, grids)
  SELECT region_path, count(*) FROM grids GROUP BY region_path
  ON CONFLICT (region_path) DO UPDATE SET grids = EXCLUDED.grids;
INSERT INTO region_counts (region_path, party_members)
  SELECT region_path, count(*) FROM party_members WHERE status = 'active' GROUP BY region_path
  ON CONFLICT (region_path) DO UPDATE SET party_members = EXCLUDED.party_members;

-- Registry searches: exact phone of a household, household code prefix, a household's residents
-- in order, grid staff and grids by region.
CREATE INDEX households_phone_idx ON households(county_id, phone_hash);
CREATE INDEX households_code_idx ON households(code text_pattern_ops);
CREATE INDEX residents_household_order_idx ON residents(household_id, id);
CREATE INDEX grid_staff_grid_idx ON grid_staff(grid_id, id);
CREATE INDEX grids_region_idx ON grids(region_id, id);

-- The audit list filtered by actor.
CREATE INDEX audit_actor_idx ON audit_log(actor_id, id);
