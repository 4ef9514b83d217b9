package evidence

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTransactionNormalize(t *testing.T) {
	tx := Transaction{
		Time: time.Date(2026, 11, 3, 19, 42, 0, 0, Shanghai), Amount: 128000,
		RRN: "12345", CardLast4: "6222 0212 3456 7890", Note: "paid with 4111111111111111",
	}
	ws, err := tx.Normalize()
	require.NoError(t, err)
	assert.Equal(t, "7890", tx.CardLast4)
	assert.Equal(t, "paid with **** **** **** 1111", tx.Note)
	assert.Equal(t, Debit, tx.Direction)
	assert.Equal(t, "CNY", tx.Currency)
	require.Len(t, ws, 1)
	assert.Equal(t, "rrn", ws[0].Field)

	neg := Transaction{Time: time.Now(), Amount: -1}
	_, err = neg.Normalize()
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = (&Transaction{Amount: 1}).Normalize()
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestCaseNormalize(t *testing.T) {
	c := Case{Title: "  多扣款 ", Facts: "卡号4111111111111111", Claims: []Claim{{Text: "退款", Amount: 115200}, {}}}
	_, err := c.Normalize()
	require.NoError(t, err)
	assert.Equal(t, "多扣款", c.Title)
	assert.Equal(t, ScenarioOther, c.Scenario)
	assert.Equal(t, StatusDraft, c.Status)
	assert.Equal(t, "卡号**** **** **** 1111", c.Facts)
	assert.Len(t, c.Claims, 1)

	bad := Case{Title: "x", Scenario: "bogus"}
	_, err = bad.Normalize()
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = (&Case{}).Normalize()
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = (&Case{Title: "x", Claims: []Claim{{Text: "a", Amount: -5}}}).Normalize()
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestParseLocalTime(t *testing.T) {
	got, err := ParseLocalTime("2026-11-03 19:42:05", nil)
	require.NoError(t, err)
	assert.Equal(t, "2026-11-03T19:42:05+08:00", got.Format(time.RFC3339))
	got, err = ParseLocalTime("2026/1/2 8:04:05", nil)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Day())
	assert.Equal(t, 8, got.Hour())
	_, err = ParseLocalTime("yesterday", nil)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, "2026-11-03 19:42:05", FormatLocal(time.Date(2026, 11, 3, 11, 42, 5, 0, time.UTC)))
}

func TestEventNormalize(t *testing.T) {
	now := time.Date(2026, 11, 3, 0, 0, 0, 0, Shanghai)
	e := Event{Time: now, Due: now.Add(-time.Hour)}
	_, err := e.Normalize()
	assert.ErrorIs(t, err, ErrInvalid)
	e = Event{Time: now, Due: now.AddDate(0, 0, 15)}
	_, err = e.Normalize()
	require.NoError(t, err)
	assert.Equal(t, EventOther, e.Kind)
}

func TestRefusalsNameTheFieldAndReason(t *testing.T) {
	for _, tc := range []struct {
		err    error
		field  string
		reason Reason
	}{
		{func() error { c := Case{}; _, err := c.Normalize(); return err }(), "title", ReasonRequired},
		{func() error { x := Transaction{Time: time.Now(), Amount: -1}; _, err := x.Normalize(); return err }(), "amount", ReasonNegative},
		{func() error {
			e := Event{Time: time.Now(), Due: time.Now().Add(-time.Hour), Kind: EventComplaint}
			_, err := e.Normalize()
			return err
		}(), "due", ReasonBeforeStart},
	} {
		var fe *FieldError
		if !errors.As(tc.err, &fe) || fe.Field != tc.field || fe.Reason != tc.reason {
			t.Errorf("err = %v, want a FieldError for %s (%s)", tc.err, tc.field, tc.reason)
		}
		if !errors.Is(tc.err, ErrInvalid) {
			t.Errorf("%v does not wrap ErrInvalid", tc.err)
		}
	}
}

// A full card number typed into an identifier field is masked with a
// warning; identifiers of the field's own shape are kept whole.
func TestCardNumbersInIdentifierFields(t *testing.T) {
	tx := Transaction{Time: time.Date(2026, 11, 3, 19, 42, 0, 0, Shanghai), Amount: 100,
		RRN: unionPay16, MerchantNo: amexShaped, TerminalNo: fullWidth(visa16), Voucher: grouped(unionPay19, "."),
		Batch: "000412", AuthCode: "A1B2C3", OrderNo: "2026112822001412341234567890", Source: "卡号" + visa16}
	ws, err := tx.Normalize()
	require.NoError(t, err)
	assert.Equal(t, "**** **** **** "+unionPay16[12:], tx.RRN)
	assert.Equal(t, amexShaped, tx.MerchantNo, "a 15-digit merchant number passing the Luhn check is kept")
	assert.Equal(t, "**** **** **** 1111", tx.TerminalNo)
	assert.Equal(t, "**** **** **** "+unionPay19[15:], tx.Voucher)
	assert.Equal(t, "000412", tx.Batch)
	assert.Equal(t, "2026112822001412341234567890", tx.OrderNo)
	assert.Equal(t, "卡号**** **** **** 1111", tx.Source)
	fields := map[string]bool{}
	for _, w := range ws {
		fields[w.Field] = true
	}
	for _, f := range []string{"rrn", "terminal_no", "voucher", "source"} {
		assert.True(t, fields[f], "warning for %s in %v", f, ws)
	}

	id := gansuID(t)
	c := Case{Title: "t", Complainant: Party{Name: "张三", IDNumber: id, Phone: "+86 138 1234 5678", CreditCode: "91310000MA1FL4XX2K"},
		Respondent: Party{Name: "某店", MerchantNo: merchant15, TerminalNo: "12345678", Phone: unionPay19, IDNumber: visa16}}
	ws, err = c.Normalize()
	require.NoError(t, err)
	assert.Equal(t, Party{Name: "张三", IDNumber: id, Phone: "+86 138 1234 5678", CreditCode: "91310000MA1FL4XX2K"}, c.Complainant)
	assert.Equal(t, merchant15, c.Respondent.MerchantNo)
	assert.Equal(t, "**** **** **** "+unionPay19[15:], c.Respondent.Phone)
	assert.Equal(t, "**** **** **** 1111", c.Respondent.IDNumber)
	assert.Contains(t, ws, Warning{"respondent.phone", "held a full card number; only its last four digits are kept"})

	call := CallLog{Start: time.Now(), Number: "95588", OwnNumber: grouped(visa16, "  "), Ticket: "GD20261111000372", Agent: unionPay16}
	ws, err = call.Normalize()
	require.NoError(t, err)
	assert.Equal(t, "95588", call.Number)
	assert.Equal(t, "**** **** **** 1111", call.OwnNumber)
	assert.Equal(t, "GD20261111000372", call.Ticket)
	assert.Equal(t, "**** **** **** "+unionPay16[12:], call.Agent)
	assert.Len(t, ws, 2)
}

func TestAmountCeilingAndZeroCharge(t *testing.T) {
	when := time.Date(2026, 11, 3, 19, 42, 0, 0, Shanghai)
	refused := func(err error, field string, reason Reason) {
		t.Helper()
		var fe *FieldError
		require.True(t, errors.As(err, &fe), "%v", err)
		assert.Equal(t, field, fe.Field)
		assert.Equal(t, reason, fe.Reason)
	}
	_, err := (&Transaction{Time: when, Amount: 0}).Normalize()
	refused(err, "amount", ReasonZero)
	_, err = (&Transaction{Time: when, Amount: 0, Source: "slip"}).Normalize()
	refused(err, "amount", ReasonZero)
	_, err = (&Transaction{Time: when, Amount: 0, Source: "alipay"}).Normalize()
	assert.NoError(t, err, "a statement's ¥0.00 line is kept")
	_, err = (&Transaction{Time: when, Amount: 0, Direction: Credit}).Normalize()
	assert.NoError(t, err)

	_, err = (&Transaction{Time: when, Amount: MaxAmount}).Normalize()
	assert.NoError(t, err)
	_, err = (&Transaction{Time: when, Amount: 99999999999999999}).Normalize()
	refused(err, "amount", ReasonTooLarge)
	_, err = (&Transaction{Time: when, Amount: 100, Fee: MaxAmount + 1}).Normalize()
	refused(err, "fee", ReasonTooLarge)
	_, err = (&Transaction{Time: when, Amount: 100, Agreed: MaxAmount + 1}).Normalize()
	refused(err, "agreed", ReasonTooLarge)
	_, err = (&Case{Title: "t", Claims: []Claim{{Text: "退款", Amount: MaxAmount + 1}}}).Normalize()
	refused(err, "claims[1].amount", ReasonTooLarge)

	_, err = (&CallLog{Start: when, Duration: 25 * time.Hour}).Normalize()
	refused(err, "duration", ReasonTooLarge)
	_, err = (&CallLog{Start: when, Duration: 2 * time.Hour}).Normalize()
	assert.NoError(t, err)
}
