package check

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// DayBalance is one settlement day of a reconciliation.
type DayBalance struct {
	Day      time.Time      `json:"day"`      // midnight in Shanghai
	Expected evidence.Money `json:"expected"` // Σ (amount − fee) of the sales settling this day, less reversals
	Credited evidence.Money `json:"credited"` // settlement credits on the account this day
	Sales    []int64        `json:"sales"`    // POS transactions settling this day
	Credits  []int64        `json:"credits"`  // credits counted for this day
}

// Short is what the day is short by (negative: credited more than expected).
func (b DayBalance) Short() evidence.Money { return b.Expected - b.Credited }

// Fee is the fee a POS transaction pays under the terms: amount × rate,
// rounded to the fen (half up), at most the cap; the row's own recorded fee
// when the terms give no rate.
func (t Terms) Fee(tx evidence.Transaction) evidence.Money {
	if t.Rate <= 0 {
		return tx.Fee
	}
	// amount × rate / 10⁶ rounded half up, split so no product overflows.
	a := int64(tx.Amount)
	fee := evidence.Money(a/1_000_000*t.Rate + (a%1_000_000*t.Rate+500_000)/1_000_000)
	if t.Cap > 0 && fee > t.Cap {
		fee = t.Cap
	}
	return fee
}

// SettleDay is the day a transaction made at tm is settled under the cycle.
func (t Terms) SettleDay(tm time.Time) time.Time {
	tm = tm.In(evidence.Shanghai)
	d := time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, evidence.Shanghai)
	cycle := strings.ToUpper(strings.ReplaceAll(t.Cycle, " ", ""))
	switch cycle {
	case "D+0":
		return d
	case "D+1":
		return d.AddDate(0, 0, 1)
	case "T+0":
		for !t.working(d) {
			d = d.AddDate(0, 0, 1)
		}
		return d
	default: // T+1: the next working day after the trade day
		d = d.AddDate(0, 0, 1)
		for !t.working(d) {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
}

func (t Terms) working(d time.Time) bool {
	if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		return false
	}
	for _, h := range t.Holidays {
		h = h.In(evidence.Shanghai)
		if h.Year() == d.Year() && h.YearDay() == d.YearDay() {
			return false
		}
	}
	return true
}

// settlementWords mark a credit on the settlement account as a settlement.
var settlementWords = []string{"结算", "清算", "收单", "pos", "银联", "拉卡拉", "汇付", "商户", "入账", "settle", "unionpay", "lakala"}

func isSettlementCredit(t evidence.Transaction) bool {
	s := strings.ToLower(t.Merchant + " " + t.Type + " " + t.Description + " " + t.Note + " " + t.Status)
	for _, w := range settlementWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Reconcile works out, per settlement day, what the POS export says should
// have been credited and what the settlement-account statement shows was. POS
// rows are transactions on channel POS or with a terminal number; sales are
// credits to the merchant and reversals (撤销, 冲正, 退货) debits. Credits are
// the other incoming rows that look like settlements (结算, 清算, 银联 …), or
// all other incoming rows when none does. Credits are counted up to three days
// after the last settlement day, so a late one still nets out in the total.
func Reconcile(d evidence.Dossier, terms Terms) []DayBalance {
	if terms.Cycle == "" {
		terms.Cycle = "T+1"
	}
	byDay := map[time.Time]*DayBalance{}
	get := func(day time.Time) *DayBalance {
		b := byDay[day]
		if b == nil {
			b = &DayBalance{Day: day}
			byDay[day] = b
		}
		return b
	}
	var first, last time.Time
	for _, t := range d.Transactions {
		if !isPOS(t) || failed(t) || !sameCurrency(t.Currency, "CNY") {
			continue
		}
		day := terms.SettleDay(t.Time)
		net := t.Amount - terms.Fee(t)
		b := get(day)
		switch t.Direction {
		case evidence.Credit:
			b.Expected += net
		case evidence.Debit:
			b.Expected -= net
		default:
			continue
		}
		b.Sales = append(b.Sales, t.ID)
		if first.IsZero() || day.Before(first) {
			first = day
		}
		if day.After(last) {
			last = day
		}
	}
	if len(byDay) == 0 {
		return nil
	}
	var credits []evidence.Transaction
	marked := false
	for _, t := range d.Transactions {
		if t.Direction != evidence.Credit || isPOS(t) || isSlip(t) || !sameCurrency(t.Currency, "CNY") {
			continue // settlement is in RMB; a foreign-currency credit is never part of it
		}
		credits = append(credits, t)
		marked = marked || isSettlementCredit(t)
	}
	end := last.AddDate(0, 0, 3)
	for _, t := range credits {
		if marked && !isSettlementCredit(t) {
			continue
		}
		tm := t.Time.In(evidence.Shanghai)
		day := time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, evidence.Shanghai)
		if day.Before(first) || day.After(end) {
			continue
		}
		b := get(day)
		b.Credited += t.Amount
		b.Credits = append(b.Credits, t.ID)
	}
	out := make([]DayBalance, 0, len(byDay))
	for _, b := range byDay {
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	return out
}

// Settlement reconciles a merchant's settlement (see Reconcile) and reports
// each day credited short or over, the total shortfall, and days still short
// more than opts.LateSettlementDays after they were due. It runs when the case
// has POS rows and either is a merchant's case or has credits to compare.
func Settlement(d evidence.Dossier, opts Options) []Finding {
	opts = opts.withDefaults()
	hasCredit := false
	for _, t := range d.Transactions {
		hasCredit = hasCredit || (t.Direction == evidence.Credit && !isPOS(t) && !isSlip(t))
	}
	if !hasCredit && d.Case.Role != evidence.RoleMerchant {
		return nil
	}
	days := Reconcile(d, opts.Settlement)
	if len(days) == 0 {
		return nil
	}
	feeNote := Text{ZH: "手续费按导出记录", EN: "fees as the export records them"}
	if r := opts.Settlement.Rate; r > 0 {
		feeNote = Text{ZH: "手续费按费率 " + RateString(r), EN: "fees at " + RateString(r)}
		if c := opts.Settlement.Cap; c > 0 {
			feeNote.ZH += "，封顶 " + c.String()
			feeNote.EN += ", capped at " + c.String()
		}
	}
	cycle := opts.Settlement.Cycle
	var out []Finding
	var expected, credited evidence.Money
	var all []int64
	var shortDays []string
	for _, b := range days {
		expected += b.Expected
		credited += b.Credited
		all = append(all, b.Sales...)
		all = append(all, b.Credits...)
		short := b.Short()
		if short == 0 {
			continue
		}
		f := Finding{
			Kind:         SettlementDay,
			Severity:     Warn,
			Transactions: append(append([]int64{}, b.Sales...), b.Credits...),
			Amount:       short,
			Due:          b.Day,
			Summary: Text{
				ZH: fmt.Sprintf("%s 结算日（%s）：应入账 %s，实际入账 %s，少 %s", day(b.Day), cycle, b.Expected, b.Credited, short),
				EN: fmt.Sprintf("Settlement day %s (%s): %s expected, %s credited, %s short", day(b.Day), cycle, b.Expected, b.Credited, short),
			},
		}
		if short < 0 {
			f.Severity, f.Amount = Info, 0
			f.Summary = Text{
				ZH: fmt.Sprintf("%s 结算日（%s）：应入账 %s，实际入账 %s，多 %s（可能是前几日的延迟结算）", day(b.Day), cycle, b.Expected, b.Credited, -short),
				EN: fmt.Sprintf("Settlement day %s (%s): %s expected, %s credited, %s over (perhaps a late settlement of earlier days)", day(b.Day), cycle, b.Expected, b.Credited, -short),
			}
		} else {
			shortDays = append(shortDays, day(b.Day))
			due := b.Day.AddDate(0, 0, opts.LateSettlementDays)
			if opts.Now.After(due) {
				out = append(out, Finding{
					Kind:         SettlementOverdue,
					Severity:     Alert,
					Transactions: f.Transactions,
					Amount:       short,
					Due:          due,
					Summary: Text{
						ZH: fmt.Sprintf("%s 应结算的 %s 超过 %d 天仍未足额入账", day(b.Day), short, opts.LateSettlementDays),
						EN: fmt.Sprintf("%s due on %s is still not credited after more than %d days", short, day(b.Day), opts.LateSettlementDays),
					},
				})
			}
		}
		out = append(out, f)
	}
	total := expected - credited
	if total > 0 {
		out = append(out, Finding{
			Kind:         SettlementShortfall,
			Severity:     Alert,
			Transactions: all,
			Amount:       total,
			Summary: Text{
				ZH: fmt.Sprintf("%s 至 %s 共 %d 个结算日：应结算 %s，实际入账 %s，合计少结算 %s（%s；%s）", day(days[0].Day), day(days[len(days)-1].Day), len(days), expected, credited, total, feeNote.ZH, strings.Join(shortDays, "、")),
				EN: fmt.Sprintf("%d settlement days %s to %s: %s due, %s credited, %s short in total (%s; short on %s)", len(days), day(days[0].Day), day(days[len(days)-1].Day), expected, credited, total, feeNote.EN, strings.Join(shortDays, ", ")),
			},
			Request: Text{
				ZH: fmt.Sprintf("补足 %s 至 %s 期间少结算的款项 %s", day(days[0].Day), day(days[len(days)-1].Day), total),
				EN: fmt.Sprintf("Settle the %s missing from the settlements of %s to %s", total, day(days[0].Day), day(days[len(days)-1].Day)),
			},
		})
	}
	return out
}

// RateString writes a rate in millionths as a percentage: 3800 → "0.38%".
func RateString(r int64) string {
	s := fmt.Sprintf("%d.%04d", r/10000, r%10000)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// ParseRate reads a fee rate: "0.38%", "0.0038", "38‱" or "38" (万分之).
func ParseRate(s string) (int64, error) {
	s = strings.TrimSpace(s)
	unit := int64(0)
	switch {
	case strings.HasSuffix(s, "%"):
		s, unit = strings.TrimSuffix(s, "%"), 10_000
	case strings.HasSuffix(s, "‱"):
		s, unit = strings.TrimSuffix(s, "‱"), 100
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if len(frac) > 6 || s == "" {
		return 0, fmt.Errorf("rate %q: %w", s, evidence.ErrInvalid)
	}
	var w, f int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("rate %q: %w", s, evidence.ErrInvalid)
		}
		w = w*10 + int64(c-'0')
		if w > 1_000_000 {
			return 0, fmt.Errorf("rate %q: too large: %w", s, evidence.ErrInvalid)
		}
	}
	fracDigits := frac + strings.Repeat("0", 6-len(frac))
	for _, c := range fracDigits {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("rate %q: %w", s, evidence.ErrInvalid)
		}
		f = f*10 + int64(c-'0')
	}
	micro := w*1_000_000 + f // the number in millionths
	if unit == 0 {
		if w == 0 {
			unit = 1_000_000 // a fraction: 0.0038
		} else {
			unit = 100 // 万分之: 38
		}
	}
	// rate (millionths) = number × unit / 1_000_000 × … : number×unit gives millionths directly.
	r := micro * unit / 1_000_000
	if r > 1_000_000 {
		return 0, fmt.Errorf("rate %q: more than 100%%: %w", s, evidence.ErrInvalid)
	}
	return r, nil
}
