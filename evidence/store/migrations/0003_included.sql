-- 0003: a transaction the user ticks to appear in letters although it is not
-- disputed (letters show only disputed or included transactions).
ALTER TABLE transactions ADD COLUMN included INTEGER NOT NULL DEFAULT 0;
