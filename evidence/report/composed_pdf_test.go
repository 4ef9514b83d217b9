package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// TestComposedSettlementLetterCarriesThePDFExhibit is the acceptance check
// on a composed letter: a shop owner's settlement letter to its acquirer,
// with the acquiring agreement as a PDF exhibit and the acquirer's export
// (customers' cards) among the transactions.
func TestComposedSettlementLetterCarriesThePDFExhibit(t *testing.T) {
	at := func(s string) time.Time { tm, _ := evidence.ParseLocalTime(s, evidence.Shanghai); return tm }
	pos := func(id int64, when string, amount, fee evidence.Money, last4, rrn string) evidence.Transaction {
		return evidence.Transaction{ID: id, Time: at(when), Amount: amount, Fee: fee, Currency: "CNY", Direction: evidence.Credit, Type: "消费",
			Merchant: "虚构小吃店", MerchantNo: "898310058120345", TerminalNo: "10362211", Acquirer: "示例支付", Issuer: "他行",
			CardLast4: last4, RRN: rrn, Channel: "POS", Source: "mapped"}
	}
	credit := func(id int64, when string, amount evidence.Money) evidence.Transaction {
		return evidence.Transaction{ID: id, Time: at(when), Amount: amount, Currency: "CNY", Direction: evidence.Credit,
			Merchant: "示例支付结算款", Description: "POS结算", Source: "icbc"}
	}
	v := memVault{}
	agreement := agreementPDF(t, 2)
	sha, size := v.add(agreement)
	m := evidence.Dossier{
		Case: evidence.Case{
			ID: 9, Title: "结算款少到账", Scenario: evidence.SettlementShortfall, Status: evidence.StatusOpen, Role: evidence.RoleMerchant,
			Complainant: evidence.Party{Name: "王五", Kind: evidence.PartySoleTrader, Company: "虚构小吃店", CreditCode: "92310000MA1FL0000X",
				Phone: "+86 138 1234 5678", Address: "上海市虚构区小吃街5号", MerchantNo: "898310058120345", TerminalNo: "10362211"},
			Respondent:     evidence.Party{Name: "示例支付有限公司", Kind: evidence.PartyPaymentInstitution, Address: "北京市西城区支付大厦", Phone: "400-000-1111"},
			Acquirer:       evidence.Party{Name: "示例支付有限公司", Kind: evidence.PartyPaymentInstitution, Address: "北京市西城区支付大厦", Phone: "400-000-1111"},
			SettlementBank: evidence.Party{Name: "示例农商银行虚构支行", Kind: evidence.PartyBank, Address: "上海市虚构区银行路1号"},
			Facts:          "本店使用示例支付的POS机收款，约定费率0.6%，T+1结算。11月17日、18日的结算款明显少于当天的交易额。",
		},
		Transactions: []evidence.Transaction{
			pos(1, "2026-11-16 12:00:00", 100000, 600, "9012", "531600000001"),
			pos(2, "2026-11-16 18:30:00", 250000, 1500, "3344", "531600000002"),
			pos(3, "2026-11-17 12:10:00", 80000, 480, "5566", "531700000003"),
			credit(4, "2026-11-17 09:00:00", 347900),
			credit(5, "2026-11-18 09:00:00", 40000),
		},
		Exhibits: []evidence.Exhibit{
			{ID: 14, Seq: 1, Kind: evidence.KindAgreement, Title: "收单协议", SHA256: sha, Size: size, OriginalName: "agreement.pdf", MediaType: "application/pdf"},
		},
		Calls: []evidence.CallLog{
			{ID: 1, Start: at("2026-11-19 10:00:00"), Direction: evidence.CallOutgoing, Organisation: "示例支付", Number: "400-000-1111",
				Ticket: "ZF20261119088", Summary: "客服称会核查结算"},
		},
	}
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		l, err := templates.Compose(m, templates.ToPaymentCompany, lang, at("2026-11-24 09:00:00"))
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, WriteLetterPDF(&b, l, v))
		text := pdfText(t, b.Bytes(), 0, 0, false)
		for _, want := range []string{"ACQUIRING AGREEMENT 7731 PAGE 1", "ACQUIRING AGREEMENT 7731 PAGE 2", "¥395.20", "+86 138 1234 5678", "898310058120345", "ZF20261119088"} {
			assert.Contains(t, text, want, lang)
		}
		for _, customer := range []string{"9012", "3344", "5566"} {
			assert.NotContains(t, text, customer, "customers' cards are not the merchant's and not in dispute")
		}
	}
}
