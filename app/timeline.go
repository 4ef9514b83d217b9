package app

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
)

// timelineSection lists the case's events in order, deadlines highlighted.
type timelineSection struct {
	v        *caseView
	content  fyne.CanvasObject
	all      []evidence.Event
	list     *widget.List
	selected int
	editBtn  *widget.Button
	delBtn   *widget.Button
	form     *eventForm // the last add/edit form shown
}

func newTimelineSection(v *caseView) *timelineSection {
	s := &timelineSection{v: v, selected: -1}
	s.list = widget.NewList(
		func() int { return len(s.all) },
		func() fyne.CanvasObject {
			when := widget.NewLabel("2026-05-01 14:30")
			what := widget.NewLabel("")
			what.Truncation = fyne.TextTruncateEllipsis
			due := widget.NewLabel("")
			return container.NewBorder(nil, nil, when, due, what)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.all) {
				return
			}
			e := s.all[id]
			c := o.(*fyne.Container)
			what := c.Objects[0].(*widget.Label)
			when := c.Objects[1].(*widget.Label)
			due := c.Objects[2].(*widget.Label)
			when.SetText(formatMinute(e.Time))
			what.SetText(strings.Join(nonEmpty(eventKindLabel(e.Kind), e.Party, strings.ReplaceAll(e.Note, "\n", " ")), " · "))
			if e.Due.IsZero() {
				due.SetText("")
				return
			}
			due.Importance = dueImportance(e.Due, s.v.u.svc.now())
			due.TextStyle = fyne.TextStyle{Bold: due.Importance != widget.MediumImportance}
			due.SetText(lang.L("due {{.Date}}", map[string]any{"Date": formatDay(e.Due)}))
		})
	s.list.OnSelected = func(id widget.ListItemID) { s.selected = id; s.buttons() }
	s.list.OnUnselected = func(widget.ListItemID) { s.selected = -1; s.buttons() }
	add := widget.NewButtonWithIcon(lang.L("Add an event"), theme.ContentAddIcon(), func() { s.edit(-1) })
	add.Importance = widget.HighImportance
	s.editBtn = widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() { s.edit(s.selected) })
	s.delBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), s.deleteSelected)
	s.content = container.NewBorder(container.NewHBox(add, s.editBtn, s.delBtn), nil, nil, nil, s.list)
	s.setData(v.d.Events)
	return s
}

func (s *timelineSection) setData(es []evidence.Event) {
	s.all = append([]evidence.Event(nil), es...)
	sort.SliceStable(s.all, func(i, j int) bool { return s.all[i].Time.Before(s.all[j].Time) })
	s.list.UnselectAll()
	s.selected = -1
	s.list.Refresh()
	s.buttons()
}

func (s *timelineSection) buttons() {
	if s.selected >= 0 {
		s.editBtn.Enable()
		s.delBtn.Enable()
	} else {
		s.editBtn.Disable()
		s.delBtn.Disable()
	}
}

type eventForm struct {
	when, party, due *widget.Entry
	note             *widget.Entry
	kind             *widget.Select
	kinds            choice[evidence.EventKind]
}

func newEventForm(e evidence.Event) *eventForm {
	f := &eventForm{when: widget.NewEntry(), party: widget.NewEntry(), due: widget.NewEntry(), note: widget.NewMultiLineEntry()}
	f.when.SetText(formatMinute(e.Time))
	f.party.SetText(e.Party)
	f.party.SetPlaceHolder(lang.L("e.g. merchant, bank, 12363"))
	f.due.SetText(formatDay(e.Due))
	f.due.SetPlaceHolder(lang.L("optional, e.g. 2026-05-16"))
	f.note.Wrapping = fyne.TextWrapWord
	f.note.SetMinRowsVisible(3)
	f.note.SetText(e.Note)
	f.kinds = newChoice(evidence.EventKinds, eventKindLabel)
	f.kind = widget.NewSelect(f.kinds.labels, nil)
	k := e.Kind
	if k == "" {
		k = evidence.EventContacted
	}
	f.kind.SetSelected(f.kinds.label(k))
	return f
}

func (f *eventForm) read(e *evidence.Event) error {
	t, err := evidence.ParseLocalTime(f.when.Text, evidence.Shanghai)
	if err != nil {
		return errors.New(lang.L("The time \"{{.Text}}\" is not a date and time like 2026-05-01 14:30.", map[string]any{"Text": f.when.Text}))
	}
	e.Time = t
	e.Due = time.Time{}
	if s := strings.TrimSpace(f.due.Text); s != "" {
		d, err := evidence.ParseLocalTime(s, evidence.Shanghai)
		if err != nil {
			return errors.New(lang.L("The due date \"{{.Text}}\" is not a date like 2026-05-16.", map[string]any{"Text": s}))
		}
		e.Due = d
	}
	if k, ok := f.kinds.code(f.kind.Selected); ok {
		e.Kind = k
	}
	e.Party, e.Note = f.party.Text, f.note.Text
	return nil
}

func (s *timelineSection) edit(i int) {
	e := evidence.Event{CaseID: s.v.id, Time: s.v.u.svc.now()}
	title := lang.L("Add an event")
	if i >= 0 && i < len(s.all) {
		e, title = s.all[i], lang.L("Edit event")
	}
	s.showForm(title, newEventForm(e), e)
}

func (s *timelineSection) showForm(title string, f *eventForm, e evidence.Event) {
	u := s.v.u
	s.form = f
	retry := func(err error) {
		d := dialog.NewError(err, u.win)
		d.SetOnClosed(func() { s.showForm(title, f, e) })
		d.Show()
	}
	d := dialog.NewForm(title, lang.L("Save"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("What"), f.kind),
		widget.NewFormItem(lang.L("When"), f.when),
		widget.NewFormItem(lang.L("Who"), f.party),
		widget.NewFormItem(lang.L("Due by"), f.due),
		widget.NewFormItem(lang.L("Note"), f.note),
	}, func(ok bool) {
		if !ok {
			return
		}
		if err := f.read(&e); err != nil {
			retry(err)
			return
		}
		s.v.saveAsync(func(ctx context.Context) error {
			if e.ID == 0 {
				return u.cases.AddEvent(ctx, &e)
			}
			return u.cases.UpdateEvent(ctx, &e)
		}, lang.L("Event saved."), func(err error) {
			if err != nil {
				retry(errors.New(userMessage(err)))
			}
		})
	}, u.win)
	d.Resize(fyne.NewSize(520, 440))
	d.Show()
}

func (s *timelineSection) deleteSelected() {
	if s.selected < 0 || s.selected >= len(s.all) {
		return
	}
	u := s.v.u
	e := s.all[s.selected]
	s.v.deleteRecordAsync(lang.L("event of {{.Time}}", map[string]any{"Time": formatMinute(e.Time)}),
		func(ctx context.Context) error { return u.cases.DeleteEvent(ctx, e.CaseID, e.ID) },
		func(ctx context.Context) error {
			back := e
			back.ID = 0
			return u.cases.AddEvent(ctx, &back)
		})
}
