package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
)

// callSection lists phone calls about the case: date, time, who, what was said.
type callSection struct {
	*recordList[evidence.CallLog]
	content fyne.CanvasObject
	empty   *widget.Label
	form    *callForm // the last add/edit form shown
}

func newCallSection(v *caseView) *callSection {
	s := &callSection{}
	s.recordList = newRecordList(v, lang.L("Add a call"), func() fyne.CanvasObject {
		head := widget.NewLabel("")
		head.TextStyle = fyne.TextStyle{Bold: true}
		head.Truncation = fyne.TextTruncateEllipsis
		body := widget.NewLabel("")
		body.Truncation = fyne.TextTruncateEllipsis
		return container.NewVBox(head, body)
	}, &recordList[evidence.CallLog]{
		kind:   s.kind,
		blank:  func() evidence.CallLog { return evidence.CallLog{CaseID: v.id, Start: v.u.svc.now()} },
		before: func(a, b *evidence.CallLog) bool { return a.Start.Before(b.Start) },
		form: func(c *evidence.CallLog) ([]*recordField, func() error) {
			s.form = newCallForm(*c)
			f := s.form
			return f.fields(), func() error { return f.read(c) }
		},
		show: func(c *evidence.CallLog, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			who := strings.TrimSpace(strings.Join(nonEmpty(c.Organisation, c.Contact, c.Number), " · "))
			head := fmt.Sprintf("%s  %s  %s  (%s)", formatMinute(c.Start), callDirectionLabel(c.Direction), who, durationText(c.Duration))
			box.Objects[0].(*widget.Label).SetText(head)
			body := c.Summary
			if c.Ticket != "" {
				body = lang.L("Ticket {{.Ticket}}", map[string]any{"Ticket": c.Ticket}) + " — " + body
			}
			box.Objects[1].(*widget.Label).SetText(strings.ReplaceAll(body, "\n", " "))
		},
	})
	s.empty = widget.NewLabel(lang.L("Write down every call as soon as it ends: date, time, number, the agent's ID, the ticket number and what was said."))
	s.empty.Wrapping = fyne.TextWrapWord
	s.content = container.NewBorder(container.NewVBox(container.NewHBox(s.addBtn, s.editBtn, s.delBtn), s.empty), nil, nil, nil, s.list)
	s.setData(v.d.Calls)
	return s
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func durationText(d time.Duration) string {
	m := int(d.Round(time.Second) / time.Minute)
	sec := int(d.Round(time.Second)%time.Minute) / int(time.Second)
	return fmt.Sprintf("%d:%02d", m, sec)
}

func (s *callSection) setData(cs []evidence.CallLog) {
	s.recordList.setData(cs)
	if len(cs) == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
}

type callForm struct {
	start, minutes, own, number, org, contact, agent, ticket, summary *formEntry
	direction                                                         *widget.RadioGroup
	dirs                                                              choice[evidence.CallDirection]
}

func newCallForm(c evidence.CallLog) *callForm {
	e := func(s string) *formEntry { x := newFormEntry(); x.SetText(s); return x }
	f := &callForm{start: withDatePicker(e(formatMinute(c.Start)), true), own: e(c.OwnNumber), number: e(c.Number), org: e(c.Organisation),
		contact: e(c.Contact), agent: e(c.Agent), ticket: e(c.Ticket)}
	f.minutes = e("")
	if c.Duration > 0 {
		f.minutes.SetText(durationText(c.Duration))
	}
	f.summary = newFormMultiLineEntry()
	f.summary.Wrapping = fyne.TextWrapWord
	f.summary.SetMinRowsVisible(4)
	f.summary.SetText(c.Summary)
	f.dirs = newChoice([]evidence.CallDirection{evidence.CallOutgoing, evidence.CallIncoming}, callDirectionLabel)
	f.direction = widget.NewRadioGroup(f.dirs.labels, nil)
	f.direction.Horizontal = true
	dir := c.Direction
	if dir == "" {
		dir = evidence.CallOutgoing
	}
	f.direction.SetSelected(f.dirs.label(dir))
	return f
}

func (f *callForm) fields() []*recordField {
	return []*recordField{
		newField("time", lang.L("Date and time"), true, f.start, lang.L("e.g. 2026-05-01 14:30")),
		newField("duration", lang.L("Length (min:sec)"), false, f.minutes, lang.L("e.g. 12:30")),
		newField("direction", lang.L("Direction"), false, f.direction, ""),
		newField("organisation", lang.L("Organisation"), false, f.org, lang.L("e.g. the bank's hotline 95588")),
		newField("number", lang.L("Their number"), false, f.number, ""),
		newField("contact", lang.L("Person"), false, f.contact, ""),
		newField("agent", lang.L("Agent ID"), false, f.agent, ""),
		newField("ticket", lang.L("Ticket no."), false, f.ticket, ""),
		newField("own_number", lang.L("My number"), false, f.own, ""),
		newField("summary", lang.L("What was said"), false, f.summary, ""),
	}
}

// parseDuration reads "12", "12:30" or "1:02:03" as minutes[:seconds].
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	parts := strings.Split(s, ":")
	var total int
	for _, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || len(parts) > 3 {
			return 0, fieldFormat("duration")
		}
		total = total*60 + n
	}
	if len(parts) == 1 {
		total *= 60
	}
	return time.Duration(total) * time.Second, nil
}

func (f *callForm) read(c *evidence.CallLog) error {
	if strings.TrimSpace(f.start.Text) == "" {
		return fieldRequired("time")
	}
	t, err := evidence.ParseLocalTime(f.start.Text, evidence.Shanghai)
	if err != nil {
		return fieldFormat("time")
	}
	d, err := parseDuration(f.minutes.Text)
	if err != nil {
		return err
	}
	c.Start, c.Duration = t, d
	if dir, ok := f.dirs.code(f.direction.Selected); ok {
		c.Direction = dir
	}
	c.OwnNumber, c.Number, c.Organisation, c.Contact = f.own.Text, f.number.Text, f.org.Text, f.contact.Text
	c.Agent, c.Ticket, c.Summary = f.agent.Text, f.ticket.Text, f.summary.Text
	return nil
}

// kind is how calls are added, changed and deleted.
func (s *callSection) kind() *recordKind[evidence.CallLog] {
	st := s.v.u.cases
	return &recordKind[evidence.CallLog]{
		name: "call", addTitle: lang.L("Add a call"), editTitle: lang.L("Edit call"), saved: lang.L("Call saved."),
		id:     func(c *evidence.CallLog) int64 { return c.ID },
		setID:  func(c *evidence.CallLog, id int64) { c.ID = id },
		add:    st.AddCall,
		update: st.UpdateCall,
		remove: func(ctx context.Context, c *evidence.CallLog) error { return st.DeleteCall(ctx, c.CaseID, c.ID) },
		deleteName: func(c *evidence.CallLog) string {
			return lang.L("call of {{.Time}}", map[string]any{"Time": formatMinute(c.Start)})
		},
	}
}
