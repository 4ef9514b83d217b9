package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/disputekit/disputekit/evidence"
)

// ErrIncomplete means a file holds fewer (or more) rows than it says it
// does, or ends in the middle of a row: it was cut off or edited, and
// nothing of it is stored. It wraps evidence.ErrInvalid.
var ErrIncomplete = fmt.Errorf("incomplete statement: %w", evidence.ErrInvalid)

// stated is what an export says about its own rows, in its preamble or
// footer: "共138笔记录", "收入：1笔 100.00元", a 合计 line. Negative counts
// and sums mean "not stated".
type stated struct {
	rows                 int
	inRows, outRows      int
	in, out              evidence.Money
	footerIn, footerOut  evidence.Money // a 合计 row's in and out columns
	footerLine           int
	summaryRows          int // a merchant bill's 总交易单数
	summaryLine          int
	inSumSet, outSumSet  bool
	footerSet            bool
	summarySet, rowsSet  bool
	inRowsSet, outRowSet bool
}

var (
	statedRowsRe = regexp.MustCompile(`共(?:计)?\s*[:：]?\s*(\d+)\s*笔`)
	statedInRe   = regexp.MustCompile(`收入(?:合计)?\s*[:：]\s*(\d+)\s*笔\s*[,，]?\s*共?\s*[¥￥]?\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)`)
	statedOutRe  = regexp.MustCompile(`支出(?:合计)?\s*[:：]\s*(\d+)\s*笔\s*[,，]?\s*共?\s*[¥￥]?\s*-?([0-9][0-9,]*(?:\.[0-9]{1,2})?)`)
	periodRe     = regexp.MustCompile(`(20\d\d)\s*年\s*(\d{1,2})\s*月`)
)

// statedTotals reads the counts and sums a preamble states.
func statedTotals(text string) stated {
	var s stated
	if m := statedRowsRe.FindStringSubmatch(text); m != nil {
		s.rows, _ = strconv.Atoi(m[1])
		s.rowsSet = true
	}
	if m := statedInRe.FindStringSubmatch(text); m != nil {
		s.inRows, _ = strconv.Atoi(m[1])
		s.inRowsSet = true
		if v, err := evidence.ParseMoney(m[2]); err == nil {
			s.in, s.inSumSet = v, true
		}
	}
	if m := statedOutRe.FindStringSubmatch(text); m != nil {
		s.outRows, _ = strconv.Atoi(m[1])
		s.outRowSet = true
		if v, err := evidence.ParseMoney(m[2]); err == nil {
			s.out, s.outSumSet = v, true
		}
	}
	return s
}

// statementPeriod finds the statement month of a card statement
// ("招商银行信用卡对账单（2024年01月）"), which gives the year of its dates.
func statementPeriod(preamble string) (year, month int) {
	m := periodRe.FindStringSubmatch(preamble)
	if m == nil {
		return 0, 0
	}
	year, _ = strconv.Atoi(m[1])
	month, _ = strconv.Atoi(m[2])
	if month < 1 || month > 12 {
		return 0, 0
	}
	return year, month
}

// footerTotals reads a 合计 row's in and out columns (ICBC: "人民币合计,,…,
// 1,234.56,9,876.54"), where the file has separate in and out columns.
func (tb *table) footerTotals(cells []string, line int) {
	first := firstCell(cells)
	if !strings.Contains(first, "合计") || tb.stated.footerSet {
		return
	}
	in, okIn := tb.conv.col[FieldIncome]
	out, okOut := tb.conv.col[FieldExpense]
	if !okIn || !okOut || in >= len(cells) || out >= len(cells) {
		return
	}
	a, errA := evidence.ParseMoney(cells[in])
	b, errB := evidence.ParseMoney(cells[out])
	if errA != nil || errB != nil {
		return
	}
	tb.stated.footerIn, tb.stated.footerOut, tb.stated.footerLine, tb.stated.footerSet = abs(a), abs(b), line, true
}

func firstCell(cells []string) string {
	for _, c := range cells {
		if c != "" {
			return c
		}
	}
	return ""
}

// checkComplete compares what was read with what the export states and
// with how it ends. A count that differs, or a last row cut short at the
// end of the file, is an ErrIncomplete naming the difference; sums that
// differ where the export warns its sums may not add up (JD, Meituan) are
// warnings.
func (tb *table) checkComplete(last lastRow) error {
	r := &tb.res.Report
	st := tb.stated
	if m := tb.f.endMarker; m != "" && !tb.sawEnd {
		return fmt.Errorf("the file does not end with its closing line (%s): it looks cut off — download it again: %w", m, ErrIncomplete)
	}
	if c := tb.conv; c.provedDayFirst && c.provedMonthFirst {
		return fmt.Errorf("the file's dates are written both day first (like 13/01/2025) and month first (like 01/13/2025): "+
			"they cannot all be read right; export it again with full dates: %w", ErrIncomplete)
	}
	if c := tb.conv; c.ambiguousDates > 0 && (c.provedMonthFirst && !c.monthFirst || c.provedDayFirst && c.monthFirst) {
		order := DateOrderMDY
		if c.provedDayFirst {
			order = DateOrderDMY
		}
		return fmt.Errorf("the file writes dates in the order %s (one date can only be read so), but %d date(s) like "+
			"03/04/2025 were read the other way; import it again with --date-order %s: %w", order, c.ambiguousDates, order, ErrIncomplete)
	}
	if last.cut {
		return fmt.Errorf("the file ends in the middle of a row: line %d has %d of the header's %d cells and no line end; "+
			"it looks cut off — download or copy it again: %w", last.line, last.cells, tb.conv.width, ErrIncomplete)
	}
	if st.rowsSet && r.Rows != st.rows {
		return fmt.Errorf("the file says it holds %d rows (共%d笔) but %d were read (%+d); it may be cut off or edited — "+
			"download it again: %w", st.rows, st.rows, r.Rows, r.Rows-st.rows, ErrIncomplete)
	}
	if st.summarySet && r.Rows != st.summaryRows {
		return fmt.Errorf("the bill's summary (line %d) counts %d orders but %d rows were read (%+d): %w",
			st.summaryLine, st.summaryRows, r.Rows, r.Rows-st.summaryRows, ErrIncomplete)
	}
	cny := tb.conv.flows["CNY"]
	if cny == nil {
		cny = &Flow{Currency: "CNY"}
	}
	loose := tb.f == jd || tb.f == meituan // their exports say the sums may differ
	if st.inRowsSet && st.outRowSet && r.Skipped == 0 && !loose {
		if cny.InRows != st.inRows || cny.OutRows != st.outRows {
			r.warn(0, "文件写明收入 %d 笔、支出 %d 笔，读到收入 %d 笔、支出 %d 笔，请核对方向", "the file states %d rows in and %d out; %d in and %d out were read — check the directions",
				st.inRows, st.outRows, cny.InRows, cny.OutRows)
		}
	}
	if st.inSumSet && cny.In != st.in && r.Skipped == 0 {
		r.warn(0, "文件写明收入合计 %s，读到 %s（差 %s）", "the file states %s in; the rows add up to %s (%s apart)", st.in, cny.In, abs(cny.In-st.in))
	}
	if st.outSumSet && cny.Out != st.out && r.Skipped == 0 {
		r.warn(0, "文件写明支出合计 %s，读到 %s（差 %s）", "the file states %s out; the rows add up to %s (%s apart)", st.out, cny.Out, abs(cny.Out-st.out))
	}
	if st.footerSet && r.Skipped == 0 && (cny.In != st.footerIn || cny.Out != st.footerOut) {
		return fmt.Errorf("the 合计 line (line %d) states %s in and %s out, the rows add up to %s in and %s out: %w",
			st.footerLine, st.footerIn, st.footerOut, cny.In, cny.Out, ErrIncomplete)
	}
	return nil
}

// lastRow is the last data row read, to tell a file cut off mid-row.
type lastRow struct {
	line, cells int
	cut         bool
}
