-- 0003 party: 党员联户 coverage, 包保 assignments, 县直部门, accounts and grants.
--
-- The tables come from 0001; this adds what the rules and the lists need:
--  * one active 包保 assignment per (level, target, patron): ending it (ends_on) frees the slot and
--    keeps the row as history. COALESCE because the target is either a region or a household;
--  * lookups by target and the active list per scope;
--  * members per org and links per member for the quota counts (coverage over ~200,000 households
--    reads member_household_links once through its UNIQUE(household_id) index);
--  * grants by place, so "accounts in my township" is an index range scan;
--  * a department name is unique in its county, like its code.
CREATE UNIQUE INDEX patron_active_uq ON patron_assignments
  (county_id, level, COALESCE(target_region_id, 0), COALESCE(target_household_id, 0), patron_name)
  WHERE ends_on IS NULL;
CREATE INDEX patron_target_region_idx ON patron_assignments(target_region_id) WHERE target_region_id IS NOT NULL;
CREATE INDEX patron_target_household_idx ON patron_assignments(target_household_id) WHERE target_household_id IS NOT NULL;
CREATE INDEX patron_user_idx ON patron_assignments(patron_user_id) WHERE patron_user_id IS NOT NULL;

CREATE INDEX party_orgs_region_idx ON party_orgs(region_id, id);
CREATE INDEX party_members_org_idx ON party_members(org_id, id);

CREATE INDEX user_grants_path_idx ON user_grants(region_path text_pattern_ops, user_id);
CREATE INDEX user_grants_user_idx ON user_grants(user_id);

CREATE UNIQUE INDEX departments_name_uq ON departments(county_id, name);

-- 党员包户: the patron is a party member, not an account; keep which member, for their page and
-- for ending the assignment when the member leaves.
ALTER TABLE patron_assignments ADD COLUMN patron_member_id bigint REFERENCES party_members(id);
CREATE INDEX patron_member_idx ON patron_assignments(patron_member_id) WHERE patron_member_id IS NOT NULL;
