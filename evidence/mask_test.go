package evidence

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMaskCardNumbers(t *testing.T) {
	cases := []struct{ in, want string }{
		{"card 4111111111111111 used", "card **** **** **** 1111 used"},
		{"卡号6222 0212 3456 7899刷卡", "卡号6222 0212 3456 7899刷卡"}, // not Luhn-valid: kept
		{"4111-1111-1111-1111", "**** **** **** 1111"},
		{"4111 1111 1111 1111.", "**** **** **** 1111."},
		{"RRN 123456789012", "RRN 123456789012"},                                 // 12 digits: too short for a card
		{"order 20241103220012345678901234", "order 20241103220012345678901234"}, // 30 digits: not a card
		{"no digits here", "no digits here"},
		{"ticket GD20261111000372 open", "ticket GD20261111000372 open"},        // dated, glued to letters: an identifier
		{"ticket GD4111111111111111 open", "ticket GD**** **** **** 1111 open"}, // glued but not dated: masked
		{"A4111111111111111", "A**** **** **** 1111"},
		{"4111111111111111X", "**** **** **** 1111X"},
		{"GD4111-1111-1111-1111", "GD**** **** **** 1111"}, // grouped like a card: masked
		{"6011000990139424和5555555555554444", "**** **** **** 9424和**** **** **** 4444"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, MaskCardNumbers(c.in), c.in)
	}
}

var fullCard = regexp.MustCompile(`\d{13,19}`)

func FuzzMaskCardNumbers(f *testing.F) {
	f.Add("4111111111111111")
	f.Add("卡 4111 1111 1111 1111 尾号")
	f.Add("12345")
	f.Fuzz(func(t *testing.T, s string) {
		out := MaskCardNumbers(s)
		for _, m := range fullCard.FindAllString(out, -1) {
			if luhn([]byte(m)) && !fullCard.MatchString(s) {
				t.Fatalf("mask made a card number %q from %q", m, s)
			}
		}
		// Masking is idempotent.
		if MaskCardNumbers(out) != out {
			t.Fatalf("not idempotent: %q → %q", s, out)
		}
	})
}

func TestCardLast4AndMasks(t *testing.T) {
	assert.Equal(t, "7890", CardLast4("6222 0212 3456 7890"))
	assert.Equal(t, "7890", CardLast4("6222********7890"))
	assert.Equal(t, "", CardLast4("12"))
	assert.Equal(t, "110101********1234", MaskID("110101199001011234"))
	assert.Equal(t, "138****5678", MaskPhone("13812345678"))
	assert.Equal(t, "", MaskID(""))
}
