package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/ingest"
)

// previewRow is one line of a file shown in the column-mapping dialog.
type previewRow struct {
	Line  int
	Cells []string
}

// ImportPreview is the start of a file as the importer reads it, for the
// column-mapping dialog.
type ImportPreview struct {
	Rows    []previewRow
	Header  int               // index in Rows of the header row, -1 when none was recognised
	Mapping map[string]string // suggested (or remembered) field of each column
}

// likelyHeader picks the row most likely to be the header: the first with
// the most non-empty cells.
func likelyHeader(rows []previewRow) int {
	best, bestN := 0, -1
	for i, r := range rows {
		n := 0
		for _, c := range r.Cells {
			if c != "" {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	return best
}

func fieldLabel(f ingest.Field) string {
	switch f {
	case ingest.FieldIgnore:
		return lang.L("(not used)")
	case ingest.FieldTime:
		return lang.L("Date and time")
	case ingest.FieldDate:
		return lang.L("Date")
	case ingest.FieldClock:
		return lang.L("Time of day")
	case ingest.FieldAmount:
		return lang.L("Amount")
	case ingest.FieldIncome:
		return lang.L("Money in")
	case ingest.FieldExpense:
		return lang.L("Money out")
	case ingest.FieldDirection:
		return lang.L("Direction")
	case ingest.FieldStatus:
		return lang.L("Status")
	case ingest.FieldType:
		return lang.L("Transaction type")
	case ingest.FieldMerchant:
		return lang.L("Merchant")
	case ingest.FieldMerchantNo:
		return lang.L("Merchant no.")
	case ingest.FieldTerminalNo:
		return lang.L("Terminal no.")
	case ingest.FieldRRN:
		return lang.L("Reference (RRN)")
	case ingest.FieldVoucher:
		return lang.L("Voucher")
	case ingest.FieldBatch:
		return lang.L("Batch")
	case ingest.FieldAuthCode:
		return lang.L("Auth code")
	case ingest.FieldCard:
		return lang.L("Card")
	case ingest.FieldFee:
		return lang.L("Fee")
	case ingest.FieldNet:
		return lang.L("Settled amount")
	case ingest.FieldOrderNo:
		return lang.L("Order no.")
	case ingest.FieldNote:
		return lang.L("Note")
	}
	return string(f)
}

// mappingDialog lets the user say which row holds the column names and
// what each column means, for an export DisputeKit does not recognise.
type mappingDialog struct {
	v      *caseView
	path   string
	rows   []previewRow
	fields choice[ingest.Field]

	headerRow *widget.Select
	columns   *widget.Form
	selects   map[string]*widget.Select // by column name
	// suggested is the importer's mapping for the row at suggestedFor.
	suggested    map[string]string
	suggestedFor int
	dlg          *dialog.CustomDialog
	importBtn    *widget.Button

	// positive says what a positive amount means when the file has one
	// signed amount column and no direction column.
	positive *widget.Select
	// preview shows the first rows as the import would store them: amount
	// and direction, so that nothing is stored before the user saw them.
	preview *widget.Label
	// previewGen discards previews of a mapping the user has changed since.
	previewGen int
}

// inUILang picks the Chinese or English wording by the UI's language.
func inUILang(zh, en string) string {
	if uiLang() == "zh" {
		return zh
	}
	return en
}

// positiveChoices are the answers to "a positive amount is …", with the
// ingest convention each stands for.
var positiveChoices = []struct {
	value  string
	zh, en string
}{
	{"", "以文件为准（收/支、借/贷列或收入/支出列）", "as the file says (a 收/支 or 借/贷 column, or in and out columns)"},
	{ingest.PositiveOut, "正数是支出（信用卡、支付账单）", "money out (a card or payment statement)"},
	{ingest.PositiveIn, "正数是收入（银行账户明细）", "money in (a bank account statement)"},
}

// showMapping opens the mapping dialog for path, or explains why it cannot.
func (v *caseView) showMapping(path string) {
	u := v.u
	u.goAsync(func() {
		p, err := v.previewImport(u.ctx, path, 40)
		u.do(func() {
			if err == nil && len(p.Rows) == 0 {
				err = fmt.Errorf("preview %s: empty: %w", filepath.Base(path), ingest.ErrNotStatement)
			}
			if err != nil {
				dialog.ShowError(errors.New(filepath.Base(path)+": "+importErrorText(fmt.Errorf("%w: %v", errNeedMapping, err))), u.win)
				return
			}
			v.lastMapping = newMappingDialog(v, path, p)
			v.lastMapping.dlg.Show()
		})
	})
}

func newMappingDialog(v *caseView, path string, p ImportPreview) *mappingDialog {
	rows := p.Rows
	m := &mappingDialog{v: v, path: path, rows: rows, suggested: p.Mapping, suggestedFor: p.Header}
	m.fields = newChoice(ingest.Fields, fieldLabel)
	var options []string
	for _, r := range rows {
		text := strings.Join(r.Cells, " | ")
		if utf8.RuneCountInString(text) > 70 {
			text = string([]rune(text)[:70]) + "…"
		}
		options = append(options, fmt.Sprintf("%d: %s", r.Line, text))
	}
	m.columns = widget.NewForm()
	m.headerRow = widget.NewSelect(options, func(string) { m.fillColumns() })
	intro := widget.NewLabel(lang.L("DisputeKit does not know this export. Say which row holds the column names and what each column means; it is remembered for files like this one."))
	intro.Wrapping = fyne.TextWrapWord
	var posLabels []string
	for _, c := range positiveChoices {
		posLabels = append(posLabels, inUILang(c.zh, c.en))
	}
	m.positive = widget.NewSelect(posLabels, nil)
	m.positive.SetSelectedIndex(0)
	m.positive.OnChanged = func(string) { m.check() }
	m.preview = widget.NewLabel("")
	m.preview.Wrapping = fyne.TextWrapWord
	m.preview.TextStyle = fyne.TextStyle{Monospace: true}
	top := container.NewVBox(intro, widget.NewForm(widget.NewFormItem(lang.L("Column names are in row"), m.headerRow),
		widget.NewFormItem(inUILang("正数金额表示", "A positive amount is"), m.positive)))
	bottom := container.NewVBox(widget.NewLabel(inUILang("将要导入的前几行（金额与方向）：", "The first rows as they would be stored (amount and direction):")), m.preview)
	content := container.NewBorder(top, bottom, nil, nil, container.NewVScroll(m.columns))
	m.dlg = dialog.NewCustomWithoutButtons(lang.L("Which column is what?"), content, v.u.win)
	m.importBtn = widget.NewButton(lang.L("Import"), m.submit)
	m.importBtn.Importance = widget.HighImportance
	m.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), m.dlg.Hide), m.importBtn})
	m.dlg.Resize(fyne.NewSize(720, 600))
	if p.Header >= 0 && p.Header < len(rows) {
		m.headerRow.SetSelectedIndex(p.Header)
	} else {
		m.headerRow.SetSelectedIndex(likelyHeader(rows))
	}
	return m
}

// header is the selected header row.
func (m *mappingDialog) header() previewRow {
	i := m.headerRow.SelectedIndex()
	if i < 0 || i >= len(m.rows) {
		return previewRow{}
	}
	return m.rows[i]
}

// fillColumns lists the header row's columns with a suggested meaning each.
func (m *mappingDialog) fillColumns() {
	h := m.header()
	suggested := map[string]string{}
	if m.headerRow.SelectedIndex() == m.suggestedFor {
		suggested = m.suggested
	} else {
		for col, f := range ingest.SuggestMapping(h.Cells) {
			suggested[col] = string(f)
		}
	}
	m.columns.Items = nil
	m.selects = map[string]*widget.Select{}
	for _, name := range h.Cells {
		if name == "" || m.selects[name] != nil {
			continue
		}
		sel := widget.NewSelect(m.fields.labels, func(string) { m.check() })
		f := ingest.Field(suggested[name])
		if !f.Valid() {
			f = ingest.FieldIgnore
		}
		sel.SetSelected(m.fields.label(f))
		m.selects[name] = sel
		m.columns.Append(name, sel)
	}
	m.columns.Refresh()
	m.check()
}

// mapping is what the user chose, ignored columns left out.
func (m *mappingDialog) mapping() map[string]string {
	out := map[string]string{}
	for name, sel := range m.selects {
		if f, ok := m.fields.code(sel.Selected); ok && f != ingest.FieldIgnore {
			out[name] = string(f)
		}
	}
	return out
}

// check enables Import once a date and an amount are mapped.
func (m *mappingDialog) check() {
	has := map[string]bool{}
	for _, f := range m.mapping() {
		has[f] = true
	}
	date := has[string(ingest.FieldTime)] || has[string(ingest.FieldDate)]
	amount := has[string(ingest.FieldAmount)] || has[string(ingest.FieldIncome)] || has[string(ingest.FieldExpense)] || has[string(ingest.FieldNet)]
	if date && amount {
		m.importBtn.Enable()
	} else {
		m.importBtn.Disable()
	}
	m.refreshPreviewAsync()
}

// positiveValue is the convention chosen in the dialog ("" when the file says).
func (m *mappingDialog) positiveValue() string {
	if m.positive == nil {
		return ""
	}
	if i := m.positive.SelectedIndex(); i > 0 && i < len(positiveChoices) {
		return positiveChoices[i].value
	}
	return ""
}

// refreshPreviewAsync reads the first rows with the chosen header row,
// mapping and sign convention off the event goroutine, and shows the amount
// and direction each would get.
func (m *mappingDialog) refreshPreviewAsync() {
	if m.preview == nil || m.headerRow.SelectedIndex() < 0 {
		return
	}
	m.previewGen++
	gen, u := m.previewGen, m.v.u
	opts := ingest.Options{Format: ingest.FormatMapped, HeaderLine: m.header().Line, Positive: m.positiveValue(),
		Role: m.v.d.Case.Role, Map: ingest.Mapping{}}
	for col, f := range m.mapping() {
		opts.Map[col] = ingest.Field(f)
	}
	u.goAsync(func() {
		text := previewText(u.ctx, u.cases.Store, m.path, opts)
		u.do(func() {
			if gen == m.previewGen {
				m.preview.SetText(text)
			}
		})
	})
}

// previewText is the first rows of path as the import would store them.
func previewText(ctx context.Context, st ingest.Settings, path string, opts ingest.Options) string {
	p, err := ingest.PreviewPath(ctx, st, path, opts, 6)
	if err != nil {
		fyne.LogError("preview "+path, err)
		return userMessage(err)
	}
	if !p.Complete {
		return inUILang("请先指定日期列和金额列。", "Map a date column and an amount column first.")
	}
	var b strings.Builder
	for _, r := range p.Rows {
		if r.Skipped != "" {
			fmt.Fprintf(&b, inUILang("第 %d 行：跳过（%s）\n", "line %d: skipped (%s)\n"), r.Line, inUILang(r.SkippedZH, r.Skipped))
			continue
		}
		dir := map[evidence.Direction][2]string{evidence.Debit: {"支出", "money out"}, evidence.Credit: {"收入", "money in"},
			evidence.Neutral: {"不计收支", "neither"}}[r.Direction]
		d := inUILang(dir[0], dir[1])
		if r.Guessed {
			d += inUILang("（文件未写明，按类型推定）", " (the file does not say: taken by type)")
		}
		amount := r.Amount.String()
		if r.Currency != "" && r.Currency != "CNY" {
			amount = r.Currency + " " + r.Amount.Yuan()
		}
		fmt.Fprintf(&b, inUILang("第 %d 行：%s  %s  %s  %s\n", "line %d: %s  %s  %s  %s\n"), r.Line, r.Time, amount, d, r.Merchant)
	}
	if p.Guessed > 0 {
		b.WriteString(inUILang("方向是推定的：请在上方选择正数金额的含义，或指定方向列。", "Directions are guesses: say above what a positive amount means, or map a direction column."))
	}
	return strings.TrimSpace(b.String())
}

func (m *mappingDialog) submit() {
	v, u := m.v, m.v.u
	line, mp := m.header().Line, m.mapping()
	m.dlg.Hide()
	positive := m.positiveValue()
	var res ingest.Report
	u.runWithProgress(lang.L("Importing statement…"), func(ctx context.Context) error {
		var err error
		if positive == "" {
			res, err = v.importMapped(ctx, m.path, line, mp)
			return err
		}
		mapping := ingest.Mapping{}
		for col, f := range mp {
			mapping[col] = ingest.Field(f)
		}
		res, err = u.cases.AddFile(ctx, v.id, m.path, ingest.ImportOptions{Format: ingest.FormatMapped, HeaderLine: line,
			Map: mapping, Positive: positive, Previews: true})
		return err
	}, func(err error) {
		if err != nil {
			d := dialog.NewError(errors.New(filepath.Base(m.path)+": "+importErrorText(err)), u.win)
			d.SetOnClosed(m.dlg.Show) // back to the choices as they were
			d.Show()
			return
		}
		msg := lang.L("{{.Added}} added, {{.Dups}} already in the case.", map[string]any{"Added": res.Imported, "Dups": res.Duplicates})
		u.setStatus(msg)
		v.showTab(tabTransactions)
		v.reloadAsync()
	})
}
