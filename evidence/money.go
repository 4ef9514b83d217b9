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

// MaxAmount is the largest amount DisputeKit takes for one transaction, fee,
// agreed price or claim: ¥1,000,000,000.00. No card or QR payment comes near
// it (single-payment limits are in the millions at most), so it refuses only
// typing slips and crafted files; and since 92 million amounts at the
// ceiling still add up inside an int64, no total of a case can overflow.
const MaxAmount Money = 1_000_000_000_00

// AmountError refuses a written amount. Reason says why as a code each face
// words in its user's language (ReasonFormat, ReasonDecimals,
// ReasonThousands, ReasonTooLarge); it wraps ErrInvalid.
type AmountError struct {
	Text   string // the amount as written
	Reason Reason
}

func (e *AmountError) Error() string {
	var why string
	switch e.Reason {
	case ReasonDecimals:
		why = "more than two decimal places"
	case ReasonThousands:
		why = "a comma must separate thousands, every three digits (1,280.00); write a decimal point for fen (12.80)"
	case ReasonTooLarge:
		why = "larger than the most DisputeKit takes for one amount, " + MaxAmount.String()
	default:
		why = "not an amount like 1280.00 or 1,280.00"
	}
	return fmt.Sprintf("amount %q: %s: %v", e.Text, why, ErrInvalid)
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *AmountError) Unwrap() error { return ErrInvalid }

// ErrNoAmount is returned by ParseMoney for an empty cell or a placeholder
// such as "/" or "--" that stands for "no amount".
var ErrNoAmount = fmt.Errorf("no amount: %w", ErrInvalid)

// ParseMoney parses a yuan amount written the way Chinese statements and
// people write it, straight to fen and never through a float: "1280",
// "1,280.00", "¥28.16", "￥28.16", "+12.5", "-3", "１２．５０" (full-width),
// "28.16元", " 28.16\t". A thousands separator must sit every three digits
// ("12,80", "1,28" and "1,2,3" are refused, never read as 1280, 128 or 123);
// more than two decimal places is an error, not a rounding; so is more than
// MaxAmount either way. Those errors are *AmountError. Empty cells and
// placeholders ("/", "-", "--", "—") give ErrNoAmount.
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
		case r == '，' || r == ',':
			b.WriteByte(',')
		case r == '¥' || r == '￥' || r == '元' || r == ' ' || r == '\t' || r == '\u00a0' || r == '\u3000' || r == '"' || r == '\r' || r == '\n':
			// currency signs and padding carry no value
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
	refuse := func(r Reason) (Money, error) { return 0, &AmountError{Text: s, Reason: r} }
	neg := false
	switch t[0] {
	case '-':
		neg = true
		t = t[1:]
	case '+':
		t = t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if strings.Contains(frac, ",") {
		return refuse(ReasonThousands)
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return refuse(ReasonThousands)
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return refuse(ReasonThousands)
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" && (!hasDot || frac == "") {
		return refuse(ReasonFormat)
	}
	if len(frac) > 2 {
		return refuse(ReasonDecimals)
	}
	if len(whole) > 15 {
		return refuse(ReasonTooLarge)
	}
	var fen int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return refuse(ReasonFormat)
		}
		fen = fen*10 + int64(c-'0')
	}
	for i := 0; i < 2; i++ {
		fen *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return refuse(ReasonFormat)
			}
			fen += int64(c - '0')
		}
	}
	if Money(fen) > MaxAmount {
		return refuse(ReasonTooLarge)
	}
	if neg {
		fen = -fen
	}
	return Money(fen), nil
}
