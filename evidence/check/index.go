package check

import (
	"sort"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// index holds what the checks look transactions up by, built once per run
// so that no check compares every row with every other (a case may hold a
// year of statements: 100,000 rows).
type index struct {
	d     evidence.Dossier
	names []string // normName of each transaction's merchant
	// incoming rows (credit or neutral, not slips), by time
	incoming []int
	inByName map[string][]int
	inByNo   map[string][]int
	inNames  []string // distinct names in inByName
	inOrders []orderRef
	// memo: a merchant name → the incoming names it matches by containment
	nameMatch map[string][]string
	// debits that are not slips and did not fail, by time
	debits  []int
	byRRN   map[string][]int
	byVouch map[string][]int
}

type orderRef struct {
	no  string
	idx int
}

func newIndex(d evidence.Dossier) *index {
	ix := &index{d: d, names: make([]string, len(d.Transactions)), inByName: map[string][]int{}, inByNo: map[string][]int{},
		nameMatch: map[string][]string{}, byRRN: map[string][]int{}, byVouch: map[string][]int{}}
	for i, t := range d.Transactions {
		ix.names[i] = normName(t.Merchant)
		if isSlip(t) {
			continue
		}
		if t.Direction == evidence.Debit {
			if !failed(t) {
				ix.debits = append(ix.debits, i)
			}
			continue
		}
		ix.incoming = append(ix.incoming, i)
	}
	byTime := func(s []int) {
		sort.SliceStable(s, func(a, b int) bool { return d.Transactions[s[a]].Time.Before(d.Transactions[s[b]].Time) })
	}
	byTime(ix.incoming)
	byTime(ix.debits)
	for _, i := range ix.incoming {
		t := d.Transactions[i]
		if n := ix.names[i]; n != "" {
			if _, ok := ix.inByName[n]; !ok {
				ix.inNames = append(ix.inNames, n)
			}
			ix.inByName[n] = append(ix.inByName[n], i)
		}
		if t.MerchantNo != "" {
			ix.inByNo[t.MerchantNo] = append(ix.inByNo[t.MerchantNo], i)
		}
		if t.OrderNo != "" {
			ix.inOrders = append(ix.inOrders, orderRef{t.OrderNo, i})
		}
	}
	sort.Slice(ix.inOrders, func(a, b int) bool { return ix.inOrders[a].no < ix.inOrders[b].no })
	for _, i := range ix.debits {
		t := d.Transactions[i]
		if t.RRN != "" {
			ix.byRRN[t.RRN] = append(ix.byRRN[t.RRN], i)
		}
		if t.Voucher != "" {
			ix.byVouch[t.Voucher] = append(ix.byVouch[t.Voucher], i)
		}
	}
	return ix
}

// incomingFor calls visit with each incoming row from t's merchant or order
// (see sameMerchant, sameOrder) dated no earlier than a day before t, once
// each, until visit returns false.
func (ix *index) incomingFor(ti int, visit func(j int) bool) {
	tx := ix.d.Transactions
	t := tx[ti]
	since := t.Time.Add(-24 * time.Hour)
	var seen map[int]bool
	stop := false
	add := func(j int, merchantChecked bool) {
		if stop || j == ti || seen[j] {
			return
		}
		c := tx[j]
		if c.Time.Before(since) || !(merchantChecked || sameOrder(c, t) || ix.sameMerchant(ti, j)) {
			return
		}
		if seen == nil {
			seen = map[int]bool{}
		}
		seen[j] = true
		stop = !visit(j)
	}
	// from returns the part of a time-ordered list dated since.
	from := func(list []int) []int {
		k := sort.Search(len(list), func(k int) bool { return !tx[list[k]].Time.Before(since) })
		return list[k:]
	}
	if t.OrderNo != "" {
		k := sort.Search(len(ix.inOrders), func(k int) bool { return ix.inOrders[k].no >= t.OrderNo })
		for ; k < len(ix.inOrders) && strings.HasPrefix(ix.inOrders[k].no, t.OrderNo); k++ {
			add(ix.inOrders[k].idx, false)
		}
	}
	if t.MerchantNo != "" {
		for _, j := range from(ix.inByNo[t.MerchantNo]) {
			add(j, true)
		}
	}
	for _, n := range ix.matchingNames(ix.names[ti]) {
		for _, j := range from(ix.inByName[n]) {
			if stop {
				return
			}
			add(j, false)
		}
	}
}

// sameMerchant is sameMerchant for transactions i and j, on the
// precomputed names.
func (ix *index) sameMerchant(i, j int) bool {
	a, b := ix.d.Transactions[i], ix.d.Transactions[j]
	if a.MerchantNo != "" && b.MerchantNo != "" {
		return a.MerchantNo == b.MerchantNo
	}
	x, y := ix.names[i], ix.names[j]
	if x == "" || y == "" {
		return false
	}
	return strings.Contains(x, y) || strings.Contains(y, x)
}

// matchingNames returns the incoming merchant names that contain name or
// that name contains.
func (ix *index) matchingNames(name string) []string {
	if name == "" {
		return nil
	}
	if m, ok := ix.nameMatch[name]; ok {
		return m
	}
	var m []string
	for _, n := range ix.inNames {
		if strings.Contains(n, name) || strings.Contains(name, n) {
			m = append(m, n)
		}
	}
	ix.nameMatch[name] = m
	return m
}

// debitsBetween returns the debits dated in [from, to], by time.
func (ix *index) debitsBetween(from, to time.Time) []int {
	tx := ix.d.Transactions
	lo := sort.Search(len(ix.debits), func(k int) bool { return !tx[ix.debits[k]].Time.Before(from) })
	hi := sort.Search(len(ix.debits), func(k int) bool { return tx[ix.debits[k]].Time.After(to) })
	if lo >= hi {
		return nil
	}
	return ix.debits[lo:hi]
}
