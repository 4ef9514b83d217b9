-- 0007: the card's type (debit / credit) for the dispute-facts sheet of letters.
ALTER TABLE transactions ADD COLUMN card_type TEXT NOT NULL DEFAULT '';
