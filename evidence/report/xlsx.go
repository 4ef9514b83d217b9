package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// Sheet names of a letter workbook; programs that read it can rely on them.
const (
	SheetLetter       = "Letter"
	SheetTransactions = "Transactions"
	SheetEvidence     = "Evidence"
	SheetCalls        = "Calls"
	SheetTimeline     = "Timeline"
)

// WriteLetterXLSX writes a letter as a workbook: the letter text one block
// a row, then the case's transactions (amounts as numbers in yuan, times as
// dates), the evidence list, the calls and the timeline, each with a bold
// frozen header row and an autofilter. Text that a spreadsheet would read
// as a formula (starting with = + - @, tab or CR) gets a leading apostrophe,
// and every text cell is written as a string, never as a formula.
func WriteLetterXLSX(w io.Writer, l templates.Letter) error {
	x, err := newWorkbook(l)
	if err != nil {
		return fmt.Errorf("write letter XLSX %q: %w", l.Title, err)
	}
	defer x.f.Close()
	steps := []func() error{
		func() error { return x.letterSheet(l) },
		func() error { return x.summarySheet(l.Summary) },
		func() error { return x.transactionSheet(l.Dossier.Transactions) },
		func() error { return x.evidenceSheet(l.Evidence) },
		func() error { return x.callSheet(l.Dossier.Calls) },
		func() error { return x.timelineSheet(l.Dossier.Events) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("write letter XLSX %q: %w", l.Title, err)
		}
	}
	if _, err := x.f.WriteTo(w); err != nil {
		return fmt.Errorf("write letter XLSX %q: %w", l.Title, err)
	}
	return nil
}

// workbook holds an excelize file and the styles its sheets share.
type workbook struct {
	f                                                       *excelize.File
	lab                                                     *labels
	lang                                                    templates.Lang
	header, text, wrap, money, datetime, title, bold, right int
}

func newWorkbook(l templates.Letter) (*workbook, error) {
	f := excelize.NewFile()
	x := &workbook{f: f, lab: labelsFor(l.Lang), lang: l.Lang}
	date := l.Date
	if date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	stamp := date.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: safeText(l.Title), Creator: safeText(l.Author), Subject: safeText(l.Subject),
		Created: stamp, Modified: stamp, LastModifiedBy: "DisputeKit", Language: string(l.Lang),
	}); err != nil {
		f.Close()
		return nil, err
	}
	top := &excelize.Alignment{Vertical: "top"}
	styles := []struct {
		id *int
		s  excelize.Style
	}{
		{&x.header, excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E6E6E6"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
		}},
		{&x.text, excelize.Style{Alignment: top}},
		{&x.wrap, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&x.money, excelize.Style{Alignment: top, CustomNumFmt: ptr("¥#,##0.00")}},
		{&x.datetime, excelize.Style{Alignment: top, CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")}},
		{&x.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&x.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&x.right, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top", WrapText: true}}},
	}
	for _, s := range styles {
		id, err := f.NewStyle(&s.s)
		if err != nil {
			f.Close()
			return nil, err
		}
		*s.id = id
	}
	return x, nil
}

func ptr[T any](v T) *T { return &v }

// safeText masks card numbers and defuses text a spreadsheet would take for
// a formula (CSV/formula injection): it gets a leading apostrophe.
func safeText(s string) string {
	s = evidence.MaskCardNumbers(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// textWidth is a string's width in spreadsheet character units: Chinese
// and other wide characters count two.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		if isWide(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// excelTime gives a time as the wall clock in Shanghai: spreadsheet dates
// have no zone, and statements and slips are read in local time.
func excelTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	l := t.In(evidence.Shanghai)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// yuan is an amount as a spreadsheet number. Fen to yuan is the one place
// money becomes a float, because that is what a spreadsheet cell holds;
// every fen value up to 2^53 survives exactly once printed with 2 decimals.
func yuan(m evidence.Money) float64 { return float64(m) / 100 }

// sheetCol is one column of a data sheet.
type sheetCol struct {
	title string
	wrap  bool // long free text: capped width, wrapped
}

// dataSheet writes a table: bold frozen header, autofilter, widths that fit
// the text (wide characters count two). Cells are strings (made safe here),
// float64 amounts (money style), times (date style), or nil.
func (x *workbook) dataSheet(name string, cols []sheetCol, rows [][]any, moneyCols ...int) error {
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	isMoney := map[int]bool{}
	for _, c := range moneyCols {
		isMoney[c] = true
	}
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = textWidth(c.title)
	}
	for _, r := range rows {
		for i, v := range r {
			switch v := v.(type) {
			case string:
				widths[i] = max(widths[i], textWidth(safeText(v)))
			case float64:
				widths[i] = max(widths[i], len(fmt.Sprintf("¥%.2f", v))+3)
			case time.Time:
				widths[i] = max(widths[i], 19)
			}
		}
	}
	for i, c := range cols {
		limit := 40
		if c.wrap {
			limit = 60
		}
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(widths[i]+2, 8), limit))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: x.header, Value: c.title}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	for n, r := range rows {
		cells := make([]any, len(r))
		lines := 1
		for i, v := range r {
			style := x.text
			if cols[i].wrap {
				style = x.wrap
			}
			switch val := v.(type) {
			case string:
				val = safeText(val)
				v = val
				if cols[i].wrap {
					lines = max(lines, wrappedLines(val, min(max(widths[i]+2, 8), 60)))
				}
			case float64:
				if isMoney[i] {
					style = x.money
				}
			case time.Time:
				style = x.datetime
			}
			cells[i] = excelize.Cell{StyleID: style, Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		// Excel's tallest row is 409 points; longer text stays whole in its cell.
		if err := sw.SetRow(cell, cells, excelize.RowOpts{Height: 15 * float64(min(lines, maxRowLines))}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), max(len(rows)+1, 2))
	return x.f.AutoFilter(name, "A1:"+last, nil)
}

// wrappedLines estimates how many lines text takes in a column of width
// characters, for a row height Excel does not work out by itself.
func wrappedLines(s string, width int) int {
	n := 0
	for _, para := range strings.Split(s, "\n") {
		n += max(1, int(math.Ceil(float64(textWidth(para))/float64(max(width-1, 1)))))
	}
	return n
}

// letterSheet puts the letter one block a row in a wide wrapped column.
func (x *workbook) letterSheet(l templates.Letter) error {
	name := x.sheetName(SheetLetter)
	if err := x.f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	const width = 100
	if err := sw.SetColWidth(1, 1, width); err != nil {
		return err
	}
	row := 1
	for _, b := range l.Blocks {
		text := b.Text
		style := x.wrap
		switch b.Kind {
		case templates.BlockTitle:
			style = x.title
		case templates.BlockHeading:
			style = x.bold
		case templates.BlockItem:
			if b.Number > 0 {
				text = fmt.Sprintf(x.lab.itemNumber, b.Number) + text
			}
		case templates.BlockField:
			if b.Label != "" {
				text = b.Label + x.lab.colon + text
			}
		case templates.BlockSignature:
			style = x.right
		}
		// A long block goes on as many rows as it needs: a row cannot be
		// taller than 409 points.
		for _, part := range splitRows(evidence.MaskCardNumbers(text), width) {
			part = safeText(part)
			h := 15 * float64(wrappedLines(part, width))
			if b.Kind == templates.BlockTitle {
				h = max(h, 24)
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: style, Value: part}}, excelize.RowOpts{Height: h}); err != nil {
				return err
			}
			row++
		}
	}
	return sw.Flush()
}

// maxRowLines is how many 15-point lines fit Excel's tallest row (409 points).
const maxRowLines = 27

// splitRows cuts text into parts of at most maxRowLines wrapped lines in a
// column of width characters: at line breaks where it can, else inside a
// paragraph. Joined with "\n" where a paragraph ended, the parts are the text.
func splitRows(s string, width int) []string {
	var parts []string
	var cur []string
	lines := 0
	for _, para := range strings.Split(s, "\n") {
		for {
			n := wrappedLines(para, width)
			if lines+n <= maxRowLines {
				cur, lines = append(cur, para), lines+n
				break
			}
			if lines > 0 {
				parts, cur, lines = append(parts, strings.Join(cur, "\n")), nil, 0
				continue
			}
			head, tail := cutAtWidth(para, maxRowLines*max(width-1, 1))
			parts, para = append(parts, head), tail
		}
	}
	return append(parts, strings.Join(cur, "\n"))
}

// cutAtWidth splits s where its text width would pass limit.
func cutAtWidth(s string, limit int) (head, tail string) {
	w := 0
	for i, r := range s {
		if isWide(r) {
			w += 2
		} else {
			w++
		}
		if w > limit {
			return s[:i], s[i:]
		}
	}
	return s, ""
}

// word picks the Chinese or English column title of a sheet.
func (x *workbook) word(zh, en string) string {
	if x.lang == templates.English {
		return en
	}
	return zh
}

// disputed marks a disputed or ticked transaction; other rows stay empty
// so an autofilter on the column finds them at once.
func (x *workbook) disputed(t evidence.Transaction) string {
	switch {
	case t.Disputed:
		return x.word("争议", "Disputed")
	case t.Included:
		return x.word("勾选", "Ticked")
	}
	return ""
}

func (x *workbook) transactionSheet(ts []evidence.Transaction) error {
	cols := []sheetCol{
		{title: x.lab.colTime}, {title: x.lab.colDirection}, {title: x.word("金额（元）", "Amount (CNY)")}, {title: x.word("币种", "Currency")},
		{title: x.word("交易类型", "Type")}, {title: x.lab.colStatus}, {title: x.lab.colMerchant}, {title: x.lab.merchantNo}, {title: x.lab.terminalNo},
		{title: x.word("卡号后四位", "Card last 4")}, {title: x.word("批次号", "Batch")}, {title: x.lab.colVoucher}, {title: x.lab.colRRN},
		{title: x.word("授权码", "Auth code")}, {title: x.word("渠道", "Channel")}, {title: x.word("订单号", "Order no.")},
		{title: x.word("手续费（元）", "Fee (CNY)")}, {title: x.word("说明", "Description"), wrap: true}, {title: x.word("备注", "Note"), wrap: true},
		{title: x.word("争议/勾选", "Disputed or ticked")}, {title: x.word("来源", "Source")},
	}
	rows := make([][]any, len(ts))
	for i, t := range ts {
		var fee any
		if t.Fee != 0 {
			fee = yuan(t.Fee)
		}
		rows[i] = []any{
			excelTime(t.Time), wordFor(x.lab.direction, t.Direction), yuan(t.Amount), t.Currency,
			wordFor(x.lab.txnType, t.Type), wordFor(x.lab.txnStatus, t.Status), t.Merchant, t.MerchantNo, t.TerminalNo,
			evidence.CardLast4(t.CardLast4), t.Batch, t.Voucher, t.RRN,
			t.AuthCode, wordFor(x.lab.channel, strings.ToLower(t.Channel)), t.OrderNo,
			fee, t.Description, t.Note,
			x.disputed(t), wordFor(x.lab.sourceName, t.Source),
		}
	}
	return x.dataSheet(x.sheetName(SheetTransactions), cols, rows, 2, 16)
}

func (x *workbook) evidenceSheet(items []templates.EvidenceItem) error {
	cols := []sheetCol{
		{title: x.lab.colSeq}, {title: x.lab.colName, wrap: true}, {title: x.lab.colSource, wrap: true},
		{title: x.lab.colPurpose, wrap: true}, {title: x.lab.sha},
	}
	rows := make([][]any, len(items))
	for i, it := range items {
		rows[i] = []any{int64(it.Seq), it.Name, it.Source, it.Purpose, it.SHA256}
	}
	return x.dataSheet(x.sheetName(SheetEvidence), cols, rows)
}

func (x *workbook) callSheet(cs []evidence.CallLog) error {
	cols := []sheetCol{
		{title: x.lab.colTime}, {title: x.word("时长（秒）", "Length (s)")}, {title: x.lab.colCallDirection},
		{title: x.word("单位", "Organisation")}, {title: x.word("联系人", "Contact")}, {title: x.word("对方号码", "Number")},
		{title: x.word("本机号码", "Own number")}, {title: x.word("工号", "Agent")}, {title: x.word("工单号", "Ticket")},
		{title: x.lab.colSummary, wrap: true},
	}
	rows := make([][]any, len(cs))
	for i, c := range cs {
		rows[i] = []any{
			excelTime(c.Start), int64(c.Duration.Round(time.Second) / time.Second), wordFor(x.lab.callDirection, c.Direction),
			c.Organisation, c.Contact, c.Number, c.OwnNumber, c.Agent, c.Ticket, c.Summary,
		}
	}
	return x.dataSheet(x.sheetName(SheetCalls), cols, rows)
}

func (x *workbook) timelineSheet(es []evidence.Event) error {
	cols := []sheetCol{
		{title: x.lab.colTime}, {title: x.lab.colEvent}, {title: x.lab.colParty}, {title: x.lab.colNote, wrap: true}, {title: x.lab.colDue},
	}
	rows := make([][]any, len(es))
	for i, e := range es {
		rows[i] = []any{excelTime(e.Time), wordFor(x.lab.eventKind, e.Kind), e.Party, e.Note, excelTime(e.Due)}
	}
	return x.dataSheet(x.sheetName(SheetTimeline), cols, rows)
}
