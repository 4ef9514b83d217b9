package check

import (
	"fmt"
	"sort"

	"github.com/disputekit/disputekit/evidence"
)

// TypedTwins finds transactions typed in by hand (Source "manual") that an
// imported statement also holds: same amount, direction and currency, times
// within opts.TwinWindow. Each is offered for merging (store.MergeTransactions
// keeps the imported row, with what was typed that it lacks), so the case
// does not count one payment twice.
func TypedTwins(d evidence.Dossier, opts Options) []Finding {
	return typedTwins(d, opts.withDefaults())
}

func typedTwins(d evidence.Dossier, opts Options) []Finding {
	type key struct {
		amount    evidence.Money
		direction evidence.Direction
		currency  string
	}
	imported := map[key][]int{}
	for i, t := range d.Transactions {
		if t.Source != "manual" && t.Source != "" && !isSlip(t) {
			k := key{t.Amount, t.Direction, t.Currency}
			imported[k] = append(imported[k], i)
		}
	}
	if len(imported) == 0 {
		return nil
	}
	used := map[int]bool{}
	var out []Finding
	for _, t := range d.Transactions {
		if t.Source != "manual" && t.Source != "" {
			continue
		}
		best, bestGap := -1, opts.TwinWindow+1
		for _, j := range imported[key{t.Amount, t.Direction, t.Currency}] {
			gap := d.Transactions[j].Time.Sub(t.Time)
			if gap < 0 {
				gap = -gap
			}
			if gap <= opts.TwinWindow && gap < bestGap && !used[j] {
				best, bestGap = j, gap
			}
		}
		if best < 0 {
			continue
		}
		used[best] = true
		twin := d.Transactions[best]
		out = append(out, Finding{
			Kind:         TypedTwin,
			Severity:     Info,
			Transactions: ids(t, twin),
			Amount:       t.Amount,
			Summary: Text{
				ZH: fmt.Sprintf("手动录入的交易 %d（%s %s）与导入的交易 %d（%s %s）金额相同、时间相差 %s，可能是同一笔：可合并（dk txn merge %d %d %d）",
					t.ID, when(t.Time), t.Amount, twin.ID, when(twin.Time), merchantName(twin), bestGap.Round(1e9), d.Case.ID, twin.ID, t.ID),
				EN: fmt.Sprintf("The hand-typed transaction %d (%s %s) and the imported transaction %d (%s %s) have the same amount %s apart and may be one payment: merge them (dk txn merge %d %d %d)",
					t.ID, when(t.Time), t.Amount, twin.ID, when(twin.Time), merchantName(twin), bestGap.Round(1e9), d.Case.ID, twin.ID, t.ID),
			},
		})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Transactions[0] < out[b].Transactions[0] })
	return out
}
