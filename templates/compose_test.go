package templates

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// A fictional ID number (fails the card Luhn check, so only the ID rules
// decide how it is shown) and a real-looking card number typed into the facts.
const (
	testID       = "110101199003071237"
	testFullCard = "6222021234567890128" // Luhn-valid, 19 digits
	testFacts    = "2026年11月18日晚，本人在店内用餐，菜单价格为¥128.00（one set menu for two）。结账时店员在POS机上输入金额，本人未看清即输入密码，事后发现扣款¥1,280.00。本人的卡号是" + testFullCard + "，小票上只显示尾号。"
)

func at(s string) time.Time {
	t, err := evidence.ParseLocalTime(s, nil)
	if err != nil {
		panic(err)
	}
	return t
}

// unrelatedRRN is an imported purchase that has nothing to do with the dispute.
const unrelatedRRN = "531712000001"

// testPhone is typed with spaces: the card masker must never touch it.
const (
	testPhone       = "+86 138 1234 5678"
	testPhoneDigits = "8613812345678"
	// luhnMerchantNo is a 15-digit merchant number that passes the Luhn
	// check, so a card masker that looked at it would destroy it.
	luhnMerchantNo = "898310058120345"
	bankTicket     = "GD20261119001"
)

// fixture is a consumer's dossier for scenario s with the kinds of evidence
// a real case of it carries, including an imported purchase that has
// nothing to do with the dispute and one the user ticked.
func fixture(s evidence.Scenario) evidence.Dossier {
	d := evidence.Dossier{
		Case: evidence.Case{
			ID: 7, Title: "测试案件", Scenario: s, Status: evidence.StatusOpen, Role: evidence.RoleConsumer,
			Complainant: evidence.Party{Name: "李四", IDNumber: testID, Phone: testPhone, Address: "上海市虚构区示例路1号"},
			Respondent: evidence.Party{Name: "示例餐饮管理有限公司", Kind: evidence.PartyCompany, Address: "上海市虚构区样本街88号",
				MerchantNo: luhnMerchantNo, TerminalNo: "10362211"},
			Issuer:   evidence.Party{Name: "示例银行上海分行", Kind: evidence.PartyBank, Address: "上海市黄浦区样本大道200号", Phone: "95555"},
			Acquirer: evidence.Party{Name: "示例支付有限公司", Kind: evidence.PartyPaymentInstitution, Address: "北京市虚构区支付大厦"},
			Claims:   []evidence.Claim{{Text: "旧版的统一请求，不再印在函件里", Amount: 99}},
			Facts:    testFacts,
		},
		Transactions: []evidence.Transaction{
			{ID: 1, Time: at("2026-11-18 20:41:07"), Amount: 128000, Agreed: 12800, Currency: "CNY", Direction: evidence.Debit, Type: "消费", Status: "交易成功",
				Merchant: "示例餐厅", MerchantNo: luhnMerchantNo, TerminalNo: "10362211", Acquirer: "示例支付", Issuer: "示例银行",
				CardLast4: "0128", Batch: "000412", Voucher: "003817", RRN: "532218004517", AuthCode: "A1B2C3", Channel: "POS", Disputed: true},
			{ID: 2, Time: at("2026-11-16 12:02:00"), Amount: 4600, Currency: "CNY", Direction: evidence.Debit, Type: "消费",
				Merchant: "便利店", CardLast4: "0128", RRN: "531612009921", Included: true},
			{ID: 4, Time: at("2026-11-17 08:30:00"), Amount: 2300, Currency: "CNY", Direction: evidence.Debit, Type: "消费",
				Merchant: "无关的药店", CardLast4: "0128", RRN: unrelatedRRN, Source: "alipay"},
		},
		Exhibits: []evidence.Exhibit{
			{ID: 11, Seq: 2, Kind: evidence.KindChat, Title: "与店长的微信聊天截图", Platform: "微信", SHA256: strings.Repeat("b", 64)},
			{ID: 10, Seq: 1, Kind: evidence.KindSlip, Title: "POS签购单照片", Source: "本人拍摄", Purpose: "证明扣款金额为¥1,280.00", SHA256: strings.Repeat("a", 64)},
			{ID: 12, Seq: 3, Kind: evidence.KindPhoto, Title: "菜单价格照片", SHA256: strings.Repeat("c", 64)},
		},
		Calls: []evidence.CallLog{
			{ID: 1, Start: at("2026-11-19 10:05:00"), Duration: 6*time.Minute + 40*time.Second, Number: "95555", Direction: evidence.CallOutgoing,
				Organisation: "示例银行", Agent: "8012", Ticket: bankTicket, Summary: "客服受理争议，答复需商户配合"},
		},
		Events: []evidence.Event{
			{ID: 1, Kind: evidence.EventDiscovered, Time: at("2026-11-18 21:30:00"), Note: "查看短信发现扣款金额错误"},
			{ID: 2, Kind: evidence.EventContacted, Time: at("2026-11-18 21:40:00"), Party: "示例餐厅店长", Note: "店长称次日核实"},
		},
	}
	switch s {
	case evidence.DuplicateCharge:
		d.Transactions[0].Agreed = 0
		dup := d.Transactions[0]
		dup.ID, dup.Time, dup.RRN, dup.Voucher = 3, dup.Time.Add(40*time.Second), "532218004533", "003818"
		d.Transactions = append(d.Transactions, dup)
	case evidence.WrongPayeeInfo:
		// The payee on the slip is another business: the acquirer is the one to complain about.
		d.Calls = append(d.Calls, evidence.CallLog{ID: 2, Start: at("2026-11-20 09:00:00"), Direction: evidence.CallOutgoing,
			Organisation: "示例支付有限公司", Ticket: "ZF20261120007", Summary: "收单机构受理"})
	case evidence.SettlementShortfall:
		return merchantFixture()
	}
	return d
}

// merchantFixture is a shop owner's settlement-shortfall case: an
// individual business whose acquirer is a payment institution, with the
// acquirer's POS export (customers' cards!) and the settlement account's credits.
func merchantFixture() evidence.Dossier {
	pos := func(id int64, when string, amount, fee evidence.Money, last4, rrn string) evidence.Transaction {
		return evidence.Transaction{ID: id, Time: at(when), Amount: amount, Fee: fee, Currency: "CNY", Direction: evidence.Credit, Type: "消费",
			Merchant: "虚构小吃店", MerchantNo: luhnMerchantNo, TerminalNo: "10362211", Acquirer: "示例支付", Issuer: "他行",
			CardLast4: last4, RRN: rrn, Channel: "POS", Source: "mapped"}
	}
	credit := func(id int64, when string, amount evidence.Money) evidence.Transaction {
		return evidence.Transaction{ID: id, Time: at(when), Amount: amount, Currency: "CNY", Direction: evidence.Credit,
			Merchant: "示例支付结算款", Description: "POS结算", Source: "icbc"}
	}
	d := evidence.Dossier{
		Case: evidence.Case{
			ID: 9, Title: "结算款少到账", Scenario: evidence.SettlementShortfall, Status: evidence.StatusOpen, Role: evidence.RoleMerchant,
			Complainant: evidence.Party{Name: "王五", Kind: evidence.PartySoleTrader, Company: "虚构小吃店", CreditCode: "92310000MA1FL0000X",
				Phone: testPhone, Address: "上海市虚构区小吃街5号", MerchantNo: luhnMerchantNo, TerminalNo: "10362211"},
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
			{ID: 13, Seq: 1, Kind: evidence.KindSettlement, Title: "结算账户流水", SHA256: strings.Repeat("d", 64)},
			{ID: 14, Seq: 2, Kind: evidence.KindAgreement, Title: "收单协议", SHA256: strings.Repeat("e", 64)},
			{ID: 15, Seq: 3, Kind: evidence.KindStatement, Title: "收单机构交易明细导出", SHA256: strings.Repeat("f", 64)},
		},
		Calls: []evidence.CallLog{
			{ID: 1, Start: at("2026-11-19 10:00:00"), Direction: evidence.CallOutgoing, Organisation: "示例支付", Number: "400-000-1111",
				Ticket: "ZF20261119088", Summary: "客服称会核查结算"},
		},
	}
	return d
}

var forbidden = []string{"tamper-proof", "tamperproof", "legally valid", "legally binding", "防篡改", "具有法律效力", "法律效力"}

var digitRun = regexp.MustCompile(`\d[\d -]{11,}\d`)

func luhnValid(digits string) bool {
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		v := int(digits[i] - '0')
		if double {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// letterText is everything a letter prints.
func letterText(l Letter) string {
	var b strings.Builder
	b.WriteString(l.Title + "\n" + l.Author + "\n")
	for _, bl := range l.Blocks {
		fmt.Fprintf(&b, "%s %s\n", bl.Label, bl.Text)
	}
	for _, e := range l.Evidence {
		fmt.Fprintf(&b, "%d %s %s %s\n", e.Seq, e.Name, e.Source, e.Purpose)
	}
	return b.String()
}

var (
	// cardholderWords put the complainant in the cardholder's place.
	cardholderWords = []string{"持卡人", "持有贵行", "发行的银行卡", "本人的银行卡", "cardholder", "hold a card", "my card"}
	// dayCount finds every reply period a letter states.
	dayCount = regexp.MustCompile(`(\d+)\s*(?:个工作日|日内|working days|days of)`)
)

// TestEveryRoleScenarioRecipient composes every letter the plan knows, for a
// consumer (with an unrelated imported purchase and a ticked one) and a
// merchant (a settlement case with customers' card numbers in its export),
// and checks what a user relies on in each.
func TestEveryRoleScenarioRecipient(t *testing.T) {
	date := at("2026-11-24 09:00:00")
	for _, role := range []evidence.Role{evidence.RoleConsumer, evidence.RoleMerchant} {
		for _, s := range evidence.Scenarios {
			for _, to := range Recipients {
				for _, lang := range []Lang{Chinese, English} {
					t.Run(fmt.Sprintf("%s/%s/%s/%s", role, s, to, lang), func(t *testing.T) {
						d := fixture(s)
						if role == evidence.RoleMerchant && s != evidence.SettlementShortfall {
							m := merchantFixture()
							m.Case.Scenario = s
							m.Transactions[2].Disputed = true
							d = m
						}
						p, err := PlanFor(d, to)
						require.NoError(t, err)
						l, err := Compose(d, to, lang, date)
						if p.Verdict == VerdictRefuse {
							var r *Refusal
							require.ErrorAs(t, err, &r)
							assert.ErrorIs(t, err, ErrRefused)
							assert.NotEmpty(t, r.Reason)
							return
						}
						require.NoError(t, err)
						checkLetter(t, d, p, l)
					})
				}
			}
		}
	}
}

// ownText is what the letter says in its own words: everything but the
// statements of the provisions it cites (which may speak of cardholders or
// of another body's time limit).
func ownText(l Letter) string {
	var b strings.Builder
	inRules := false
	rules := map[Lang]string{Chinese: "法律及规定依据", English: "Legal basis"}[l.Lang]
	for _, bl := range l.Blocks {
		if bl.Kind == BlockHeading {
			inRules = strings.Contains(bl.Text, rules)
		}
		if inRules && bl.Kind == BlockItem {
			continue
		}
		fmt.Fprintf(&b, "%s %s\n", bl.Label, bl.Text)
	}
	return b.String()
}

func checkLetter(t *testing.T, d evidence.Dossier, p Plan, l Letter) {
	t.Helper()
	text := letterText(l)
	own := ownText(l)
	merchant := d.Case.Role == evidence.RoleMerchant
	if p.Verdict == VerdictWarn {
		require.NotEmpty(t, l.Warnings, "a judgement call says why")
	}
	// No sentence makes a merchant a cardholder.
	if merchant {
		for _, w := range cardholderWords {
			assert.NotContains(t, own, w)
		}
	}
	// Requests: from the plan, their amounts the computed summary's.
	require.NotEmpty(t, l.Requests)
	for _, r := range l.Requests {
		if r.Amount != 0 {
			assert.Equal(t, l.Summary.Refund, r.Amount, "request %q", r.Text)
			assert.Contains(t, r.Text, r.Amount.String())
		}
		assert.NotContains(t, r.Text, "旧版的统一请求")
	}
	if l.Summary.Refund > 0 {
		assert.Contains(t, text, l.Summary.Refund.String(), "the summary's figure is in the letter")
	}
	// Identifiers survive as typed.
	assert.Contains(t, text, testPhone, "the phone is never taken for a card number")
	if merchant || l.Recipient != ToConsumerAssociation && l.Recipient != ToMarketRegulator || true {
		assert.Contains(t, text, luhnMerchantNo, "a Luhn-valid merchant number is not masked")
	}
	// Only disputed or ticked transactions, never unrelated spending.
	for _, tx := range d.Transactions {
		if !tx.InLetter() && tx.RRN != "" {
			assert.NotContains(t, text, tx.RRN, "unrelated transaction %d", tx.ID)
			assert.NotContains(t, text, "无关的药店")
		}
	}
	// The facts survive except the card number, which is masked.
	if !merchant {
		masked := strings.Replace(testFacts, testFullCard, "**** **** **** 0128", 1)
		assert.Contains(t, text, masked)
		assert.Contains(t, text, bankTicket, "the bank's ticket")
	}
	assert.NotContains(t, text, testFullCard)
	// Citations: only what the plan allows for this scenario, and the
	// misapplications the law file lists never appear.
	for _, id := range l.Citations {
		assert.Contains(t, p.AllowedCitations, id)
		c, ok := CitationByID(id)
		require.True(t, ok)
		law, art, _ := c.In(l.Lang)
		assert.Contains(t, text, law)
		assert.Contains(t, text, art)
	}
	for _, bad := range []string{"民事纠纷", "Civil Disputes over Bank Cards", "第四十六条", "Article 46", "银发〔2014〕5号", "142号"} {
		assert.NotContains(t, text, bad)
	}
	switch l.Recipient {
	case ToConsumerAssociation:
		assert.NotContains(t, text, "12315")
		for _, id := range l.Citations {
			assert.False(t, strings.HasPrefix(id, "samr-"), "a consumer association is not bound by the SAMR measures: %s", id)
		}
	case ToMarketRegulator:
		assert.Subset(t, l.Citations, []string{"samr-9", "samr-12", "samr-14"})
	}
	if merchant {
		for _, id := range l.Citations {
			assert.False(t, strings.HasPrefix(id, "cpl-") || strings.HasPrefix(id, "samr-") || strings.HasPrefix(id, "pbocm-"),
				"a merchant is not a consumer: %s", id)
		}
	}
	if !merchant && (d.Case.Scenario == evidence.WrongAmount || d.Case.Scenario == evidence.DuplicateCharge) && l.Recipient == ToMerchant {
		assert.Contains(t, l.Citations, "cc-985", "不当得利 is the core basis for an overcharge or a duplicate debit")
	}
	// One reply deadline.
	var days []string
	for _, m := range dayCount.FindAllStringSubmatch(own, -1) {
		days = append(days, m[1])
	}
	if l.Deadline.Days > 0 {
		for _, n := range days {
			assert.Equal(t, fmt.Sprint(l.Deadline.Days), n, "every reply period in the letter is the plan's: %v", days)
		}
	}
	// Placeholders never reach the page.
	assert.NotContains(t, text, "XX")
	assert.NotContains(t, text, "某某")
	// The regulator letter names the institution's own ticket and date.
	if l.Recipient == ToRegulator && !merchant {
		ticket, date := bankTicket, "2026年11月19日"
		if d.Case.Scenario == evidence.WrongPayeeInfo {
			ticket, date = "ZF20261120007", "2026年11月20日"
		}
		if l.Lang == English {
			date = strings.NewReplacer("2026年11月19日", "19 November 2026", "2026年11月20日", "20 November 2026").Replace(date)
		}
		assert.Contains(t, text, ticket)
		assert.Contains(t, text, date)
		assert.NotContains(t, text, "退还多扣", "the regulator is asked to supervise, not to refund")
	}
	if l.Recipient == ToRegulator && merchant {
		assert.Contains(t, text, "ZF20261119088", "the acquirer's own ticket")
	}
	// The facts sheet where the plan wants it.
	if p.FactsSheet {
		heading := map[Lang]string{Chinese: "争议交易要素表", English: "Key details of the dispute"}[l.Lang]
		assert.Contains(t, text, heading)
	}
	lower := strings.ToLower(text)
	for _, f := range forbidden {
		assert.NotContains(t, lower, strings.ToLower(f))
	}
	assert.NotEmpty(t, l.Subject)
	if l.Lang == English {
		for _, zh := range []string{"渠道", "交易成功", "投诉人：", "此致"} {
			assert.NotContains(t, text, zh, "program words in Chinese in an English letter")
		}
	}
}

func TestRegulatorRoutedByInstitutionKind(t *testing.T) {
	date := at("2026-11-24 09:00:00")
	l, err := Compose(fixture(evidence.WrongAmount), ToRegulator, Chinese, date)
	require.NoError(t, err)
	assert.Equal(t, "nfra", l.Regulator, "a bank goes to the NFRA")
	assert.Equal(t, "国家金融监督管理总局上海监管局", l.Addressee)
	assert.Contains(t, l.Citations, "ann-2024-2")
	assert.Equal(t, Deadline{Days: 7, Working: true, Basis: "nfra-33"}, l.Deadline)
	text := letterText(l)
	assert.Contains(t, text, "尊敬的国家金融监督管理总局上海监管局：")
	assert.Contains(t, text, "示例银行上海分行")
	assert.Contains(t, text, "贵局")

	l, err = Compose(fixture(evidence.WrongPayeeInfo), ToRegulator, Chinese, date)
	require.NoError(t, err)
	assert.Equal(t, "pboc", l.Regulator, "a payment institution goes to the PBOC")
	assert.Equal(t, "中国人民银行北京市分行", l.Addressee)
	assert.Contains(t, l.Citations, "npir-58")
	assert.Contains(t, letterText(l), "贵行")

	m := merchantFixture()
	l, err = Compose(m, ToRegulator, English, date)
	require.NoError(t, err)
	assert.Equal(t, "pboc", l.Regulator)
	assert.Equal(t, VerdictWarn, l.Verdict, "a business using a consumer channel is a judgement call")
	assert.NotContains(t, l.Citations, "pbocm-40")
}

func TestAddressAndSignByKind(t *testing.T) {
	date := at("2026-11-24 09:00:00")
	m := merchantFixture()
	l, err := Compose(m, ToPaymentCompany, Chinese, date)
	require.NoError(t, err)
	text := letterText(l)
	assert.Contains(t, text, "尊敬的示例支付有限公司：", "the registered name, not the short name on the transactions")
	assert.Contains(t, text, "贵公司")
	assert.NotContains(t, text, "贵行", "a payment institution is not a bank")
	assert.NotContains(t, text, "本公司", "an individual business is not a company")
	assert.Contains(t, text, "本店")
	assert.Contains(t, text, "投诉人：虚构小吃店（盖章）")
	assert.Contains(t, text, "经营者：王五（签名）")
	// The settlement sum is the same everywhere: request, facts, summary.
	assert.Equal(t, evidence.Money(39520), l.Summary.Shortfall)
	assert.Equal(t, evidence.Money(427420), l.Summary.Due)
	assert.Contains(t, text, "少结算¥395.20（¥4,274.20 − ¥3,879.00 = ¥395.20）")
	assert.Contains(t, l.Requests[0].Text, "¥395.20")
	// A settlement day names the day the sales were made (T+1: the day
	// before), so no sentence says the sales were made on the settlement day.
	assert.Contains(t, text, "11月18日结算（11月17日的交易）：交易¥800.00，手续费¥4.80，应结算¥795.20，实际到账¥400.00，差额¥395.20")
	assert.Contains(t, text, "2026年11月16日至2026年11月17日的POS交易（于2026年11月17日至2026年11月18日结算）金额合计¥4,300.00")
	assert.NotContains(t, text, "2026年11月17日至2026年11月18日期间，POS交易")
	en, err := Compose(m, ToPaymentCompany, English, date)
	require.NoError(t, err)
	assert.Contains(t, letterText(en), "Settled 18 Nov (sales of 17 Nov): sales ¥800.00")
	for _, last4 := range []string{"9012", "3344", "5566"} {
		assert.NotContains(t, text, "末四位"+last4, "customers' cards are not the merchant's")
	}

	_, err = Compose(m, ToMerchant, Chinese, date)
	assert.ErrorIs(t, err, ErrRefused)
	_, err = Compose(m, ToMarketRegulator, English, date)
	var r *Refusal
	require.ErrorAs(t, err, &r)
	assert.Contains(t, r.Reason, "consumers")
	l, err = Compose(m, ToConsumerAssociation, Chinese, date)
	require.NoError(t, err)
	assert.Contains(t, l.Warnings[0], "消费者协会受理的是消费者")

	c := fixture(evidence.WrongAmount)
	l, err = Compose(c, ToBank, Chinese, date)
	require.NoError(t, err)
	text = letterText(l)
	assert.Contains(t, text, "尊敬的示例银行上海分行：")
	assert.Contains(t, text, "贵行")
	assert.Contains(t, text, "投诉人：李四（签名）")
	assert.Equal(t, Deadline{Days: 15, Basis: "nfra-18"}, l.Deadline)
	l, err = Compose(c, ToMerchant, English, date)
	require.NoError(t, err)
	assert.Contains(t, letterText(l), "Refund the ¥1,152.00 overcharged (¥1,280.00 debited, ¥128.00 agreed)")
}

func TestMarketRegulatorAddressFromTheMerchant(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	l, err := Compose(d, ToMarketRegulator, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Equal(t, "上海市虚构区市场监督管理局", l.Addressee)
	d.Case.Respondent.Address = "样本街88号"
	l, err = Compose(d, ToMarketRegulator, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Equal(t, "＿＿＿＿市场监督管理局", l.Addressee, "left for the user to fill, never XX")
	assert.Contains(t, strings.Join(l.Warnings, "\n"), "＿＿＿＿市场监督管理局")
}

func TestSameInstitution(t *testing.T) {
	assert.True(t, sameInstitution("示例银行", "示例银行上海分行"))
	assert.True(t, sameInstitution("示例银行上海分行 王经理", "示例银行股份有限公司"))
	assert.True(t, sameInstitution("示例支付客服", "示例支付有限公司"))
	assert.False(t, sameInstitution("示例餐厅店长", "示例银行上海分行"))
	assert.False(t, sameInstitution("", "示例银行"))
}

func TestParsePlace(t *testing.T) {
	for addr, want := range map[string][3]string{
		"上海市徐汇区样本路88号":   {"上海市", "上海市", "徐汇区"},
		"广东省深圳市南山区科技园1号": {"广东省", "深圳市", "南山区"},
		"样本街88号":         {"＿", "＿", "＿"},
	} {
		p := parsePlace(addr, "＿")
		assert.Equal(t, want, [3]string{p.Province, p.City, p.County}, addr)
	}
	assert.Equal(t, "广东", parsePlace("广东省深圳市", "").ProvinceShort())
}

func TestCitationsData(t *testing.T) {
	cits := AllCitations()
	require.NotEmpty(t, cits)
	for _, c := range cits {
		assert.NotEmpty(t, c.Quote, c.ID)
		assert.NotEmpty(t, c.Document.Source, c.ID)
		assert.NotEmpty(t, c.Document.Effective, c.ID)
		assert.NotEmpty(t, c.Document.TitleZh, c.ID)
		assert.NotEmpty(t, c.Zh, c.ID)
		assert.NotEmpty(t, c.En, c.ID)
		assert.True(t, strings.HasPrefix(c.ArticleZh, "第"), c.ID)
		assert.NotContains(t, c.Document.TitleZh, "银行卡民事纠纷", "not for authorised transactions")
	}
	assert.NotEmpty(t, NotVerifiedItems())
}

func TestComposeRejectsUnknownRecipientAndLanguage(t *testing.T) {
	_, err := Compose(fixture(evidence.WrongAmount), "police", Chinese, time.Now()) // "court" is the civil complaint (court.go)
	assert.ErrorIs(t, err, evidence.ErrInvalid)
	_, err = Compose(fixture(evidence.WrongAmount), ToBank, "fr", time.Now())
	assert.ErrorIs(t, err, evidence.ErrInvalid)
}

func TestEditedRequestsReplaceGenerated(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	edits := []evidence.Claim{{Text: "退还多扣的¥1,152.00", Amount: 115200}, {Text: "书面道歉"}}
	l, err := ComposeWith(d, ToMerchant, Chinese, at("2026-11-24 09:00:00"), Options{Requests: edits})
	require.NoError(t, err)
	assert.Equal(t, edits, l.Requests)
	assert.Contains(t, letterText(l), "书面道歉")
}

func TestNoTransactionsTicked(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	for i := range d.Transactions {
		d.Transactions[i].Disputed, d.Transactions[i].Included = false, false
	}
	l, err := Compose(d, ToMerchant, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Contains(t, strings.Join(l.Warnings, "\n"), "没有标为争议")
	assert.NotContains(t, letterText(l), "532218004517")
}

func TestWordingComplete(t *testing.T) {
	require.NoError(t, load())
	for lang, w := range wordings {
		for _, s := range evidence.Scenarios {
			assert.NotEmpty(t, w.Titles[s], "%s title %s", lang, s)
			assert.NotEmpty(t, w.DisputeReasons[s], "%s reason %s", lang, s)
		}
		for _, r := range plan.Rules {
			if r.Verdict != VerdictOK {
				assert.NotEmpty(t, w.Reasons[r.Reason], "%s reason %q", lang, r.Reason)
			}
			if r.Verdict != VerdictRefuse {
				assert.NotEmpty(t, w.Purposes[r.Purpose], "%s purpose %q", lang, r.Purpose)
				for _, k := range r.Requests {
					assert.NotEmpty(t, w.Requests[k], "%s request %q", lang, k)
				}
			}
		}
		for _, k := range evidence.ExhibitKinds {
			assert.NotEmpty(t, w.KindSource[k], "%s source %s", lang, k)
			assert.NotEmpty(t, w.KindPurpose[k], "%s purpose %s", lang, k)
		}
		for _, k := range evidence.EventKinds {
			assert.NotEmpty(t, w.EventKinds[k], "%s event %s", lang, k)
		}
	}
	// Every role × scenario × recipient has a rule.
	for _, role := range []evidence.Role{evidence.RoleConsumer, evidence.RoleMerchant} {
		for _, s := range evidence.Scenarios {
			for _, to := range Recipients {
				d := evidence.Dossier{Case: evidence.Case{Role: role, Scenario: s}}
				_, err := PlanFor(d, to)
				assert.NoError(t, err, "%s %s %s", role, s, to)
			}
		}
	}
}

func BenchmarkCompose(b *testing.B) {
	d := fixture(evidence.WrongAmount)
	for i := 0; i < 200; i++ {
		tx := d.Transactions[1]
		tx.ID = int64(100 + i)
		tx.Time = tx.Time.Add(time.Duration(i) * time.Hour)
		d.Transactions = append(d.Transactions, tx)
	}
	date := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compose(d, ToRegulator, Chinese, date); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzComposeNeverLeaksACardNumber puts arbitrary text into every free-text
// field a user types and checks that no card-like number reaches the letter.
func FuzzComposeNeverLeaksACardNumber(f *testing.F) {
	f.Add("卡号6222021234567890128", "4111 1111 1111 1111", "GD4111-1111-1111-1111")
	f.Add(testFacts, "退款", "5555555555554444 已受理")
	f.Add("898310058120345 6222", "0212345678901281", "")
	f.Fuzz(func(t *testing.T, facts, claim, summary string) {
		d := fixture(evidence.DuplicateCharge)
		d.Case.Facts = facts
		d.Calls[0].Summary = summary
		d.Events[0].Note = claim + summary
		d.Exhibits[0].Title = facts
		for _, to := range []Recipient{ToMerchant, ToRegulator} {
			l, err := Compose(d, to, English, at("2026-11-24 09:00:00"))
			require.NoError(t, err)
			text := letterText(l) + strings.Join(l.Warnings, "\n")
			for _, loc := range digitRun.FindAllStringIndex(text, -1) {
				run := text[loc[0]:loc[1]]
				if evidence.IsDatedIdentifier(text[:loc[0]], run) {
					continue // a ticket number like GD20261111000372
				}
				digits := strings.NewReplacer(" ", "", "-", "").Replace(run)
				if evidence.LooksLikeCardNumber(digits) && // a card by the strict rule (network prefix, length, Luhn)
					!strings.Contains(run, testID) && !strings.Contains(run, d.Case.Respondent.MerchantNo) && digits != testPhoneDigits {
					t.Fatalf("card-like number %q in the letter (facts %q)", run, facts)
				}
			}
		}
	})
}

// Identifiers in the user's own words survive when their context says what
// they are (the context-aware masker of evidence.MaskCardNumbers), while a
// card number typed after 卡号 is still masked.
func TestFreeTextKeepsIdentifiersMasksCards(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	d.Case.Facts = "商户编号" + luhnMerchantNo + "，联系电话" + testPhone + "，卡号" + testFullCard + "。"
	for _, lang := range []Lang{Chinese, English} {
		l, err := Compose(d, ToBank, lang, at("2026-11-24 09:00:00"))
		require.NoError(t, err)
		text := letterText(l)
		assert.Contains(t, text, "商户编号"+luhnMerchantNo)
		assert.Contains(t, text, "联系电话"+testPhone)
		assert.NotContains(t, text, testFullCard)
	}
}

func TestMarketRegulatorLetterSaysNotFiledElsewhere(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	l, err := Compose(d, ToMarketRegulator, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Contains(t, letterText(l), "本争议未曾向人民法院、仲裁机构、消费者协会或其他行政机关提出。")
	d.Events = append(d.Events, evidence.Event{ID: 9, Kind: evidence.EventComplaint, Time: at("2026-11-20 09:00:00"), Party: "上海市消费者协会"})
	l, err = Compose(d, ToMarketRegulator, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.NotContains(t, letterText(l), "未曾向")
	assert.Contains(t, strings.Join(l.Warnings, "\n"), "第十五条第（二）项")
}

// An imported wallet row: its spending category is no transaction type, the
// importer's note labels are program words (translated in English), and the
// account balance is none of the recipient's business.
func TestImportedRowReadsInTheLettersLanguage(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	for i := range d.Transactions {
		if d.Transactions[i].Disputed {
			d.Transactions[i].Type = "家居家装"
			d.Transactions[i].Note = "支付方式 招商银行信用卡(1234); 商户单号 T0000000003; 对方账号 ikea***@ikea.com; 余额 8,888.00"
			d.Transactions[i].Channel = "支付宝"
		}
	}
	zh, err := Compose(d, ToMerchant, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	text := letterText(zh)
	assert.NotContains(t, text, "发生家居家装")
	assert.Contains(t, text, "付款方式：招商银行信用卡(1234)，商户订单号：T0000000003，对方账号：ikea***@ikea.com")
	assert.NotContains(t, text, "8,888.00", "the balance is left out")
	assert.NotContains(t, text, "支付方式", "one word for the channel, another for the card used")
	en, err := Compose(d, ToMerchant, English, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	text = letterText(en)
	for _, word := range []string{"支付方式", "商户单号", "对方账号", "余额", "8,888.00", "家居家装"} {
		assert.NotContains(t, text, word)
	}
	assert.Contains(t, text, "(disputed). Card or account used: 招商银行信用卡(1234), merchant order no. T0000000003, payee account ikea***@ikea.com")
}

// An English letter from a person reads "I paid …", not "I, 张三, paid …"
// (the name is in the complainant's particulars and the signature).
func TestEnglishLetterSaysI(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	for _, to := range Recipients {
		l, err := Compose(d, to, English, at("2026-11-24 09:00:00"))
		if errors.Is(err, ErrRefused) {
			continue
		}
		require.NoError(t, err)
		assert.NotContains(t, letterText(l), "I, "+d.Case.Complainant.Name, to)
	}
	l, err := Compose(d, ToRegulator, English, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Contains(t, letterText(l), "I paid by card at ")
}

// A phone remark is not the written decision 第十八条 asks of a bank: the
// regulator letter says no written decision was made.
func TestRegulatorLetterSaysNoWrittenDecision(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	zh, err := Compose(d, ToRegulator, Chinese, at("2026-12-24 09:00:00"))
	require.NoError(t, err)
	assert.Contains(t, letterText(zh), "作出书面处理决定")
	en, err := Compose(d, ToRegulator, English, at("2026-12-24 09:00:00"))
	require.NoError(t, err)
	assert.Contains(t, letterText(en), "made no written decision")
}

// A business writing to the financial regulator files a report (信访、举报,
// 2024年第1号公告 第三项, as the letter cites), not a consumer complaint; in
// English a business says "we" to every recipient.
func TestMerchantRegulatorLetterIsAReport(t *testing.T) {
	m := merchantFixture()
	zh, err := Compose(m, ToRegulator, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	text := letterText(zh)
	assert.Equal(t, "关于POS收单结算款未足额到账的情况反映", zh.Title)
	assert.Contains(t, text, "依照监管职责办理本反映事项")
	assert.NotContains(t, text, "受理本投诉")
	en, err := Compose(m, ToRegulator, English, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Equal(t, "Report on a missing or short POS settlement", en.Title)
	assert.Contains(t, letterText(en), "We ask you to deal with this report")
	for _, to := range []Recipient{ToConsumerAssociation, ToRegulator} {
		l, err := Compose(m, to, English, at("2026-11-24 09:00:00"))
		require.NoError(t, err)
		assert.NotContains(t, letterText(l), "I ask you", to)
	}
}

// No English sentence of the letter starts with a numeral ("3 items of …").
func TestEnglishEvidenceSentenceDoesNotStartWithANumeral(t *testing.T) {
	l, err := Compose(fixture(evidence.WrongAmount), ToBank, English, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	require.Greater(t, len(l.Evidence), 1)
	text := letterText(l)
	assert.Contains(t, text, fmt.Sprintf("Attached are %d items of evidence", len(l.Evidence)))
	assert.NotRegexp(t, `(?m)(^|\. )\d+ items of evidence`, text)
}

// 非银条例 第三十五条 is about a payment institution's disputes with its own
// users; a cardholder is not a user of the merchant's acquirer, the merchant is.
func TestUserDisputeArticleOnlyForTheAcquirersMerchant(t *testing.T) {
	c, err := Compose(fixture(evidence.WrongAmount), ToPaymentCompany, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.NotContains(t, c.Citations, "npi-35")
	m, err := Compose(merchantFixture(), ToPaymentCompany, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Contains(t, m.Citations, "npi-35")
}

// A shop's settlement shortfall is money the acquirer has not yet paid, not
// a refund: the consumer-association letter asks for it to be paid.
func TestMerchantMediationAsksForTheShortfall(t *testing.T) {
	m := merchantFixture()
	for _, lang := range []Lang{Chinese, English} {
		l, err := Compose(m, ToConsumerAssociation, lang, at("2026-11-24 09:00:00"))
		require.NoError(t, err)
		require.Len(t, l.Requests, 1)
		req := l.Requests[0]
		assert.Equal(t, l.Summary.Shortfall, req.Amount)
		assert.NotContains(t, req.Text, "退还", lang)
		assert.NotContains(t, req.Text, "refund", lang)
		assert.Contains(t, req.Text, l.Summary.Shortfall.String(), lang)
	}
}

// The merchant's settlement bank did nothing wrong: the letter asks it for
// help tracing the credits and does not call it the institution complained about.
func TestSettlementBankIsAskedNotAccused(t *testing.T) {
	m := merchantFixture()
	zh, err := Compose(m, ToBank, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	text := letterText(zh)
	assert.Equal(t, "关于协助查询POS结算款入账情况的函", zh.Title)
	assert.NotContains(t, text, "投诉", "no complaint word at all: not a heading, not a signature, not a cited complaint rule")
	assert.Contains(t, text, "收函机构")
	assert.Contains(t, text, "来函人：虚构小吃店（盖章）")
	assert.Empty(t, zh.Citations)
	en, err := Compose(m, ToBank, English, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	text = letterText(en)
	assert.NotContains(t, text, "complained about")
	assert.NotContains(t, text, "accept this complaint")
	assert.Contains(t, text, "We would be grateful for your help")
}
