package templates

import (
	"sort"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/check"
)

// Summary is the one computation of what is in dispute. The requests, the
// facts, the dispute-facts sheet and the XLSX summary all print these
// figures, so a letter never names two different sums for one thing.
type Summary struct {
	Scenario evidence.Scenario `json:"scenario"`
	// Charged is the total of the disputed debits; Agreed what should have
	// been charged for them (zero when unknown); Overcharge the difference.
	Charged    evidence.Money `json:"charged"`
	Agreed     evidence.Money `json:"agreed"`
	Overcharge evidence.Money `json:"overcharge"`
	// AgreedKnown says whether Agreed came from the case (a typed agreed
	// amount, a slip, or a claim) rather than being unknown.
	AgreedKnown bool `json:"agreed_known"`
	// Duplicate is what was debited more than once for one purchase:
	// DebitCount debits of Each.
	Duplicate  evidence.Money `json:"duplicate"`
	DebitCount int            `json:"debit_count"`
	Each       evidence.Money `json:"each"`
	// Settlement (a merchant's case): per settlement day and in total, the
	// sales, the fee, what was due (sales − fee) and what was credited.
	Days      []SettlementDay `json:"days,omitempty"`
	Sales     evidence.Money  `json:"sales"`
	Fees      evidence.Money  `json:"fees"`
	Due       evidence.Money  `json:"due"`
	Credited  evidence.Money  `json:"credited"`
	Shortfall evidence.Money  `json:"shortfall"`
	// Refund is the one sum the letters ask for: the overcharge, the
	// duplicate debit, the erroneous debit, or the settlement shortfall.
	Refund evidence.Money `json:"refund"`
}

// SettlementDay is one day of a merchant's settlement reconciliation, as
// evidence/check.Reconcile computes it, with the gross and the fee split out.
type SettlementDay struct {
	// Day is the settlement day; TradedFrom and TradedTo the first and last
	// day of the sales settled on it (the day before, for T+1).
	Day        time.Time      `json:"day"`
	TradedFrom time.Time      `json:"traded_from,omitempty"`
	TradedTo   time.Time      `json:"traded_to,omitempty"`
	Sales      evidence.Money `json:"sales"`
	Fees       evidence.Money `json:"fees"`
	Due        evidence.Money `json:"due"`
	Credited   evidence.Money `json:"credited"`
	Shortfall  evidence.Money `json:"shortfall"`
}

// Summarize computes the dispute summary of d (all its transactions, not
// only those shown in letters: a settlement is reconciled against the whole
// statement) under the merchant's settlement terms.
func Summarize(d evidence.Dossier, terms check.Terms) Summary {
	s := Summary{Scenario: d.Case.Scenario}
	var disputed []evidence.Transaction
	for _, t := range d.Transactions {
		// A cardholder disputes debits; a merchant may dispute sales (credits).
		if t.Disputed && (t.Direction == evidence.Debit || d.Case.MerchantSide()) {
			disputed = append(disputed, t)
			s.Charged += t.Amount
		}
	}
	switch d.Case.Scenario {
	case evidence.WrongAmount:
		s.Agreed, s.AgreedKnown = agreedAmount(d, disputed, s.Charged)
		if s.AgreedKnown && s.Charged > s.Agreed {
			s.Overcharge = s.Charged - s.Agreed
		}
		s.Refund = s.Overcharge
	case evidence.DuplicateCharge:
		s.Duplicate, s.DebitCount, s.Each = duplicateAmount(d, disputed)
		s.Refund = s.Duplicate
	case evidence.SettlementShortfall:
		s.settlement(d, terms)
		s.Refund = s.Shortfall
	default:
		s.Refund = s.Charged
	}
	return s
}

// agreedAmount is what should have been charged for the disputed debits:
// the agreed amounts typed on them, else the slip the check matches to a
// debit, else the charged total less what the claims ask back.
func agreedAmount(d evidence.Dossier, disputed []evidence.Transaction, charged evidence.Money) (evidence.Money, bool) {
	var agreed evidence.Money
	all := len(disputed) > 0
	for _, t := range disputed {
		if t.Agreed <= 0 {
			all = false
			break
		}
		agreed += t.Agreed
	}
	if all {
		return agreed, true
	}
	in := map[int64]bool{}
	for _, t := range disputed {
		in[t.ID] = true
	}
	var over evidence.Money
	for _, f := range check.AmountMismatches(d, check.Options{}) {
		for _, id := range f.Transactions {
			if in[id] {
				over += f.Amount
				break
			}
		}
	}
	if over > 0 {
		return charged - over, true
	}
	var claimed evidence.Money
	for _, c := range d.Case.Claims {
		claimed += c.Amount
	}
	if claimed > 0 && claimed < charged {
		return charged - claimed, true
	}
	return 0, false
}

// duplicateAmount is what was debited more than once: the duplicate
// findings of evidence/check among the disputed debits, else the disputed
// debits beyond the first of equal amount, else the disputed debits (the
// user marked only the extra one).
func duplicateAmount(d evidence.Dossier, disputed []evidence.Transaction) (dup evidence.Money, count int, each evidence.Money) {
	in := map[int64]bool{}
	for _, t := range disputed {
		in[t.ID] = true
	}
	for _, f := range check.DuplicateCharges(d, check.Options{}) {
		touches := false
		for _, id := range f.Transactions {
			touches = touches || in[id]
		}
		if touches && len(f.Transactions) > 1 {
			dup += f.Amount
			count += len(f.Transactions)
			each = f.Amount / evidence.Money(len(f.Transactions)-1)
		}
	}
	if dup > 0 {
		return dup, count, each
	}
	byAmount := map[evidence.Money]int{}
	for _, t := range disputed {
		byAmount[t.Amount]++
	}
	for a, n := range byAmount {
		if n > 1 {
			dup += a * evidence.Money(n-1)
			count += n
			each = a
		}
	}
	if dup > 0 {
		return dup, count, each
	}
	for _, t := range disputed {
		dup += t.Amount
		each = t.Amount
	}
	return dup, len(disputed) + 1, each
}

// settlement fills the reconciliation from evidence/check.Reconcile, adding
// each day's gross sales and fees so the sum sales − fee = due can be shown.
func (s *Summary) settlement(d evidence.Dossier, terms check.Terms) {
	byID := map[int64]evidence.Transaction{}
	for _, t := range d.Transactions {
		byID[t.ID] = t
	}
	for _, b := range check.Reconcile(d, terms) {
		day := SettlementDay{Day: b.Day, Due: b.Expected, Credited: b.Credited, Shortfall: b.Short()}
		for _, id := range b.Sales {
			t := byID[id]
			sign := evidence.Money(1)
			if t.Direction == evidence.Debit {
				sign = -1
			}
			day.Sales += sign * t.Amount
			day.Fees += sign * terms.Fee(t)
			traded := calendarDay(t.Time)
			if day.TradedFrom.IsZero() || traded.Before(day.TradedFrom) {
				day.TradedFrom = traded
			}
			if traded.After(day.TradedTo) {
				day.TradedTo = traded
			}
		}
		s.Days = append(s.Days, day)
		s.Sales += day.Sales
		s.Fees += day.Fees
		s.Due += day.Due
		s.Credited += day.Credited
	}
	sort.Slice(s.Days, func(i, j int) bool { return s.Days[i].Day.Before(s.Days[j].Day) })
	if s.Due > s.Credited {
		s.Shortfall = s.Due - s.Credited
	}
}

// calendarDay is the day (in Shanghai) t falls on, at midnight.
func calendarDay(t time.Time) time.Time {
	t = t.In(evidence.Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, evidence.Shanghai)
}
