package templates

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

func codes(as []Advice) map[string][]string {
	m := map[string][]string{}
	for _, a := range as {
		m[a.Code] = append(m[a.Code], a.Text)
	}
	return m
}

func TestReviewFindsWhatHurtsALetter(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	// testFacts admits entering the PIN without looking (本人未看清即输入密码).
	d.Case.Facts += "\n店员承认多扣了¥1,000.00。"
	d.Case.Respondent.MerchantNo = "8983****0345" // stored masked by an older version
	d.Transactions[0].MerchantNo = ""
	d.Case.Respondent.Address = "样本街88号" // no city: the bureau's name is left blank
	l, err := Compose(d, ToMarketRegulator, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	got := codes(Review(l))
	require.NotEmpty(t, got["self-harm"])
	assert.Contains(t, got["self-harm"][0], "本人未看清即输入密码")
	require.NotEmpty(t, got["contradiction"], "¥1,000.00 in the facts is not the computed ¥1,152.00")
	assert.Contains(t, strings.Join(got["contradiction"], "\n"), "¥1,000.00")
	assert.NotEmpty(t, got["masked"], "a masked merchant number")
	assert.NotEmpty(t, got["placeholder"], "the bureau's name is a blank to fill")
	assert.Empty(t, got["language"], "a Chinese letter has no English program words: %v", got["language"])
	for _, a := range Review(l) {
		assert.NotEmpty(t, a.Text)
	}
}

func TestReviewMandatoryAndLanguage(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	d.Case.Complainant.Phone = ""
	d.Calls = nil // no earlier complaint to the bank
	l, err := Compose(d, ToRegulator, English, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	got := codes(Review(l))
	text := strings.Join(got["mandatory"], "\n")
	assert.Contains(t, text, "telephone")
	assert.Contains(t, text, "ticket number")
	assert.Empty(t, got["language"], "%v", got["language"])
	assert.Empty(t, got["contradiction"], "%v", got["contradiction"])

	m := merchantFixture()
	l, err = Compose(m, ToConsumerAssociation, English, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.NotEmpty(t, codes(Review(l))["role"], "a merchant using a consumer channel")
}

func TestReviewOfACleanLetter(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	d.Case.Facts = "2026年11月18日晚，本人在店内用餐，菜单价格为¥128.00。收银员输入金额后把终端递给本人输入密码，事后发现扣款¥1,280.00，多扣¥1,152.00。"
	for _, to := range []Recipient{ToMerchant, ToBank, ToRegulator} {
		for _, lang := range []Lang{Chinese, English} {
			l, err := Compose(d, to, lang, at("2026-11-24 09:00:00"))
			require.NoError(t, err)
			for _, a := range Review(l) {
				assert.Contains(t, []string{"warning"}, a.Code, "%s %s: %s", to, lang, a.Text)
			}
		}
	}
}

type memSettings map[string]string

func (m memSettings) Setting(_ context.Context, k string) (string, error) {
	v, ok := m[k]
	if !ok {
		return "", evidence.ErrNotFound
	}
	return v, nil
}

func (m memSettings) SetSetting(_ context.Context, k, v string) error { m[k] = v; return nil }

func TestRequestsKeptPerRecipient(t *testing.T) {
	st := memSettings{}
	ctx := context.Background()
	got, err := LoadRequests(ctx, st, 7, ToBank)
	require.NoError(t, err)
	assert.Nil(t, got)
	edits := []evidence.Claim{{Text: "发起差错处理", Amount: 115200}}
	require.NoError(t, SaveRequests(ctx, st, 7, ToBank, edits))
	got, err = LoadRequests(ctx, st, 7, ToBank)
	require.NoError(t, err)
	assert.Equal(t, edits, got)
	got, _ = LoadRequests(ctx, st, 7, ToMerchant)
	assert.Nil(t, got, "another recipient keeps the generated requests")
	require.NoError(t, SaveRequests(ctx, st, 7, ToBank, nil))
	got, _ = LoadRequests(ctx, st, 7, ToBank)
	assert.Nil(t, got)
}

func TestReviewDeadlineContradiction(t *testing.T) {
	d := fixture(evidence.WrongAmount)
	// What the bank's agent said on the phone is not the letter's deadline.
	d.Calls[0].Summary = "客服称7个工作日内回复"
	l, err := Compose(d, ToBank, Chinese, at("2026-11-24 09:00:00"))
	require.NoError(t, err)
	assert.Empty(t, codes(Review(l))["contradiction"])
	// A request the user edited to another period is.
	l, err = ComposeWith(d, ToBank, Chinese, at("2026-11-24 09:00:00"), Options{Requests: []evidence.Claim{{Text: "7日内退款", Amount: 115200}}})
	require.NoError(t, err)
	assert.NotEmpty(t, codes(Review(l))["contradiction"])
}

func TestInLanguage(t *testing.T) {
	assert.Equal(t, "WeChat Pay export", InLanguage("微信支付账单导出 / WeChat Pay export", English))
	assert.Equal(t, "微信支付账单导出", InLanguage("微信支付账单导出 / WeChat Pay export", Chinese))
	assert.Equal(t, "本人拍摄", InLanguage("本人拍摄", English), "the user's own words stay as typed")
	assert.Equal(t, "a / b", InLanguage("a / b", Chinese))
}
