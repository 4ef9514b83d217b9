package evidence

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Card numbers (design: a full card number never reaches a letter, an
// export, a backup or the store).
//
// A number is a payment card number by the strict rule (LooksLikeCardNumber)
// when it has 13 to 19 digits, starts with a prefix a card network issues
// at that length (UnionPay 62 and 81, Visa 4, Mastercard 51–55 and
// 2221–2720, Amex 34/37, JCB 3528–3589, Diners 300–305/36/38/39, Discover
// 6011/644–649/65, Maestro, Mir, the old domestic 9558/95599) and passes the
// Luhn check. Free text is masked by MaskCardNumbers, which also reads the
// words in front of a number: after 卡号/card/尾号 any 13–19 digits are
// masked; after 商户号/电话/身份证/参考号/订单 … a number of that identifier's
// own shape is kept even when it happens to pass the card rule. Typed
// identifier fields (MaskCardInField) are read as if their label stood in
// front of the value.

// cardRange is a run of issuer prefixes, compared on the first len(lo)
// digits, with the lengths the network issues there.
type cardRange struct {
	lo, hi     string
	minL, maxL int
}

var cardRanges = []cardRange{
	{"4", "4", 13, 19},         // Visa (13, 16, 19; 18 are checked below)
	{"51", "55", 16, 16},       // Mastercard
	{"2221", "2720", 16, 16},   // Mastercard 2-series
	{"34", "34", 15, 15},       // American Express
	{"37", "37", 15, 15},       // American Express
	{"62", "62", 16, 19},       // UnionPay (and Discover 622126–622925)
	{"81", "81", 16, 19},       // UnionPay 8-series
	{"3528", "3589", 16, 19},   // JCB
	{"300", "305", 14, 19},     // Diners Club
	{"3095", "3095", 14, 19},   // Diners Club
	{"36", "36", 14, 19},       // Diners Club
	{"38", "39", 16, 19},       // Diners Club
	{"6011", "6011", 16, 19},   // Discover
	{"644", "649", 16, 19},     // Discover
	{"65", "65", 16, 19},       // Discover, RuPay
	{"50", "50", 13, 19},       // Maestro
	{"56", "58", 13, 19},       // Maestro
	{"60", "60", 16, 19},       // Maestro, RuPay
	{"63", "63", 13, 19},       // Maestro
	{"67", "67", 13, 19},       // Maestro
	{"2200", "2204", 16, 19},   // Mir
	{"9558", "9558", 19, 19},   // ICBC domestic cards before UnionPay's 62
	{"95599", "95599", 19, 19}, // ABC domestic cards before UnionPay's 62
}

// hasCardPrefix reports whether a network issues card numbers of len(d)
// digits starting like d (ASCII digits only).
func hasCardPrefix(d []byte) bool {
	for _, r := range cardRanges {
		n := len(r.lo)
		if len(d) < n || len(d) < r.minL || len(d) > r.maxL {
			continue
		}
		if p := string(d[:n]); p >= r.lo && p <= r.hi {
			if r.lo == "4" && len(d) != 13 && len(d) != 16 && len(d) != 19 {
				continue
			}
			return true
		}
	}
	return false
}

// LooksLikeCardNumber reports whether s, once separators and full-width
// digits are read through, is a payment card number by the strict rule: 13
// to 19 digits with a network's prefix for that length, passing the Luhn
// check. Letters or other text in s make it false.
func LooksLikeCardNumber(s string) bool {
	d, ok := digitsOnly(s)
	return ok && len(d) >= 13 && len(d) <= 19 && hasCardPrefix(d) && luhn(d)
}

// digitsOnly returns the digits of s (any script's decimal digits, as
// ASCII) when s holds nothing but digits and separators.
func digitsOnly(s string) ([]byte, bool) {
	var b []byte
	for _, r := range s {
		if v, ok := digitValue(r); ok {
			b = append(b, byte('0'+v))
			continue
		}
		if !isGroupSeparator(r) && r != '+' && r != '(' && r != ')' {
			return nil, false
		}
	}
	return b, len(b) > 0
}

// Identifier names what a number is, from the words in front of it or the
// field it is typed in.
type Identifier int

// The identifiers MaskCardNumbers and MaskCardInField know. IdentNone is a
// number with no label in front of it.
const (
	IdentNone       Identifier = iota
	IdentCard                  // 卡号, card, 尾号, 账号
	IdentMerchantNo            // 商户号, 商户编号: 15 digits
	IdentTerminalNo            // 终端号: 8
	IdentPhone                 // 电话, 手机: 11-digit mobiles, +86, landlines
	IdentIDNumber              // 身份证: 18 (or 15) characters
	IdentCreditCode            // 统一社会信用代码: 18 characters
	IdentRRN                   // 参考号, RRN: 12 digits
	IdentShortCode             // 凭证号, 批次号, 授权码: 6
	IdentOrder                 // 订单号, 单号, 流水号, 工单: long, usually dated
)

// labels are the words that name the number after them, longest first
// where one contains another; matched case-insensitively on Latin letters.
var labels = []struct {
	word  string
	ident Identifier
}{
	{"统一社会信用代码", IdentCreditCode}, {"信用代码", IdentCreditCode}, {"credit code", IdentCreditCode},
	{"商户编号", IdentMerchantNo}, {"商户代码", IdentMerchantNo}, {"商户号", IdentMerchantNo}, {"merchant no", IdentMerchantNo},
	{"merchant id", IdentMerchantNo}, {"merchant", IdentMerchantNo}, {"mid", IdentMerchantNo},
	{"终端编号", IdentTerminalNo}, {"终端号", IdentTerminalNo}, {"终端", IdentTerminalNo}, {"terminal", IdentTerminalNo}, {"tid", IdentTerminalNo},
	{"联系电话", IdentPhone}, {"电话", IdentPhone}, {"手机号", IdentPhone}, {"手机", IdentPhone}, {"来电", IdentPhone},
	{"phone", IdentPhone}, {"mobile", IdentPhone}, {"tel", IdentPhone},
	{"身份证号", IdentIDNumber}, {"身份证", IdentIDNumber}, {"证件号", IdentIDNumber}, {"id number", IdentIDNumber}, {"id no", IdentIDNumber},
	{"id", IdentIDNumber},
	{"检索参考号", IdentRRN}, {"参考号", IdentRRN}, {"rrn", IdentRRN}, {"reference", IdentRRN}, {"ref", IdentRRN},
	{"凭证号", IdentShortCode}, {"批次号", IdentShortCode}, {"授权码", IdentShortCode}, {"voucher", IdentShortCode},
	{"batch", IdentShortCode}, {"auth", IdentShortCode}, {"trace", IdentShortCode},
	{"订单号", IdentOrder}, {"订单", IdentOrder}, {"工单号", IdentOrder}, {"工单", IdentOrder}, {"单号", IdentOrder},
	{"流水号", IdentOrder}, {"交易号", IdentOrder}, {"order", IdentOrder}, {"ticket", IdentOrder},
	{"银行卡号", IdentCard}, {"卡号", IdentCard}, {"尾号", IdentCard}, {"银行卡", IdentCard}, {"信用卡", IdentCard},
	{"借记卡", IdentCard}, {"储蓄卡", IdentCard}, {"账号", IdentCard}, {"卡", IdentCard}, {"card", IdentCard}, {"pan", IdentCard},
}

// fits reports whether the digits d have the shape of the identifier id.
func (id Identifier) fits(d []byte) bool {
	switch id {
	case IdentMerchantNo:
		return len(d) == 15
	case IdentTerminalNo:
		return len(d) == 8
	case IdentPhone:
		return isPhone(d)
	case IdentIDNumber:
		return len(d) == 18 || len(d) == 15
	case IdentCreditCode:
		return len(d) == 18
	case IdentRRN:
		return len(d) == 12
	case IdentShortCode:
		return len(d) == 6
	case IdentOrder:
		return isDated(d)
	}
	return false
}

// isPhone: a mainland mobile (1[3-9] + 9 digits), with 86 or 0086 in front,
// or a landline starting with 0 (area code + number, 10–12 digits).
func isPhone(d []byte) bool {
	d = bytes.TrimPrefix(bytes.TrimPrefix(d, []byte("00")), []byte("86"))
	switch {
	case len(d) == 11 && d[0] == '1' && d[1] >= '3':
		return true
	case len(d) > 0 && d[0] == '0' && len(d) >= 10 && len(d) <= 12:
		return true
	}
	return false
}

// isDated reports whether d starts with a date 20YYMMDD, as order and
// ticket numbers do (no card network issues numbers starting 20).
func isDated(d []byte) bool {
	if len(d) < 8 || d[0] != '2' || d[1] != '0' {
		return false
	}
	month := int(d[4]-'0')*10 + int(d[5]-'0')
	day := int(d[6]-'0')*10 + int(d[7]-'0')
	return month >= 1 && month <= 12 && day >= 1 && day <= 31
}

// isIDNumber reports whether d (18 characters, the last may be X) is a
// mainland ID number: a province code, a birth date and a valid ISO 7064
// MOD 11-2 check character.
func isIDNumber(d []byte) bool {
	if len(d) != 18 || d[0] < '1' || d[0] > '9' {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		if !isDigit(d[i]) {
			return false
		}
		sum += int(d[i]-'0') * weights[i]
	}
	century := string(d[6:8])
	month := int(d[10]-'0')*10 + int(d[11]-'0')
	day := int(d[12]-'0')*10 + int(d[13]-'0')
	if (century != "19" && century != "20") || month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	return d[17] == "10X98765432"[sum%11]
}

// isCard decides whether the digits d, labelled by id, are a card number
// to mask.
func isCard(d []byte, id Identifier) bool {
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	if id == IdentCard {
		return !isDated(d) // after 卡号: a mistyped card is still a card
	}
	if id.fits(d) || isIDNumber(d) {
		return false
	}
	return hasCardPrefix(d) && luhn(d)
}

// MaskCardNumbers replaces each card number in free text s with
// "**** **** **** 1234" (its last four digits kept). It reads digits in any
// script (full-width ０-９ too) grouped by spaces, newlines, hyphens, dots,
// slashes or invisible characters, and the label in front of a number (see
// the package comment on card numbers): merchant numbers, phones, ID
// numbers, RRNs and dated order numbers are kept. s is returned as it is
// (no allocation) when nothing is masked.
func MaskCardNumbers(s string) string {
	return maskText(s, IdentNone)
}

// MaskCardInField masks a card number typed into a field meant for the
// identifier id (an RRN, a phone, a merchant number …): a value of the
// field's own shape is kept, one that is a card number by the strict rule is
// masked, and masked reports it so the caller can warn.
func MaskCardInField(value string, id Identifier) (out string, masked bool) {
	out = maskText(value, id)
	return out, out != value
}

// maskText masks card numbers in s; the first number in s is labelled by
// first unless words in s label it.
func maskText(s string, first Identifier) string {
	if countDigits(s) < 13 {
		return s
	}
	var out strings.Builder
	done := 0 // s[:done] is copied to out once something is masked
	labelEnd := 0
	var store [8]group
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if _, ok := digitValue(r); !ok {
			i += size
			continue
		}
		gs := scanGroups(s, i, store[:0])
		end := gs[len(gs)-1].end
		if !mayHoldCard(gs) {
			// No run of whole groups has a card's 13 to 19 digits (an
			// order number, a date, an amount): nothing to mask, and no
			// label to look for — the look is most of the cost of masking
			// a statement's rows.
			labelEnd, i = end, end
			continue
		}
		id := labelBefore(s[labelEnd:i])
		if id == IdentNone && labelEnd == 0 {
			id = first
		}
		if strings.HasSuffix(strings.TrimRight(s[labelEnd:i], " "), "*") {
			// The last four digits of a card masked before: they start
			// no card, so masking twice changes nothing.
			gs = gs[1:]
			id = IdentNone
		}
		for a := 0; a < len(gs); a++ {
			label := IdentNone
			if a == 0 {
				label = id
			}
			// The longest run of whole groups from a that is a card.
			var buf [19]byte
			n, best, bestN := 0, -1, 0
			for b := a; b < len(gs) && n+gs[b].n <= len(buf); b++ {
				n = readDigits(buf[:], n, s[gs[b].start:gs[b].end])
				if isCard(buf[:n], label) {
					best, bestN = b, n
				}
			}
			if best < 0 {
				continue
			}
			if done == 0 {
				out.Grow(len(s))
			}
			out.WriteString(s[done:gs[a].start])
			out.WriteString("**** **** **** ")
			out.Write(buf[bestN-4 : bestN])
			done = gs[best].end
			a = best
		}
		labelEnd = end
		i = end
	}
	if done == 0 {
		return s
	}
	out.WriteString(s[done:])
	return out.String()
}

// mayHoldCard reports whether some run of whole consecutive groups has
// 13 to 19 digits, the only lengths isCard accepts.
func mayHoldCard(gs []group) bool {
	for a := range gs {
		n := 0
		for b := a; b < len(gs) && n+gs[b].n <= 19; b++ {
			n += gs[b].n
			if n >= 13 {
				return true
			}
		}
	}
	return false
}

// group is a run of n digits s[start:end].
type group struct {
	start, end, n int
}

// scanGroups appends to gs the digit groups starting at s[i] joined by
// separators (at most four separator characters between two groups).
func scanGroups(s string, i int, gs []group) []group {
	for {
		g := group{start: i}
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isDigitRune(r) {
				break
			}
			g.n++
			i += size
		}
		g.end = i
		gs = append(gs, g)
		j, seps := i, 0
		for j < len(s) && seps <= 4 {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isGroupSeparator(r) {
				break
			}
			j += size
			seps++
		}
		if seps == 0 || seps > 4 || j >= len(s) {
			return gs
		}
		if r, _ := utf8.DecodeRuneInString(s[j:]); !isDigitRune(r) {
			return gs
		}
		i = j
	}
}

// readDigits writes the digits of the group g into buf from n on, as
// ASCII, and returns the new length.
func readDigits(buf []byte, n int, g string) int {
	for _, r := range g {
		v, _ := digitValue(r)
		buf[n] = byte('0' + v)
		n++
	}
	return n
}

// labelBefore returns the identifier named by the last label in the text
// between the previous number and this one, when only separators, colons
// and a few linking words stand between the label and the number.
func labelBefore(text string) Identifier {
	t := strings.TrimRightFunc(text, func(r rune) bool {
		return isGroupSeparator(r) || strings.ContainsRune(":：#＃=（(）)[]【】是为", r)
	})
	// Only the last few words count: "商户号 … 卡号 6222…" is a card.
	if n := utf8.RuneCountInString(t); n > 24 {
		t = string([]rune(t)[n-24:])
	}
	lower := strings.ToLower(t)
	bestAt, best := -1, IdentNone
	for _, l := range labels {
		at := strings.LastIndex(lower, l.word)
		if at < 0 {
			continue
		}
		if isASCIIWord(l.word) && !wordBounded(lower, at, len(l.word)) {
			continue
		}
		if end := at + len(l.word); end > bestAt {
			bestAt, best = end, l.ident
		}
	}
	if bestAt < 0 {
		return IdentNone
	}
	// Whatever stands between the label and the number must be short: "卡号
	// 6222…" but not "卡 was lost yesterday, my merchant 6222…".
	if utf8.RuneCountInString(strings.TrimSpace(lower[bestAt:])) > 6 {
		return IdentNone
	}
	return best
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// wordBounded reports whether s[at:at+n] is not part of a longer Latin word.
func wordBounded(s string, at, n int) bool {
	if at > 0 && isLetter(s[at-1]) {
		return false
	}
	return at+n >= len(s) || !isLetter(s[at+n])
}

// isGroupSeparator reports whether r may stand between two digit groups of
// one number: spaces and newlines, hyphens and dashes, dots, slashes,
// underscores and invisible format characters, in ASCII or full width.
func isGroupSeparator(r rune) bool {
	switch r {
	case '-', '.', '/', '_', '·', '‐', '‑', '‒', '–', '—', '－', '．', '／', '＿', '・', '\\', '|':
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// digitValue returns the value of a decimal digit in any script.
func digitValue(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if r < utf8.RuneSelf {
		return 0, false
	}
	if r >= '０' && r <= '９' {
		return int(r - '０'), true
	}
	if !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 { // every range of Nd starts at a zero
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}

func isDigitRune(r rune) bool { _, ok := digitValue(r); return ok }

// countDigits counts the digits of s, stopping at 13.
func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s) && n < 13; {
		c := s[i]
		if c < utf8.RuneSelf {
			if isDigit(c) {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isDigitRune(r) {
			n++
		}
		i += size
	}
	return n
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
	return isDated([]byte(run))
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
	for _, r := range s {
		if v, ok := digitValue(r); ok {
			d = append(d, byte('0'+v))
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
