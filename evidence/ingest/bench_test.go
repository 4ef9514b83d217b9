package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/store"
)

func benchParse(b *testing.B, data []byte, rows int) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Parse(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Transactions) != rows {
			b.Fatalf("%d transactions, want %d", len(res.Transactions), rows)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkParseAlipayGBK100k parses a 100,000-row GBK Alipay export (no store).
func BenchmarkParseAlipayGBK100k(b *testing.B) { benchParse(b, alipayCSV(b, 100_000), 100_000) }

// BenchmarkParseWeChat100k parses a 100,000-row WeChat CSV (no store).
func BenchmarkParseWeChat100k(b *testing.B) { benchParse(b, wechatCSV(100_000), 100_000) }

// benchImport imports a 100,000-row file into a fresh case of a temp store:
// detect, decode, parse, store the file in the vault and insert every row in
// one SQL transaction.
func benchImport(b *testing.B, data []byte, rows int) {
	ctx := context.Background()
	st, err := store.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	path := filepath.Join(b.TempDir(), "statement.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := evidence.Case{Title: "bench"}
		if _, err := st.CreateCase(ctx, &c); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := ImportFile(ctx, st, c.ID, path, ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Imported != rows {
			b.Fatalf("imported %d, want %d", rep.Imported, rows)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImportAlipayGBK100k: 100,000 Alipay rows (GBK) into a case.
func BenchmarkImportAlipayGBK100k(b *testing.B) { benchImport(b, alipayCSV(b, 100_000), 100_000) }

// BenchmarkImportWeChat100k: 100,000 WeChat CSV rows into a case.
func BenchmarkImportWeChat100k(b *testing.B) { benchImport(b, wechatCSV(100_000), 100_000) }
