package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	m, v := settlementDossier(t)
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		l, err := templates.Compose(m, templates.ToPaymentCompany, lang, shAt("2026-11-24 09:00:00"))
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

func shAt(s string) time.Time { tm, _ := evidence.ParseLocalTime(s, evidence.Shanghai); return tm }

// settlementDossier is a 个体工商户's settlement-shortfall case: its
// payment-institution acquirer's export holds customers' cards, the
// acquiring agreement is a 2-page PDF exhibit; day 2 is ¥395.20 short.
func settlementDossier(t *testing.T) (evidence.Dossier, memVault) {
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
	return m, v
}

// mapSettings is a store's settings in memory.
type mapSettings map[string]string

func (m mapSettings) Setting(_ context.Context, key string) (string, error) {
	v, ok := m[key]
	if !ok {
		return "", evidence.ErrNotFound
	}
	return v, nil
}

func (m mapSettings) SetSetting(_ context.Context, key, value string) error {
	m[key] = value
	return nil
}

// The case file shows what the letters use: the computed summary in the
// document's language and each letter's requests (the user's edit where
// saved), not the case's old single request list.
func TestCaseFileShowsTheLettersSummaryAndRequests(t *testing.T) {
	m, v := settlementDossier(t)
	m.Case.Claims = []evidence.Claim{{Text: "OLD SINGLE REQUEST LIST", Amount: 123}}
	ctx := context.Background()
	st := mapSettings{}
	edited := []evidence.Claim{{Text: "EDITED: pay the shortfall within 10 days", Amount: 39520}}
	require.NoError(t, templates.SaveRequests(ctx, st, m.Case.ID, templates.ToPaymentCompany, edited))
	date := shAt("2026-11-24 09:00:00")
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		dg, err := templates.DigestCase(ctx, st, m, lang, date)
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, WriteCaseFilePDFWith(&b, m, lang, v, dg))
		all := squeeze(pdfText(t, b.Bytes(), 0, 0, false))
		lab := labelsFor(lang)
		assert.NotContains(t, all, "OLDSINGLEREQUESTLIST", lang)
		assert.Contains(t, all, squeeze(lab.disputeSummary), lang)
		require.NotEmpty(t, dg.SummaryLines, lang)
		letter, err := templates.Compose(m, templates.ToPaymentCompany, lang, date)
		require.NoError(t, err)
		for _, line := range letter.SummaryLines {
			assert.Contains(t, all, squeeze(line), "%s: the letter's summary sentence", lang)
		}
		assert.Contains(t, all, "¥395.20", lang)
		assert.Contains(t, all, squeeze("EDITED: pay the shortfall within 10 days"), lang)
		assert.Contains(t, all, squeeze(lab.editedByUser), lang)
		// Every letter the plan allows is listed with its own requests; the
		// refused one (a merchant writing to the merchant) is not.
		for _, rr := range dg.Requests {
			assert.NotEqual(t, templates.ToMerchant, rr.Recipient)
			assert.Contains(t, all, squeeze(fmt.Sprintf(lab.requestsTo, rr.Addressee)), "%s %s", lang, rr.Recipient)
			if rr.Recipient == templates.ToPaymentCompany {
				continue
			}
			for _, cl := range rr.Requests {
				assert.Contains(t, all, squeeze(cl.Text), "%s %s", lang, rr.Recipient)
			}
		}
	}
}

// attachedFiles lists the files embedded in pdf (pdfdetach), or skips.
func attachedFiles(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdfdetach")
	if err != nil {
		t.Skip("pdfdetach (poppler-utils) not installed")
	}
	path := filepath.Join(t.TempDir(), "l.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o644))
	out, err := exec.Command(bin, "-list", path).CombinedOutput()
	require.NoError(t, err, string(out))
	return string(out)
}

// An imported statement holds the person's other spending: a letter lists
// it but does not attach it while some of its rows are not in the letter;
// the case file (for the person's own lawyer) still carries it.
func TestLetterWithholdsAStatementWithUnrelatedSpending(t *testing.T) {
	v := memVault{}
	csv := "交易时间,交易对方,金额\n2026-11-02 20:10:00,仁和大药房,126.50\n2026-11-03 19:42:00,示例家具店,3555.12\n"
	sha, size := v.add([]byte(csv))
	at := shAt("2026-11-03 19:42:00")
	d := evidence.Dossier{
		Case: evidence.Case{ID: 3, Title: "刷错金额", Scenario: evidence.WrongAmount, Role: evidence.RoleConsumer,
			Complainant: evidence.Party{Name: "张三", Phone: "+86 138 1234 5678"},
			Respondent:  evidence.Party{Name: "示例家具店有限公司", Kind: evidence.PartyCompany, Address: "上海市徐汇区漕溪路1号"},
			Issuer:      evidence.Party{Name: "示例银行上海分行", Kind: evidence.PartyBank}},
		Transactions: []evidence.Transaction{
			{ID: 1, Time: shAt("2026-11-02 20:10:00"), Amount: 12650, Currency: "CNY", Direction: evidence.Debit, Merchant: "仁和大药房", SourceExhibitID: 21, Source: "alipay"},
			{ID: 2, Time: at, Amount: 355512, Agreed: 35551, Currency: "CNY", Direction: evidence.Debit, Merchant: "示例家具店", CardLast4: "1234", Disputed: true, SourceExhibitID: 21, Source: "alipay"},
		},
		Exhibits: []evidence.Exhibit{{ID: 21, Seq: 1, Kind: evidence.KindStatement, Title: "支付宝交易明细", SHA256: sha, Size: size,
			OriginalName: "alipay.csv", MediaType: "text/csv"}},
	}
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		l, err := templates.Compose(d, templates.ToMerchant, lang, shAt("2026-11-24 09:00:00"))
		require.NoError(t, err)
		require.True(t, l.Evidence[0].Withheld, lang)
		var b bytes.Buffer
		require.NoError(t, WriteLetterPDF(&b, l, v))
		assert.NotContains(t, attachedFiles(t, b.Bytes()), "alipay.csv", "%s: the statement is not attached", lang)
		text := squeeze(pdfText(t, b.Bytes(), 0, 0, false))
		assert.NotContains(t, text, "仁和大药房", lang)
		assert.Contains(t, text, squeeze(labelsFor(lang).withheld), lang)
		assert.Contains(t, text, sha, "%s: the file is still identified", lang)
	}
	// Ticking the other row puts the whole file in the letter: attached.
	d.Transactions[0].Included = true
	l, err := templates.Compose(d, templates.ToMerchant, templates.English, shAt("2026-11-24 09:00:00"))
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, WriteLetterPDF(&b, l, v))
	assert.Contains(t, attachedFiles(t, b.Bytes()), "alipay.csv")
	// The case file is the person's own: the statement is in it.
	d.Transactions[0].Included = false
	b.Reset()
	require.NoError(t, WriteCaseFilePDF(&b, d, templates.Chinese, v))
	assert.Contains(t, attachedFiles(t, b.Bytes()), "alipay.csv")
}

// 此致 is indented and 敬礼 starts at the margin, also when the composer
// gives them as two blocks; the closing never stands alone on a page
// without the letter's last paragraph.
func TestClosingIndentAndKeptWithTheLastParagraph(t *testing.T) {
	m, v := settlementDossier(t)
	l, err := templates.Compose(m, templates.ToPaymentCompany, templates.Chinese, shAt("2026-11-24 09:00:00"))
	require.NoError(t, err)
	var last string
	for i, b := range l.Blocks {
		if b.Kind == templates.BlockClosing {
			last = l.Blocks[i-1].Text
			break
		}
	}
	require.NotEmpty(t, last)
	// Push the closing towards the page end by lengthening the facts.
	for extra := 0; extra < 40; extra += 4 {
		d := m
		d.Case.Facts = m.Case.Facts + strings.Repeat("\n本店补充说明：结算款的核对以收单机构的交易明细为准。", extra)
		l, err := templates.Compose(d, templates.ToPaymentCompany, templates.Chinese, shAt("2026-11-24 09:00:00"))
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, WriteLetterPDF(&b, l, v))
		for _, page := range pdfPages(t, b.Bytes(), true) {
			if !strings.Contains(page, "敬礼") {
				continue
			}
			assert.Contains(t, squeeze(page), squeeze(last)[len(squeeze(last))-30:], "extra %d: the last paragraph is on the closing's page", extra)
			var zhi, li int
			for _, line := range strings.Split(page, "\n") {
				if s := strings.TrimLeft(line, " "); strings.HasPrefix(s, "此致") {
					zhi = len(line) - len(s)
				} else if strings.HasPrefix(s, "敬礼") {
					li = len(line) - len(s)
				}
			}
			assert.Greater(t, zhi, li, "extra %d: 此致 indented, 敬礼 at the margin", extra)
		}
	}
}
