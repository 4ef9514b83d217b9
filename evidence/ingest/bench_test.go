package ingest

import (
	"bytes"
	"testing"
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
