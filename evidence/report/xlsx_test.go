package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

func writeXLSX(t *testing.T, l templates.Letter) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteLetterXLSX(&buf, l))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestWriteLetterXLSX(t *testing.T) {
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		t.Run(string(lang), func(t *testing.T) {
			l, _ := fixtureLetter(t, lang)
			f := writeXLSX(t, l)
			want := []string{}
			for _, k := range []string{SheetLetter, SheetSummary, SheetTransactions, SheetEvidence, SheetCalls, SheetTimeline} {
				want = append(want, SheetName(k, lang))
			}
			assert.Equal(t, want, f.GetSheetList())

			// The letter: one block a row, card numbers masked.
			letter, err := f.GetRows(SheetName(SheetLetter, l.Lang))
			require.NoError(t, err)
			require.Len(t, letter, len(l.Blocks))
			assert.Equal(t, l.Title, letter[0][0])
			for _, row := range letter {
				assert.NotContains(t, row[0], fullCard)
			}

			// Transactions: amounts are numbers in yuan with a money format.
			raw, err := f.GetRows(SheetName(SheetTransactions, l.Lang), excelize.Options{RawCellValue: true})
			require.NoError(t, err)
			require.Len(t, raw, 1+len(l.Dossier.Transactions))
			for i, tx := range l.Dossier.Transactions {
				cell := "C" + strconv.Itoa(i+2)
				typ, err := f.GetCellType(SheetName(SheetTransactions, l.Lang), cell)
				require.NoError(t, err)
				assert.Equal(t, excelize.CellTypeUnset, typ, "%s is a plain number cell", cell) // no t= attribute: a number
				v, err := strconv.ParseFloat(raw[i+1][2], 64)
				require.NoError(t, err, "raw amount %q", raw[i+1][2])
				assert.Equal(t, tx.Amount, evidence.Money(v*100+0.5), "amount of row %d", i+2)
				styleID, err := f.GetCellStyle(SheetName(SheetTransactions, l.Lang), cell)
				require.NoError(t, err)
				style, err := f.GetStyle(styleID)
				require.NoError(t, err)
				require.NotNil(t, style.CustomNumFmt)
				assert.Contains(t, *style.CustomNumFmt, "#,##0.00")
			}
			shown, err := f.GetCellValue(SheetName(SheetTransactions, l.Lang), "C2")
			require.NoError(t, err)
			assert.Equal(t, "¥1,280.00", shown)
			// Times are dates: a number shown as local time.
			when, err := f.GetCellValue(SheetName(SheetTransactions, l.Lang), "A2")
			require.NoError(t, err)
			assert.Equal(t, "2026-11-20 14:03:00", when)
			_, err = strconv.ParseFloat(raw[1][0], 64)
			assert.NoError(t, err, "time cell holds a serial number, not text %q", raw[1][0])
			// Card: last four only.
			assert.Equal(t, "0128", raw[1][9])

			// Frozen bold headers and autofilters on every data sheet.
			for _, sheet := range []string{SheetName(SheetTransactions, lang), SheetName(SheetEvidence, lang), SheetName(SheetCalls, lang), SheetName(SheetTimeline, lang)} {
				panes, err := f.GetPanes(sheet)
				require.NoError(t, err)
				assert.True(t, panes.Freeze, "%s header frozen", sheet)
				assert.Equal(t, 1, panes.YSplit)
				styleID, err := f.GetCellStyle(sheet, "A1")
				require.NoError(t, err)
				style, err := f.GetStyle(styleID)
				require.NoError(t, err)
				assert.True(t, style.Font != nil && style.Font.Bold, "%s header bold", sheet)
			}
			filters := 0
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm._FilterDatabase" {
					filters++
				}
			}
			assert.Equal(t, 4, filters, "an autofilter on each data sheet")

			// Chinese text gets a wide enough column.
			w, err := f.GetColWidth(SheetName(SheetTransactions, l.Lang), "G")
			require.NoError(t, err)
			assert.GreaterOrEqual(t, w, float64(textWidth("上海某某餐饮有限公司（徐汇店）")))
		})
	}
}

func TestWriteLetterXLSXNeutralisesFormulas(t *testing.T) {
	l, _ := fixtureLetter(t, templates.Chinese)
	evil := []string{
		`=HYPERLINK("http://evil.example","click")`,
		"+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0",
	}
	for i, s := range evil {
		tx := l.Dossier.Transactions[0]
		tx.Merchant = s
		tx.Note = s
		l.Dossier.Transactions = append(l.Dossier.Transactions, tx)
		l.Dossier.Calls = append(l.Dossier.Calls, evidence.CallLog{Start: tx.Time, Organisation: s, Summary: s})
		l.Evidence = append(l.Evidence, templates.EvidenceItem{Seq: 10 + i, Name: s, Source: s, Purpose: s})
		l.Blocks = append(l.Blocks, templates.Block{Kind: templates.BlockParagraph, Text: s})
	}
	f := writeXLSX(t, l)

	// No cell anywhere holds a formula, and no text cell is a formula-string.
	for _, sheet := range f.GetSheetList() {
		if sheet == SheetName(SheetSummary, l.Lang) {
			continue // our own calculation, checked in TestSummarySheetShowsTheComputation
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				formula, err := f.GetCellFormula(sheet, cell)
				require.NoError(t, err)
				assert.Empty(t, formula, "%s!%s has a formula", sheet, cell)
				typ, err := f.GetCellType(sheet, cell)
				require.NoError(t, err)
				assert.NotEqual(t, excelize.CellTypeFormula, typ, "%s!%s", sheet, cell)
				if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
					t.Errorf("%s!%s starts with %q: %q", sheet, cell, v[0], v)
				}
			}
		}
	}
	// The malicious merchant name stays visible text, defused.
	v, err := f.GetCellValue(SheetName(SheetTransactions, l.Lang), "G3")
	require.NoError(t, err)
	assert.Equal(t, `'=HYPERLINK("http://evil.example","click")`, v)
	typ, err := f.GetCellType(SheetName(SheetTransactions, l.Lang), "G3")
	require.NoError(t, err)
	assert.Contains(t, []excelize.CellType{excelize.CellTypeInlineString, excelize.CellTypeSharedString}, typ)
}

func TestSafeText(t *testing.T) {
	tests := map[string]string{
		"":               "",
		"商户":             "商户",
		"=1+1":           "'=1+1",
		"+86 138":        "'+86 138",
		"-":              "'-",
		"@x":             "'@x",
		"\tx":            "'\tx",
		"a=b":            "a=b",
		"卡号 " + fullCard: "卡号 **** **** **** 0128",
	}
	for in, want := range tests {
		assert.Equal(t, want, safeText(in), "%q", in)
	}
}

func TestSummarySheetShowsTheComputation(t *testing.T) {
	d, _ := fixtureDossier(t)
	d.Transactions[0].Agreed = 12800
	l, err := templates.Compose(d, templates.ToMerchant, templates.Chinese, sh(2026, 11, 23, 0, 0))
	require.NoError(t, err)
	f := writeXLSX(t, l)
	name := SheetName(SheetSummary, templates.Chinese)
	formula, err := f.GetCellFormula(name, "B3")
	require.NoError(t, err)
	assert.Equal(t, "B1-B2", formula)
	v, err := f.GetCellValue(name, "B3", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	assert.Equal(t, "1152", v, "the cached result is the letter's figure")
	assert.Equal(t, l.Summary.Overcharge, evidence.Money(115200))

	// A merchant's settlement: per day sales − fee = due, due − credited, and SUM totals.
	d.Case.Role, d.Case.Scenario = evidence.RoleMerchant, evidence.SettlementShortfall
	d.Case.Complainant.Company = "虚构小吃店"
	d.Transactions = []evidence.Transaction{
		{ID: 1, Time: sh(2026, 11, 16, 12, 0), Amount: 100000, Fee: 600, Direction: evidence.Credit, Channel: "POS", TerminalNo: "12345678"},
		{ID: 2, Time: sh(2026, 11, 17, 12, 0), Amount: 80000, Fee: 480, Direction: evidence.Credit, Channel: "POS", TerminalNo: "12345678"},
		{ID: 3, Time: sh(2026, 11, 17, 9, 0), Amount: 99400, Direction: evidence.Credit, Description: "POS结算"},
		{ID: 4, Time: sh(2026, 11, 18, 9, 0), Amount: 40000, Direction: evidence.Credit, Description: "POS结算"},
	}
	l, err = templates.Compose(d, templates.ToPaymentCompany, templates.English, sh(2026, 11, 23, 0, 0))
	require.NoError(t, err)
	f = writeXLSX(t, l)
	name = SheetName(SheetSummary, templates.English)
	for cell, want := range map[string]string{"D2": "B2-C2", "F3": "D3-E3", "F4": "SUM(F2:F3)", "D4": "SUM(D2:D3)"} {
		formula, err := f.GetCellFormula(name, cell)
		require.NoError(t, err)
		assert.Equal(t, want, formula, cell)
	}
	v, err = f.GetCellValue(name, "F4", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	assert.Equal(t, l.Summary.Shortfall.Yuan(), v+"0", "the total difference is the letter's shortfall")
	assert.Equal(t, evidence.Money(39520), l.Summary.Shortfall)
	head, err := f.GetCellValue(name, "A1")
	require.NoError(t, err)
	assert.Equal(t, "Settlement day", head)
}

// A letter with long facts (and a long note in a table) is written: a row
// of Excel cannot be taller than 409 points, so a long block goes on over
// several rows and nothing of it is lost.
func TestWriteLetterXLSXLongText(t *testing.T) {
	l, _ := fixtureLetter(t, templates.Chinese)
	long := strings.Repeat("商户在未经本人同意的情况下重复扣款，多次联系无果。", 60) // 1,500 characters
	long += "\n" + strings.Repeat("x", 5000)
	l.Blocks = append(l.Blocks, templates.Block{Kind: templates.BlockParagraph, Text: long})
	tx := l.Dossier.Transactions[0]
	tx.Note = long
	l.Dossier.Transactions = append(l.Dossier.Transactions, tx)
	f := writeXLSX(t, l)

	sheet := SheetName(SheetLetter, l.Lang)
	rows, err := f.GetRows(sheet)
	require.NoError(t, err)
	var tail []string
	for r := len(l.Blocks) - 1; r < len(rows); r++ {
		h, err := f.GetRowHeight(sheet, r+1)
		require.NoError(t, err)
		assert.LessOrEqual(t, h, 409.0, "row %d", r+1)
		tail = append(tail, rows[r][0])
	}
	require.Greater(t, len(tail), 2, "the long block takes several rows")
	joined := strings.Join(tail, "")
	assert.Equal(t, strings.ReplaceAll(long, "\n", ""), strings.ReplaceAll(joined, "\n", ""))
	for _, part := range tail {
		assert.NotContains(t, "=+-@", part[:1], "a part that starts like a formula is defused")
	}

	txSheet := SheetName(SheetTransactions, l.Lang)
	h, err := f.GetRowHeight(txSheet, len(l.Dossier.Transactions)+1)
	require.NoError(t, err)
	assert.LessOrEqual(t, h, 409.0)
}

func TestSplitRows(t *testing.T) {
	for _, s := range []string{"", "短", strings.Repeat("长", 5000), strings.Repeat("a\n", 100), strings.Repeat("段落。", 300) + "\n\n" + strings.Repeat("b", 3000)} {
		parts := splitRows(s, 100)
		for _, p := range parts {
			assert.LessOrEqual(t, wrappedLines(p, 100), maxRowLines)
		}
		assert.Equal(t, strings.ReplaceAll(s, "\n", ""), strings.ReplaceAll(strings.Join(parts, ""), "\n", ""))
	}
}
