package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	form     *eventForm  // the last add/edit form shown
	dialog   *recordForm // and its dialog
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
	f.due.SetText(formatDay(e.Due))
	f.note.Wrapping = fyne.TextWrapWord
	f.note.SetMinRowsVisible(3)
	f.note.SetText(e.Note)
	f.kinds = newChoice(evidence.EventKinds, eventKindLabel)
	f.kind = newSelect(f.kinds.labels, nil)
	k := e.Kind
	if k == "" {
		k = evidence.EventContacted
	}
	f.kind.SetSelected(f.kinds.label(k))
	return f
}

func (f *eventForm) read(e *evidence.Event) error {
	if strings.TrimSpace(f.when.Text) == "" {
		return fieldRequired("time")
	}
	t, err := evidence.ParseLocalTime(f.when.Text, evidence.Shanghai)
	if err != nil {
		return fieldFormat("time")
	}
	e.Time = t
	e.Due = time.Time{}
	if s := strings.TrimSpace(f.due.Text); s != "" {
		d, err := evidence.ParseLocalTime(s, evidence.Shanghai)
		if err != nil {
			return fieldFormat("due")
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
	f := newEventForm(e)
	st := s.v.u.cases
	s.form = f
	s.dialog = s.v.showRecordForm(&recordDialog{
		title: title,
		draft: fmt.Sprintf("event/%d", e.ID),
		fields: []*recordField{
			newField("kind", lang.L("What"), true, f.kind, ""),
			newField("time", lang.L("When"), true, f.when, lang.L("e.g. 2026-05-01 14:30")),
			newField("party", lang.L("Who"), false, f.party, lang.L("e.g. merchant, bank, 12363")),
			newField("due", lang.L("Due by"), false, f.due, lang.L("optional, e.g. 2026-05-16")),
			newField("note", lang.L("Note"), false, f.note, ""),
		},
		read: func() error { return f.read(&e) },
		save: func(ctx context.Context) error {
			if e.ID == 0 {
				return st.AddEvent(ctx, &e)
			}
			return st.UpdateEvent(ctx, &e)
		},
		saved: lang.L("Event saved."),
		again: func() { s.edit(s.indexOf(e.ID)) },
	})
}

// indexOf is the index in all of the event with id, -1 for none.
func (s *timelineSection) indexOf(id int64) int {
	for i := range s.all {
		if id != 0 && s.all[i].ID == id {
			return i
		}
	}
	return -1
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
