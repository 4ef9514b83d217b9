package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

const bigCase = 50_000

// seedBigCase stores a case with n transactions: 100 merchants, amounts
// from ¥1.00 up, one RRN each; every 1000th is disputed.
func seedBigCase(t testing.TB, tu testUI, n int) int64 {
	t.Helper()
	ctx := context.Background()
	c := evidence.Case{Title: "五万笔交易", Scenario: evidence.SettlementShortfall, Status: evidence.StatusDraft, Role: evidence.RoleMerchant}
	_, err := tu.st.CreateCase(ctx, &c)
	require.NoError(t, err)
	ts := make([]evidence.Transaction, n)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, evidence.Shanghai)
	for i := range ts {
		ts[i] = evidence.Transaction{
			CaseID: c.ID, Time: start.Add(time.Duration(i) * time.Minute), Amount: evidence.Money(100 + i),
			Currency: "CNY", Direction: evidence.Credit, Merchant: fmt.Sprintf("商户%02d", i%100),
			RRN: fmt.Sprintf("%012d", 500000000000+i), Source: "mapped", Disputed: i%1000 == 0,
			DedupeKey: fmt.Sprintf("k%d", i),
		}
	}
	added, _, err := tu.st.AddTransactions(ctx, c.ID, ts)
	require.NoError(t, err)
	require.Equal(t, n, added)
	return c.ID
}

// openAndWait opens a case and returns when its sections are built: the
// time to read it (off the event goroutine) and to build the screens (on it).
func openAndWait(tu testUI, id int64) (load, build time.Duration) {
	start := time.Now()
	tu.openCase(id)
	tu.bg.Wait()
	load = time.Since(start)
	tu.wait()
	return load, time.Since(start) - load
}

func TestFiftyThousandTransactions(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 50,000 transactions")
	}
	tu := newTestUI(t)
	id := seedBigCase(t, tu, bigCase)

	load, build := openAndWait(tu, id)
	s := tu.view.txns
	require.Len(t, s.all, bigCase)
	assert.Len(t, s.shown, bigCase)

	start := time.Now()
	test.Type(s.filter, "商户07")
	filter := time.Since(start)
	assert.Len(t, s.shown, bigCase/100, "one merchant in a hundred")
	for _, i := range s.shown[:10] {
		assert.Equal(t, "商户07", s.all[i].Merchant)
	}

	s.filter.SetText("")
	s.disputedOnly.SetChecked(true)
	assert.Len(t, s.shown, bigCase/1000)
	s.disputedOnly.SetChecked(false)

	s.sortBy(txnCol("amount")) // ascending
	s.sortBy(txnCol("amount")) // descending
	assert.Equal(t, evidence.Money(100+bigCase-1), s.all[s.shown[0]].Amount)

	start = time.Now()
	img := tu.win.Canvas().Capture()
	paint := time.Since(start)
	assert.NotNil(t, img)
	// Figures for the report; the benchmarks below measure them properly.
	t.Logf("50k transactions: read %v (background), build %v (event goroutine), filter (6 keystrokes) %v, first paint (software) %v",
		load, build, filter, paint)
}

func BenchmarkOpenCase50k(b *testing.B) {
	tu := newTestUI(b)
	id := seedBigCase(b, tu, bigCase)
	b.ReportAllocs()
	b.ResetTimer()
	var load, build time.Duration
	for range b.N {
		l, bu := openAndWait(tu, id)
		load += l
		build += bu
	}
	b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "ms-read/op")
	b.ReportMetric(float64(build.Milliseconds())/float64(b.N), "ms-build/op")
}

func BenchmarkFilter50k(b *testing.B) {
	tu := newTestUI(b)
	id := seedBigCase(b, tu, bigCase)
	openAndWait(tu, id)
	s := tu.view.txns
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		s.filter.SetText(fmt.Sprintf("商户%02d", i%100)) // one keystroke's worth of work
	}
}
