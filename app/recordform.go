package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
)

// recordField is one input of a record form: what it fills (the field's
// name as evidence.FieldError names it), its label, whether it must be
// filled, the input, and the line under it that shows a hint or what is
// wrong.
type recordField struct {
	key      string
	label    string
	required bool
	input    fyne.CanvasObject // *formEntry, *widget.Select, *widget.RadioGroup or *widget.Check
	hint     string
	under    *widget.Label
}

func newField(key, label string, required bool, input fyne.CanvasObject, hint string) *recordField {
	under := widget.NewLabel(hint)
	under.Importance = widget.LowImportance
	under.Wrapping = fyne.TextWrapWord
	under.SizeName = theme.SizeNameCaptionText
	if hint == "" {
		under.Hide()
	}
	return &recordField{key: key, label: label, required: required, input: input, hint: hint, under: under}
}

// showProblem writes msg under the field in the danger colour; "" brings
// the hint back.
func (f *recordField) showProblem(msg string) {
	if msg == "" {
		f.under.Importance = widget.LowImportance
		f.under.SetText(f.hint)
		f.under.Hidden = f.hint == ""
		f.under.Refresh()
		return
	}
	f.under.Importance = widget.DangerImportance
	f.under.SetText(msg)
	f.under.Show()
}

func (f *recordField) value() string {
	switch w := f.input.(type) {
	case *formEntry:
		return w.Text
	case *widget.Select:
		return w.Selected
	case *widget.Check:
		return strconv.FormatBool(w.Checked)
	case *widget.RadioGroup:
		return w.Selected
	}
	return ""
}

func (f *recordField) setValue(v string) {
	switch w := f.input.(type) {
	case *formEntry:
		w.SetText(v)
	case *widget.Select:
		w.SetSelected(v)
	case *widget.Check:
		b, _ := strconv.ParseBool(v)
		w.SetChecked(b)
	case *widget.RadioGroup:
		w.SetSelected(v)
	}
}

// onChange calls fn after the existing change handler of the input.
func (f *recordField) onChange(fn func()) {
	switch w := f.input.(type) {
	case *formEntry:
		old := w.OnChanged
		w.OnChanged = func(s string) {
			if old != nil {
				old(s)
			}
			fn()
		}
	case *widget.Select:
		old := w.OnChanged
		w.OnChanged = func(s string) {
			if old != nil {
				old(s)
			}
			fn()
		}
	case *widget.Check:
		old := w.OnChanged
		w.OnChanged = func(b bool) {
			if old != nil {
				old(b)
			}
			fn()
		}
	case *widget.RadioGroup:
		old := w.OnChanged
		w.OnChanged = func(s string) {
			if old != nil {
				old(s)
			}
			fn()
		}
	}
}

// draftValues is what fields hold, by key.
func draftValues(fields []*recordField) string {
	vals := map[string]string{}
	for _, fl := range fields {
		vals[fl.key] = fl.value()
	}
	b, _ := json.Marshal(vals)
	return string(b)
}

// restoreValues puts a draft back into fields and reports whether it
// changed any.
func restoreValues(fields []*recordField, draft string) bool {
	var vals map[string]string
	if draft == "" || json.Unmarshal([]byte(draft), &vals) != nil {
		return false
	}
	changed := false
	for _, fl := range fields {
		if v, ok := vals[fl.key]; ok && v != fl.value() {
			fl.setValue(v)
			changed = true
		}
	}
	return changed
}

// recordDialog describes the add/edit dialog of one record of the case.
type recordDialog struct {
	title  string
	draft  string // names the draft: kind and record, e.g. "transaction/0" for a new one
	fields []*recordField
	// read fills the record from the fields; a *evidence.FieldError names
	// the field to fix.
	read func() error
	// save stores the record, off the event goroutine.
	save  func(ctx context.Context) error
	saved string // the status after saving
	// again opens the dialog afresh, from the record as stored.
	again func()
}

// recordForm is the one add/edit dialog for a record of a case — a
// transaction, a call, a timeline event: a scrolling body of labelled
// fields (required ones marked) with hints and problems written under
// them, and a fixed bar of buttons. Everything typed is kept as a draft in
// the app's preferences until it is saved or thrown away, so closing the
// dialog or the window loses nothing: the next time the same dialog opens,
// the draft is offered back.
type recordForm struct {
	v       *caseView
	d       *recordDialog
	dlg     *dialog.CustomDialog
	notice  *fyne.Container
	saveBtn *widget.Button
	filling bool
}

// draftKey is where the draft of d lives in the preferences.
func (v *caseView) draftKey(d *recordDialog) string {
	return fmt.Sprintf("draft/%d/%s", v.id, d.draft)
}

// showRecordForm opens the dialog d, with the draft kept from last time.
func (v *caseView) showRecordForm(d *recordDialog) *recordForm {
	u := v.u
	f := &recordForm{v: v, d: d}
	grid := container.New(&formLayout{})
	for _, fl := range d.fields {
		label := fl.label
		if fl.required {
			label += " *"
		}
		lb := widget.NewLabel(label)
		lb.Alignment = fyne.TextAlignTrailing
		if fl.required {
			lb.TextStyle = fyne.TextStyle{Bold: true}
		}
		grid.Add(lb)
		grid.Add(container.NewVBox(fl.input, fl.under))
		fl.onChange(f.keepDraft)
		if e, ok := fl.input.(*formEntry); ok {
			e.onEscape = f.close
		}
	}
	required := widget.NewLabel(lang.L("* must be filled in"))
	required.Importance = widget.LowImportance
	required.SizeName = theme.SizeNameCaptionText
	discard := widget.NewButton(lang.L("Start empty"), f.discardDraft)
	discard.Importance = widget.LowImportance
	restored := widget.NewLabel(lang.L("What you typed last time is back."))
	restored.Importance = widget.HighImportance
	f.notice = container.NewBorder(nil, nil, nil, discard, restored)
	f.notice.Hide()
	body := container.NewVScroll(container.NewPadded(container.NewVBox(f.notice, grid, required)))
	f.saveBtn = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), f.submit)
	f.saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), f.close)
	f.dlg = dialog.NewCustomWithoutButtons(d.title, body, u.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.saveBtn})
	f.restoreDraft()
	f.dlg.Resize(dialogSize(u.win, fyne.NewSize(560, 660)))
	f.dlg.Show()
	u.openForm = f
	return f
}

// dialogSize is want, shrunk to fit inside the window with a margin.
func dialogSize(win fyne.Window, want fyne.Size) fyne.Size {
	c := win.Canvas().Size()
	if c.Width > 0 && want.Width > c.Width-40 {
		want.Width = c.Width - 40
	}
	if c.Height > 0 && want.Height > c.Height-40 {
		want.Height = c.Height - 40
	}
	return want
}

func (f *recordForm) close() {
	f.dlg.Hide()
	if f.v.u.openForm == f {
		f.v.u.openForm = nil
	}
}

// keepDraft stores what the fields hold now.
func (f *recordForm) keepDraft() {
	if f.filling {
		return
	}
	f.v.u.app.Preferences().SetString(f.v.draftKey(f.d), draftValues(f.d.fields))
}

// restoreDraft fills the fields from the kept draft, if there is one that
// differs from what the dialog starts with.
func (f *recordForm) restoreDraft() {
	f.filling = true
	changed := restoreValues(f.d.fields, f.v.u.app.Preferences().String(f.v.draftKey(f.d)))
	f.filling = false
	if changed {
		f.notice.Show()
	}
}

// discardDraft throws the draft away and starts the dialog afresh.
func (f *recordForm) discardDraft() {
	f.v.u.app.Preferences().RemoveValue(f.v.draftKey(f.d))
	f.close()
	if f.v.u.view == f.v && f.d.again != nil {
		f.d.again()
	}
}

// submit checks the fields, writes what is wrong under them, or saves.
func (f *recordForm) submit() {
	for _, fl := range f.d.fields {
		fl.showProblem("")
	}
	if err := f.d.read(); err != nil {
		f.showError(err)
		return
	}
	f.saveBtn.Disable()
	f.v.saveAsync(f.d.save, f.d.saved, func(err error) {
		f.saveBtn.Enable()
		if err != nil {
			f.showError(err)
			return
		}
		f.v.u.app.Preferences().RemoveValue(f.v.draftKey(f.d))
		f.close()
	})
}

// showError puts a field's problem under it, anything else in a message.
func (f *recordForm) showError(err error) {
	var fe *evidence.FieldError
	if errors.As(err, &fe) {
		for _, fl := range f.d.fields {
			if fl.key == fe.Field {
				fl.showProblem(fieldProblem(fe, fl.label))
				return
			}
		}
	}
	dialog.ShowError(errors.New(userMessage(err)), f.v.u.win)
}

// fieldProblem words a refused field in the UI's language.
func fieldProblem(fe *evidence.FieldError, label string) string {
	// "Amount (¥)" reads "Amount" in a sentence.
	if i := strings.IndexAny(label, "(（"); i > 0 {
		label = strings.TrimSpace(label[:i])
	}
	args := map[string]any{"Field": label}
	switch fe.Reason {
	case evidence.ReasonRequired:
		return lang.L("Please fill in {{.Field}}.", args)
	case evidence.ReasonFormat:
		return lang.L("{{.Field}} is not written as in the example.", args)
	case evidence.ReasonNegative:
		return lang.L("{{.Field}} cannot be below zero.", args)
	case evidence.ReasonBeforeStart:
		return lang.L("{{.Field}} cannot be earlier than the start.", args)
	}
	return lang.L("Please choose {{.Field}} from the list.", args)
}

// refusedFieldLabel names a field the store refused (evidence.FieldError.Field)
// in the UI's language.
func refusedFieldLabel(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	switch key {
	case "title":
		return lang.L("Case title")
	case "time":
		return lang.L("Time")
	case "amount":
		return lang.L("Amount")
	case "direction":
		return lang.L("Direction")
	case "due":
		return lang.L("Due by")
	case "duration":
		return lang.L("Length (min:sec)")
	case "scenario":
		return lang.L("Problem")
	case "status":
		return lang.L("Status")
	case "role":
		return lang.L("Role")
	case "agreed":
		return lang.L("Agreed amount")
	case "fee":
		return lang.L("Fee")
	}
	return lang.L("a field")
}

// fieldRequired and fieldFormat are the form's own refusals, worded like
// the store's.
func fieldRequired(key string) error {
	return &evidence.FieldError{Field: key, Reason: evidence.ReasonRequired, Detail: "must be filled in"}
}

func fieldFormat(key string) error {
	return &evidence.FieldError{Field: key, Reason: evidence.ReasonFormat, Detail: "not written as asked"}
}

// formLayout lays out label/input pairs in two columns: labels as wide as
// the widest, inputs the rest; each row as tall as its taller cell.
type formLayout struct{}

func (formLayout) cols(objs []fyne.CanvasObject) float32 {
	var w float32
	for i := 0; i < len(objs); i += 2 {
		if s := objs[i].MinSize(); s.Width > w {
			w = s.Width
		}
	}
	return w
}

func (l formLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	lw := l.cols(objs)
	pad := theme.Padding()
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		h := fyne.Max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
		objs[i].Move(fyne.NewPos(0, y))
		objs[i].Resize(fyne.NewSize(lw, objs[i].MinSize().Height))
		objs[i+1].Move(fyne.NewPos(lw+pad, y))
		objs[i+1].Resize(fyne.NewSize(size.Width-lw-pad, h))
		y += h + pad
	}
}

func (l formLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	lw := l.cols(objs)
	pad := theme.Padding()
	var w, h float32
	for i := 0; i+1 < len(objs); i += 2 {
		in := objs[i+1].MinSize()
		w = fyne.Max(w, in.Width)
		h += fyne.Max(objs[i].MinSize().Height, in.Height) + pad
	}
	return fyne.NewSize(lw+pad+w, h)
}

// recordKind is what the one add/edit/delete code needs to know of a kind
// of record of a case (a transaction, a call, a timeline event).
type recordKind[T any] struct {
	name       string // names its drafts: "transaction", "call", "event"
	addTitle   string
	editTitle  string
	saved      string // the status after saving
	id         func(r *T) int64
	setID      func(r *T, id int64)
	add        func(ctx context.Context, r *T) error
	update     func(ctx context.Context, r *T) error
	remove     func(ctx context.Context, r *T) error
	deleteName func(r *T) string // "transaction ¥1.00", for Undo
}

// editRecord opens the dialog for records()[i], or for a new record
// (blank) when i is out of range; form builds its fields over the record
// it is given; again(i) opens it again.
func editRecord[T any](v *caseView, k *recordKind[T], records func() []T, i int, blank T, form func(r *T) ([]*recordField, func() error), again func(i int)) *recordForm {
	r, title := blank, k.addTitle
	if all := records(); i >= 0 && i < len(all) {
		r, title = all[i], k.editTitle
	}
	fields, read := form(&r)
	return v.showRecordForm(&recordDialog{
		title:  title,
		draft:  fmt.Sprintf("%s/%d", k.name, k.id(&r)),
		fields: fields,
		read:   read,
		save: func(ctx context.Context) error {
			if k.id(&r) != 0 {
				return k.update(ctx, &r)
			}
			err := k.add(ctx, &r)
			if err != nil {
				k.setID(&r, 0)
			}
			return err
		},
		saved: k.saved,
		again: func() { again(recordIndex(k, records(), k.id(&r))) },
	})
}

// recordIndex is the index in all of the record with id, -1 for none.
func recordIndex[T any](k *recordKind[T], all []T, id int64) int {
	for i := range all {
		if id != 0 && k.id(&all[i]) == id {
			return i
		}
	}
	return -1
}

// deleteRecord deletes all[i]; Edit › Undo adds it back.
func deleteRecord[T any](v *caseView, k *recordKind[T], all []T, i int) {
	if i < 0 || i >= len(all) {
		return
	}
	r := all[i]
	v.deleteRecordAsync(k.deleteName(&r),
		func(ctx context.Context) error { return k.remove(ctx, &r) },
		func(ctx context.Context) error {
			back := r
			k.setID(&back, 0)
			return k.add(ctx, &back)
		})
}
