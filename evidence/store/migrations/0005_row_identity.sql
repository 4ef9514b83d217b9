-- 0005: a row known by an order or reference number is identified by that
-- number together with its time, amount and direction (ingest.IdentityKey):
-- a payment and its refund share an order number and are two rows. Older
-- keys were the number alone; give them the same form so that importing a
-- statement again still finds them.
UPDATE transactions
SET dedupe_key = dedupe_key || '|' || (time_ns / 1000000000) || '|' || amount || '|' || direction
WHERE dedupe_key <> '' AND instr(dedupe_key, '|') = 0
  AND (instr(dedupe_key, ':order:') > 0 OR instr(dedupe_key, ':rrn:') > 0 OR instr(dedupe_key, ':voucher:') > 0);
