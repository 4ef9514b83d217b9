package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// The overview edits the parties the letters address: an acquirer typed
// there with its kind is stored, and the acquirer's letter is addressed to
// it as a company (贵公司), not as a bank.
func TestAcquirerOnTheOverviewAddressesItsLetter(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	o := tu.view.overview
	assert.False(t, o.settleCard.Visible(), "a cardholder's case has no settlement bank")
	test.Type(o.acquirer.name, "示例支付科技有限公司")
	o.acquirer.kind.SetSelected(partyKindLabel(evidence.PartyPaymentInstitution))
	test.Type(o.acquirer.address, "北京市海淀区示例路8号")
	test.Type(o.acquirer.phone, "95016")
	o.issuer.kind.SetSelected(partyKindLabel(evidence.PartyBank))
	o.resp.kind.SetSelected(partyKindLabel(evidence.PartySoleTrader))
	o.flush()
	tu.wait()

	ctx := context.Background()
	got, err := tu.st.GetCase(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, evidence.Party{Name: "示例支付科技有限公司", Kind: evidence.PartyPaymentInstitution,
		Address: "北京市海淀区示例路8号", Phone: "95016"}, got.Acquirer)
	assert.Equal(t, evidence.PartyBank, got.Issuer.Kind)
	assert.Equal(t, evidence.PartySoleTrader, got.Respondent.Kind)
	assert.Equal(t, evidence.PartyKind(""), got.Complainant.Kind, "a kind not chosen stays unchosen")

	d, err := tu.st.Dossier(ctx, c.ID)
	require.NoError(t, err)
	l, err := templates.Compose(d, templates.ToPaymentCompany, templates.Chinese, testNow)
	require.NoError(t, err)
	assert.Equal(t, "示例支付科技有限公司", l.Addressee)
	var text strings.Builder
	for _, b := range l.Blocks {
		text.WriteString(b.Label + b.Text + "\n")
	}
	assert.Contains(t, text.String(), "贵公司", "a payment institution is addressed as a company")
	assert.NotContains(t, text.String(), "贵行")

	// Kinds the user did not choose come back unchosen; the picker lists them in words.
	tu.openCase(c.ID)
	tu.wait()
	o = tu.view.overview
	assert.Equal(t, partyKindLabel(evidence.PartyPaymentInstitution), o.acquirer.kind.Selected)
	assert.Equal(t, partyKindLabel(""), o.comp.kind.Selected)

	// A shop owner's case shows its settlement bank, saved as typed.
	o.role.SetSelected(roleLabel(evidence.RoleMerchant))
	assert.True(t, o.settleCard.Visible(), "a merchant's case has a settlement bank")
	test.Type(o.settle.name, "示例农商银行")
	o.flush()
	tu.wait()
	got, err = tu.st.GetCase(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "示例农商银行", got.SettlementBank.Name)
}

// A case from before the parties kept one Institution: the overview shows
// it where the letters read it (a cardholder's issuer) and saves it there.
func TestOldInstitutionShowsAsTheIssuer(t *testing.T) {
	tu := newTestUI(t)
	ctx := context.Background()
	old := evidence.Party{Name: "示例银行上海分行", Address: "上海市浦东新区1号", Phone: "95555"}
	c := evidence.Case{Title: "旧案件", Scenario: evidence.WrongAmount, Role: evidence.RoleConsumer, Institution: old}
	_, err := tu.cases.CreateCase(ctx, &c, nil)
	require.NoError(t, err)
	tu.openCase(c.ID)
	tu.wait()
	o := tu.view.overview
	assert.Equal(t, "示例银行上海分行", o.issuer.name.Text)
	assert.Equal(t, "上海市浦东新区1号", o.issuer.address.Text)
	assert.Equal(t, "95555", o.issuer.phone.Text)
	assert.Empty(t, o.acquirer.name.Text)

	o.issuer.kind.SetSelected(partyKindLabel(evidence.PartyBank))
	o.flush()
	tu.wait()
	got, err := tu.st.GetCase(ctx, c.ID)
	require.NoError(t, err)
	old.Kind = evidence.PartyBank
	assert.Equal(t, old, got.Issuer)
	assert.True(t, got.Institution.Empty(), "kept once, as the issuer")
}

func TestAgreedAmountAndCardTypeInTheTransactionDialog(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	s := tu.view.txns
	test.Tap(s.addBtn)
	f := s.form
	f.time.SetText("")
	test.Type(f.time, "2026-11-20 12:31")
	test.Type(f.amount, "1280.00")
	test.Type(f.agreed, "12.3.4")
	f.cardType.SetSelected(cardTypeLabel("debit"))
	test.Tap(buttonIn(t, tu.topOverlay(t), "Save"))
	tu.wait()
	agreed := s.dialog.d.fields[fieldIndex(t, s.dialog.d.fields, "agreed")]
	assert.Equal(t, "Amount that should have been charged is not written as in the example.", agreed.under.Text,
		"a wrong amount is refused under its field, like the amount")
	ts, err := tu.st.ListTransactions(context.Background(), c.ID)
	require.NoError(t, err)
	assert.Empty(t, ts)

	f.agreed.SetText("")
	test.Type(f.agreed, "¥128.00")
	test.Tap(buttonIn(t, tu.topOverlay(t), "Save"))
	tu.wait()
	ts, err = tu.st.ListTransactions(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, ts, 1)
	assert.Equal(t, evidence.Money(128000), ts[0].Amount)
	assert.Equal(t, evidence.Money(12800), ts[0].Agreed)
	assert.Equal(t, "debit", ts[0].CardType)

	s.edit(0)
	assert.Equal(t, "128.00", s.form.agreed.Text, "the edit dialog shows it back")
	assert.Equal(t, cardTypeLabel("debit"), s.form.cardType.Selected)
}

func fieldIndex(t *testing.T, fields []*recordField, key string) int {
	t.Helper()
	for i, f := range fields {
		if f.key == key {
			return i
		}
	}
	require.FailNow(t, "no field "+key)
	return -1
}

func TestPartyAndCardLabelsInBothLanguages(t *testing.T) {
	useLocale(t, "zh_CN.UTF-8")
	test.NewTempApp(t)
	assert.Equal(t, "个体工商户", partyKindLabel(evidence.PartySoleTrader))
	assert.Equal(t, "公司", partyKindLabel(evidence.PartyCompany))
	assert.Equal(t, "个人", partyKindLabel(evidence.PartyIndividual))
	assert.Equal(t, "非银行支付机构", partyKindLabel(evidence.PartyPaymentInstitution))
	assert.Equal(t, "借记卡", cardTypeLabel("debit"))
	assert.Equal(t, "信用卡", cardTypeLabel("credit"))
	assert.Equal(t, "应付金额（元）", lang.L("Amount that should have been charged (¥)"))
	useLocale(t, "en_US.UTF-8")
	assert.Equal(t, "Individual business (sole trader)", partyKindLabel(evidence.PartySoleTrader))
	assert.Equal(t, "Company", partyKindLabel(evidence.PartyCompany))
	assert.Equal(t, "Payment institution (non-bank)", partyKindLabel(evidence.PartyPaymentInstitution))
	assert.Equal(t, "Credit card", cardTypeLabel("credit"))
	for _, k := range evidence.PartyKinds {
		assert.NotEqual(t, string(k), partyKindLabel(k), "every kind has words")
	}
}

// At 800×600 the overview's party pickers stay inside the window (the page
// scrolls down, never sideways).
func TestOverviewPartiesFitAt800x600(t *testing.T) {
	for _, locale := range []string{"zh_CN.UTF-8", "en_US.UTF-8"} {
		t.Run(locale, func(t *testing.T) {
			tu := newTestUIIn(t, locale)
			tu.createCaseIn(t, "面馆重复扣款", "幸运面馆", "店长说下周退款。")
			tu.win.Resize(fyne.NewSize(800, 600))
			tu.wait()
			o := tu.view.overview
			var pickers int
			for _, x := range test.LaidOutObjects(o.content) {
				if sel, ok := x.(*widget.Select); ok && sel.Visible() {
					r := absRect(sel)
					assert.LessOrEqual(t, r.x+r.w, float32(800), "%s: %q reaches past the window", locale, sel.Selected)
					pickers++
				}
			}
			assert.GreaterOrEqual(t, pickers, 4, "complainant, respondent, issuer and acquirer kinds")
		})
	}
}
