package evidence

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMoney(t *testing.T) {
	cases := []struct {
		in   string
		want Money
	}{
		{"1280", 128000},
		{"1280.00", 128000},
		{"1,280.00", 128000},
		{"¥28.16", 2816},
		{"￥28.16", 2816},
		{"+12.5", 1250},
		{"-3", -300},
		{"１２．５０", 1250},
		{"28.16元", 2816},
		{" 28.16\t", 2816},
		{"0.05", 5},
		{".5", 50},
		{"-¥0.01", -1},
		{"¥-0.01", -1},
		{"\"1,234,567.89\"", 123456789},
		{"－７", -700},
	}
	for _, c := range cases {
		got, err := ParseMoney(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
}

func TestParseMoneyRefuses(t *testing.T) {
	for _, in := range []string{"12.345", "abc", "1.2.3", "12a", "¥", "1e5", "--5", "99999999999999999"} {
		_, err := ParseMoney(in)
		assert.ErrorIs(t, err, ErrInvalid, in)
	}
	for _, in := range []string{"", "/", "-", "--", "—", "  "} {
		_, err := ParseMoney(in)
		assert.True(t, errors.Is(err, ErrNoAmount), "%q: %v", in, err)
	}
}

func TestMoneyFormat(t *testing.T) {
	assert.Equal(t, "¥1,280.00", Money(128000).String())
	assert.Equal(t, "-¥0.05", Money(-5).String())
	assert.Equal(t, "¥1,234,567.89", Money(123456789).String())
	assert.Equal(t, "¥0.00", Money(0).String())
	assert.Equal(t, "1280.00", Money(128000).Yuan())
	assert.Equal(t, "-12.30", Money(-1230).Yuan())
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"1,280.00", "¥28.16", "-3", "１２．５０", "/", "", ".5", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			return
		}
		// A parsed amount formats back to a string that parses to the same fen.
		again, err := ParseMoney(m.Yuan())
		if err != nil || again != m {
			t.Fatalf("%q → %d → %q → %d, %v", s, m, m.Yuan(), again, err)
		}
	})
}

// A comma separates thousands, every three digits, or the amount is
// refused with the reason: never silently ×100.
func TestParseMoneyThousandsSeparator(t *testing.T) {
	for in, want := range map[string]Money{"1,280": 128000, "1,280.50": 128050, "12,345,678.90": 1234567890, "１，２８０．００": 128000, "999": 99900} {
		got, err := ParseMoney(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"12,80", "1,28", "1,2,3", ",128", "1280,00", "1,2800", "1.280,00", "1,,280", "12,80元", "１２，８０"} {
		_, err := ParseMoney(in)
		var ae *AmountError
		require.True(t, errors.As(err, &ae), "%q: %v", in, err)
		assert.Equal(t, ReasonThousands, ae.Reason, in)
		assert.ErrorIs(t, err, ErrInvalid)
		assert.Contains(t, err.Error(), "every three digits")
	}
}

func TestParseMoneyCeiling(t *testing.T) {
	got, err := ParseMoney("1,000,000,000.00")
	require.NoError(t, err)
	assert.Equal(t, MaxAmount, got)
	for _, in := range []string{"1,000,000,000.01", "999999999999999.99", "-1000000000.01", "99999999999999999"} {
		_, err := ParseMoney(in)
		var ae *AmountError
		require.True(t, errors.As(err, &ae), in)
		assert.Equal(t, ReasonTooLarge, ae.Reason, in)
		assert.Contains(t, err.Error(), "¥1,000,000,000.00", "the error states the ceiling")
	}
	for in, r := range map[string]Reason{"12.345": ReasonDecimals, "abc": ReasonFormat, "1e5": ReasonFormat} {
		_, err := ParseMoney(in)
		var ae *AmountError
		require.True(t, errors.As(err, &ae), in)
		assert.Equal(t, r, ae.Reason, in)
	}
}
