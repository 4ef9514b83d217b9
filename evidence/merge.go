package evidence

// MergeTwin is the transaction that stays when a hand-typed transaction
// (typed) turns out to be the same payment as one imported from a
// statement (imported): the imported row, which the statement file proves,
// keeps its own facts; what the user typed fills the fields the statement
// does not have (terminal, reference, voucher, card …), and the user's
// marks (disputed, shown in letters, the agreed price) and note are kept.
func MergeTwin(imported, typed Transaction) Transaction {
	m := imported
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&m.Merchant, typed.Merchant)
	fill(&m.MerchantNo, typed.MerchantNo)
	fill(&m.TerminalNo, typed.TerminalNo)
	fill(&m.Acquirer, typed.Acquirer)
	fill(&m.Issuer, typed.Issuer)
	fill(&m.CardLast4, typed.CardLast4)
	fill(&m.CardType, typed.CardType)
	fill(&m.Batch, typed.Batch)
	fill(&m.Voucher, typed.Voucher)
	fill(&m.RRN, typed.RRN)
	fill(&m.AuthCode, typed.AuthCode)
	fill(&m.Channel, typed.Channel)
	fill(&m.OrderNo, typed.OrderNo)
	fill(&m.Type, typed.Type)
	fill(&m.Description, typed.Description)
	if typed.Note != "" && typed.Note != m.Note {
		if m.Note == "" {
			m.Note = typed.Note
		} else {
			m.Note += "; " + typed.Note
		}
	}
	if m.Agreed == 0 {
		m.Agreed = typed.Agreed
	}
	if m.Fee == 0 {
		m.Fee = typed.Fee
	}
	m.Disputed = m.Disputed || typed.Disputed
	m.Included = m.Included || typed.Included
	return m
}
