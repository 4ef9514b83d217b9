package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
)

// timelineSection lists the case's events in order, deadlines highlighted.
type timelineSection struct {
	*recordList[evidence.Event]
	content fyne.CanvasObject
	form    *eventForm // the last add/edit form shown
}

func newTimelineSection(v *caseView) *timelineSection {
	s := &timelineSection{}
	s.recordList = newRecordList(v, lang.L("Add an event"), func() fyne.CanvasObject {
		when := widget.NewLabel("2026-05-01 14:30")
		what := widget.NewLabel("")
		what.Truncation = fyne.TextTruncateEllipsis
		due := widget.NewLabel("")
		return container.NewBorder(nil, nil, when, due, what)
	}, &recordList[evidence.Event]{
		kind:   s.kind,
		blank:  func() evidence.Event { return evidence.Event{CaseID: v.id, Time: v.u.svc.now()} },
		before: func(a, b *evidence.Event) bool { return a.Time.Before(b.Time) },
		form: func(e *evidence.Event) ([]*recordField, func() error) {
			s.form = newEventForm(*e)
			f := s.form
			return f.fields(), func() error { return f.read(e) }
		},
		show: func(e *evidence.Event, o fyne.CanvasObject) {
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
			due.Importance = dueImportance(e.Due, v.u.svc.now())
			due.TextStyle = fyne.TextStyle{Bold: due.Importance != widget.MediumImportance}
			due.SetText(lang.L("due {{.Date}}", map[string]any{"Date": formatDay(e.Due)}))
		},
	})
	s.content = container.NewBorder(container.NewHBox(s.addBtn, s.editBtn, s.delBtn), nil, nil, nil, s.list)
	s.setData(v.d.Events)
	return s
}

type eventForm struct {
	when, party, due *formEntry
	note             *formEntry
	kind             *widget.Select
	kinds            choice[evidence.EventKind]
}

func newEventForm(e evidence.Event) *eventForm {
	f := &eventForm{when: newFormEntry(), party: newFormEntry(), due: newFormEntry(), note: newFormMultiLineEntry()}
	withDatePicker(f.when, true)
	withDatePicker(f.due, false)
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

func (f *eventForm) fields() []*recordField {
	return []*recordField{
		newField("kind", lang.L("What"), true, f.kind, ""),
		newField("time", lang.L("When"), true, f.when, lang.L("e.g. 2026-05-01 14:30")),
		newField("party", lang.L("Who"), false, f.party, lang.L("e.g. merchant, bank, 12363")),
		newField("due", lang.L("Due by"), false, f.due, lang.L("optional, e.g. 2026-05-16")),
		newField("note", lang.L("Note"), false, f.note, ""),
	}
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

// kind is how timeline events are added, changed and deleted.
func (s *timelineSection) kind() *recordKind[evidence.Event] {
	st := s.v.u.cases
	return &recordKind[evidence.Event]{
		name: "event", addTitle: lang.L("Add an event"), editTitle: lang.L("Edit event"), saved: lang.L("Event saved."),
		id:     func(e *evidence.Event) int64 { return e.ID },
		setID:  func(e *evidence.Event, id int64) { e.ID = id },
		add:    st.AddEvent,
		update: st.UpdateEvent,
		remove: func(ctx context.Context, e *evidence.Event) error { return st.DeleteEvent(ctx, e.CaseID, e.ID) },
		deleteName: func(e *evidence.Event) string {
			return lang.L("event of {{.Time}}", map[string]any{"Time": formatMinute(e.Time)})
		},
	}
}
