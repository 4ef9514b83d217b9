package app

import (
	"context"
	"image/color"
	"slices"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
)

// txnSection is the transactions table: virtualised (only visible cells
// exist), so 50,000 rows scroll as smoothly as 50.
type txnSection struct {
	v       *caseView
	content fyne.CanvasObject

	all   []evidence.Transaction
	keys  []string // lower-case search text per row of all
	shown []int    // indices into all, filtered and sorted

	filter       *formEntry
	disputedOnly *widget.Check
	count        *widget.Label
	table        *widget.Table
	selected     int // index into all, -1 for none
	sortCol      int
	sortDesc     bool

	addBtn, markBtn, editBtn, delBtn, importBtn *widget.Button
	includeAll, excludeAll                      *widget.Button
	form                                        *txnForm    // the last add/edit form shown
	dialog                                      *recordForm // and its dialog
}

type txnColumn struct {
	key   string // names the column in code and tests
	title func() string
	width float32
	text  func(t *evidence.Transaction) string
	less  func(a, b *evidence.Transaction) bool
}

var txnColumns = []txnColumn{
	{"disputed", func() string { return lang.L("Disputed") }, 70, func(t *evidence.Transaction) string {
		if t.Disputed {
			return "✔"
		}
		return ""
	}, func(a, b *evidence.Transaction) bool { return !a.Disputed && b.Disputed }},
	{"letter", func() string { return lang.L("In letters") }, 80, func(t *evidence.Transaction) string { return "" },
		func(a, b *evidence.Transaction) bool { return !a.InLetter() && b.InLetter() }},
	{"time", func() string { return lang.L("Time") }, 150, func(t *evidence.Transaction) string { return formatMinute(t.Time) },
		func(a, b *evidence.Transaction) bool { return a.Time.Before(b.Time) }},
	{"amount", func() string { return lang.L("Amount") }, 110, func(t *evidence.Transaction) string {
		s := t.Amount.String()
		switch t.Direction {
		case evidence.Debit:
			return "-" + s
		case evidence.Credit:
			return "+" + s
		}
		return s
	}, func(a, b *evidence.Transaction) bool { return a.Amount < b.Amount }},
	{"merchant", func() string { return lang.L("Merchant") }, 200, func(t *evidence.Transaction) string { return t.Merchant },
		func(a, b *evidence.Transaction) bool { return a.Merchant < b.Merchant }},
	{"status", func() string { return lang.L("Status") }, 90, func(t *evidence.Transaction) string { return t.Status },
		func(a, b *evidence.Transaction) bool { return a.Status < b.Status }},
	{"terminal", func() string { return lang.L("Terminal no.") }, 100, func(t *evidence.Transaction) string { return t.TerminalNo },
		func(a, b *evidence.Transaction) bool { return a.TerminalNo < b.TerminalNo }},
	{"rrn", func() string { return lang.L("Reference (RRN)") }, 130, func(t *evidence.Transaction) string { return t.RRN },
		func(a, b *evidence.Transaction) bool { return a.RRN < b.RRN }},
	{"voucher", func() string { return lang.L("Voucher") }, 80, func(t *evidence.Transaction) string { return t.Voucher },
		func(a, b *evidence.Transaction) bool { return a.Voucher < b.Voucher }},
	{"card", func() string { return lang.L("Card") }, 70, func(t *evidence.Transaction) string {
		if t.CardLast4 == "" {
			return ""
		}
		return "*" + t.CardLast4
	}, func(a, b *evidence.Transaction) bool { return a.CardLast4 < b.CardLast4 }},
	{"source", func() string { return lang.X("txn.source", "Source") }, 80, func(t *evidence.Transaction) string { return sourceLabel(t.Source) },
		func(a, b *evidence.Transaction) bool { return a.Source < b.Source }},
	{"note", func() string { return lang.L("Note") }, 200, func(t *evidence.Transaction) string {
		if t.Note != "" {
			return t.Note
		}
		return t.Description
	}, func(a, b *evidence.Transaction) bool { return a.Note < b.Note }},
}

// txnCol is the index of the column named key.
func txnCol(key string) int {
	for i, c := range txnColumns {
		if c.key == key {
			return i
		}
	}
	panic("no transaction column " + key)
}

// txnSearchKeys builds the text a filter matches against, one per row.
func txnSearchKeys(ts []evidence.Transaction) []string {
	keys := make([]string, len(ts))
	var b strings.Builder
	for i := range ts {
		t := &ts[i]
		b.Reset()
		for _, s := range []string{formatMinute(t.Time), t.Amount.Yuan(), t.Merchant, t.MerchantNo, t.TerminalNo, t.RRN,
			t.Voucher, t.Batch, t.AuthCode, t.CardLast4, t.Status, t.Type, t.Channel, t.OrderNo, t.Description, t.Note, t.Source} {
			b.WriteString(s)
			b.WriteByte('\n')
		}
		keys[i] = strings.ToLower(b.String())
	}
	return keys
}

func newTxnSection(v *caseView, keys []string) *txnSection {
	s := &txnSection{v: v, selected: -1, sortCol: txnCol("time")}
	s.filter = newFormEntry()
	s.filter.SetPlaceHolder(lang.L("Filter: merchant, amount, RRN, date…"))
	s.filter.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.filter.OnChanged = func(string) { s.apply() }
	s.disputedOnly = widget.NewCheck(lang.L("Disputed only"), func(bool) { s.apply() })
	s.count = widget.NewLabel("")

	letterCol, amountCol := txnCol("letter"), txnCol("amount")
	s.table = widget.NewTable(
		func() (int, int) { return len(s.shown), len(txnColumns) },
		func() fyne.CanvasObject {
			// The background marks the selected row across every column.
			bg := canvas.NewRectangle(color.Transparent)
			lb := newTipLabel("") // cut-off text shows whole on hover
			tick := widget.NewCheck("", nil)
			return container.NewStack(bg, lb, container.NewCenter(tick))
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			cell := o.(*fyne.Container)
			bg := cell.Objects[0].(*canvas.Rectangle)
			lb := &cell.Objects[1].(*tipLabel).Label
			tickBox := cell.Objects[2].(*fyne.Container)
			tick := tickBox.Objects[0].(*widget.Check)
			if id.Row >= len(s.shown) {
				lb.SetText("")
				tickBox.Hide()
				return
			}
			i := s.shown[id.Row]
			t := &s.all[i]
			bg.FillColor = color.Transparent
			if i == s.selected {
				bg.FillColor = theme.Color(theme.ColorNameSelection)
			}
			bg.Refresh()
			if id.Col == letterCol {
				lb.Hide()
				tickBox.Show()
				tick.OnChanged = nil
				tick.SetChecked(t.InLetter())
				if t.Disputed {
					tick.Disable() // a disputed transaction is always in letters
				} else {
					tick.Enable()
				}
				id := t.ID
				tick.OnChanged = func(on bool) { s.setIncludedAsync([]int64{id}, on) }
				return
			}
			tickBox.Hide()
			lb.Show()
			lb.Importance = widget.MediumImportance
			if t.Disputed {
				lb.Importance = widget.DangerImportance
			}
			if id.Col == amountCol {
				lb.Alignment = fyne.TextAlignTrailing
			} else {
				lb.Alignment = fyne.TextAlignLeading
			}
			lb.SetText(txnColumns[id.Col].text(t))
		})
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(txnColumns) {
			b.SetText("")
			return
		}
		text := txnColumns[id.Col].title()
		b.Icon = nil
		if id.Col == s.sortCol {
			b.Icon = theme.MenuDropUpIcon()
			if s.sortDesc {
				b.Icon = theme.MenuDropDownIcon()
			}
		}
		col := id.Col
		b.OnTapped = func() { s.sortBy(col) }
		b.SetText(text)
	}
	for i, c := range txnColumns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.shown) {
			s.selected = s.shown[id.Row]
		}
		s.table.Refresh() // the whole row shows as selected
		s.updateButtons()
	}
	s.table.OnUnselected = func(widget.TableCellID) {
		s.selected = -1
		s.updateButtons()
	}

	s.addBtn = widget.NewButtonWithIcon(lang.L("Add"), theme.ContentAddIcon(), func() { s.edit(-1) })
	s.importBtn = widget.NewButtonWithIcon(lang.L("Import statement…"), theme.UploadIcon(), v.importDialog)
	s.markBtn = widget.NewButtonWithIcon(lang.L("Mark disputed"), theme.ErrorIcon(), s.toggleDisputed)
	s.editBtn = widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() { s.edit(s.selected) })
	s.delBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), s.deleteSelected)
	s.includeAll = widget.NewButtonWithIcon(lang.L("Tick all listed for letters"), theme.CheckButtonCheckedIcon(), func() { s.includeShown(true) })
	s.excludeAll = widget.NewButtonWithIcon(lang.L("Untick all listed"), theme.CheckButtonIcon(), func() { s.includeShown(false) })
	tools := container.NewHBox(s.addBtn, s.importBtn, widget.NewSeparator(), s.markBtn, s.editBtn, s.delBtn,
		widget.NewSeparator(), s.includeAll, s.excludeAll)
	top := container.NewBorder(nil, nil, nil, container.NewHBox(s.disputedOnly, s.count), s.filter)
	s.content = container.NewBorder(container.NewVBox(tools, top), nil, nil, nil, s.table)
	s.setData(v.d.Transactions, keys)
	return s
}

// setData replaces the rows; keys must come from txnSearchKeys(ts).
func (s *txnSection) setData(ts []evidence.Transaction, keys []string) {
	var selID int64
	if s.selected >= 0 && s.selected < len(s.all) {
		selID = s.all[s.selected].ID
	}
	s.all, s.keys = ts, keys
	s.selected = -1
	for i := range ts {
		if ts[i].ID == selID && selID != 0 {
			s.selected = i
		}
	}
	s.apply()
}

// apply filters and sorts. At 50,000 rows this is a few milliseconds.
func (s *txnSection) apply() {
	q := strings.ToLower(strings.TrimSpace(s.filter.Text))
	words := strings.Fields(q)
	onlyDisputed := s.disputedOnly.Checked
	shown := s.shown[:0]
	for i := range s.all {
		if onlyDisputed && !s.all[i].Disputed {
			continue
		}
		ok := true
		for _, w := range words {
			if !strings.Contains(s.keys[i], w) {
				ok = false
				break
			}
		}
		if ok {
			shown = append(shown, i)
		}
	}
	less := txnColumns[s.sortCol].less
	sort.SliceStable(shown, func(a, b int) bool {
		x, y := &s.all[shown[a]], &s.all[shown[b]]
		if s.sortDesc {
			return less(y, x)
		}
		return less(x, y)
	})
	s.shown = shown
	s.count.SetText(lang.L("{{.Shown}} of {{.All}}", map[string]any{"Shown": len(shown), "All": len(s.all)}))
	s.table.UnselectAll()
	if s.selected >= 0 {
		for r, i := range shown {
			if i == s.selected {
				s.table.Select(widget.TableCellID{Row: r, Col: 0})
				break
			}
		}
	}
	s.table.Refresh()
	s.updateButtons()
}

func (s *txnSection) sortBy(col int) {
	if s.sortCol == col {
		s.sortDesc = !s.sortDesc
	} else {
		s.sortCol, s.sortDesc = col, false
	}
	s.apply()
}

func (s *txnSection) updateButtons() {
	has := s.selected >= 0 && s.selected < len(s.all)
	for _, b := range []*widget.Button{s.markBtn, s.editBtn, s.delBtn} {
		if has {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if has && s.all[s.selected].Disputed {
		s.markBtn.SetText(lang.L("Not disputed"))
	} else {
		s.markBtn.SetText(lang.L("Mark disputed"))
	}
}

func (s *txnSection) toggleDisputed() {
	if s.selected < 0 {
		return
	}
	u := s.v.u
	t := s.all[s.selected]
	want := !t.Disputed
	u.goAsync(func() {
		err := u.cases.SetDisputed(u.ctx, t.CaseID, []int64{t.ID}, want)
		u.do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			s.v.reloadAsync()
		})
	})
}

// includeShown ticks (or unticks) every transaction the filter shows, so
// that a letter mentions them: e.g. filter by the merchant, then tick all.
func (s *txnSection) includeShown(on bool) {
	ids := make([]int64, 0, len(s.shown))
	for _, i := range s.shown {
		if !s.all[i].Disputed {
			ids = append(ids, s.all[i].ID)
		}
	}
	s.setIncludedAsync(ids, on)
}

// setIncludedAsync stores the letter tick of the transactions ids.
func (s *txnSection) setIncludedAsync(ids []int64, on bool) {
	u := s.v.u
	caseID := s.v.id
	u.goAsync(func() {
		err := u.cases.SetIncluded(u.ctx, caseID, ids, on)
		u.do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			if on {
				u.setStatus(lang.L("{{.N}} transactions will be shown in letters.", map[string]any{"N": len(ids)}))
			} else {
				u.setStatus(lang.L("{{.N}} transactions will not be shown in letters.", map[string]any{"N": len(ids)}))
			}
			s.v.reloadAsync()
		})
	})
}

func (s *txnSection) deleteSelected() { deleteRecord(s.v, s.kind(), s.all, s.selected) }

// txnForm holds the inputs of the add/edit dialog.
type txnForm struct {
	time, amount, agreed, merchant, merchantNo, terminalNo, rrn, voucher, batch, auth, card, channel, status, note *formEntry
	direction, cardType                                                                                            *widget.Select
	cardTypes                                                                                                      choice[string]
	disputed, included                                                                                             *widget.Check
	directions                                                                                                     choice[evidence.Direction]
}

func newTxnForm(t evidence.Transaction) *txnForm {
	f := &txnForm{}
	e := func(s string) *formEntry {
		x := newFormEntry()
		x.SetText(s)
		return x
	}
	f.time = withDatePicker(e(formatMinute(t.Time)), true)
	amount := ""
	if t.Amount != 0 {
		amount = t.Amount.Yuan()
	}
	f.amount = e(amount)
	agreed := ""
	if t.Agreed != 0 {
		agreed = t.Agreed.Yuan()
	}
	f.agreed = e(agreed)
	types := []string{"", "debit", "credit"}
	if !slices.Contains(types, t.CardType) {
		types = append(types, t.CardType) // as a statement wrote it
	}
	f.cardTypes = newChoice(types, cardTypeLabel)
	f.cardType = newSelect(f.cardTypes.labels, nil)
	f.cardType.SetSelected(f.cardTypes.label(t.CardType))
	f.merchant, f.merchantNo, f.terminalNo = e(t.Merchant), e(t.MerchantNo), e(t.TerminalNo)
	f.rrn, f.voucher, f.batch, f.auth = e(t.RRN), e(t.Voucher), e(t.Batch), e(t.AuthCode)
	f.card, f.channel, f.status, f.note = e(t.CardLast4), e(channelLabel(t.Channel)), e(t.Status), e(t.Note)
	f.note.MultiLine = true
	f.note.Wrapping = fyne.TextWrapWord
	f.note.SetMinRowsVisible(2)
	f.directions = newChoice([]evidence.Direction{evidence.Debit, evidence.Credit, evidence.Neutral}, directionLabel)
	f.direction = newSelect(f.directions.labels, nil)
	dir := t.Direction
	if dir == "" {
		dir = evidence.Debit
	}
	f.direction.SetSelected(f.directions.label(dir))
	f.disputed = widget.NewCheck(lang.L("This transaction is disputed"), nil)
	f.disputed.SetChecked(t.Disputed)
	f.included = widget.NewCheck(lang.L("Show it in letters"), nil)
	f.included.SetChecked(t.Included)
	return f
}

func (f *txnForm) fields() []*recordField {
	return []*recordField{
		newField("time", lang.L("Time"), true, f.time, lang.L("e.g. 2026-05-01 14:30")),
		newField("amount", lang.L("Amount (¥)"), true, f.amount, lang.L("e.g. 1280.00")),
		newField("agreed", lang.L("Amount that should have been charged (¥)"), false, f.agreed,
			lang.L("The price agreed, if the charge was wrong; e.g. 128.00")),
		newField("direction", lang.L("Direction"), false, f.direction, ""),
		newField("merchant", lang.L("Merchant"), false, f.merchant, ""),
		newField("merchant_no", lang.L("Merchant no."), false, f.merchantNo, lang.L("15 digits, on the slip")),
		newField("terminal_no", lang.L("Terminal no."), false, f.terminalNo, lang.L("8 digits, on the slip")),
		newField("rrn", lang.L("Reference (RRN)"), false, f.rrn, ""),
		newField("voucher", lang.L("Voucher"), false, f.voucher, ""),
		newField("batch", lang.L("Batch"), false, f.batch, ""),
		newField("auth_code", lang.L("Auth code"), false, f.auth, ""),
		newField("card_last4", lang.L("Card"), false, f.card, lang.L("last 4 digits only")),
		newField("card_type", lang.L("Card type"), false, f.cardType, ""),
		newField("channel", lang.L("Channel"), false, f.channel, ""),
		newField("status", lang.L("Status"), false, f.status, ""),
		newField("note", lang.L("Note"), false, f.note, ""),
		newField("disputed", "", false, f.disputed, ""),
		newField("included", "", false, f.included, lang.L("Disputed transactions are always in letters; tick others the letter should mention.")),
	}
}

// read fills t from the inputs; a *evidence.FieldError names the field to fix.
func (f *txnForm) read(t *evidence.Transaction) error {
	if strings.TrimSpace(f.time.Text) == "" {
		return fieldRequired("time")
	}
	tm, err := evidence.ParseLocalTime(f.time.Text, evidence.Shanghai)
	if err != nil {
		return fieldFormat("time")
	}
	if strings.TrimSpace(f.amount.Text) == "" {
		return fieldRequired("amount")
	}
	m, err := evidence.ParseMoney(f.amount.Text)
	if err != nil {
		return fieldFormat("amount")
	}
	agreed := evidence.Money(0)
	if strings.TrimSpace(f.agreed.Text) != "" {
		if agreed, err = evidence.ParseMoney(f.agreed.Text); err != nil {
			return fieldFormat("agreed")
		}
	}
	t.Time, t.Amount, t.Agreed = tm, m, agreed
	if ct, ok := f.cardTypes.code(f.cardType.Selected); ok {
		t.CardType = ct
	}
	if d, ok := f.directions.code(f.direction.Selected); ok {
		t.Direction = d
	}
	t.Merchant, t.MerchantNo, t.TerminalNo = f.merchant.Text, f.merchantNo.Text, f.terminalNo.Text
	t.RRN, t.Voucher, t.Batch, t.AuthCode = f.rrn.Text, f.voucher.Text, f.batch.Text, f.auth.Text
	t.CardLast4 = evidence.CardLast4(f.card.Text)
	if f.channel.Text != channelLabel(t.Channel) { // the importer's code, shown in words, stays unless changed
		t.Channel = f.channel.Text
	}
	t.Status, t.Note = f.status.Text, f.note.Text
	t.Disputed, t.Included = f.disputed.Checked, f.included.Checked
	if t.Currency == "" {
		t.Currency = "CNY"
	}
	if t.Source == "" {
		t.Source = "manual"
	}
	return nil
}

// txnKind is how transactions are added, changed and deleted.
func (s *txnSection) kind() *recordKind[evidence.Transaction] {
	st := s.v.u.cases
	return &recordKind[evidence.Transaction]{
		name: "transaction", addTitle: lang.L("Add a transaction"), editTitle: lang.L("Edit transaction"),
		saved: lang.L("Transaction saved."),
		id:    func(t *evidence.Transaction) int64 { return t.ID },
		setID: func(t *evidence.Transaction, id int64) { t.ID = id },
		add: func(ctx context.Context, t *evidence.Transaction) error {
			_, err := st.AddTransaction(ctx, t)
			return err
		},
		update: func(ctx context.Context, t *evidence.Transaction) error {
			_, err := st.UpdateTransaction(ctx, t)
			return err
		},
		remove: func(ctx context.Context, t *evidence.Transaction) error {
			return st.DeleteTransaction(ctx, t.CaseID, t.ID)
		},
		deleteName: func(t *evidence.Transaction) string {
			return lang.L("transaction {{.Amount}}", map[string]any{"Amount": t.Amount.String()})
		},
	}
}

// edit opens the form for row i of all, or a new transaction for i < 0.
func (s *txnSection) edit(i int) {
	s.dialog = editRecord(s.v, s.kind(), func() []evidence.Transaction { return s.all }, i, evidence.Transaction{CaseID: s.v.id},
		func(t *evidence.Transaction) ([]*recordField, func() error) {
			s.form = newTxnForm(*t)
			f := s.form
			return f.fields(), func() error { return f.read(t) }
		}, s.edit)
}
