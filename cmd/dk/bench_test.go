package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/store"
)

// bigHome is a home holding one case of n transactions, a year of one
// merchant's card sales (20 merchants, every 200th a refund).
func bigHome(b *testing.B, n int) (home, id string) {
	home = b.TempDir()
	st, err := store.Open(home)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	c := evidence.Case{Title: "十万笔交易", Scenario: evidence.SettlementShortfall, Status: evidence.StatusDraft, Role: evidence.RoleMerchant}
	if _, err := st.CreateCase(ctx, &c); err != nil {
		b.Fatal(err)
	}
	ts := make([]evidence.Transaction, n)
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, evidence.Shanghai)
	for i := range ts {
		ts[i] = evidence.Transaction{
			CaseID: c.ID, Time: start.Add(time.Duration(i) * 5 * time.Minute), Amount: evidence.Money(1000 + i%5000),
			Currency: "CNY", Direction: evidence.Debit, Status: "交易成功", Merchant: fmt.Sprintf("某某商户%02d", i%20),
			Channel: "POS", OrderNo: fmt.Sprintf("2024%016d", i), Source: "mapped", DedupeKey: fmt.Sprintf("k%d", i),
		}
		if i%200 == 7 {
			ts[i].Status = "退款中"
		}
	}
	if _, _, err := st.AddTransactions(ctx, c.ID, ts); err != nil {
		b.Fatal(err)
	}
	return home, strconv.FormatInt(c.ID, 10)
}

// benchDK runs one dk command line per op against a 100,000-transaction
// case, writing its output nowhere, and reports the CPU time per op.
func benchDK(b *testing.B, args ...string) {
	home, id := bigHome(b, 100_000)
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "ID", id)
	}
	args = append([]string{"--home", home}, args...)
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		c0 := cpuTime()
		if code := run(args, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("dk %v: exit %d", args, code)
		}
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkCaseShowJSON100k is `dk case show --json` of a case of 100,000
// transactions: streamed page by page, so B/op stays far below the case.
func BenchmarkCaseShowJSON100k(b *testing.B) { benchDK(b, "case", "show", "--json", "ID") }

// BenchmarkCheck100k is `dk check` of a case of 100,000 transactions: the
// case is loaded whole (the checks compare rows with each other), then run.
func BenchmarkCheck100k(b *testing.B) { benchDK(b, "check", "ID") }
