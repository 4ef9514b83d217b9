package evidence

import (
	"fmt"
	"strings"
)

// Money is an amount in fen (1/100 yuan). Money is never held in a float.
type Money int64

// Yuan formats m as a plain decimal yuan amount, e.g. "1280.00" or "-0.05".
func (m Money) Yuan() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign = "-"
		v = -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// String formats m with thousands separators and the yuan sign, e.g. "¥1,280.00".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign = "-"
		v = -v
	}
	whole := fmt.Sprintf("%d", v/100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s¥%s.%02d", sign, b.String(), v%100)
}

// ErrNoAmount is returned by ParseMoney for an empty cell or a placeholder
// such as "/" or "--" that stands for "no amount".
var ErrNoAmount = fmt.Errorf("no amount: %w", ErrInvalid)

// ParseMoney parses a yuan amount written the way Chinese statements and
// people write it, straight to fen and never through a float: "1280",
// "1,280.00", "¥28.16", "￥28.16", "+12.5", "-3", "１２．５０" (full-width),
// "28.16元", " 28.16\t". More than two decimal places is an error, not a
// rounding. Empty cells and placeholders ("/", "-", "--", "—") give ErrNoAmount.
func ParseMoney(s string) (Money, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '．':
			b.WriteByte('.')
		case r == '－' || r == '−':
			b.WriteByte('-')
		case r == '＋':
			b.WriteByte('+')
		case r == '，' || r == ',' || r == '¥' || r == '￥' || r == '元' || r == ' ' || r == '\t' || r == '\u00a0' || r == '\u3000' || r == '"' || r == '\r' || r == '\n':
			// separators, currency signs and padding carry no value
		default:
			b.WriteRune(r)
		}
	}
	t := b.String()
	t = strings.TrimPrefix(strings.TrimPrefix(t, "CNY"), "RMB")
	switch t {
	case "", "/", "-", "--", "—", "——", "+":
		return 0, ErrNoAmount
	}
	neg := false
	switch t[0] {
	case '-':
		neg = true
		t = t[1:]
	case '+':
		t = t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("amount %q: no digits: %w", s, ErrInvalid)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount %q: more than two decimal places: %w", s, ErrInvalid)
	}
	if len(whole) > 15 {
		return 0, fmt.Errorf("amount %q: too large: %w", s, ErrInvalid)
	}
	var fen int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("amount %q: unexpected character %q: %w", s, c, ErrInvalid)
		}
		fen = fen*10 + int64(c-'0')
	}
	for i := 0; i < 2; i++ {
		fen *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("amount %q: unexpected character %q: %w", s, c, ErrInvalid)
			}
			fen += int64(c - '0')
		}
	}
	if neg {
		fen = -fen
	}
	return Money(fen), nil
}
