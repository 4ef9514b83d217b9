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
