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
	// sign is what a single amount column's sign means in this file.
	sign signRule
	// periodYear and periodMonth are the statement period (账单月) for dates
	// written without a year ("12/29"); 0 when the file does not state it.
	periodYear, periodMonth int
	// guessed counts rows whose direction the file did not state, with the
	// first one's line; mangled counts Excel-mangled reference numbers.
	guessed, guessedLine int
	guessedSales         bool // some were taken as a merchant's sales (money in)
	mangled, mangledLine int
	// ambiguousDates counts dates like 03/04/2024 that could be either way
	// (read day first unless monthFirst); provedDayFirst and
	// provedMonthFirst record dates that can only be read one way.
	ambiguousDates                   int
	provedDayFirst, provedMonthFirst bool
	monthFirst                       bool // Options.DateOrder is month first
	// flows sums what was read, per currency, to compare with the totals an
	// export states and to show a preview.
	flows map[string]*Flow
	// scratch of one amount cell: its currency and a note in brackets.
	cellCur, cellNote string
	keyBuf            []byte // scratch of dedupeKey
	lastFlow          *Flow  // the flow of the last row's currency
	// columns of fields most files lack, looked up once: -1 when absent.
	colPlace, colRefund, colPostDate int
}

type statusCount struct {
	line, n int
}

func newConverter(f *format, header []string, m Mapping, role evidence.Role, sheet bool) *converter {
	c := &converter{f: f, role: role, sheet: sheet, col: map[Field]int{}, fenCols: map[int]bool{},
		width: len(header), seen: map[string]int{}, statusSeen: map[string]*statusCount{}, sign: f.sign,
		flows: map[string]*Flow{}, colPlace: -1, colRefund: -1, colPostDate: -1}
	for i, h := range header {
		field, ok := m[h]
		if !ok || field == FieldIgnore {
			continue
		}
		if _, dup := c.col[field]; dup {
			continue
		}
		c.col[field] = i
		switch field {
		case FieldPlace:
			c.colPlace = i
		case FieldRefund:
			c.colRefund = i
		case FieldPostDate:
			c.colPostDate = i
		}
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
	via := ""
	place := ""
	if c.colPlace >= 0 && c.colPlace < len(cells) {
		place = cells[c.colPlace]
	}
	if t.Merchant == "" || t.Merchant == "/" || c.f.placeFirst && meaningful(place) && !channelPlace(place) && intermediary(t.Merchant) {
		// CCB's 交易地点 and ICBC's 交易场所 name the shop; the counterparty
		// is often only the payment company (财付通), kept in the note.
		if meaningful(place) {
			if t.Merchant != "" && t.Merchant != "/" && t.Merchant != place {
				via = "对方户名 " + t.Merchant
			}
			t.Merchant = place
		}
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
	t.Description = c.cell(cells, FieldDescription)
	if c.f.splitType {
		c.splitType(&t)
	}
	if cur := c.cell(cells, FieldCurrency); cur != "" {
		t.Currency = currencyCode(cur)
	}
	if err := c.money(cells, &t, line); err != nil {
		return t, err
	}
	t.OrderNo = c.cell(cells, FieldOrderNo)
	// A number Excel rounded (2.02401E+27) is shared by many rows: kept in
	// the note as it reads, never as an order or reference number that
	// would tie unrelated rows together (dedupe, refund links).
	mangled := ""
	if t.OrderNo != "" && c.mangledNumber(t.OrderNo, line) {
		mangled, t.OrderNo = "订单号(Excel改写) "+t.OrderNo, ""
	}
	if t.RRN != "" && c.mangledNumber(t.RRN, line) {
		mangled, t.RRN = joinNote(mangled, "参考号(Excel改写) "+t.RRN), ""
	}
	// The note gathers the cells that have no field of their own, built
	// in one allocation: this runs for every row of a 100,000-row file.
	var parts [5]string
	var labels = [5]string{"", "支付方式 ", "商户单号 ", "对方账号 ", "余额 "}
	parts[0] = c.cell(cells, FieldNote)
	if t.Issuer == "" && t.CardLast4 != "" {
		t.Issuer = c.f.issuer
	}
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
	parts[0] = joinNote(joinNote(joinNote(parts[0], c.cellNote), via), mangled)
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
	t.DedupeKey = c.dedupeKey(&t, cells, line)
	c.count(&t)
	return t, nil
}

// intermediary reports whether a counterparty is a payment company or a
// clearing account rather than the shop: then the place names the shop.
func intermediary(name string) bool {
	for _, w := range []string{"财付通", "支付宝", "银联", "网银在线", "清算", "快钱", "拉卡拉", "银联商务", "收钱吧", "通联", "支付科技", "网络技术", "平台商户"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// channelPlace reports whether a 交易地点 cell names a channel, not a place.
func channelPlace(s string) bool {
	switch s {
	case "手机银行", "网上银行", "网银", "柜台", "批处理", "其他", "ATM", "电话银行", "自助终端", "微信银行":
		return true
	}
	return false
}

// meaningful reports whether a cell says something: not empty and not a
// placeholder like "/" or "-------".
func meaningful(s string) bool {
	return strings.Trim(s, "/-— ") != ""
}

func joinNote(a, b string) string {
	switch {
	case b == "":
		return a
	case a == "":
		return b
	}
	return a + "; " + b
}

// splitType takes the type off the front of a description: "消费 美团",
// "退货 支付宝-滴滴", "（退款）某商户". The rest is the merchant when there is
// no merchant column.
func (c *converter) splitType(t *evidence.Transaction) {
	d := strings.TrimSpace(t.Description)
	var typ, rest string
	switch {
	case strings.HasPrefix(d, "（") || strings.HasPrefix(d, "("):
		d = strings.NewReplacer("（", "(", "）", ")").Replace(d)
		end := strings.IndexByte(d, ')')
		if end < 0 {
			return
		}
		typ, rest = d[1:end], strings.TrimSpace(d[end+1:])
	default:
		var ok bool
		typ, rest, ok = strings.Cut(d, " ")
		if !ok || len(typ) > 18 { // six CJK characters at most
			return
		}
	}
	if t.Type == "" {
		t.Type = typ
	}
	if t.Merchant == "" {
		t.Merchant = strings.TrimSpace(rest)
	}
}

// count adds t to the file's flows.
func (c *converter) count(t *evidence.Transaction) {
	fl := c.lastFlow
	if fl == nil || fl.Currency != t.Currency {
		if fl = c.flows[t.Currency]; fl == nil {
			fl = &Flow{Currency: t.Currency}
			c.flows[t.Currency] = fl
		}
		c.lastFlow = fl
	}
	switch t.Direction {
	case evidence.Credit:
		fl.InRows++
		fl.In = addCapped(fl.In, t.Amount)
	case evidence.Debit:
		fl.OutRows++
		fl.Out = addCapped(fl.Out, t.Amount)
	default:
		fl.NeutralRows++
		fl.Neutral = addCapped(fl.Neutral, t.Amount)
	}
}

// addCapped adds without wrapping around: a sum past the largest Money stays there.
func addCapped(a, b evidence.Money) evidence.Money {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// Flow is what a file's rows add up to in one currency: money in, out and
// neither (不计收支), with the number of rows. Amounts in different
// currencies are never added together.
type Flow struct {
	Currency    string         `json:"currency"`
	InRows      int            `json:"in_rows"`
	In          evidence.Money `json:"in"`
	OutRows     int            `json:"out_rows"`
	Out         evidence.Money `json:"out"`
	NeutralRows int            `json:"neutral_rows,omitempty"`
	Neutral     evidence.Money `json:"neutral,omitempty"`
}

// time reads the row's time from a date-time column, or a date and a time
// of day column; a row without a transaction date takes its posting date
// (招商银行信用卡: repayments have no 交易日).
func (c *converter) time(cells []string) (time.Time, error) {
	dt, d, clock := c.cell(cells, FieldTime), c.cell(cells, FieldDate), c.cell(cells, FieldClock)
	if dt != "" && d != "" && clock == "" && looksLikeClock(dt) {
		dt, clock = "", dt // CCB: 交易日期 and 交易时间 hold the date and the time of day
	}
	if dt == "" {
		dt = d
	}
	if dt == "" && c.colPostDate >= 0 {
		dt = c.cell(cells, FieldPostDate)
	}
	if dt == "" {
		return time.Time{}, skipf("没有日期", "no date")
	}
	when, err := c.parseTime(dt)
	if err != nil {
		var re rowError
		if errors.As(err, &re) {
			return time.Time{}, err
		}
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
	t, err := evidence.ParseLocalTime(s, evidence.Shanghai)
	if err == nil {
		return t, nil
	}
	if m, d, ok := monthDay(s); ok {
		if c.periodYear == 0 {
			return time.Time{}, skipf("日期 %q 没有年份，文件也没有写明账单期", "date %q has no year and the file states no statement period", s)
		}
		y := c.periodYear
		if m > c.periodMonth {
			y-- // December's rows on January's statement
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, evidence.Shanghai)
		if t.Day() != d {
			return time.Time{}, err
		}
		return t, nil
	}
	prefer := c.monthFirst // once a date proves the order, the file's other dates follow it
	if c.provedMonthFirst != c.provedDayFirst {
		prefer = c.provedMonthFirst
	}
	if t, dayFirst, monthFirst, ok := slashDate(s, prefer); ok {
		switch {
		case dayFirst:
			c.provedDayFirst = true
		case monthFirst:
			c.provedMonthFirst = true
		default:
			if a, b, _ := strings.Cut(s, "/"); a != strings.SplitN(b, "/", 2)[0] && !c.provedDayFirst && !c.provedMonthFirst {
				c.ambiguousDates++ // read before anything proved the order
			}
		}
		return t, nil
	}
	return time.Time{}, err
}

// monthDay reads "12/29" or "01-03": a date without its year.
func monthDay(s string) (m, d int, ok bool) {
	if len(s) < 3 || len(s) > 5 {
		return 0, 0, false
	}
	a, b, found := strings.Cut(s, "/")
	if !found {
		a, b, found = strings.Cut(s, "-")
	}
	if !found || len(a) == 0 || len(a) > 2 || len(b) == 0 || len(b) > 2 || !isDigits(a) || !isDigits(b) {
		return 0, 0, false
	}
	m, _ = strconv.Atoi(a)
	d, _ = strconv.Atoi(b)
	return m, d, m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// slashDate reads a date written DD/MM/YYYY — or MM/DD/YYYY when monthFirst
// is set or the second number cannot be a month — with an optional time
// after a space. It reports the order the date itself proves: dayFirst
// (13/01/2025) or monthFirst (01/13/2025), neither for 03/04/2025.
func slashDate(s string, preferMonthFirst bool) (t time.Time, dayFirst, monthFirst bool, ok bool) {
	date, clock, _ := strings.Cut(strings.TrimSpace(s), " ")
	p := strings.Split(date, "/")
	if len(p) != 3 || len(p[2]) != 4 || len(p[0]) > 2 || len(p[1]) > 2 || !isDigits(p[0]) || !isDigits(p[1]) || !isDigits(p[2]) || p[0] == "" || p[1] == "" {
		return time.Time{}, false, false, false
	}
	a, _ := strconv.Atoi(p[0])
	b, _ := strconv.Atoi(p[1])
	y, _ := strconv.Atoi(p[2])
	d, m := a, b
	switch {
	case a > 12 && b <= 12:
		dayFirst = true
	case b > 12 && a <= 12:
		d, m, monthFirst = b, a, true
	case a <= 12 && b <= 12:
		if preferMonthFirst {
			d, m = b, a
		}
	default:
		return time.Time{}, false, false, false
	}
	h, mi, sec := 0, 0, 0
	if clock != "" {
		var okc bool
		if h, mi, sec, okc = parseClock(clock); !okc {
			return time.Time{}, false, false, false
		}
	}
	t = time.Date(y, time.Month(m), d, h, mi, sec, 0, evidence.Shanghai)
	if t.Day() != d || m < 1 || m > 12 {
		return time.Time{}, false, false, false
	}
	return t, dayFirst, monthFirst, true
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
func (c *converter) money(cells []string, t *evidence.Transaction, line int) error {
	var amount evidence.Money
	c.cellCur, c.cellNote = "", ""
	sign := 0       // the amount's sign: -1 negative, +1 positive
	column := false // the direction comes from separate in and out columns
	switch {
	case c.has(FieldAmount):
		a, err := c.amount(cells, FieldAmount)
		if errors.Is(err, evidence.ErrNoAmount) {
			return skipf("没有金额", "no amount")
		}
		if err != nil {
			return err
		}
		amount, sign = a, 1
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
		column = true
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
	if c.cellCur != "" {
		t.Currency = c.cellCur
	}
	refund := false
	if c.colRefund >= 0 {
		// A merchant bill's refund row: 退款金额 is what went back.
		if r, err := c.amount(cells, FieldRefund); err == nil && r != 0 {
			amount, sign, column, refund = abs(r), 1, false, true
			if t.Type == "" {
				t.Type = "退款"
			}
		}
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
	if refund {
		t.Direction = evidence.Credit // a consumer's refund
		if c.f.sales || c.role == evidence.RoleMerchant {
			t.Direction = evidence.Debit
		}
		return nil
	}
	t.Direction = c.direction(cells, sign, column, t, line)
	return nil
}

func abs(m evidence.Money) evidence.Money {
	if m < 0 {
		return -m
	}
	return m
}

// amount parses a money cell in yuan, or fen when the header says (分),
// and skips a row whose amount is above evidence.MaxAmount.
func (c *converter) amount(cells []string, f Field) (evidence.Money, error) {
	m, err := c.readAmount(cells, f)
	if err == nil && abs(m) > evidence.MaxAmount {
		return 0, skipf("金额 %s 超过单笔金额上限 %s", "amount %s is more than the most DisputeKit takes for one amount, %s", m, evidence.MaxAmount)
	}
	return m, err
}

func (c *converter) readAmount(cells []string, f Field) (evidence.Money, error) {
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
	s, cur, note := splitAmountText(s)
	if cur != "" && f == FieldAmount {
		c.cellCur = cur
	}
	if note != "" && f == FieldAmount {
		c.cellNote = note
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

// splitAmountText takes what is not the number off an amount cell: a
// currency code before or after it ("JPY 1000.00", "3.72 USD", "CNY 123.18")
// and a remark in brackets after it ("131.77(已退款89.84)", "8,000.00(CN)").
func splitAmountText(s string) (num, currency, note string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "(（"); i > 0 {
		rest := s[i:]
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "("), "（")
		rest = strings.TrimSuffix(strings.TrimSuffix(rest, ")"), "）")
		s, note = strings.TrimSpace(s[:i]), strings.TrimSpace(rest)
		if len(note) == 2 && isUpper(note) {
			note = "" // a country code, (CN)
		}
	}
	if len(s) > 3 && isUpper(s[:3]) && (s[3] == ' ' || s[3] == '-' || s[3] >= '0' && s[3] <= '9') {
		currency, s = s[:3], strings.TrimSpace(s[3:])
	} else if n := len(s); n > 4 && isUpper(s[n-3:]) && s[n-4] == ' ' {
		currency, s = s[n-3:], strings.TrimSpace(s[:n-4])
	}
	if currency == "RMB" {
		currency = "CNY"
	}
	return s, currency, note
}

func isUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
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

// direction decides which way the money moved, from what the file says: a
// 收/支 or 借/贷 column, separate in and out columns, or the amount's sign
// read by the file's convention (an account statement's positive is money
// in, a card statement's money out). When the file says none of these, the
// row's type and whose statement it is decide, and the row is counted as
// guessed so that the report says so.
func (c *converter) direction(cells []string, sign int, column bool, t *evidence.Transaction, line int) evidence.Direction {
	if d, ok := parseDirection(c.cell(cells, FieldDirection)); ok {
		return d
	}
	if column {
		if sign < 0 {
			return evidence.Debit
		}
		return evidence.Credit
	}
	switch c.sign {
	case signPositiveIn:
		if sign < 0 {
			return evidence.Debit
		}
		return evidence.Credit
	case signPositiveOut:
		if sign < 0 {
			return evidence.Credit
		}
		return evidence.Debit
	}
	merchant := c.f.sales || c.role == evidence.RoleMerchant || t.Channel == "POS" && c.role != evidence.RoleConsumer
	back := isReversal(t.Type) || isReversal(t.Status) || moneyBack(t.Description, c.f.channel == "card")
	// An acquirer export read for a merchant states each row's kind (消费,
	// 消费撤销, 退货): its direction follows from it, not a guess.
	statedByType := merchant && c.role == evidence.RoleMerchant && t.Type != ""
	if c.sign != signByType && !statedByType {
		if c.guessed++; c.guessed == 1 {
			c.guessedLine = line
		}
		c.guessedSales = c.guessedSales || merchant
	}
	in := !back // an acquirer export: sales are money in, reversals and refunds money out
	if !merchant {
		in = back // a consumer's statement: payments out, refunds and repayments in
	}
	if sign < 0 {
		in = !in // a negative amount goes the other way than a positive one
	}
	if in {
		return evidence.Credit
	}
	return evidence.Debit
}

// parseDirection reads a 收/支 or 借/贷 cell: "支出", "贷", "贷 Cr", "D".
func parseDirection(s string) (evidence.Direction, bool) {
	if d, ok := directionWords[s]; ok { // as nearly every row writes it: 支出, 收入
		return d, true
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if d, ok := directionWords[s]; ok {
		return d, true
	}
	if first, _, ok := strings.Cut(s, " "); ok { // "贷 cr", "借 dr"
		d, ok := directionWords[first]
		return d, ok
	}
	return "", false
}

var directionWords = map[string]evidence.Direction{
	"支出": evidence.Debit, "支": evidence.Debit, "付款": evidence.Debit, "借": evidence.Debit, "借方": evidence.Debit,
	"出": evidence.Debit, "debit": evidence.Debit, "dr": evidence.Debit, "d": evidence.Debit, "out": evidence.Debit,
	"expense": evidence.Debit, "-": evidence.Debit, "支取": evidence.Debit, "转出": evidence.Debit,
	"收入": evidence.Credit, "收": evidence.Credit, "收款": evidence.Credit, "贷": evidence.Credit, "贷方": evidence.Credit,
	"入": evidence.Credit, "credit": evidence.Credit, "cr": evidence.Credit, "c": evidence.Credit, "in": evidence.Credit,
	"income": evidence.Credit, "+": evidence.Credit, "存入": evidence.Credit, "转入": evidence.Credit,
	"不计收支": evidence.Neutral, "/": evidence.Neutral, "其他": evidence.Neutral, "neutral": evidence.Neutral,
}

// moneyBack reports whether a description starts by naming money coming
// back to a card: 退货, 退款, 还款 (a card statement's repayment).
func moneyBack(s string, card bool) bool {
	s = strings.TrimLeft(s, "（( ")
	return strings.HasPrefix(s, "退货") || strings.HasPrefix(s, "退款") || card && strings.Contains(s, "还款")
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

// payMethod splits "招商银行信用卡(1234)" into the bank and the card tail;
// the tail may be followed by more ("招商银行信用卡(2542)&碰一下立减").
func payMethod(s string) (issuer, last4 string) {
	if strings.Contains(s, "（") || strings.Contains(s, "）") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "（", "("), "）", ")")
	}
	for end := len(s); end > 0; {
		open := strings.LastIndexByte(s[:end], '(')
		if open < 0 {
			break
		}
		if open+6 <= len(s) && s[open+5] == ')' && isDigits(s[open+1:open+5]) {
			issuer = strings.TrimSpace(s[:open])
			// "…&招商银行信用卡(2542)": the bank is after the last separator.
			cut := max(strings.LastIndexByte(issuer, '&'), strings.LastIndexByte(issuer, ','), strings.LastIndexByte(issuer, ';'))
			if cut >= 0 {
				issuer = strings.TrimSpace(issuer[cut+1:])
			}
			return issuer, s[open+1 : open+5]
		}
		end = open
	}
	return s, ""
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

// dedupeKey is the row's identity across imports. A row with an order or
// reference number is that number together with its time, amount and
// direction: exports repeat an order number on its refund, and a payment and
// its refund are two rows. A row without one — or whose number Excel turned
// into 2.02603E+27, which many rows share — is a hash of its normalised
// content with the number of identical rows before it in the file. The
// status is in neither, so a later export of the same row updates it.
func (c *converter) dedupeKey(t *evidence.Transaction, cells []string, line int) string {
	src := c.f.source
	b := c.keyBuf[:0]
	switch {
	case t.OrderNo != "" && t.OrderNo != "/":
		b = append(append(append(b, src...), ":order:"...), t.OrderNo...)
	case t.RRN != "":
		b = append(append(append(append(append(b, src...), ":rrn:"...), t.TerminalNo...), ':'), t.RRN...)
	case t.Voucher != "" && t.TerminalNo != "":
		b = append(append(append(b, src...), ":voucher:"...), t.TerminalNo+":"+t.Batch+":"+t.Voucher+":"+t.Time.Format("20060102")...)
	}
	if len(b) > 0 {
		b = appendIdentity(b, t)
		c.keyBuf = b
		return string(b) // the one allocation of the key
	}
	// The merchant as the counterparty column names it (not the 交易地点
	// preferred for display), so keys stay those of earlier versions.
	who := c.cell(cells, FieldMerchant)
	if who == "" || who == "/" {
		who = c.cell(cells, FieldPlace)
	}
	h := sha256.New()
	for _, s := range []string{t.Time.UTC().Format(time.RFC3339), strconv.FormatInt(int64(t.Amount), 10),
		string(t.Direction), who, t.Type, t.Description, c.cell(cells, FieldBalance),
		c.cell(cells, FieldCounterparty), t.CardLast4} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if t.Currency != "CNY" {
		h.Write([]byte(t.Currency))
	}
	key := src + ":row:" + hex.EncodeToString(h.Sum(nil)[:16])
	n := c.seen[key]
	c.seen[key] = n + 1
	if n > 0 {
		key += "#" + strconv.Itoa(n+1)
	}
	return key
}

// IdentityKey is the dedupe key of a row known by a number (id, e.g.
// "alipay:order:2024…"): the number, the time in unix seconds, the amount in
// fen and the direction. Migration 0005 rewrote older keys to this form.
func IdentityKey(id string, t *evidence.Transaction) string {
	return string(appendIdentity([]byte(id), t))
}

func appendIdentity(b []byte, t *evidence.Transaction) []byte {
	b = append(b, '|')
	b = strconv.AppendInt(b, t.Time.Unix(), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(t.Amount), 10)
	b = append(b, '|')
	return append(b, t.Direction...)
}

// mangledNumber reports (and counts) a reference number a spreadsheet
// turned into a rounded float: "2.02603E+27", "2.02603e+27".
func (c *converter) mangledNumber(s string, line int) bool {
	i := strings.IndexAny(s, "Ee")
	if i <= 0 || i+2 > len(s) || (s[i+1] != '+' && s[i+1] != '-') || !isDigits(s[i+2:]) {
		return false
	}
	mant := strings.Replace(s[:i], ".", "", 1)
	if !isDigits(mant) {
		return false
	}
	if c.mangled++; c.mangled == 1 {
		c.mangledLine = line
	}
	return true
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
	if evidence.Money(fen) > evidence.MaxAmount {
		return 0, false // ParseMoney says why
	}
	if neg {
		fen = -fen
	}
	return evidence.Money(fen), true
}
