package store

import (
	"fmt"
	"runtime"
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

// bigCase stores a case of n transactions for the big-case benchmarks.
func bigCase(b *testing.B, n int) (*Store, int64) {
	s := openTemp(b)
	c := newCase(b, s)
	batch := make([]evidence.Transaction, n)
	for i := range batch {
		batch[i] = txn(0, i)
	}
	if _, _, err := s.AddTransactions(ctx, c.ID, batch); err != nil {
		b.Fatal(err)
	}
	return s, c.ID
}

// BenchmarkDossier100k loads a case of 100,000 transactions whole, as dk
// check and the GUI's case view do (held-MB is the live heap it leaves).
func BenchmarkDossier100k(b *testing.B) {
	s, id := bigCase(b, 100_000)
	b.ReportAllocs()
	var cpu time.Duration
	var d evidence.Dossier
	for b.Loop() {
		d = evidence.Dossier{}
		runtime.GC()
		c0 := cpuTime()
		var err error
		if d, err = s.Dossier(ctx, id); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "held-MB")
	if len(d.Transactions) != 100_000 {
		b.Fatal("short")
	}
}

// BenchmarkEachTransaction100k walks a case of 100,000 transactions page by
// page, as dk case show --json and bundle export do: memory is one page.
func BenchmarkEachTransaction100k(b *testing.B) {
	s, id := bigCase(b, 100_000)
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		c0 := cpuTime()
		n := 0
		err := s.EachTransaction(ctx, id, func(page []evidence.Transaction) error {
			n += len(page)
			return nil
		})
		cpu += cpuTime() - c0
		if err != nil || n != 100_000 {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}
