package check

import (
	"fmt"
	"testing"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// BenchmarkRun100k runs every check on a case of 100,000 transactions: a
// year of statement rows, POS sales and settlement credits, and a few slips.
func BenchmarkRun100k(b *testing.B) {
	start := at("2024-01-01 08:00:00")
	var ts []evidence.Transaction
	for i := 0; i < 100_000; i++ {
		t := evidence.Transaction{ID: int64(i + 1), Time: start.Add(time.Duration(i) * 5 * time.Minute),
			Amount: evidence.Money(1000 + i%5000), Direction: evidence.Debit, Source: "alipay",
			Merchant: fmt.Sprintf("商户%d", i%300), OrderNo: fmt.Sprint(i)}
		switch i % 10 {
		case 1:
			t.Channel, t.TerminalNo, t.Direction, t.Source = "POS", "12345678", evidence.Credit, "mapped"
		case 2:
			t.Direction, t.Source, t.Description = evidence.Credit, "icbc", "POS结算"
		case 3:
			t.Status = "退款中"
		}
		if i%1000 == 4 {
			t.Source, t.Voucher = "slip", "000001"
		}
		ts = append(ts, t)
	}
	d := evidence.Dossier{Case: evidence.Case{Role: evidence.RoleMerchant}, Transactions: ts}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Run(d, Options{Now: start.AddDate(1, 0, 0), Settlement: Terms{Rate: 3800}})
	}
}
