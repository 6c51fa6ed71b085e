-- Optimistic locking of rule-book drafts (积分规则草稿). `version` already numbers a village's books
-- (第N版); `revision` counts the saves of one book: a save sends the revision it was based on and
-- a stale one is refused (POINTS_RULE_BOOK_STALE) instead of overwriting another person's edit.
ALTER TABLE points_rule_books ADD COLUMN revision integer NOT NULL DEFAULT 1;
