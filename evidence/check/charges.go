package check

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// DuplicateCharges finds debits of the same amount at the same merchant
// within opts.DuplicateWindow of each other, from the same source, with
// different references (the same reference twice is one charge recorded
// twice, not two charges). Failed and closed transactions do not count.
func DuplicateCharges(d evidence.Dossier, opts Options) []Finding {
	return duplicateCharges(newIndex(d), opts.withDefaults())
}

func duplicateCharges(ix *index, opts Options) []Finding {
	d := ix.d
	groups := map[string][]int{}
	for i, t := range d.Transactions {
		if t.Direction != evidence.Debit || isSlip(t) || failed(t) || t.Amount == 0 {
			continue
		}
		mk := merchantKey(t)
		if mk == "" {
			continue
		}
		k := fmt.Sprintf("%s|%d|%s", mk, t.Amount, t.Source)
		groups[k] = append(groups[k], i)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []Finding
	for _, k := range keys {
		g := groups[k]
		sort.SliceStable(g, func(i, j int) bool { return d.Transactions[g[i]].Time.Before(d.Transactions[g[j]].Time) })
		for i := 0; i < len(g); {
			// A cluster is the charges within the window of its first one.
			first := d.Transactions[g[i]]
			cluster := []evidence.Transaction{first}
			j := i + 1
			for ; j < len(g) && d.Transactions[g[j]].Time.Sub(first.Time) <= opts.DuplicateWindow; j++ {
				if t := d.Transactions[g[j]]; !sameReference(t, cluster) {
					cluster = append(cluster, t)
				}
			}
			if len(cluster) >= 2 {
				out = append(out, duplicateFinding(ix, g[i], cluster))
			}
			i = j
		}
	}
	return out
}

// sameReference reports whether t carries a reference one of the cluster already has.
func sameReference(t evidence.Transaction, cluster []evidence.Transaction) bool {
	for _, c := range cluster {
		if (t.RRN != "" && t.RRN == c.RRN) || (t.OrderNo != "" && t.OrderNo == c.OrderNo) ||
			(t.Voucher != "" && t.Voucher == c.Voucher && t.TerminalNo == c.TerminalNo && t.Batch == c.Batch) {
			return true
		}
	}
	return false
}

// maxListedCharges is how many charges a duplicate finding's text lists.
const maxListedCharges = 5

func duplicateFinding(ix *index, firstIdx int, cluster []evidence.Transaction) Finding {
	first, extra := cluster[0], cluster[1:]
	amount := first.Amount * evidence.Money(len(extra))
	var zhRefs, enRefs []string
	for i, t := range cluster {
		if i == maxListedCharges {
			zhRefs = append(zhRefs, fmt.Sprintf("等共 %d 笔", len(cluster)))
			enRefs = append(enRefs, fmt.Sprintf("… %d in all", len(cluster)))
			break
		}
		zhRefs = append(zhRefs, when(t.Time)+paren(ref(t), true))
		enRefs = append(enRefs, when(t.Time)+paren(refEN(t), false))
	}
	f := Finding{
		Kind:         DuplicateCharge,
		Severity:     Alert,
		Transactions: ids(cluster...),
		Amount:       amount,
		Summary: Text{
			ZH: fmt.Sprintf("在 %s 重复扣款 %d 次，每次 %s：%s", merchantName(first), len(cluster), first.Amount, strings.Join(zhRefs, "；")),
			EN: fmt.Sprintf("%s charged %s %d times: %s", merchantName(first), first.Amount, len(cluster), strings.Join(enRefs, "; ")),
		},
		Request: Text{
			ZH: fmt.Sprintf("退还在 %s 重复扣取的款项 %s（%s 的重复交易）", merchantName(first), amount, when(extra[0].Time)),
			EN: fmt.Sprintf("Refund the duplicate charge of %s by %s (the repeated transaction of %s)", amount, merchantName(first), when(extra[0].Time)),
		},
	}
	if isMidnight(first.Time) && isMidnight(extra[0].Time) {
		// A statement with dates only cannot tell a double charge from two purchases.
		f.Severity = Warn
		f.Summary.ZH += "（账单只有日期，请确认是否确为同一笔消费）"
		f.Summary.EN += " (the statement has dates only: check it was one purchase)"
	}
	if refunded(ix, firstIdx, amount) {
		f.Severity = Info
		f.Summary.ZH += "；其后已有同额退款入账"
		f.Summary.EN += "; a refund of that amount came in afterwards"
	}
	return f
}

// refunded reports whether credits from the same merchant or order as
// transaction ti, from a day before it on, add up to at least amount.
func refunded(ix *index, ti int, amount evidence.Money) bool {
	var sum evidence.Money
	cur := ix.d.Transactions[ti].Currency
	ix.incomingFor(ti, func(j int) bool {
		if c := ix.d.Transactions[j]; c.Direction == evidence.Credit && sameCurrency(c.Currency, cur) {
			sum += c.Amount
		}
		return sum < amount
	})
	return sum >= amount
}

// sameOrder reports whether a refund row belongs to an order: equal order
// numbers, or one starting with the other (Alipay writes refunds as the
// order number with a suffix).
func sameOrder(a, b evidence.Transaction) bool {
	if a.OrderNo == "" || b.OrderNo == "" {
		return false
	}
	return strings.HasPrefix(a.OrderNo, b.OrderNo) || strings.HasPrefix(b.OrderNo, a.OrderNo)
}

// AmountMismatches compares each slip (a transaction typed from a 签购单,
// Source "slip") with the debit it belongs to — same reference number, same
// terminal and voucher, or the same merchant within opts.MatchWindow — and
// reports where the amounts differ.
func AmountMismatches(d evidence.Dossier, opts Options) []Finding {
	return amountMismatches(newIndex(d), opts.withDefaults())
}

func amountMismatches(ix *index, opts Options) []Finding {
	used := map[int]bool{}
	var out []Finding
	for _, s := range ix.d.Transactions {
		if !isSlip(s) {
			continue
		}
		mi, ok := matchDebit(ix, s, used, opts.MatchWindow)
		if !ok {
			continue
		}
		used[mi] = true
		m := ix.d.Transactions[mi]
		if m.Amount == s.Amount {
			continue
		}
		diff := m.Amount - s.Amount
		f := Finding{
			Kind:         AmountMismatch,
			Severity:     Alert,
			Transactions: ids(s, m),
			Amount:       diff,
			Summary: Text{
				ZH: fmt.Sprintf("签购单金额 %s，实际扣款 %s（%s，%s），多扣 %s", s.Amount, m.Amount, merchantName(m), when(m.Time), diff),
				EN: fmt.Sprintf("The slip says %s but %s was debited (%s, %s): %s too much", s.Amount, m.Amount, merchantName(m), when(m.Time), diff),
			},
			Request: Text{
				ZH: fmt.Sprintf("退还多扣的 %s（签购单金额 %s，实际扣款 %s）", diff, s.Amount, m.Amount),
				EN: fmt.Sprintf("Refund the %s charged above the agreed %s (debited %s)", diff, s.Amount, m.Amount),
			},
		}
		if diff < 0 {
			f.Severity, f.Amount = Info, 0
			f.Summary = Text{
				ZH: fmt.Sprintf("签购单金额 %s，扣款记录为 %s（%s，%s）", s.Amount, m.Amount, merchantName(m), when(m.Time)),
				EN: fmt.Sprintf("The slip says %s, the debit is %s (%s, %s)", s.Amount, m.Amount, merchantName(m), when(m.Time)),
			}
			f.Request = Text{}
		}
		out = append(out, f)
	}
	return out
}

// matchDebit finds the debit a slip records: the same reference number,
// else the same voucher (and terminal) that day, else the nearest debit of
// the same merchant within window (or that day, for date-only statements).
func matchDebit(ix *index, s evidence.Transaction, used map[int]bool, window time.Duration) (int, bool) {
	tx := ix.d.Transactions
	if s.RRN != "" {
		for _, i := range ix.byRRN[s.RRN] {
			if !used[i] {
				return i, true
			}
		}
	}
	if s.Voucher != "" {
		for _, i := range ix.byVouch[s.Voucher] {
			t := tx[i]
			if !used[i] && (s.TerminalNo == "" || t.TerminalNo == s.TerminalNo) && day(s.Time) == day(t.Time) {
				return i, true
			}
		}
	}
	local := s.Time.In(evidence.Shanghai)
	dayStart := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, evidence.Shanghai)
	from, to := s.Time.Add(-window), s.Time.Add(window)
	if dayStart.Before(from) {
		from = dayStart
	}
	best, bestGap := -1, time.Duration(-1)
	for _, i := range ix.debitsBetween(from, to) {
		t := tx[i]
		if used[i] || !sameMerchant(s, t) {
			continue
		}
		gap := t.Time.Sub(s.Time)
		if gap < 0 {
			gap = -gap
		}
		if gap > window && !(isMidnight(t.Time) && day(t.Time) == day(s.Time)) {
			continue
		}
		if bestGap < 0 || gap < bestGap {
			best, bestGap = i, gap
		}
	}
	return best, best >= 0
}

func isMidnight(t time.Time) bool {
	t = t.In(evidence.Shanghai)
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0
}

var partialRefund = regexp.MustCompile(`[¥￥]\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)`)

// MissingRefunds finds debits a refund is expected for — the status says 退款
// (退款中, 已退款, 已部分退款(¥x) …), or a reply event records that a
// refund was agreed for the disputed transactions — with no matching credit
// (same merchant or order, after the debit) adding up to it.
func MissingRefunds(d evidence.Dossier, opts Options) []Finding {
	return missingRefunds(newIndex(d), opts.withDefaults())
}

func missingRefunds(ix *index, opts Options) []Finding {
	d := ix.d
	agreed := refundAgreed(d)
	var out []Finding
	for ti, t := range d.Transactions {
		if t.Direction != evidence.Debit || isSlip(t) {
			continue
		}
		expected := evidence.Money(0)
		why := Text{}
		switch {
		case strings.Contains(t.Status, "退款"):
			expected = t.Amount
			if m := partialRefund.FindStringSubmatch(t.Status); m != nil {
				if v, err := evidence.ParseMoney(m[1]); err == nil && v > 0 && v <= t.Amount {
					expected = v
				}
			}
			why = Text{ZH: "交易状态为“" + t.Status + "”", EN: "the status says " + t.Status}
		case t.Disputed && !agreed.IsZero() && !t.Time.After(agreed):
			expected = t.Amount
			why = Text{ZH: when(agreed) + " 已同意退款", EN: "a refund was agreed on " + when(agreed)}
		default:
			continue
		}
		got, credits := refundsFor(ix, ti, expected, opts)
		if got >= expected {
			continue
		}
		missing := expected - got
		sort.Slice(credits, func(a, b int) bool { return credits[a].Time.Before(credits[b].Time) })
		sev := Warn
		if opts.Now.Sub(t.Time) > time.Duration(opts.ReplyDays)*24*time.Hour {
			sev = Alert
		}
		out = append(out, Finding{
			Kind:         MissingRefund,
			Severity:     sev,
			Transactions: ids(append([]evidence.Transaction{t}, credits...)...),
			Amount:       missing,
			Summary: Text{
				ZH: fmt.Sprintf("%s 在 %s 的扣款 %s：%s，但未见退款入账（尚缺 %s）", when(t.Time), merchantName(t), t.Amount, why.ZH, missing),
				EN: fmt.Sprintf("The %s debit by %s on %s: %s, but no refund has come in (%s missing)", t.Amount, merchantName(t), when(t.Time), why.EN, missing),
			},
			Request: Text{
				ZH: fmt.Sprintf("将应退款项 %s 退回原支付账户（%s 在 %s 的交易%s）", missing, when(t.Time), merchantName(t), paren(ref(t), true)),
				EN: fmt.Sprintf("Return the refund of %s to the original account (the %s transaction with %s%s)", missing, when(t.Time), merchantName(t), paren(refEN(t), false)),
			},
		})
	}
	return out
}

// refundsFor finds the credits that refund debit ti, up to expected: first
// those of the same order (a refund row repeats the payment's order number,
// or extends it), then, from the same counterparty, only rows that say they
// are a refund or return the very amount within opts.RefundWindow. A
// transfer from the same person months later is not a refund; a refund row
// whose counterparty is "/" (WeChat red packets) is found by its order.
func refundsFor(ix *index, ti int, expected evidence.Money, opts Options) (evidence.Money, []evidence.Transaction) {
	d := ix.d
	t := d.Transactions[ti]
	var got evidence.Money
	var credits []evidence.Transaction
	take := func(c evidence.Transaction) {
		got += c.Amount
		credits = append(credits, c)
	}
	var byName []int
	ix.incomingFor(ti, func(j int) bool {
		c := d.Transactions[j]
		if !sameCurrency(c.Currency, t.Currency) {
			return true
		}
		if sameOrder(c, t) {
			if c.Direction != evidence.Neutral || refundLike(c) {
				take(c)
			}
			return got < expected
		}
		byName = append(byName, j)
		return true
	})
	for _, j := range byName {
		if got >= expected {
			break
		}
		c := d.Transactions[j]
		soon := c.Time.Sub(t.Time) <= opts.RefundWindow
		if refundLike(c) && c.Direction != evidence.Debit || c.Direction == evidence.Credit && soon && c.Amount == expected-got {
			take(c)
		}
	}
	return got, credits
}

// sameCurrency reports whether two amounts may be added: RMB ("" is RMB)
// is never added to yen.
func sameCurrency(a, b string) bool {
	if a == "" {
		a = "CNY"
	}
	if b == "" {
		b = "CNY"
	}
	return a == b
}

// refundLike reports whether a row says it is money given back.
func refundLike(c evidence.Transaction) bool {
	s := c.Type + c.Status + c.Description
	for _, w := range []string{"退款", "退货", "撤销", "冲正", "退回", "refund", "reversal"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// refundAgreed returns when a reply event recorded an agreed refund, or zero.
func refundAgreed(d evidence.Dossier) time.Time {
	for _, e := range d.Events {
		n := strings.ToLower(e.Note)
		if e.Kind != evidence.EventReply {
			continue
		}
		if (strings.Contains(n, "退款") && (strings.Contains(n, "同意") || strings.Contains(n, "承诺") || strings.Contains(n, "答应"))) ||
			(strings.Contains(n, "refund") && (strings.Contains(n, "agree") || strings.Contains(n, "promise"))) {
			return e.Time
		}
	}
	return time.Time{}
}
