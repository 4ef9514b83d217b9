package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
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
	form     *callForm // the last add/edit form shown
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
	f.minutes.SetPlaceHolder("12:30")
	f.org.SetPlaceHolder(lang.L("e.g. the bank's hotline 95588"))
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

func (f *callForm) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem(lang.L("Date and time"), f.start),
		widget.NewFormItem(lang.L("Length (min:sec)"), f.minutes),
		widget.NewFormItem(lang.L("Direction"), f.direction),
		widget.NewFormItem(lang.L("Organisation"), f.org),
		widget.NewFormItem(lang.L("Their number"), f.number),
		widget.NewFormItem(lang.L("Person"), f.contact),
		widget.NewFormItem(lang.L("Agent ID"), f.agent),
		widget.NewFormItem(lang.L("Ticket no."), f.ticket),
		widget.NewFormItem(lang.L("My number"), f.own),
		widget.NewFormItem(lang.L("What was said"), f.summary),
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
			return 0, errors.New(lang.L("The length \"{{.Text}}\" is not minutes:seconds like 12:30.", map[string]any{"Text": s}))
		}
		total = total*60 + n
	}
	if len(parts) == 1 {
		total *= 60
	}
	return time.Duration(total) * time.Second, nil
}

func (f *callForm) read(c *evidence.CallLog) error {
	t, err := evidence.ParseLocalTime(f.start.Text, evidence.Shanghai)
	if err != nil {
		return errors.New(lang.L("The time \"{{.Text}}\" is not a date and time like 2026-05-01 14:30.", map[string]any{"Text": f.start.Text}))
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
	s.showForm(title, newCallForm(c), c)
}

func (s *callSection) showForm(title string, f *callForm, c evidence.CallLog) {
	u := s.v.u
	s.form = f
	retry := func(err error) {
		d := dialog.NewError(err, u.win)
		d.SetOnClosed(func() { s.showForm(title, f, c) })
		d.Show()
	}
	d := dialog.NewForm(title, lang.L("Save"), lang.L("Cancel"), f.items(), func(ok bool) {
		if !ok {
			return
		}
		if err := f.read(&c); err != nil {
			retry(err)
			return
		}
		s.v.saveAsync(func(ctx context.Context) error {
			if c.ID == 0 {
				return u.cases.AddCall(ctx, &c)
			}
			return u.cases.UpdateCall(ctx, &c)
		}, lang.L("Call saved."), func(err error) {
			if err != nil {
				retry(errors.New(userMessage(err)))
			}
		})
	}, u.win)
	d.Resize(fyne.NewSize(520, 600))
	d.Show()
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
