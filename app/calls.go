package app

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
)

// callSection lists phone calls about the case: date, time, who, what was said.
type callSection struct {
	v        *caseView
	content  fyne.CanvasObject
	all      []evidence.CallLog
	list     *widget.List
	selected int
	editBtn  *widget.Button
	delBtn   *widget.Button
	empty    *widget.Label
	form     *callForm   // the last add/edit form shown
	dialog   *recordForm // and its dialog
}

func newCallSection(v *caseView) *callSection {
	s := &callSection{v: v, selected: -1}
	s.list = widget.NewList(
		func() int { return len(s.all) },
		func() fyne.CanvasObject {
			head := widget.NewLabel("")
			head.TextStyle = fyne.TextStyle{Bold: true}
			head.Truncation = fyne.TextTruncateEllipsis
			body := widget.NewLabel("")
			body.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(head, body)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.all) {
				return
			}
			c := s.all[id]
			box := o.(*fyne.Container)
			who := strings.TrimSpace(strings.Join(nonEmpty(c.Organisation, c.Contact, c.Number), " · "))
			head := fmt.Sprintf("%s  %s  %s  (%s)", formatMinute(c.Start), callDirectionLabel(c.Direction), who, durationText(c.Duration))
			box.Objects[0].(*widget.Label).SetText(head)
			body := c.Summary
			if c.Ticket != "" {
				body = lang.L("Ticket {{.Ticket}}", map[string]any{"Ticket": c.Ticket}) + " — " + body
			}
			box.Objects[1].(*widget.Label).SetText(strings.ReplaceAll(body, "\n", " "))
		})
	s.list.OnSelected = func(id widget.ListItemID) { s.selected = id; s.buttons() }
	s.list.OnUnselected = func(widget.ListItemID) { s.selected = -1; s.buttons() }
	add := widget.NewButtonWithIcon(lang.L("Add a call"), theme.ContentAddIcon(), func() { s.edit(-1) })
	add.Importance = widget.HighImportance
	s.editBtn = widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() { s.edit(s.selected) })
	s.delBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), s.deleteSelected)
	s.empty = widget.NewLabel(lang.L("Write down every call as soon as it ends: date, time, number, the agent's ID, the ticket number and what was said."))
	s.empty.Wrapping = fyne.TextWrapWord
	s.content = container.NewBorder(container.NewVBox(container.NewHBox(add, s.editBtn, s.delBtn), s.empty), nil, nil, nil, s.list)
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
	s.all = append([]evidence.CallLog(nil), cs...)
	sort.SliceStable(s.all, func(i, j int) bool { return s.all[i].Start.Before(s.all[j].Start) })
	s.list.UnselectAll()
	s.selected = -1
	s.list.Refresh()
	if len(cs) == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
	s.buttons()
}

func (s *callSection) buttons() {
	if s.selected >= 0 {
		s.editBtn.Enable()
		s.delBtn.Enable()
	} else {
		s.editBtn.Disable()
		s.delBtn.Disable()
	}
}

type callForm struct {
	start, minutes, own, number, org, contact, agent, ticket, summary *widget.Entry
	direction                                                         *widget.RadioGroup
	dirs                                                              choice[evidence.CallDirection]
}

func newCallForm(c evidence.CallLog) *callForm {
	e := func(s string) *widget.Entry { x := widget.NewEntry(); x.SetText(s); return x }
	f := &callForm{start: e(formatMinute(c.Start)), own: e(c.OwnNumber), number: e(c.Number), org: e(c.Organisation),
		contact: e(c.Contact), agent: e(c.Agent), ticket: e(c.Ticket)}
	f.minutes = e("")
	if c.Duration > 0 {
		f.minutes.SetText(durationText(c.Duration))
	}
	f.summary = widget.NewMultiLineEntry()
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

func (s *callSection) edit(i int) {
	c := evidence.CallLog{CaseID: s.v.id, Start: s.v.u.svc.now()}
	title := lang.L("Add a call")
	if i >= 0 && i < len(s.all) {
		c, title = s.all[i], lang.L("Edit call")
	}
	f := newCallForm(c)
	st := s.v.u.cases
	s.form = f
	s.dialog = s.v.showRecordForm(&recordDialog{
		title:  title,
		draft:  fmt.Sprintf("call/%d", c.ID),
		fields: f.fields(),
		read:   func() error { return f.read(&c) },
		save: func(ctx context.Context) error {
			if c.ID == 0 {
				return st.AddCall(ctx, &c)
			}
			return st.UpdateCall(ctx, &c)
		},
		saved: lang.L("Call saved."),
		again: func() { s.edit(s.indexOf(c.ID)) },
	})
}

// indexOf is the index in all of the call with id, -1 for none.
func (s *callSection) indexOf(id int64) int {
	for i := range s.all {
		if id != 0 && s.all[i].ID == id {
			return i
		}
	}
	return -1
}

func (s *callSection) deleteSelected() {
	if s.selected < 0 || s.selected >= len(s.all) {
		return
	}
	u := s.v.u
	c := s.all[s.selected]
	s.v.deleteRecordAsync(lang.L("call of {{.Time}}", map[string]any{"Time": formatMinute(c.Start)}),
		func(ctx context.Context) error { return u.cases.DeleteCall(ctx, c.CaseID, c.ID) },
		func(ctx context.Context) error {
			back := c
			back.ID = 0
			return u.cases.AddCall(ctx, &back)
		})
}
