// Package check owns the findings DisputeKit draws from a case's evidence:
// duplicate charges, a slip's amount that differs from the debit, refunds
// that never arrived, a merchant's settlement shortfall reconciled per
// settlement day, and deadlines (an institution's reply, a late settlement).
// Each Finding names its transactions and exhibits and turns into a claim of
// the complaint in one step (Adopt). The checks are pure functions of a
// Dossier; Adopt and the settlement terms kept per case (LoadTerms,
// SaveTerms) go through a narrow Store interface that *store.Store satisfies.
package check

import (
	"sort"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// Kind names what a finding is about.
type Kind string

// Finding kinds.
const (
	DuplicateCharge     Kind = "duplicate-charge"
	AmountMismatch      Kind = "amount-mismatch"
	MissingRefund       Kind = "missing-refund"
	SettlementDay       Kind = "settlement-day"       // one settlement day credited short (or over)
	SettlementShortfall Kind = "settlement-shortfall" // the total over all days
	SettlementOverdue   Kind = "settlement-overdue"   // expected more than 30 days ago, still short
	ReplyDue            Kind = "reply-due"            // an institution's answer to a complaint
	DeadlineDue         Kind = "deadline"             // a deadline event
	TypedTwin           Kind = "typed-twin"           // a hand-typed transaction that an import also brought
)

// Severity says how much a finding matters.
type Severity string

// Severities, most urgent first.
const (
	Alert Severity = "alert" // money is missing or a deadline has passed
	Warn  Severity = "warn"  // worth acting on
	Info  Severity = "info"  // for the record
)

func (s Severity) rank() int {
	switch s {
	case Alert:
		return 0
	case Warn:
		return 1
	}
	return 2
}

// Text is a message in both languages DisputeKit writes.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// In returns the text in lang ("zh" or "en"; templates.Lang converts).
func (t Text) In(lang string) string {
	if lang == "en" {
		return t.EN
	}
	return t.ZH
}

// Finding is one thing the evidence shows.
type Finding struct {
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	Summary  Text     `json:"summary"`
	// Transactions are the IDs of the transactions involved, in time order;
	// Exhibits the statement files they came from.
	Transactions []int64 `json:"transactions"`
	Exhibits     []int64 `json:"exhibits,omitempty"`
	// Amount is the money at stake: what was overcharged, not refunded or
	// not settled. Zero when the finding names no sum.
	Amount evidence.Money `json:"amount"`
	// Due is when something must happen (a reply, a settlement); zero if none.
	Due time.Time `json:"due,omitempty"`
	// Request is what the complainant asks for because of this finding (the
	// claim's text); empty when the finding asks nothing (Claim then uses
	// the summary).
	Request Text `json:"request,omitempty"`
}

// Claim turns the finding into a numbered request of the complaint, in lang
// ("zh" or "en").
func (f Finding) Claim(lang string) evidence.Claim {
	t := f.Request
	if t.ZH == "" {
		t = f.Summary
	}
	return evidence.Claim{Text: t.In(lang), Amount: f.Amount}
}

// Options tune the checks. The zero value uses the defaults.
type Options struct {
	// Now is the time deadlines are measured against (default time.Now()).
	Now time.Time
	// DuplicateWindow is how close two equal charges must be (default 30 minutes).
	DuplicateWindow time.Duration
	// MatchWindow is how far a slip's time may be from its debit (default 2 hours).
	MatchWindow time.Duration
	// ReplyDays is how long an institution has to answer a complaint
	// (default 15: PBOC 实施办法 第43条).
	ReplyDays int
	// LateSettlementDays is when a missing settlement becomes overdue (default 30).
	LateSettlementDays int
	// Settlement are the merchant's acquiring terms.
	Settlement Terms
	// RefundWindow is how long after a debit a credit of the same amount
	// from the same counterparty, not marked as a refund, still counts as
	// its refund (default 60 days).
	RefundWindow time.Duration
	// TwinWindow is how close a hand-typed transaction and an imported one
	// of the same amount must be to be the same payment (default 10 minutes).
	TwinWindow time.Duration
}

// Terms are a merchant's acquiring terms from the agreement.
type Terms struct {
	// Rate is the fee rate in millionths (0.38% = 3800); zero uses the fee
	// each row of the export records.
	Rate int64
	// Cap is the most fee one transaction pays (e.g. ¥20 for debit cards); zero is no cap.
	Cap evidence.Money
	// Cycle is "T+1" (next working day, default), "D+1" (next calendar
	// day), "T+0" or "D+0".
	Cycle string
	// Holidays are extra non-working days for T cycles (dates in Shanghai).
	Holidays []time.Time
}

func (o Options) withDefaults() Options {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = 30 * time.Minute
	}
	if o.MatchWindow <= 0 {
		o.MatchWindow = 2 * time.Hour
	}
	if o.ReplyDays <= 0 {
		o.ReplyDays = 15
	}
	if o.LateSettlementDays <= 0 {
		o.LateSettlementDays = 30
	}
	if o.RefundWindow <= 0 {
		o.RefundWindow = 60 * 24 * time.Hour
	}
	if o.TwinWindow <= 0 {
		o.TwinWindow = 10 * time.Minute
	}
	if o.Settlement.Cycle == "" {
		o.Settlement.Cycle = "T+1"
	}
	return o
}

// Run runs every check on d and returns the findings, most urgent first.
func Run(d evidence.Dossier, opts Options) []Finding {
	opts = opts.withDefaults()
	ix := newIndex(d)
	var out []Finding
	out = append(out, duplicateCharges(ix, opts)...)
	out = append(out, amountMismatches(ix, opts)...)
	out = append(out, missingRefunds(ix, opts)...)
	out = append(out, typedTwins(d, opts)...)
	out = append(out, Settlement(d, opts)...)
	out = append(out, Deadlines(d, opts)...)
	exhibitsOf := map[int64]int64{}
	for _, t := range d.Transactions {
		exhibitsOf[t.ID] = t.SourceExhibitID
	}
	for i := range out {
		seen := map[int64]bool{}
		for _, id := range out[i].Transactions {
			if ex := exhibitsOf[id]; ex != 0 && !seen[ex] {
				seen[ex] = true
				out[i].Exhibits = append(out[i].Exhibits, ex)
			}
		}
		sort.Slice(out[i].Exhibits, func(a, b int) bool { return out[i].Exhibits[a] < out[i].Exhibits[b] })
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Severity.rank() < out[j].Severity.rank()
	})
	return out
}

// failed reports whether a transaction's status says no money moved.
func failed(t evidence.Transaction) bool {
	s := t.Status
	for _, k := range []string{"关闭", "失败", "撤销", "冲正", "已取消", "未支付", "等待付款", "failed", "closed", "declined"} {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

func isSlip(t evidence.Transaction) bool { return t.Source == "slip" }

func isPOS(t evidence.Transaction) bool {
	return !isSlip(t) && (strings.EqualFold(t.Channel, "POS") || t.TerminalNo != "")
}

// merchantKey identifies a merchant across rows: its number, else its name
// without spaces and case.
func merchantKey(t evidence.Transaction) string {
	if t.MerchantNo != "" {
		return "no:" + t.MerchantNo
	}
	n := normName(t.Merchant)
	if n == "" {
		return ""
	}
	return "name:" + n
}

func normName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// sameMerchant reports whether two rows name the same merchant: equal
// numbers, or one name containing the other ("支付宝-某某餐厅", "某某餐厅").
func sameMerchant(a, b evidence.Transaction) bool {
	if a.MerchantNo != "" && b.MerchantNo != "" {
		return a.MerchantNo == b.MerchantNo
	}
	x, y := normName(a.Merchant), normName(b.Merchant)
	if x == "" || y == "" {
		return false
	}
	return strings.Contains(x, y) || strings.Contains(y, x)
}

func ids(ts ...evidence.Transaction) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func when(t time.Time) string { return evidence.FormatLocal(t) }

func day(t time.Time) string { return t.In(evidence.Shanghai).Format("2006-01-02") }

func ref(t evidence.Transaction) string {
	var parts []string
	if t.RRN != "" {
		parts = append(parts, "参考号 "+t.RRN)
	}
	if t.Voucher != "" {
		parts = append(parts, "凭证号 "+t.Voucher)
	}
	if t.OrderNo != "" {
		parts = append(parts, "订单号 "+t.OrderNo)
	}
	return strings.Join(parts, "，")
}

func refEN(t evidence.Transaction) string {
	var parts []string
	if t.RRN != "" {
		parts = append(parts, "RRN "+t.RRN)
	}
	if t.Voucher != "" {
		parts = append(parts, "voucher "+t.Voucher)
	}
	if t.OrderNo != "" {
		parts = append(parts, "order "+t.OrderNo)
	}
	return strings.Join(parts, ", ")
}

func paren(s string, zh bool) string {
	if s == "" {
		return ""
	}
	if zh {
		return "（" + s + "）"
	}
	return " (" + s + ")"
}

func merchantName(t evidence.Transaction) string {
	if t.Merchant != "" {
		return t.Merchant
	}
	if t.MerchantNo != "" {
		return t.MerchantNo
	}
	return "?"
}
