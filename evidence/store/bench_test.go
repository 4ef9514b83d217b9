package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// BenchmarkAddTransactions stores 100,000 statement rows in one call, the
// size of a large merchant export (design.md §7 aims at well under a second).
func BenchmarkAddTransactions(b *testing.B) {
	const rows = 100_000
	s := openTemp(b)
	c := newCase(b, s)
	batch := make([]evidence.Transaction, rows)
	var cpu time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		for i := range batch {
			batch[i] = txn(0, i)
			batch[i].DedupeKey = fmt.Sprintf("%d-%d", n, i)
		}
		b.StartTimer()
		c0 := cpuTime()
		added, _, err := s.AddTransactions(ctx, c.ID, batch)
		cpu += cpuTime() - c0
		if err != nil {
			b.Fatal(err)
		}
		if added != rows {
			b.Fatalf("added %d of %d", added, rows)
		}
	}
	b.ReportMetric(float64(rows), "rows/op")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op") // includes GC on both cores
}

// BenchmarkDossier loads a case of 10,000 transactions.
func BenchmarkDossier(b *testing.B) {
	s := openTemp(b)
	c := newCase(b, s)
	batch := make([]evidence.Transaction, 10_000)
	for i := range batch {
		batch[i] = txn(0, i)
	}
	if _, _, err := s.AddTransactions(ctx, c.ID, batch); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		d, err := s.Dossier(ctx, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Transactions) != len(batch) {
			b.Fatal("short")
		}
	}
}
