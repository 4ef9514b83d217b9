package evidence

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withLuhn appends the Luhn check digit to the digits d.
func withLuhn(d string) string {
	for c := byte('0'); c <= '9'; c++ {
		if luhn([]byte(d + string(c))) {
			return d + string(c)
		}
	}
	panic("unreachable")
}

// notLuhn returns d with its last digit changed so the Luhn check fails.
func notLuhn(d string) string {
	last := d[len(d)-1]
	return d[:len(d)-1] + string('0'+(last-'0'+1)%10)
}

// gansuID is an 18-digit ID number of Gansu (area code 62…) that passes
// both its own check and, by chance, the Luhn check: shaped like a
// 18-digit UnionPay card.
func gansuID(t testing.TB) string {
	for seq := 100; seq < 1000; seq++ {
		for _, check := range "0123456789" {
			id := fmt.Sprintf("620102199003%02d%03d%c", 1+seq%28, seq, check)
			if isIDNumber([]byte(id)) && luhn([]byte(id)) {
				return id
			}
		}
	}
	t.Fatal("no Luhn-valid Gansu ID number")
	return ""
}

func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, s)
}

// grouped writes d in groups of four joined by sep.
func grouped(d, sep string) string {
	var parts []string
	for len(d) > 4 {
		parts = append(parts, d[:4])
		d = d[4:]
	}
	return strings.Join(append(parts, d), sep)
}

var (
	unionPay19 = withLuhn("622202123456789012") // 19 digits
	unionPay16 = withLuhn("622588012345678")    // 16
	visa16     = "4111111111111111"
	master2    = withLuhn("222300123456789") // Mastercard 2-series
	amexShaped = withLuhn("37123456789012")  // 15 digits: an Amex, or a merchant number that passes by chance
	merchant15 = withLuhn("10231005812000")  // UnionPay merchant number, Luhn-valid by chance
)

func TestLooksLikeCardNumber(t *testing.T) {
	for _, s := range []string{visa16, unionPay19, unionPay16, master2, amexShaped, grouped(unionPay19, " "), fullWidth(visa16),
		"5555555555554444", "6011000990139424", withLuhn("353011133330000"), withLuhn("3056930902590"), withLuhn("955880123456789012")} {
		assert.True(t, LooksLikeCardNumber(s), s)
	}
	for _, s := range []string{notLuhn(visa16), merchant15, "13812345678", "8613812345678", withLuhn("201611281234567"),
		withLuhn("41111111111111111"), // Visa issues 13, 16 and 19 digits, not 17
		withLuhn("99111111111111"), "4111 1111 1111 1111 x", "", withLuhn("12345678901")} {
		assert.False(t, LooksLikeCardNumber(s), s)
	}
}

func TestMaskCardNumbers(t *testing.T) {
	last := func(d string) string { return "**** **** **** " + d[len(d)-4:] }
	id := gansuID(t)
	cases := []struct{ in, want string }{
		{"card 4111111111111111 used", "card **** **** **** 1111 used"},
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

		// After 卡号 a mistyped card (failing Luhn) is still a card.
		{"卡号" + grouped(notLuhn(unionPay16), " ") + "刷卡", "卡号" + last(notLuhn(unionPay16)) + "刷卡"},
		{"尾号 " + notLuhn(visa16), "尾号 " + last(notLuhn(visa16))},
		// Dodges: full-width digits, dots, double spaces, slashes, newlines, invisible characters.
		{"卡号" + fullWidth(unionPay19), "卡号" + last(unionPay19)},
		{"我的卡 " + fullWidth(grouped(unionPay19, " ")) + " 被扣款", "我的卡 " + last(unionPay19) + " 被扣款"},
		{"paid with " + grouped(unionPay19, "."), "paid with " + last(unionPay19)},
		{"paid with " + grouped(unionPay19, "  "), "paid with " + last(unionPay19)},
		{"paid with " + grouped(unionPay19, "/"), "paid with " + last(unionPay19)},
		{"paid with " + grouped(unionPay19, "\n"), "paid with " + last(unionPay19)},
		{"paid with " + grouped(unionPay19, "\r\n  "), "paid with " + last(unionPay19)},
		{"paid with " + grouped(unionPay19, "\u200b"), "paid with " + last(unionPay19)},
		{"paid with " + grouped(unionPay19, "－"), "paid with " + last(unionPay19)},
		{"扣款" + fullWidth(grouped(master2, "．")) + "元", "扣款" + last(master2) + "元"},
		// A card beside other numbers is still found.
		{"100 " + unionPay19 + " 元", "100 " + last(unionPay19) + " 元"},
		{"金额 12.80 " + grouped(visa16, " ") + " 2026/11/28", "金额 12.80 " + last(visa16) + " 2026/11/28"},
		// A label does not excuse a card of another shape.
		{"订单号 " + unionPay19, "订单号 " + last(unionPay19)},
		{"RRN " + unionPay16, "RRN " + last(unionPay16)},
		{"商户号：" + unionPay16, "商户号：" + last(unionPay16)},
		{"电话 " + visa16, "电话 " + last(visa16)},
		{"商户号 102310058120001，卡号 " + unionPay19, "商户号 102310058120001，卡号 " + last(unionPay19)},

		// Identifiers survive: merchant numbers (Luhn-valid too), phones,
		// IDs, RRNs, credit codes, dated orders.
		{"商户号 " + merchant15, "商户号 " + merchant15},
		{merchant15, merchant15},
		{"商户编号：" + amexShaped + " 终端号 12345678", "商户编号：" + amexShaped + " 终端号 12345678"},
		{"merchant no. " + amexShaped, "merchant no. " + amexShaped},
		{"MID " + amexShaped, "MID " + amexShaped},
		{"电话 +86 138 1234 5678", "电话 +86 138 1234 5678"},
		{"+86 138 1234 5678 / 0755-8888 6666", "+86 138 1234 5678 / 0755-8888 6666"},
		{"手机13812345678", "手机13812345678"},
		{"身份证号 " + id, "身份证号 " + id},
		{id, id}, // an ID number's own check and birth date say what it is
		{"参考号 531212008833", "参考号 531212008833"},
		{"统一社会信用代码 91310000MA1FL4XX2K", "统一社会信用代码 91310000MA1FL4XX2K"},
		{"订单 2026112822001412341234567890", "订单 2026112822001412341234567890"},
		{"单号 " + withLuhn("202611281234567"), "单号 " + withLuhn("202611281234567")},
		{"2026-11-28 13:45 ¥128.00", "2026-11-28 13:45 ¥128.00"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, MaskCardNumbers(c.in), "%q", c.in)
	}
}

func TestMaskCardInField(t *testing.T) {
	id := gansuID(t)
	for _, c := range []struct {
		in     string
		ident  Identifier
		masked bool
	}{
		{unionPay16, IdentRRN, true}, // a 16-digit 62… Luhn-valid number typed into 'RRN'
		{"531212008833", IdentRRN, false},
		{amexShaped, IdentMerchantNo, false}, // the field's own shape: kept though it passes as an Amex
		{merchant15, IdentMerchantNo, false},
		{unionPay19, IdentMerchantNo, true},
		{"+86 138 1234 5678", IdentPhone, false},
		{grouped(visa16, " "), IdentPhone, true},
		{id, IdentIDNumber, false},
		{fullWidth(unionPay19), IdentIDNumber, true},
		{"91310000MA1FL4XX2K", IdentCreditCode, false},
		{unionPay16, IdentCreditCode, true},
		{"12345678", IdentTerminalNo, false},
		{visa16, IdentTerminalNo, true},
		{"000412", IdentShortCode, false},
		{unionPay19, IdentShortCode, true},
		{"2026112822001412341234567890", IdentOrder, false},
		{withLuhn("202611281234567"), IdentOrder, false},
		{unionPay19, IdentOrder, true},
		{"GD20261111000372", IdentOrder, false},
		{merchant15, IdentNone, false},
	} {
		out, masked := MaskCardInField(c.in, c.ident)
		assert.Equal(t, c.masked, masked, "%q as %d → %q", c.in, c.ident, out)
		if masked {
			assert.Equal(t, "**** **** **** "+CardLast4(c.in), out)
		} else {
			assert.Equal(t, c.in, out)
		}
	}
}

func TestMaskAllocatesOnlyWhenItMasks(t *testing.T) {
	s := "订单 2026112822001412341234567890，商户号 " + merchant15 + "，电话 13812345678"
	require.Zero(t, testing.AllocsPerRun(10, func() { MaskCardNumbers(s) }))
}

var fullCard = regexp.MustCompile(`\d{13,19}`)

// cardLeft reports a card number by the strict rule left in out: digits
// joined by any separator, read through full width, unless the words before
// it say it is an identifier of another kind or it is an ID number.
func cardLeft(out string) string {
	norm := []rune(out)
	for i, r := range norm {
		if v, ok := digitValue(r); ok {
			norm[i] = rune('0' + v)
		}
	}
	text := string(norm)
	for _, loc := range chain.FindAllStringIndex(text, -1) {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, text[loc[0]:loc[1]])
		for a := 0; a < len(digits); a++ {
			for b := a + 13; b <= len(digits) && b <= a+19; b++ {
				d := digits[a:b]
				if !LooksLikeCardNumber(d) || isIDNumber([]byte(d)) || strings.HasSuffix(strings.TrimRight(text[:loc[0]], " "), "*") {
					continue
				}
				if l := labelBefore(text[:loc[0]]); a == 0 && l != IdentNone && l != IdentCard && l.fits([]byte(d)) {
					continue // a merchant number after 商户号 …
				}
				if a == 0 && b == len(digits) || isGroupBounded(text[loc[0]:loc[1]], a, b) {
					return d
				}
			}
		}
	}
	return ""
}

var chain = regexp.MustCompile(`[0-9]+(?:[\s\-./_\x{200b}－．／·]{1,4}[0-9]+)*`)

// isGroupBounded reports whether digits a..b of the run s start and end at
// a group boundary (a separator or the run's ends).
func isGroupBounded(s string, a, b int) bool {
	n, startOK, endOK := 0, a == 0, false
	prevDigit := false
	for _, r := range s {
		isD := r >= '0' && r <= '9'
		if isD {
			if n == a && !prevDigit {
				startOK = true
			}
			n++
			if n == b {
				endOK = true
			}
		} else if prevDigit && n == b {
			endOK = true
		}
		if isD && n == b+1 && prevDigit {
			endOK = false
		}
		prevDigit = isD
	}
	return startOK && endOK
}

func FuzzMaskCardNumbers(f *testing.F) {
	f.Add("4111111111111111")
	f.Add("卡 4111 1111 1111 1111 尾号")
	f.Add("12345")
	f.Add("商户号 " + merchant15 + " 卡号" + fullWidth(grouped(unionPay19, "．")))
	f.Add("电话 +86 138 1234 5678\n" + grouped(unionPay16, "\n"))
	f.Add("RRN " + unionPay16 + " 订单 2026112822001412341234567890")
	f.Fuzz(func(t *testing.T, s string) {
		out := MaskCardNumbers(s)
		for _, m := range fullCard.FindAllString(out, -1) {
			if luhn([]byte(m)) && !fullCard.MatchString(s) {
				t.Fatalf("mask made a card number %q from %q", m, s)
			}
		}
		if d := cardLeft(out); d != "" {
			t.Fatalf("card number %s left in %q (from %q)", d, out, s)
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
	assert.Equal(t, "7890", CardLast4("６２２２ ７８９０"))
	assert.Equal(t, "", CardLast4("12"))
	assert.Equal(t, "110101********1234", MaskID("110101199001011234"))
	assert.Equal(t, "138****5678", MaskPhone("13812345678"))
	assert.Equal(t, "", MaskID(""))
}
