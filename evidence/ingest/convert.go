package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

var errInvalid = evidence.ErrInvalid

// converter turns the cells of one statement row into a Transaction.
type converter struct {
	f     *format
	role  evidence.Role
	sheet bool // cells come from a spreadsheet: numbers may be binary doubles, times Excel serials
	col   map[Field]int
	// fen and rate units come from the header: "交易金额(分)", "费率(万分之一)".
	fenCols  map[int]bool
	rateUnit float64 // multiply a rate cell by this to get a fraction; 0 = guess per cell
	width    int
	// dedupe: occurrences of each content key in this file, so two identical
	// rows stay two transactions while a re-import of the file still matches.
	seen map[string]int
	// unknown status values, in order of first appearance, with their count.
	statusOrder []string
	statusSeen  map[string]*statusCount
}

type statusCount struct {
	line, n int
}

func newConverter(f *format, header []string, m Mapping, role evidence.Role, sheet bool) *converter {
	c := &converter{f: f, role: role, sheet: sheet, col: map[Field]int{}, fenCols: map[int]bool{},
		width: len(header), seen: map[string]int{}, statusSeen: map[string]*statusCount{}}
	for i, h := range header {
		field, ok := m[h]
		if !ok || field == FieldIgnore {
			continue
		}
		if _, dup := c.col[field]; dup {
			continue
		}
		c.col[field] = i
		n := normHeader(h)
		if strings.Contains(n, "(分)") {
			c.fenCols[i] = true
		}
		if field == FieldRate {
			switch {
			case strings.Contains(n, "万分") || strings.Contains(n, "‱") || strings.Contains(n, "bp"):
				c.rateUnit = 1e-4
			case strings.Contains(n, "%"):
				c.rateUnit = 1e-2
			}
		}
	}
	return c
}

func (c *converter) cell(cells []string, f Field) string {
	i, ok := c.col[f]
	if !ok || i >= len(cells) {
		return ""
	}
	return cells[i]
}

func (c *converter) has(f Field) bool { _, ok := c.col[f]; return ok }

// rowError is why a row was skipped, in Chinese and English.
type rowError struct{ zh, en string }

func (e rowError) Error() string { return e.en }

// skipf makes a rowError; zh and en are formats taking the same args.
func skipf(zh, en string, args ...any) error {
	return rowError{fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...)}
}

// convert maps one data row. A rowError means the row is skipped with that reason.
func (c *converter) convert(cells []string, line int) (evidence.Transaction, error) {
	t := evidence.Transaction{Source: c.f.source, Channel: c.f.channel, SourceRow: line, Currency: "CNY"}
	when, err := c.time(cells)
	if err != nil {
		return t, err
	}
	t.Time = when
	t.Status = c.cell(cells, FieldStatus)
	t.Type = c.cell(cells, FieldType)
	if t.Type == "" {
		t.Type = c.cell(cells, FieldCategory)
	}
	t.Merchant = c.cell(cells, FieldMerchant)
	if t.Merchant == "" || t.Merchant == "/" {
		t.Merchant = c.cell(cells, FieldPlace)
	}
	t.MerchantNo = c.cell(cells, FieldMerchantNo)
	t.TerminalNo = c.cell(cells, FieldTerminalNo)
	t.RRN = c.cell(cells, FieldRRN)
	t.Voucher = c.cell(cells, FieldVoucher)
	t.Batch = c.cell(cells, FieldBatch)
	t.AuthCode = c.cell(cells, FieldAuthCode)
	t.Acquirer = c.cell(cells, FieldAcquirer)
	t.Issuer = c.cell(cells, FieldIssuer)
	if card := c.cell(cells, FieldCard); card != "" {
		t.CardLast4 = cardLast4(card)
	}
	if ch := c.cell(cells, FieldChannel); ch != "" {
		t.Channel = ch
	}
	if t.Channel == "" && (t.TerminalNo != "" || t.RRN != "" || t.Voucher != "" || t.MerchantNo != "") {
		t.Channel = "POS"
	}
	if err := c.money(cells, &t); err != nil {
		return t, err
	}
	if cur := c.cell(cells, FieldCurrency); cur != "" {
		t.Currency = currencyCode(cur)
	}
	t.OrderNo = c.cell(cells, FieldOrderNo)
	t.Description = c.cell(cells, FieldDescription)
	// The note gathers the cells that have no field of their own, built
	// in one allocation: this runs for every row of a 100,000-row file.
	var parts [5]string
	var labels = [5]string{"", "支付方式 ", "商户单号 ", "对方账号 ", "余额 "}
	parts[0] = c.cell(cells, FieldNote)
	if pm := c.cell(cells, FieldPayMethod); pm != "" && pm != "/" {
		issuer, last4 := payMethod(pm)
		if t.CardLast4 == "" {
			t.CardLast4 = last4
		}
		if t.Issuer == "" && last4 != "" {
			t.Issuer = issuer
		}
		parts[1] = pm
	}
	parts[2] = c.cell(cells, FieldMerchantOrder)
	parts[3] = c.cell(cells, FieldCounterparty)
	parts[4] = c.cell(cells, FieldBalance)
	n := 0
	for i, p := range parts {
		if p == "/" {
			parts[i] = ""
		} else if p != "" {
			n += len(labels[i]) + len(p) + 2
		}
	}
	if n > 0 {
		var b strings.Builder
		b.Grow(n)
		for i, p := range parts {
			if p == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(labels[i])
			b.WriteString(p)
		}
		t.Note = b.String()
	}
	t.DedupeKey = c.dedupeKey(&t, cells)
	return t, nil
}

// time reads the row's time from a date-time column, or a date and a time
// of day column.
func (c *converter) time(cells []string) (time.Time, error) {
	dt, d, clock := c.cell(cells, FieldTime), c.cell(cells, FieldDate), c.cell(cells, FieldClock)
	if dt != "" && d != "" && clock == "" && looksLikeClock(dt) {
		dt, clock = "", dt // CCB: 交易日期 and 交易时间 hold the date and the time of day
	}
	if dt == "" {
		dt = d
	}
	if dt == "" {
		return time.Time{}, skipf("没有日期", "no date")
	}
	when, err := c.parseTime(dt)
	if err != nil {
		return time.Time{}, skipf("日期 %q 无法识别", "date %q is not a date", dt)
	}
	if clock != "" {
		if h, m, s, ok := parseClock(clock); ok {
			when = time.Date(when.Year(), when.Month(), when.Day(), h, m, s, 0, when.Location())
		} else if full, err := c.parseTime(clock); err == nil {
			when = full // the "time of day" column holds the whole date and time
		} else {
			return time.Time{}, skipf("时间 %q 无法识别", "time of day %q is not a time", clock)
		}
	}
	return when, nil
}

func (c *converter) parseTime(s string) (time.Time, error) {
	if t, ok := fastTime(s); ok {
		return t, nil
	}
	if c.sheet {
		if v, err := strconv.ParseFloat(s, 64); err == nil && v > 1 && v < 2958466 {
			return excelSerial(v), nil
		}
	}
	return evidence.ParseLocalTime(s, evidence.Shanghai)
}

// fastTime reads "2006-01-02 15:04:05" (and with '/') without the cost of
// trying every layout: nearly every statement row is written so.
func fastTime(s string) (time.Time, bool) {
	if len(s) != 19 || (s[4] != '-' && s[4] != '/') || s[7] != s[4] || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	n := func(i, j int) int {
		v := 0
		for k := i; k < j; k++ {
			d := s[k]
			if d < '0' || d > '9' {
				return -1
			}
			v = v*10 + int(d-'0')
		}
		return v
	}
	y, mo, d, h, mi, se := n(0, 4), n(5, 7), n(8, 10), n(11, 13), n(14, 16), n(17, 19)
	if y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, se, 0, evidence.Shanghai)
	if t.Day() != d { // 2月30日 rolled over
		return time.Time{}, false
	}
	return t, true
}

// excelSerial converts a spreadsheet date serial (days since 1899-12-30) to
// the wall-clock time it shows, in Shanghai.
func excelSerial(v float64) time.Time {
	days := math.Floor(v)
	secs := int(math.Round((v - days) * 86400))
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, evidence.Shanghai)
	return base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
}

func looksLikeClock(s string) bool {
	_, _, _, ok := parseClock(s)
	return ok
}

// parseClock reads "14:03:22", "14:03", "140322" or a spreadsheet day fraction.
func parseClock(s string) (h, m, sec int, ok bool) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ":")
	if len(parts) == 1 && len(s) == 6 {
		parts = []string{s[0:2], s[2:4], s[4:6]}
	}
	if len(parts) < 2 || len(parts) > 3 {
		if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 0 && v < 1 && strings.Contains(s, ".") {
			total := int(math.Round(v * 86400))
			return total / 3600, total / 60 % 60, total % 60, true
		}
		return 0, 0, 0, false
	}
	var v [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) > 2 {
			return 0, 0, 0, false
		}
		v[i] = n
	}
	if v[0] > 23 || v[1] > 59 || v[2] > 59 {
		return 0, 0, 0, false
	}
	return v[0], v[1], v[2], true
}

// money sets the amount, fee and direction.
func (c *converter) money(cells []string, t *evidence.Transaction) error {
	var amount evidence.Money
	sign := 0 // -1 the amount said debit, +1 credit, 0 it did not say
	switch {
	case c.has(FieldAmount):
		a, err := c.amount(cells, FieldAmount)
		if errors.Is(err, evidence.ErrNoAmount) {
			return skipf("没有金额", "no amount")
		}
		if err != nil {
			return err
		}
		amount = a
		if a < 0 {
			amount, sign = -a, -1
		}
	case c.has(FieldIncome) || c.has(FieldExpense):
		in, errIn := c.amount(cells, FieldIncome)
		out, errOut := c.amount(cells, FieldExpense)
		if errIn != nil && !errors.Is(errIn, evidence.ErrNoAmount) {
			return errIn
		}
		if errOut != nil && !errors.Is(errOut, evidence.ErrNoAmount) {
			return errOut
		}
		switch {
		case out != 0 && in != 0:
			return skipf("同一行既有收入 %s 又有支出 %s", "both income %s and expense %s on one row", in.Yuan(), out.Yuan())
		case out != 0:
			amount, sign = abs(out), -1
		case in != 0:
			amount, sign = abs(in), 1
		case errIn != nil && errOut != nil:
			return skipf("没有金额", "no amount")
		}
	default:
		return skipf("没有金额列", "no amount column")
	}
	t.Amount = amount
	if c.has(FieldFee) {
		if fee, err := c.amount(cells, FieldFee); err == nil {
			t.Fee = abs(fee)
		} else if !errors.Is(err, evidence.ErrNoAmount) {
			return err
		}
	}
	if t.Fee == 0 && c.has(FieldNet) {
		if net, err := c.amount(cells, FieldNet); err == nil && abs(net) <= amount {
			t.Fee = amount - abs(net)
		}
	}
	if r := c.cell(cells, FieldRate); r != "" {
		// A rate above 100% is a misread column, not a fee.
		if frac, ok := c.rate(r); ok && frac <= 1 && t.Fee == 0 && !c.has(FieldFee) && !c.has(FieldNet) {
			t.Fee = evidence.Money(math.Round(float64(amount) * frac))
		}
	}
	t.Direction = c.direction(cells, sign, t)
	return nil
}

func abs(m evidence.Money) evidence.Money {
	if m < 0 {
		return -m
	}
	return m
}

// amount parses a money cell in yuan, or fen when the header says (分).
func (c *converter) amount(cells []string, f Field) (evidence.Money, error) {
	s := c.cell(cells, f)
	if c.fenCols[c.col[f]] {
		s = strings.TrimSpace(s)
		if s == "" || s == "/" || s == "-" || s == "--" {
			return 0, evidence.ErrNoAmount
		}
		v, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
		if err != nil {
			return 0, skipf("以分为单位的金额 %q 不是整数", "amount in fen %q is not a whole number", s)
		}
		return evidence.Money(v), nil
	}
	if m, ok := plainMoney(s); ok {
		return m, nil
	}
	m, err := evidence.ParseMoney(s)
	if err == nil || errors.Is(err, evidence.ErrNoAmount) {
		return m, err
	}
	if c.sheet {
		// A spreadsheet number is a binary double: 28.16 may be stored as
		// 28.159999999999997. The nearest fen is the value the sheet shows.
		if v, ferr := strconv.ParseFloat(s, 64); ferr == nil && math.Abs(v) < 1e13 {
			return evidence.Money(math.Round(v * 100)), nil
		}
	}
	return 0, skipf("金额 %q 无法识别", "amount %q is not an amount", s)
}

// rate reads a fee rate as a fraction: "0.38%", "38" (万分之 by header),
// "0.0038".
func (c *converter) rate(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	unit := c.rateUnit
	if strings.HasSuffix(s, "%") {
		s, unit = strings.TrimSuffix(s, "%"), 1e-2
	} else if strings.HasSuffix(s, "‱") {
		s, unit = strings.TrimSuffix(s, "‱"), 1e-4
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	if unit == 0 {
		switch {
		case v < 0.1:
			unit = 1 // already a fraction
		case v < 10:
			unit = 1e-2 // 0.38 = 0.38 %
		default:
			unit = 1e-4 // 38 = 万分之三十八
		}
	}
	return v * unit, true
}

// direction decides which way the money moved: the 收/支 column, else the
// income or expense column or the amount's sign, else the type and the role
// of whoever's statement this is.
func (c *converter) direction(cells []string, sign int, t *evidence.Transaction) evidence.Direction {
	if d, ok := parseDirection(c.cell(cells, FieldDirection)); ok {
		return d
	}
	switch sign {
	case -1:
		return evidence.Debit
	case 1:
		return evidence.Credit
	}
	reverse := isReversal(t.Type) || isReversal(t.Status)
	if c.role == evidence.RoleMerchant || t.Channel == "POS" && c.role != evidence.RoleConsumer {
		// An acquirer export: sales are money in, reversals and refunds money out.
		if reverse {
			return evidence.Debit
		}
		return evidence.Credit
	}
	if reverse {
		return evidence.Credit
	}
	return evidence.Debit
}

func parseDirection(s string) (evidence.Direction, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "支出", "支", "付款", "借", "借方", "出", "debit", "dr", "d", "out", "expense", "-":
		return evidence.Debit, true
	case "收入", "收", "收款", "贷", "贷方", "入", "credit", "cr", "c", "in", "income", "+":
		return evidence.Credit, true
	case "不计收支", "/", "其他", "neutral":
		return evidence.Neutral, true
	}
	return "", false
}

// isReversal reports whether a type or status names money going back:
// 撤销, 冲正, 退货, 退款.
func isReversal(s string) bool {
	return strings.Contains(s, "撤销") || strings.Contains(s, "冲正") || strings.Contains(s, "退货") || strings.Contains(s, "退款")
}

// cardLast4 is evidence.CardLast4 without allocating when the cell ends
// in four digits ("6222****7890"), as card columns do.
func cardLast4(s string) string {
	if n := len(s); n >= 4 && isDigits(s[n-4:]) {
		return s[n-4:]
	}
	return evidence.CardLast4(s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// payMethod splits "招商银行信用卡(1234)" into the bank and the card tail.
func payMethod(s string) (issuer, last4 string) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "（", "("), "）", ")")
	open := strings.LastIndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return s, ""
	}
	tail := s[open+1 : len(s)-1]
	if len(tail) != 4 {
		return s, ""
	}
	for i := 0; i < 4; i++ {
		if tail[i] < '0' || tail[i] > '9' {
			return s, ""
		}
	}
	return strings.TrimSpace(s[:open]), tail
}

func currencyCode(s string) string {
	switch strings.TrimSpace(s) {
	case "人民币", "人民币元", "RMB", "rmb", "CNY", "cny", "本币":
		return "CNY"
	case "美元":
		return "USD"
	case "港币", "港元":
		return "HKD"
	case "欧元":
		return "EUR"
	case "日元":
		return "JPY"
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

// dedupeKey is the row's identity across imports: the source and its order or
// reference number when it has one, else a hash of the row's normalised
// content with the number of identical rows before it in the file.
func (c *converter) dedupeKey(t *evidence.Transaction, cells []string) string {
	src := c.f.source
	switch {
	case t.OrderNo != "" && t.OrderNo != "/":
		return src + ":order:" + t.OrderNo
	case t.RRN != "":
		return src + ":rrn:" + t.TerminalNo + ":" + t.RRN
	case t.Voucher != "" && t.TerminalNo != "":
		return src + ":voucher:" + t.TerminalNo + ":" + t.Batch + ":" + t.Voucher + ":" + t.Time.Format("20060102")
	}
	h := sha256.New()
	for _, s := range []string{t.Time.UTC().Format(time.RFC3339), strconv.FormatInt(int64(t.Amount), 10),
		string(t.Direction), t.Merchant, t.Type, t.Description, c.cell(cells, FieldBalance),
		c.cell(cells, FieldCounterparty), t.CardLast4} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	key := src + ":row:" + hex.EncodeToString(h.Sum(nil)[:16])
	n := c.seen[key]
	c.seen[key] = n + 1
	if n > 0 {
		key += "#" + strconv.Itoa(n+1)
	}
	return key
}

// noteStatus remembers a status value the format does not know.
func (c *converter) noteStatus(s string, line int) {
	if c.f.knownStatus(s) {
		return
	}
	if sc, ok := c.statusSeen[s]; ok {
		sc.n++
		return
	}
	if len(c.statusOrder) >= maxListed {
		return
	}
	c.statusSeen[s] = &statusCount{line: line, n: 1}
	c.statusOrder = append(c.statusOrder, s)
}

// plainMoney reads the amounts nearly every row has, "28.16", "-5.00",
// "¥28.16", as evidence.ParseMoney would, without its allocation; false
// sends anything else (full-width digits, separators, placeholders) there.
func plainMoney(s string) (evidence.Money, bool) {
	neg := false
	for k := 0; k < 2 && s != ""; k++ {
		switch {
		case s[0] == '-' && !neg:
			neg, s = true, s[1:]
		case strings.HasPrefix(s, "¥"):
			s = s[len("¥"):]
		case strings.HasPrefix(s, "￥"):
			s = s[len("￥"):]
		}
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 15 || len(frac) > 2 || (dot && frac == "") {
		return 0, false
	}
	var fen int64
	for i := 0; i < len(whole); i++ {
		c := whole[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		fen = fen*10 + int64(c-'0')
	}
	for i := 0; i < 2; i++ {
		fen *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			fen += int64(c - '0')
		}
	}
	if neg {
		fen = -fen
	}
	return evidence.Money(fen), true
}
