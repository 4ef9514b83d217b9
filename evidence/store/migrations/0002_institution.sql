-- 0002: the bank, acquirer or payment company involved in a case (the
-- respondent of letters to a bank, payment company or regulator).
ALTER TABLE cases ADD COLUMN i_name        TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN i_id_number   TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN i_phone       TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN i_address     TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN i_company     TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN i_credit_code TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN i_merchant_no TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN i_terminal_no TEXT NOT NULL DEFAULT '';
