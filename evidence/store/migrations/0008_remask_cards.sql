-- 0008: card numbers stored before the current masking rules are masked to
-- their last four digits. The work is Go (remaskCards in remask.go), which
-- runs after this file in the same transaction; SQL alone cannot apply the
-- rules.
SELECT 1;
