-- 0004: the parties of a card payment as they really are. The single
-- "institution" of 0002 becomes the issuer (发卡行) of a cardholder's case or
-- the acquirer (收单机构) of a merchant's; kinds and the new parties live in
-- the parties column as JSON. A transaction may say what should have been
-- charged (agreed, in fen).
ALTER TABLE cases ADD COLUMN parties TEXT NOT NULL DEFAULT '';
UPDATE cases SET parties = json_object(
		CASE WHEN role = 'merchant' OR (role = 'helper' AND scenario = 'settlement-shortfall') THEN 'acquirer' ELSE 'issuer' END,
		json_object('name', i_name, 'id_number', i_id_number, 'phone', i_phone, 'address', i_address, 'company', i_company,
			'credit_code', i_credit_code, 'merchant_no', i_merchant_no, 'terminal_no', i_terminal_no)),
	i_name = '', i_id_number = '', i_phone = '', i_address = '', i_company = '', i_credit_code = '', i_merchant_no = '', i_terminal_no = ''
	WHERE i_name <> '' OR i_phone <> '' OR i_address <> '';
ALTER TABLE transactions ADD COLUMN agreed INTEGER NOT NULL DEFAULT 0;
