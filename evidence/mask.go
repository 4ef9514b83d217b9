package evidence

import (
	"strings"
	"unicode/utf8"
)

// MaskCardNumbers replaces anything in s that looks like a full payment card
// number — 13 to 19 digits, optionally grouped by single spaces or hyphens,
// passing the Luhn check — with "**** **** **** 1234" (the last four kept).
// Free text is masked before it is stored so that a full card number never
// reaches a letter, an export or a log.
func MaskCardNumbers(s string) string {
	if !hasDigitRun(s, 13) {
		return s
	}
	// Long digit runs are mostly order and reference numbers, not cards:
	// only build a new string when something is masked.
	i := 0
	for i < len(s) {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			i++
			continue
		}
		end, masked := cardRun(s, i)
		if masked {
			break
		}
		i = end
	}
	if i >= len(s) {
		return s
	}
	var out strings.Builder
	out.Grow(len(s) + 8)
	out.WriteString(s[:i])
	for i < len(s) {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			out.WriteByte(s[i])
			i++
			continue
		}
		end, masked := cardRun(s, i)
		if masked {
			var digits [19]byte
			n := 0
			for k := i; k < end; k++ {
				if isDigit(s[k]) {
					digits[n] = s[k]
					n++
				}
			}
			out.WriteString("**** **** **** ")
			out.Write(digits[n-4 : n])
		} else {
			out.WriteString(s[i:end])
		}
		i = end
	}
	return out.String()
}

// cardRun looks at the run of digits starting at s[i] (a digit not preceded
// by one), possibly separated by single ' ' or '-', and returns where it
// ends and whether it is a card number to mask.
func cardRun(s string, i int) (end int, card bool) {
	var digits [19]byte
	n := 0
	j := i
	end = i
	for j < len(s) {
		if isDigit(s[j]) {
			if n < len(digits) {
				digits[n] = s[j]
			}
			n++
			j++
			end = j
			continue
		}
		if (s[j] == ' ' || s[j] == '-') && j+1 < len(s) && isDigit(s[j+1]) && n > 0 {
			j++
			continue
		}
		break
	}
	if n < 13 || n > 19 || !luhn(digits[:n]) {
		return end, false
	}
	return end, !IsDatedIdentifier(s[:i], s[i:end])
}

// IsDatedIdentifier reports whether the digit run, following before, is the
// tail of a ticket or order identifier rather than a card number: it comes
// straight after a Latin letter, has no separators and starts with a date
// 20YYMMDD (no card network issues numbers starting 20), as in the ticket
// GD20261111000372.
func IsDatedIdentifier(before, run string) bool {
	if before == "" || !isLetter(before[len(before)-1]) || len(run) < 8 {
		return false
	}
	for i := 0; i < len(run); i++ {
		if !isDigit(run[i]) {
			return false
		}
	}
	month := int(run[4]-'0')*10 + int(run[5]-'0')
	day := int(run[6]-'0')*10 + int(run[7]-'0')
	return run[:2] == "20" && month >= 1 && month <= 12 && day >= 1 && day <= 31
}

func hasDigitRun(s string, min int) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
			if n >= min {
				return true
			}
		} else if s[i] != ' ' && s[i] != '-' {
			n = 0
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

func luhn(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// CardLast4 returns the last four digits of a card number written in any
// form ("6222 0212 3456 7890", "6222********7890", "7890"), or "" when
// there are fewer than four digits.
func CardLast4(s string) string {
	var d []byte
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			d = append(d, s[i])
		}
	}
	if len(d) < 4 {
		return ""
	}
	return string(d[len(d)-4:])
}

// MaskID shows a PRC ID number (or any identifier) with only its first six
// and last four characters: "110101********1234". Short values are masked whole
// but for the last character.
func MaskID(id string) string {
	id = strings.TrimSpace(id)
	n := utf8.RuneCountInString(id)
	if n == 0 {
		return ""
	}
	r := []rune(id)
	if n <= 10 {
		return strings.Repeat("*", n-1) + string(r[n-1:])
	}
	return string(r[:6]) + strings.Repeat("*", n-10) + string(r[n-4:])
}

// MaskPhone keeps the first three and last four digits of a phone number: 138****5678.
func MaskPhone(p string) string {
	r := []rune(strings.TrimSpace(p))
	if len(r) < 8 {
		return string(r)
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}
