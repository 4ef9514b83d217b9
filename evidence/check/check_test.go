package check

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

func at(s string) time.Time {
	t, err := evidence.ParseLocalTime(s, nil)
	if err != nil {
		panic(err)
	}
	return t
}

func yuan(s string) evidence.Money {
	m, err := evidence.ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// dossier numbers the transactions 1, 2, … in the order given.
func dossier(role evidence.Role, ts ...evidence.Transaction) evidence.Dossier {
	for i := range ts {
		ts[i].ID = int64(i + 1)
		if ts[i].Source == "" {
			ts[i].Source = "icbc"
		}
		if ts[i].Direction == "" {
			ts[i].Direction = evidence.Debit
		}
	}
	return evidence.Dossier{Case: evidence.Case{ID: 1, Role: role}, Transactions: ts}
}

func only(t *testing.T, fs []Finding, k Kind) []Finding {
	t.Helper()
	var out []Finding
	for _, f := range fs {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

var now = at("2024-03-20 12:00:00")

func TestDuplicateCharges(t *testing.T) {
	d := dossier(evidence.RoleConsumer,
		evidence.Transaction{Time: at("2024-03-01 10:15:00"), Amount: yuan("1280.00"), Merchant: "某某商场", RRN: "123456789012", SourceExhibitID: 7},
		evidence.Transaction{Time: at("2024-03-01 10:16:30"), Amount: yuan("1280.00"), Merchant: "某某商场 ", RRN: "123456789013", SourceExhibitID: 7},
		// the same charge recorded twice (same RRN) is not a duplicate charge
		evidence.Transaction{Time: at("2024-03-02 10:15:00"), Amount: yuan("50.00"), Merchant: "某店", RRN: "999"},
		evidence.Transaction{Time: at("2024-03-02 10:15:00"), Amount: yuan("50.00"), Merchant: "某店", RRN: "999"},
		// a day apart: two purchases
		evidence.Transaction{Time: at("2024-03-03 08:00:00"), Amount: yuan("18.00"), Merchant: "咖啡"},
		evidence.Transaction{Time: at("2024-03-04 08:00:00"), Amount: yuan("18.00"), Merchant: "咖啡"},
		// a failed attempt and the real charge
		evidence.Transaction{Time: at("2024-03-05 09:00:00"), Amount: yuan("99.00"), Merchant: "超市", Status: "交易关闭"},
		evidence.Transaction{Time: at("2024-03-05 09:01:00"), Amount: yuan("99.00"), Merchant: "超市"},
		// the same payment seen in two statements is not a duplicate
		evidence.Transaction{Time: at("2024-03-06 12:00:00"), Amount: yuan("30.00"), Merchant: "餐厅", Source: "alipay", OrderNo: "A1"},
		evidence.Transaction{Time: at("2024-03-06 12:00:00"), Amount: yuan("30.00"), Merchant: "餐厅", Source: "icbc"},
	)
	fs := Run(d, Options{Now: now})
	dup := only(t, fs, DuplicateCharge)
	require.Len(t, dup, 1)
	f := dup[0]
	assert.Equal(t, []int64{1, 2}, f.Transactions)
	assert.Equal(t, []int64{7}, f.Exhibits)
	assert.Equal(t, yuan("1280.00"), f.Amount)
	assert.Equal(t, Alert, f.Severity)
	assert.Contains(t, f.Summary.ZH, "参考号 123456789013")
	c := f.Claim("zh")
	assert.Equal(t, yuan("1280.00"), c.Amount)
	assert.Contains(t, c.Text, "退还")
	assert.Contains(t, f.Claim("en").Text, "Refund the duplicate charge of ¥1,280.00")

	// A refund of the same amount afterwards lowers it to info.
	d.Transactions = append(d.Transactions, evidence.Transaction{ID: 99, Time: at("2024-03-03 10:00:00"), Amount: yuan("1280.00"), Merchant: "某某商场", Direction: evidence.Credit, Source: "icbc"})
	dup = only(t, Run(d, Options{Now: now}), DuplicateCharge)
	require.Len(t, dup, 1)
	assert.Equal(t, Info, dup[0].Severity)
}

func TestAmountMismatch(t *testing.T) {
	d := dossier(evidence.RoleConsumer,
		// slip says ¥128.00, the bank debited ¥1,280.00 (an extra zero)
		evidence.Transaction{Time: at("2024-03-01 10:15:00"), Amount: yuan("128.00"), Merchant: "某某商场", Source: "slip", Voucher: "000101", TerminalNo: "12345678"},
		evidence.Transaction{Time: at("2024-03-01 00:00:00"), Amount: yuan("1280.00"), Merchant: "消费-某某商场"},
		// a slip matched by RRN with the right amount: no finding
		evidence.Transaction{Time: at("2024-03-02 11:00:00"), Amount: yuan("66.00"), Merchant: "小店", Source: "slip", RRN: "555555555555"},
		evidence.Transaction{Time: at("2024-03-02 11:00:05"), Amount: yuan("66.00"), Merchant: "XIAODIAN", RRN: "555555555555"},
	)
	fs := only(t, Run(d, Options{Now: now}), AmountMismatch)
	require.Len(t, fs, 1)
	assert.Equal(t, []int64{1, 2}, fs[0].Transactions)
	assert.Equal(t, yuan("1152.00"), fs[0].Amount)
	assert.Contains(t, fs[0].Summary.ZH, "多扣 ¥1,152.00")
	assert.Contains(t, fs[0].Claim("zh").Text, "退还多扣的 ¥1,152.00")
}

func TestMissingRefunds(t *testing.T) {
	d := dossier(evidence.RoleConsumer,
		evidence.Transaction{Time: at("2024-03-01 10:00:00"), Amount: yuan("200.00"), Merchant: "网店", Status: "退款中", Source: "alipay", OrderNo: "2024A"},
		evidence.Transaction{Time: at("2024-03-02 10:00:00"), Amount: yuan("80.00"), Merchant: "书店", Status: "已退款(￥30.00)", Source: "wechat", OrderNo: "W1"},
		evidence.Transaction{Time: at("2024-03-03 10:00:00"), Amount: yuan("50.00"), Merchant: "花店", Status: "退款成功", Source: "alipay", OrderNo: "2024C"},
		evidence.Transaction{Time: at("2024-03-04 10:00:00"), Amount: yuan("50.00"), Merchant: "花店", Status: "退款成功", Source: "alipay", OrderNo: "2024C_R", Direction: evidence.Credit},
		evidence.Transaction{Time: at("2024-03-05 10:00:00"), Amount: yuan("300.00"), Merchant: "健身房", Disputed: true},
	)
	d.Events = []evidence.Event{{Kind: evidence.EventReply, Time: at("2024-03-10 10:00:00"), Party: "健身房", Note: "商家同意退款"}}
	fs := only(t, Run(d, Options{Now: now}), MissingRefund)
	require.Len(t, fs, 3)
	got := map[int64]evidence.Money{}
	for _, f := range fs {
		got[f.Transactions[0]] = f.Amount
	}
	assert.Equal(t, map[int64]evidence.Money{1: yuan("200.00"), 2: yuan("30.00"), 5: yuan("300.00")}, got)
}

// TestSettlementShortfall reconciles a known case by hand, to the fen.
//
// Rate 0.38%, cap ¥20, T+1. Monday 2024-03-04: 1,000.00 (fee 3.80),
// 500.50 (fee 1.90, 1.90190 rounds down), 88.88 (fee 0.34, 0.33774 rounds
// up) and a same-day 消费撤销 of the 88.88; net 1,494.80 due Tuesday, 1,494.43
// credited: 0.37 short. Friday 2024-03-08: 10,000.00 (fee capped at 20.00):
// 9,980.00 due Monday 2024-03-11, nothing credited. Saturday 2024-03-09: 100.00
// (fee 0.38) also due Monday: 99.62. Total short 0.37 + 10,079.62 = 10,079.99.
func TestSettlementShortfall(t *testing.T) {
	pos := func(tm, amount, typ string, dir evidence.Direction) evidence.Transaction {
		return evidence.Transaction{Time: at(tm), Amount: yuan(amount), Type: typ, Direction: dir, Channel: "POS",
			TerminalNo: "12345678", MerchantNo: "898310012345678", Source: "mapped", Fee: 1}
	}
	d := dossier(evidence.RoleMerchant,
		pos("2024-03-04 10:00:00", "1000.00", "消费", evidence.Credit),
		pos("2024-03-04 11:00:00", "500.50", "消费", evidence.Credit),
		pos("2024-03-04 12:00:00", "88.88", "消费", evidence.Credit),
		pos("2024-03-04 12:05:00", "88.88", "消费撤销", evidence.Debit),
		pos("2024-03-08 15:00:00", "10000.00", "消费", evidence.Credit),
		pos("2024-03-09 15:00:00", "100.00", "消费", evidence.Credit),
		evidence.Transaction{Time: at("2024-03-05 00:00:00"), Amount: yuan("1494.43"), Direction: evidence.Credit, Description: "POS结算款", Source: "icbc"},
		evidence.Transaction{Time: at("2024-03-05 00:00:00"), Amount: yuan("5000.00"), Direction: evidence.Credit, Description: "工资", Source: "icbc"},
	)
	terms := Terms{Rate: 3800, Cap: yuan("20.00"), Cycle: "T+1"}
	assert.Equal(t, yuan("0.34"), terms.Fee(d.Transactions[2]))
	assert.Equal(t, yuan("20.00"), terms.Fee(d.Transactions[4]))

	days := Reconcile(d, terms)
	require.Len(t, days, 2)
	assert.Equal(t, at("2024-03-05 00:00:00"), days[0].Day)
	assert.Equal(t, yuan("1494.80"), days[0].Expected)
	assert.Equal(t, yuan("1494.43"), days[0].Credited, "工资 is not a settlement")
	assert.Equal(t, yuan("0.37"), days[0].Short())
	assert.Equal(t, at("2024-03-11 00:00:00"), days[1].Day, "Friday and Saturday settle on Monday")
	assert.Equal(t, yuan("10079.62"), days[1].Short())

	fs := Run(d, Options{Now: at("2024-03-12 09:00:00"), Settlement: terms})
	total := only(t, fs, SettlementShortfall)
	require.Len(t, total, 1)
	assert.Equal(t, yuan("10079.99"), total[0].Amount)
	assert.Contains(t, total[0].Summary.ZH, "合计少结算 ¥10,079.99")
	assert.Contains(t, total[0].Summary.ZH, "费率 0.38%，封顶 ¥20.00")
	assert.Equal(t, "补足 2024-03-05 至 2024-03-11 期间少结算的款项 ¥10,079.99", total[0].Claim("zh").Text)
	perDay := only(t, fs, SettlementDay)
	require.Len(t, perDay, 2)
	assert.Equal(t, yuan("0.37"), perDay[0].Amount)
	assert.Empty(t, only(t, fs, SettlementOverdue))

	// Forty days on, the missing days are overdue.
	fs = Run(d, Options{Now: at("2024-04-20 09:00:00"), Settlement: terms})
	assert.Len(t, only(t, fs, SettlementOverdue), 2)

	// Without a rate, the fee recorded on each row (1 fen here) is used.
	noRate := Reconcile(d, Terms{})
	assert.Equal(t, yuan("1500.48"), noRate[0].Expected, "99,999 + 50,049 + 8,887 − 8,887 fen")
}

func TestDeadlines(t *testing.T) {
	d := evidence.Dossier{Events: []evidence.Event{
		{Kind: evidence.EventComplaint, Time: at("2024-03-01 10:00:00"), Party: "银行"},
		{Kind: evidence.EventComplaint, Time: at("2024-03-10 10:00:00"), Party: "收单机构"},
		{Kind: evidence.EventReply, Time: at("2024-03-12 10:00:00"), Party: "收单机构"},
		{Kind: evidence.EventDeadline, Time: at("2024-03-01 10:00:00"), Due: at("2024-03-22 00:00:00"), Note: "提交材料"},
	}}
	fs := Run(d, Options{Now: now})
	reply := only(t, fs, ReplyDue)
	require.Len(t, reply, 1, "the answered complaint is not listed")
	assert.Equal(t, at("2024-03-16 10:00:00"), reply[0].Due, "15 days after the complaint")
	assert.Equal(t, Alert, reply[0].Severity)
	assert.Contains(t, reply[0].Summary.ZH, "已逾期 5 天")
	dl := only(t, fs, DeadlineDue)
	require.Len(t, dl, 1)
	assert.Equal(t, Warn, dl[0].Severity)
	assert.Equal(t, Alert, fs[0].Severity, "most urgent first")
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]int64{"0.38%": 3800, "38‱": 3800, "38": 3800, "0.0038": 3800, "0.6%": 6000, "1.25%": 12500, "0.385%": 3850} {
		got, err := ParseRate(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "abc", "200%", "0.1234567"} {
		_, err := ParseRate(bad)
		assert.ErrorIs(t, err, evidence.ErrInvalid, bad)
	}
	assert.Equal(t, "0.38%", RateString(3800))
	assert.Equal(t, "0.385%", RateString(3850))
	assert.Equal(t, "1%", RateString(10000))
}

func TestFeeDoesNotOverflow(t *testing.T) {
	huge := evidence.Transaction{Amount: evidence.Money(9_000_000_000_000_000_000)}
	assert.Equal(t, evidence.Money(9_000_000_000_000_000_000/10), Terms{Rate: 100_000}.Fee(huge))
	assert.Equal(t, evidence.Money(4), Terms{Rate: 3800}.Fee(evidence.Transaction{Amount: 1000}), "3.8 fen rounds to 4")
}

func TestSettleDayCycles(t *testing.T) {
	fri := at("2024-03-08 23:59:00")
	assert.Equal(t, at("2024-03-11 00:00:00"), Terms{Cycle: "T+1"}.SettleDay(fri))
	assert.Equal(t, at("2024-03-09 00:00:00"), Terms{Cycle: "D+1"}.SettleDay(fri))
	assert.Equal(t, at("2024-03-08 00:00:00"), Terms{Cycle: "D+0"}.SettleDay(fri))
	assert.Equal(t, at("2024-03-11 00:00:00"), Terms{Cycle: "T+0"}.SettleDay(at("2024-03-09 10:00:00")))
	assert.Equal(t, at("2024-03-12 00:00:00"), Terms{Cycle: "T+1", Holidays: []time.Time{at("2024-03-11 00:00:00")}}.SettleDay(fri))
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.38%", "38", "38‱", "0.0038", "1e5", "-1", "..", "100%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		require.GreaterOrEqual(t, r, int64(0))
		require.LessOrEqual(t, r, int64(1_000_000))
		back, err := ParseRate(RateString(r))
		require.NoError(t, err)
		require.Equal(t, r, back, "RateString reads back")
	})
}

// FuzzRun builds a dossier from arbitrary bytes (each 6 bytes one
// transaction) and runs every check: no panic, no negative amount.
func FuzzRun(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 7, 7, 7, 7, 7, 7})
	f.Fuzz(func(t *testing.T, b []byte) {
		base := at("2024-03-01 00:00:00")
		merchants := []string{"甲店", "甲店分店", "乙", "", "POS结算"}
		statuses := []string{"", "交易成功", "退款中", "已退款(￥1.00)", "交易关闭"}
		sources := []string{"alipay", "icbc", "slip", "mapped", "manual"}
		dirs := []evidence.Direction{evidence.Debit, evidence.Credit, evidence.Neutral}
		var ts []evidence.Transaction
		for i := 0; i+6 <= len(b) && len(ts) < 200; i += 6 {
			x := b[i : i+6]
			tx := evidence.Transaction{ID: int64(len(ts) + 1), Time: base.Add(time.Duration(x[0]) * 17 * time.Minute),
				Amount: evidence.Money(int(x[1]) * 37), Merchant: merchants[int(x[2])%len(merchants)],
				Status: statuses[int(x[3])%len(statuses)], Source: sources[int(x[4])%len(sources)],
				Direction: dirs[int(x[5])%len(dirs)], Disputed: x[5]&8 != 0, Fee: evidence.Money(x[3] % 5)}
			if x[4]&16 != 0 {
				tx.Channel, tx.TerminalNo = "POS", "12345678"
			}
			if x[2]&32 != 0 {
				tx.RRN = fmt.Sprint(x[2] % 4)
			}
			ts = append(ts, tx)
		}
		d := evidence.Dossier{Case: evidence.Case{Role: evidence.RoleMerchant}, Transactions: ts,
			Events: []evidence.Event{{Kind: evidence.EventComplaint, Time: base}, {Kind: evidence.EventReply, Time: base.Add(time.Hour), Note: "同意退款"}}}
		for _, f := range Run(d, Options{Now: base.AddDate(0, 2, 0), Settlement: Terms{Rate: int64(len(b)) * 100, Cap: 50}}) {
			require.GreaterOrEqual(t, int64(f.Amount), int64(0), "%+v", f)
			require.NotEmpty(t, f.Summary.ZH)
			require.NotEmpty(t, f.Summary.EN)
			require.NotEmpty(t, f.Claim("zh").Text)
		}
	})
}
