package templates

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/check"
)

// courtText is the complaint as one string, each block on a line with its label.
func courtText(l Letter) string {
	var b strings.Builder
	for _, bl := range l.Blocks {
		if bl.Label != "" {
			b.WriteString(bl.Label + "：")
		}
		b.WriteString(bl.Text + "\n")
	}
	return b.String()
}

// consumerCourtCase is the consumer fixture with what a complaint needs
// beyond a letter: the court, the plaintiff's particulars, the merchant's
// legal representative, a witness and the earlier complaint to the bank.
func consumerCourtCase() evidence.Dossier {
	d := fixture(evidence.WrongAmount)
	d.Case.Court = evidence.Court{
		Name: "上海市虚构区人民法院", Venue: evidence.VenueDefendantDomicile,
		Plaintiff: evidence.Particulars{Gender: "男", Birth: at("1990-03-07"), Ethnicity: "汉族", Occupation: "职员", Employer: "上海示例科技有限公司"},
		Others:    map[string]evidence.Particulars{evidence.DefendantMerchant: {LegalRep: "赵六", RepTitle: "执行董事"}},
		Witnesses: []evidence.Witness{{Name: "钱七", Address: "上海市虚构区证人路3号"}},
	}
	d.Filings = []evidence.Filing{{ID: 1, Recipient: "bank", Party: "示例银行上海分行", Channel: evidence.FilingHotline,
		Sent: at("2026-11-19 10:05:00"), Ticket: bankTicket, Asked: "差错处理", Due: at("2026-12-04 23:59:59"), Status: evidence.FilingSent}}
	return d
}

func TestCourtComplaintForAConsumerHoldsEveryParticular(t *testing.T) {
	d := consumerCourtCase()
	date := at("2026-12-20")
	l, err := Compose(d, ToCourt, Chinese, date)
	require.NoError(t, err)
	text := courtText(l)
	assert.Equal(t, "民事起诉状", l.Title)

	// 民事诉讼法 第一百二十四条（一）: each item the data lists for a
	// plaintiff who is a person, with the value the case holds.
	_, quote, plaintiffPerson, _, defendantPerson, defendantOrg, err := CourtParticulars()
	require.NoError(t, err)
	assert.Contains(t, quote, "原告的姓名、性别、年龄、民族、职业、工作单位、住所、联系方式")
	c := d.Case
	want := map[string]string{
		"name": "原告：李四", "gender": "李四，男，", "age": "1990年3月7日出生（36岁）", "ethnicity": "，汉族，", "occupation": "，职员，",
		"employer": "工作单位：上海示例科技有限公司", "address": "住" + c.Complainant.Address, "phone": "联系电话：" + testPhone,
	}
	for _, item := range plaintiffPerson {
		w, ok := want[item]
		require.True(t, ok, "the test knows no value for %q: add it", item)
		assert.Contains(t, text, w, "plaintiff's %s", item)
	}
	// （二）: the merchant sued is a company: its name and domicile, and the legal representative.
	assert.Contains(t, defendantPerson, "gender", "a person sued is named with sex and employer")
	wantOrg := map[string]string{"name": "被告：" + c.Respondent.Name, "address": "住所地：" + c.Respondent.Address}
	for _, item := range defendantOrg {
		assert.Contains(t, text, wantOrg[item], "defendant's %s", item)
	}
	assert.Contains(t, text, "法定代表人：赵六，职务：执行董事")
	assert.Contains(t, text, "商户编号："+luhnMerchantNo, "the merchant number is never masked")

	// （三）: the claims carry the dispute summary's amount, and the facts.
	sum := Summarize(d, check.Terms{})
	require.Equal(t, evidence.Money(115200), sum.Refund)
	require.Len(t, l.Requests, 2)
	assert.Equal(t, sum.Refund, l.Requests[0].Amount)
	assert.Contains(t, l.Requests[0].Text, "人民币"+sum.Refund.Yuan()+"元")
	assert.Contains(t, text, "本案诉讼费用由被告承担")
	assert.Contains(t, text, "诉讼请求\n")
	assert.Contains(t, text, "事实与理由\n")
	assert.Contains(t, text, "多扣¥1,152.00", "the summary's figures in the reasons")
	assert.Contains(t, text, "《中华人民共和国民法典》第九百八十五条")
	assert.Equal(t, []string{"cc-985", "cc-987"}, l.Citations)
	assert.Contains(t, text, "原告通过电话向示例银行上海分行投诉（编号："+bankTicket+"），要求差错处理；至2026年12月4日的答复期限届满，对方未作答复",
		"the earlier complaint comes from the filing, lapsed on the complaint's date")
	assert.NotContains(t, text, unrelatedRRN, "unrelated spending stays out")
	assert.NotContains(t, text, testFullCard)

	// （四）: evidence and sources (the list, 证据目录), witnesses.
	assert.Contains(t, text, "证据和证据来源，证人姓名和住所\n")
	assert.Contains(t, text, "证人：钱七，住上海市虚构区证人路3号")
	assert.Equal(t, "证据目录", l.EvidenceTitle)
	require.NotEmpty(t, l.Evidence)
	for _, e := range l.Evidence {
		assert.NotEmpty(t, e.Source, "evidence %d names its source", e.Seq)
		assert.NotEmpty(t, e.Purpose, "evidence %d says what it proves", e.Seq)
	}
	assert.Equal(t, []string{"提交人：李四（签名或盖章）", "提交日期：2026年12月20日"}, l.EvidenceFooter)

	// The court the user chose; copies by the number of defendants.
	assert.Contains(t, text, "此致\n上海市虚构区人民法院\n")
	assert.Contains(t, text, "本起诉状副本1份")
	assert.NotContains(t, strings.Join(l.Warnings, "\n"), "尚未填写", "nothing left blank")
	assert.NotContains(t, text, "＿", "no blank line to fill")

	// The small-claims note: the rule's words, no threshold amount.
	notes := strings.Join(l.Warnings, "\n")
	assert.Contains(t, notes, "第一百六十五条")
	assert.Contains(t, notes, "请向受诉法院核实当前标准")
	assert.Contains(t, notes, "¥1,152.00")
}

func TestCourtComplaintLeavesBlanksNeverGuesses(t *testing.T) {
	d := fixture(evidence.WrongAmount) // no court details at all
	l, err := Compose(d, ToCourt, Chinese, at("2026-12-20"))
	require.NoError(t, err)
	text := courtText(l)
	warnings := strings.Join(l.Warnings, "\n")
	assert.Contains(t, text, "此致\n＿＿＿＿＿＿＿＿人民法院\n", "the court is left blank")
	assert.Contains(t, warnings, "受诉法院尚未填写")
	assert.Contains(t, warnings, "被告住所地或者合同履行地")
	for _, f := range []string{"原告性别", "原告出生日期（年龄）", "原告民族", "原告职业", "原告工作单位"} {
		assert.Contains(t, warnings, f)
	}
	assert.Contains(t, text, "原告：李四，＿＿＿＿，＿＿＿＿，")
}

func TestCourtComplaintForAMerchantsSettlement(t *testing.T) {
	d := merchantFixture()
	d.Case.Court = evidence.Court{
		Name:      "北京市西城区人民法院",
		Plaintiff: evidence.Particulars{Gender: "男", Birth: at("1980-01-15"), Ethnicity: "汉族", Occupation: "个体经营者", Employer: "虚构小吃店"},
		Others:    map[string]evidence.Particulars{evidence.DefendantAcquirer: {LegalRep: "孙八", RepTitle: "董事长"}},
	}
	terms := check.Terms{Rate: 6000}
	l, err := ComposeWith(d, ToCourt, Chinese, at("2026-12-20"), Options{Terms: terms})
	require.NoError(t, err)
	text := courtText(l)

	// The plaintiff is an individual business: its name and domicile, and
	// its operator with a person's particulars.
	_, _, _, plaintiffOrg, _, _, err := CourtParticulars()
	require.NoError(t, err)
	want := map[string]string{
		"name": "原告：虚构小吃店（个体工商户）", "address": "住所地：上海市虚构区小吃街5号", "phone": "联系电话：" + testPhone,
		"legal_rep": "经营者：王五，男，1980年1月15日出生（46岁），汉族，个体经营者",
		"rep_title": "", // an individual business has an operator, not a titled representative
	}
	for _, item := range plaintiffOrg {
		assert.Contains(t, text, want[item], "plaintiff's %s", item)
	}
	assert.Contains(t, text, "统一社会信用代码：92310000MA1FL0000X")
	// The acquirer is sued, with its legal representative.
	assert.Contains(t, text, "被告：示例支付有限公司，住所地：北京市西城区支付大厦")
	assert.Contains(t, text, "法定代表人：孙八，职务：董事长")

	sum := Summarize(d, terms)
	require.Positive(t, sum.Shortfall)
	assert.Equal(t, sum.Shortfall, l.Requests[0].Amount)
	assert.Equal(t, "判令被告向原告支付未足额结算的交易资金人民币"+sum.Shortfall.Yuan()+"元；", l.Requests[0].Text)
	assert.Contains(t, text, sum.Due.String(), "the reconciliation's figures")
	assert.Equal(t, []string{"cc-509", "acq-11", "acq-30"}, l.Citations)
	assert.NotContains(t, l.Citations, "cc-985")
	assert.Contains(t, text, "被告未按约定将交易资金足额结算至原告账户")
	assert.Contains(t, text, "具状人（原告）：虚构小吃店（盖章）\n经营者：王五（签名）")
	assert.NotContains(t, text, "9012", "the customers' cards of the POS export stay out of the reasons")
}

func TestCourtComplaintCopiesPerDefendant(t *testing.T) {
	d := consumerCourtCase()
	d.Case.Court.Defendants = []string{evidence.DefendantMerchant, evidence.DefendantAcquirer}
	l, err := Compose(d, ToCourt, Chinese, at("2026-12-20"))
	require.NoError(t, err)
	text := courtText(l)
	assert.Contains(t, text, "被告一："+d.Case.Respondent.Name)
	assert.Contains(t, text, "被告二：示例支付有限公司")
	assert.Contains(t, text, "本起诉状副本2份")
	assert.Contains(t, strings.Join(l.Warnings, "\n"), "起诉状副本 2 份（每名被告一份")
	assert.Contains(t, strings.Join(l.Warnings, "\n"), "共起诉状 3 份")
	// The PDF prints the copies: one marked for each defendant.
	assert.Equal(t, "正本", l.OriginalMark)
	assert.Equal(t, []string{"副本 1/2 — 送达被告：" + d.Case.Respondent.Name, "副本 2/2 — 送达被告：示例支付有限公司"}, l.CopyMarks)
	assert.Equal(t, "李四诉"+d.Case.Respondent.Name+"、示例支付有限公司民事起诉状", l.Subject)
}

func TestCourtComplaintInEnglishIsForReference(t *testing.T) {
	l, err := Compose(consumerCourtCase(), ToCourt, English, at("2026-12-20"))
	require.NoError(t, err)
	text := courtText(l)
	assert.Equal(t, "Civil Complaint", l.Title)
	assert.Contains(t, text, "Plaintiff：李四, male, born 7 March 1990 (age 36)")
	assert.Contains(t, text, "Order the defendant to return the overcharge of RMB 1152.00;")
	assert.Contains(t, strings.Join(l.Warnings, "\n"), "file the Chinese version")
	for _, b := range l.Blocks {
		assert.NotContains(t, b.Text, "原告", "program words in English: %q", b.Text)
	}
}

// A letter's earlier contacts come from the filings too: the regulator
// letter names the bank complaint lodged as a filing, with its ticket,
// date and lapse.
func TestLettersListFilingsAsEarlierContacts(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	d.Calls = nil // only the filing records the bank complaint
	d.Filings = []evidence.Filing{{ID: 1, Recipient: "bank", Party: "示例银行上海分行", Channel: evidence.FilingLetter,
		Sent: at("2026-11-20 09:00:00"), Ticket: "XH20261120", Due: at("2026-12-05 23:59:59"), Status: evidence.FilingSent}}
	l, err := Compose(d, ToRegulator, Chinese, at("2026-12-10"))
	require.NoError(t, err)
	require.NotNil(t, l.FirstApproach, "the filing is the first approach to the bank")
	assert.Equal(t, "XH20261120", l.FirstApproach.Ticket)
	assert.True(t, l.FirstApproach.Date.Equal(at("2026-11-20 09:00:00")))
	assert.Contains(t, courtText(l), "示例银行上海分行（工单号XH20261120）：至2026年12月5日的答复期限届满，对方未作答复")

	// A call logged with the same ticket is the same approach: listed once.
	d.Calls = []evidence.CallLog{{ID: 1, Start: at("2026-11-20 09:00:00"), Direction: evidence.CallOutgoing, Organisation: "示例银行", Ticket: "XH20261120", Summary: "受理"}}
	l, err = Compose(d, ToRegulator, Chinese, at("2026-12-10"))
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(courtText(l), "工单号XH20261120）："), courtText(l))
}

func TestCourtComplaintEnglishCountsCopies(t *testing.T) {
	l, err := Compose(consumerCourtCase(), ToCourt, English, at("2026-12-20"))
	require.NoError(t, err)
	text := courtText(l)
	assert.Contains(t, text, "1. 1 copy of this complaint")
	assert.Equal(t, []string{"Copy 1 of 1 — for defendant 示例餐饮管理有限公司"}, l.CopyMarks)
	assert.Contains(t, strings.Join(l.Warnings, "\n"), "then 1 copy of the complaint (one per defendant")
	assert.Contains(t, text, "Under Article 985 of the Civil Code of the People's Republic of China: ")
}
