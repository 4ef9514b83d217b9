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

// fixture is a dossier for scenario s with the kinds of evidence a real
// case of it carries.
// unrelatedRRN is an imported purchase that has nothing to do with the dispute.
const unrelatedRRN = "531712000001"

func fixture(s evidence.Scenario) evidence.Dossier {
	d := evidence.Dossier{
		Case: evidence.Case{
			ID: 7, Title: "测试案件", Scenario: s, Status: evidence.StatusOpen, Role: evidence.RoleConsumer,
			Complainant: evidence.Party{Name: "李四", IDNumber: testID, Phone: "13800138000", Address: "上海市虚构区示例路1号"},
			Respondent:  evidence.Party{Name: "示例餐饮管理有限公司", Address: "上海市虚构区样本街88号", MerchantNo: "898310058120345", TerminalNo: "10362211"},
			Claims: []evidence.Claim{
				{Text: "退还多扣款项至原卡", Amount: 115200},
				{Text: "在7日内书面答复"},
			},
			Facts: testFacts,
		},
		Transactions: []evidence.Transaction{
			{ID: 1, Time: at("2026-11-18 20:41:07"), Amount: 128000, Currency: "CNY", Direction: evidence.Debit, Type: "消费", Status: "交易成功",
				Merchant: "示例餐厅", MerchantNo: "898310058120345", TerminalNo: "10362211", Acquirer: "示例支付有限公司", Issuer: "示例银行",
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
				Organisation: "示例银行", Agent: "8012", Ticket: "GD20261119001", Summary: "客服受理争议，答复需商户配合"},
		},
		Events: []evidence.Event{
			{ID: 1, Kind: evidence.EventDiscovered, Time: at("2026-11-18 21:30:00"), Note: "查看短信发现扣款金额错误"},
			{ID: 2, Kind: evidence.EventContacted, Time: at("2026-11-18 21:40:00"), Party: "示例餐厅店长", Note: "店长称次日核实"},
		},
	}
	switch s {
	case evidence.DuplicateCharge:
		dup := d.Transactions[0]
		dup.ID, dup.Time, dup.RRN, dup.Voucher = 3, dup.Time.Add(40*time.Second), "532218004533", "003818"
		d.Transactions = append(d.Transactions, dup)
	case evidence.SettlementShortfall:
		d.Case.Role = evidence.RoleMerchant
		d.Case.Complainant.Company = "虚构小吃店（个体工商户）"
		d.Case.Complainant.CreditCode = "92310000MA1FL0000X"
		d.Case.Respondent = evidence.Party{Name: "示例支付有限公司", Address: "北京市虚构区支付大厦", MerchantNo: "898310058120345", TerminalNo: "10362211"}
		d.Exhibits = append(d.Exhibits,
			evidence.Exhibit{ID: 13, Seq: 4, Kind: evidence.KindSettlement, Title: "结算账户流水"},
			evidence.Exhibit{ID: 14, Seq: 5, Kind: evidence.KindAgreement, Title: "收单协议"})
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

func TestComposeEveryRecipientLanguageScenario(t *testing.T) {
	date := at("2026-11-24 09:00:00")
	for _, s := range evidence.Scenarios {
		for _, to := range Recipients {
			for _, lang := range []Lang{Chinese, English} {
				t.Run(fmt.Sprintf("%s/%s/%s", s, to, lang), func(t *testing.T) {
					d := fixture(s)
					l, err := Compose(d, to, lang, date)
					require.NoError(t, err)
					text := letterText(l)

					assert.Equal(t, Title(s, lang), l.Title)
					require.NotEmpty(t, l.Blocks)
					assert.Equal(t, BlockTitle, l.Blocks[0].Kind)
					assert.Equal(t, BlockSignature, l.Blocks[len(l.Blocks)-1].Kind)
					assert.Contains(t, text, d.Case.Complainant.Name)
					for _, cl := range d.Case.Claims {
						assert.Contains(t, text, cl.Text)
						if cl.Amount > 0 {
							assert.Contains(t, text, cl.Amount.String())
						}
					}
					for _, tx := range d.Transactions {
						if tx.InLetter() {
							assert.Contains(t, text, tx.RRN, "every disputed or ticked transaction's RRN is in the facts")
						} else {
							assert.NotContains(t, text, tx.RRN, "an unrelated imported transaction stays out of the letter")
							assert.NotContains(t, text, tx.Merchant)
						}
					}
					assert.Contains(t, text, "GD20261119001", "ticket numbers are in the letter")
					// The facts survive whole except the card number, which is masked.
					masked := strings.Replace(testFacts, testFullCard, "**** **** **** 0128", 1)
					assert.Contains(t, text, masked)
					assert.NotContains(t, text, testFullCard)

					if to == ToBank || to == ToRegulator {
						assert.Contains(t, text, testID, "bank and regulator letters carry the full ID")
					} else {
						assert.NotContains(t, text, testID)
						assert.Contains(t, text, evidence.MaskID(testID))
					}
					lower := strings.ToLower(text)
					for _, f := range forbidden {
						assert.NotContains(t, lower, strings.ToLower(f))
					}
					for _, run := range digitRun.FindAllString(text, -1) {
						digits := strings.NewReplacer(" ", "", "-", "").Replace(run)
						if len(digits) >= 13 && len(digits) <= 19 && digits != testID && digits != d.Case.Respondent.MerchantNo {
							assert.False(t, luhnValid(digits), "card-like number %q in the letter", run)
						}
					}
					// Evidence list: the exhibits in Seq order, then the generated tables.
					require.Len(t, l.Evidence, len(d.Exhibits)+2)
					assert.Equal(t, "POS签购单照片", l.Evidence[0].Name)
					assert.Equal(t, int64(10), l.Evidence[0].ExhibitID)
					assert.Equal(t, "与店长的微信聊天截图", l.Evidence[1].Name)
					assert.Equal(t, "transactions", l.Evidence[len(l.Evidence)-2].Generated)
					assert.Equal(t, "calls", l.Evidence[len(l.Evidence)-1].Generated)
					for i, e := range l.Evidence {
						assert.Equal(t, i+1, e.Seq)
						assert.NotEmpty(t, e.Source)
						assert.NotEmpty(t, e.Purpose)
					}
					// The citations for this recipient are all there.
					cits, err := Citations(to)
					require.NoError(t, err)
					require.NotEmpty(t, cits)
					for _, c := range cits {
						law, art, _ := c.In(lang)
						assert.Contains(t, text, law+map[Lang]string{Chinese: "", English: ", "}[lang]+art)
					}
					assert.Equal(t, date, l.Date)
					assert.NotEmpty(t, l.Author)
				})
			}
		}
	}
}

func TestComposeChronologyInDateOrder(t *testing.T) {
	l, err := Compose(fixture(evidence.WrongAmount), ToMerchant, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	text := letterText(l)
	// transaction 2 (16th) < transaction 1 (18th 20:41) < discovered (21:30) < contacted (21:40) < call (19th)
	order := []string{"531612009921", "532218004517", "发现问题", "店长称次日核实", "通话内容：客服受理争议"}
	last := -1
	for _, s := range order {
		i := strings.Index(text, s)
		require.GreaterOrEqual(t, i, 0, s)
		assert.Greater(t, i, last, "%s out of date order", s)
		last = i
	}
	for _, want := range []string{"2026年11月18日 20:41", "卡号尾号0128", "参考号532218004517", "凭证号003817", "批次号000412", "授权码A1B2C3", "商户编号898310058120345", "终端号10362211", "工号8012", "通话约7分钟"} {
		assert.Contains(t, text, want)
	}
}

func TestComposeRecipientSpecifics(t *testing.T) {
	date := at("2026-11-24 09:00:00")
	t.Run("regulator says when the institution was approached", func(t *testing.T) {
		l, err := Compose(fixture(evidence.WrongAmount), ToRegulator, Chinese, date)
		require.NoError(t, err)
		text := letterText(l)
		assert.Contains(t, text, "已于2026年11月19日首先向示例银行反映并投诉（工单号GD20261119001）")
		assert.Contains(t, text, "被投诉机构 示例银行")
		assert.Contains(t, text, "中国人民银行XX分行（12363）")
		l, err = Compose(fixture(evidence.WrongAmount), ToRegulator, English, date)
		require.NoError(t, err)
		assert.Contains(t, letterText(l), "I first raised the matter with 示例银行 on 19 November 2026 (ticket GD20261119001)")
	})
	t.Run("regulator warns without an earlier contact", func(t *testing.T) {
		d := fixture(evidence.WrongAmount)
		d.Calls, d.Events = nil, nil
		l, err := Compose(d, ToRegulator, Chinese, date)
		require.NoError(t, err)
		assert.Contains(t, strings.Join(l.Warnings, "\n"), "没有记录此前向金融机构投诉")
		assert.NotContains(t, letterText(l), "首先向")
	})
	t.Run("a call to 12363 is not approaching the institution", func(t *testing.T) {
		d := fixture(evidence.WrongAmount)
		d.Events = nil
		d.Calls[0].Organisation, d.Calls[0].Number = "人民银行", "12363"
		l, err := Compose(d, ToRegulator, English, date)
		require.NoError(t, err)
		assert.Contains(t, strings.Join(l.Warnings, "\n"), "No earlier complaint")
	})
	t.Run("consumer association lists the contents article 9 asks for", func(t *testing.T) {
		l, err := Compose(fixture(evidence.WrongAmount), ToConsumerAssociation, Chinese, date)
		require.NoError(t, err)
		text := letterText(l)
		assert.Contains(t, text, "第九条，本投诉载明：投诉人的姓名、电话号码、通讯地址")
		assert.Contains(t, text, "通讯地址 上海市虚构区示例路1号")
		assert.Contains(t, text, "地址 上海市虚构区样本街88号")
	})
	t.Run("merchant letter is addressed to the shop and conciliatory", func(t *testing.T) {
		l, err := Compose(fixture(evidence.WrongAmount), ToMerchant, Chinese, date)
		require.NoError(t, err)
		assert.Equal(t, "尊敬的示例餐饮管理有限公司：", l.Blocks[1].Text)
		text := letterText(l)
		assert.Contains(t, text, "本着诚信原则")
		assert.Contains(t, text, "7日内")
	})
	t.Run("bank letter addressed to the issuer", func(t *testing.T) {
		l, err := Compose(fixture(evidence.WrongAmount), ToBank, English, date)
		require.NoError(t, err)
		assert.Equal(t, "To: 示例银行", l.Blocks[1].Text)
		text := letterText(l)
		assert.Contains(t, text, "card ending 0128")
		assert.Contains(t, text, "purchase of ¥1,280.00 at 示例餐厅", "common transaction types are translated")
		assert.Contains(t, text, "status: successful")
		assert.Contains(t, text, "chat screenshot (微信)")
	})
	t.Run("merchant complainant shows company and credit code", func(t *testing.T) {
		d := fixture(evidence.SettlementShortfall)
		l, err := Compose(d, ToPaymentCompany, Chinese, date)
		require.NoError(t, err)
		text := letterText(l)
		assert.Contains(t, text, "单位名称 虚构小吃店（个体工商户）")
		assert.Contains(t, text, "统一社会信用代码 92310000MA1FL0000X")
		assert.Contains(t, text, "本公司")
		assert.Equal(t, "虚构小吃店（个体工商户）", l.Author)
	})
	t.Run("closing names the addressee", func(t *testing.T) {
		l, err := Compose(fixture(evidence.WrongAmount), ToConsumerAssociation, Chinese, date)
		require.NoError(t, err)
		var closing []string
		for _, b := range l.Blocks {
			if b.Kind == BlockClosing {
				closing = append(closing, b.Text)
			}
		}
		assert.Equal(t, []string{"此致", "XX市消费者协会（12315）", "敬礼！"}, closing)
	})
}

func TestComposeWarnsInsteadOfRefusing(t *testing.T) {
	d := evidence.Dossier{Case: evidence.Case{Title: "空", Scenario: evidence.WrongAmount, Complainant: evidence.Party{Name: "王五"}}}
	for _, to := range Recipients {
		l, err := Compose(d, to, Chinese, at("2026-11-24 09:00:00"))
		require.NoError(t, err)
		ws := strings.Join(l.Warnings, "\n")
		assert.Contains(t, ws, "缺少必要证据：显示错误金额的签购单或扣款记录")
		assert.Contains(t, ws, "案件没有填写投诉请求")
		assert.Contains(t, ws, "案件没有填写事实经过")
		assert.Empty(t, l.Evidence)
		assert.Contains(t, letterText(l), "尚未附上证据材料")
	}
	l, err := Compose(fixture(evidence.WrongAmount), ToMerchant, English, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Empty(t, l.Warnings, "a complete wrong-amount case has nothing to warn about")
}

func TestComposeRejectsUnknownRecipientAndLanguage(t *testing.T) {
	_, err := Compose(fixture(evidence.WrongAmount), "court", Chinese, time.Now())
	assert.True(t, errors.Is(err, evidence.ErrInvalid))
	_, err = Compose(fixture(evidence.WrongAmount), ToBank, "fr", time.Now())
	assert.True(t, errors.Is(err, evidence.ErrInvalid))
}

func TestMaskKeepsIdentifiersButNotCardNumbers(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	// A Luhn-valid 15-digit merchant number stays; a card number that
	// contains it is still masked whole.
	d.Case.Respondent.MerchantNo = withLuhnDigit("89831005812034")
	require.True(t, luhnValid(d.Case.Respondent.MerchantNo))
	card := withLuhnDigit("6" + d.Case.Respondent.MerchantNo)
	d.Case.Facts = "商户编号 " + d.Case.Respondent.MerchantNo + "；卡号 " + card + "。"
	l, err := Compose(d, ToMerchant, Chinese, time.Now())
	require.NoError(t, err)
	text := letterText(l)
	assert.Contains(t, text, "商户编号 "+d.Case.Respondent.MerchantNo+"；")
	assert.NotContains(t, text, card)
	assert.Contains(t, text, "**** **** **** "+card[len(card)-4:])
}

// withLuhnDigit appends the check digit that makes s pass the Luhn check.
func withLuhnDigit(s string) string {
	for c := '0'; c <= '9'; c++ {
		if luhnValid(s + string(c)) {
			return s + string(c)
		}
	}
	panic("unreachable")
}

func TestReplaceWhole(t *testing.T) {
	for _, tc := range []struct{ s, want string }{
		{"no 123456 x", "no # x"},
		{"1234567", "1234567"},
		{"0123456", "0123456"},
		{"9 123456", "9 123456"},
		{"123456 9", "123456 9"},
		{"123456-x 123456", "#-x #"},
	} {
		assert.Equal(t, tc.want, replaceWhole(tc.s, "123456", "#"), tc.s)
	}
}

func TestCitationsData(t *testing.T) {
	for _, to := range Recipients {
		cs, err := Citations(to)
		require.NoError(t, err)
		require.NotEmpty(t, cs, to)
		for _, c := range cs {
			for _, f := range []string{c.LawZh, c.ArticleZh, c.LawEn, c.ArticleEn, c.Zh, c.En} {
				assert.NotEmpty(t, f, "%s: %+v", to, c)
			}
		}
	}
	_, err := Citations("court")
	assert.True(t, errors.Is(err, evidence.ErrInvalid))
	assert.Equal(t, "中国人民银行XX分行（12363）", DefaultAddressee(ToRegulator, Chinese))
}

func TestWordingComplete(t *testing.T) {
	require.NoError(t, load())
	for lang, w := range wordings {
		for _, s := range evidence.Scenarios {
			assert.NotEmpty(t, w.Titles[s], "%s title %s", lang, s)
			assert.NotEmpty(t, w.Scenario[s], "%s scenario %s", lang, s)
		}
		for _, r := range Recipients {
			assert.NotEmpty(t, w.Intro[r], "%s intro %s", lang, r)
			assert.NotEmpty(t, w.Ask[r], "%s ask %s", lang, r)
			assert.NotEmpty(t, w.AddresseeDefault[r], "%s addressee %s", lang, r)
		}
		for _, k := range evidence.ExhibitKinds {
			assert.NotEmpty(t, w.KindSource[k], "%s source %s", lang, k)
			assert.NotEmpty(t, w.KindPurpose[k], "%s purpose %s", lang, k)
		}
		for _, k := range evidence.EventKinds {
			assert.NotEmpty(t, w.EventKinds[k], "%s event %s", lang, k)
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

func TestContactsListAnApproachOnce(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	call := d.Calls[0]
	d.Events = append(d.Events, evidence.Event{Kind: evidence.EventComplaint, Time: call.Start.Add(5 * time.Minute), Party: call.Organisation, Note: "电话投诉"})
	l, err := Compose(d, ToBank, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	var contacts []string
	inContacts := false
	for _, b := range l.Blocks {
		if b.Kind == BlockHeading {
			inContacts = b.Text == "五、已沟通情况"
			continue
		}
		if inContacts && b.Kind == BlockItem {
			contacts = append(contacts, b.Text)
		}
	}
	require.Len(t, contacts, 2, "the contacted event and the call; the complaint event echoes the call: %q", contacts)
	assert.Contains(t, contacts[1], "GD20261119001")
	assert.Contains(t, letterText(l), "正式投诉（示例银行）：电话投诉", "the chronology keeps every event")
}

func TestComposeTakesUserTextLiterally(t *testing.T) {
	d := fixture(evidence.ScenarioOther)
	d.Case.Scenario = "something-new"
	d.Case.Facts = "模板语法 {{.Name}} 与 <b>HTML</b> & \"引号\" 原样保留"
	d.Case.Claims = []evidence.Claim{{Amount: 5000}}
	d.Transactions[0].Time = time.Time{}
	l, err := Compose(d, ToMerchant, Chinese, time.Now())
	require.NoError(t, err)
	text := letterText(l)
	assert.Contains(t, text, d.Case.Facts)
	assert.Equal(t, "关于POS机交易争议的投诉函", l.Title, "an unknown scenario reads as other")
	assert.Contains(t, text, "¥50.00", "a claim with only an amount")
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
		d.Case.Claims = append(d.Case.Claims, evidence.Claim{Text: claim})
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
				if len(digits) >= 13 && len(digits) <= 19 && luhnValid(digits) &&
					!strings.Contains(run, testID) && !strings.Contains(run, d.Case.Respondent.MerchantNo) {
					t.Fatalf("card-like number %q in the letter (facts %q)", run, facts)
				}
			}
		}
	})
}

func TestInstitutionFromTheCase(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	for i := range d.Transactions {
		d.Transactions[i].Issuer, d.Transactions[i].Acquirer = "", ""
	}
	d.Case.Institution = evidence.Party{Name: "某某银行股份有限公司北京分行", Address: "北京市西城区金融大街1号", Phone: "95555"}
	l, err := Compose(d, ToRegulator, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	text := letterText(l)
	assert.Contains(t, text, "某某银行股份有限公司北京分行")
	assert.Contains(t, text, "北京市西城区金融大街1号")
	for _, w := range l.Warnings {
		assert.NotContains(t, w, "住所地", "the institution's address is known")
	}
	l, err = Compose(d, ToBank, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Contains(t, letterText(l), "某某银行股份有限公司北京分行", "the bank letter is addressed to the case's institution")
}
