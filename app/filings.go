package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/evidence/escalation"
)

// filingSection lists the complaints lodged (filings): to whom, how, when,
// the ticket, the reply due date and where each stands, with Add, Edit,
// Delete and Record reply. Due dates are computed by the core
// (casework.AddFiling) from each recipient's rule.
type filingSection struct {
	*recordList[evidence.Filing]
	content  fyne.CanvasObject
	replyBtn *widget.Button
	form     *filingForm // the last add/edit form shown
	reply    *replyForm  // the last reply form shown
}

func newFilingSection(v *caseView) *filingSection {
	s := &filingSection{}
	s.recordList = newRecordList(v, lang.L("Add a complaint"), func() fyne.CanvasObject {
		head := widget.NewLabel("")
		head.TextStyle = fyne.TextStyle{Bold: true}
		head.Truncation = fyne.TextTruncateEllipsis
		due := widget.NewLabel("")
		body := widget.NewLabel("")
		body.Truncation = fyne.TextTruncateEllipsis
		return container.NewVBox(container.NewBorder(nil, nil, nil, due, head), body)
	}, &recordList[evidence.Filing]{
		kind: s.kind,
		blank: func() evidence.Filing {
			return evidence.Filing{CaseID: v.id, Sent: v.u.svc.now(), Channel: evidence.FilingLetter, Status: evidence.FilingSent}
		},
		before: func(a, b *evidence.Filing) bool { return a.Sent.Before(b.Sent) },
		form: func(f *evidence.Filing) ([]*recordField, func() error) {
			s.form = newFilingForm(*f)
			ff := s.form
			return ff.fields(), func() error { return ff.read(f) }
		},
		show: func(f *evidence.Filing, o fyne.CanvasObject) { s.showRow(f, o) },
	})
	s.replyBtn = widget.NewButtonWithIcon(lang.L("Record a reply"), theme.MailReplyIcon(), func() { s.recordReply(s.selected) })
	s.replyBtn.Disable()
	onSel, onUnsel := s.list.OnSelected, s.list.OnUnselected
	s.list.OnSelected = func(id widget.ListItemID) { onSel(id); s.replyBtn.Enable() }
	s.list.OnUnselected = func(id widget.ListItemID) { onUnsel(id); s.replyBtn.Disable() }
	hint := widget.NewLabel(lang.L("Record every complaint you send or lodge: DisputeKit works out when the answer is due and what you can do when it does not come."))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	s.content = container.NewBorder(container.NewVBox(container.NewHBox(s.addBtn, s.editBtn, s.delBtn, s.replyBtn), hint), nil, nil, nil, s.list)
	s.setData(v.d.Filings)
	return s
}

// setData shows fs; Record reply waits for a selection again.
func (s *filingSection) setData(fs []evidence.Filing) {
	s.recordList.setData(fs)
	if s.replyBtn != nil {
		s.replyBtn.Disable()
	}
}

func (s *filingSection) showRow(f *evidence.Filing, o fyne.CanvasObject) {
	now := s.v.u.svc.now()
	box := o.(*fyne.Container)
	top := box.Objects[0].(*fyne.Container)
	head, due := top.Objects[0].(*widget.Label), top.Objects[1].(*widget.Label)
	head.SetText(strings.Join(nonEmpty(formatDay(f.Sent), filingPartyLabel(*f), filingChannelLabel(f.Channel), f.Ticket), " · "))
	st := escalation.StatusAt(*f, now)
	due.Importance = widget.MediumImportance
	due.TextStyle = fyne.TextStyle{}
	switch {
	case escalation.Open(*f):
		due.Importance = dueImportance(f.Due, now)
		due.TextStyle = fyne.TextStyle{Bold: due.Importance != widget.MediumImportance}
		due.SetText(filingStatusLabel(st) + " — " + lang.L("reply due {{.Date}}", map[string]any{"Date": formatDay(f.Due)}))
	default:
		due.SetText(filingStatusLabel(st))
	}
	body := f.Asked
	if n := len(f.Replies); n > 0 {
		r := f.Replies[n-1]
		body = lang.L("Reply of {{.Date}}: {{.Text}}", map[string]any{"Date": formatDay(r.Time), "Text": r.Content})
	}
	box.Objects[1].(*widget.Label).SetText(strings.ReplaceAll(body, "\n", " "))
	top.Refresh() // lay the row out again: the status on the right changed width
}

// kind is how filings are added, changed and deleted: through the use
// cases, which count the due date.
func (s *filingSection) kind() *recordKind[evidence.Filing] {
	cw := s.v.u.svc.Cases
	return &recordKind[evidence.Filing]{
		name: "filing", addTitle: lang.L("Add a complaint"), editTitle: lang.L("Edit complaint"), saved: lang.L("Complaint saved."),
		id:    func(f *evidence.Filing) int64 { return f.ID },
		setID: func(f *evidence.Filing, id int64) { f.ID = id },
		add: func(ctx context.Context, f *evidence.Filing) error {
			_, err := cw.AddFiling(ctx, f)
			return err
		},
		update: cw.UpdateFiling,
		remove: func(ctx context.Context, f *evidence.Filing) error { return cw.DeleteFiling(ctx, f.CaseID, f.ID) },
		deleteName: func(f *evidence.Filing) string {
			return lang.L("complaint to {{.Party}}", map[string]any{"Party": filingPartyLabel(*f)})
		},
	}
}

// filingPartyLabel names the body a filing went to: as typed, else the
// kind of recipient in the UI's language.
func filingPartyLabel(f evidence.Filing) string {
	if f.Party != "" {
		return f.Party
	}
	return filingRecipientLabel(f.Recipient)
}

// filingRecipientLabel names a kind of filing recipient, with its hotline.
func filingRecipientLabel(id string) string {
	r, ok := escalation.RecipientFor(id)
	if !ok {
		return id
	}
	name := check.Text{ZH: r.ZH, EN: upperFirst(r.EN)}.In(uiLang())
	if r.Hotline != "" {
		name += " (" + r.Hotline + ")"
	}
	return name
}

func filingChannelLabel(c evidence.FilingChannel) string {
	switch c {
	case evidence.FilingLetter:
		return lang.L("Letter")
	case evidence.FilingPlatform:
		return lang.L("Complaint platform")
	case evidence.FilingHotline:
		return lang.L("Hotline")
	case evidence.FilingInPerson:
		return lang.L("In person")
	case evidence.FilingOnline:
		return lang.L("Online")
	}
	return string(c)
}

func filingStatusLabel(s evidence.FilingStatus) string {
	switch s {
	case evidence.FilingSent:
		return lang.L("Waiting for a reply")
	case evidence.FilingAccepted:
		return lang.L("Accepted")
	case evidence.FilingReplied:
		return lang.L("Replied")
	case evidence.FilingRefused:
		return lang.L("Refused")
	case evidence.FilingResolved:
		return lang.L("Resolved")
	case evidence.FilingLapsed:
		return lang.L("No reply in time")
	}
	return string(s)
}

func recipientIDs() []string {
	var ids []string
	for _, r := range escalation.Recipients() {
		ids = append(ids, r.ID)
	}
	return ids
}

type filingForm struct {
	recipient, channel, status    *widget.Select
	recipients                    choice[string]
	channels                      choice[evidence.FilingChannel]
	statuses                      choice[evidence.FilingStatus]
	party, sent, received, ticket *formEntry
	due, asked, note              *formEntry
	dueWas                        string // the due date shown at first: unchanged, it is the rule's
}

func newFilingForm(f evidence.Filing) *filingForm {
	ff := &filingForm{party: newFormEntry(), sent: newFormEntry(), received: newFormEntry(), ticket: newFormEntry(),
		due: newFormEntry(), asked: newFormMultiLineEntry(), note: newFormMultiLineEntry()}
	ff.recipients = newChoice(recipientIDs(), filingRecipientLabel)
	ff.recipient = newSelect(ff.recipients.labels, nil)
	if f.Recipient != "" {
		ff.recipient.SetSelected(ff.recipients.label(f.Recipient))
	}
	ff.channels = newChoice(evidence.FilingChannels, filingChannelLabel)
	ff.channel = newSelect(ff.channels.labels, nil)
	ff.channel.SetSelected(ff.channels.label(f.Channel))
	ff.statuses = newChoice(evidence.FilingStatuses, filingStatusLabel)
	ff.status = newSelect(ff.statuses.labels, nil)
	ff.status.SetSelected(ff.statuses.label(f.Status))
	ff.party.SetText(f.Party)
	ff.sent.SetText(formatMinute(f.Sent))
	ff.received.SetText(formatDay(f.Received))
	ff.ticket.SetText(f.Ticket)
	ff.dueWas = formatDay(f.Due)
	ff.due.SetText(ff.dueWas)
	ff.asked.Wrapping, ff.note.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	ff.asked.SetMinRowsVisible(2)
	ff.asked.SetText(f.Asked)
	ff.note.SetText(f.Note)
	return ff
}

func (f *filingForm) fields() []*recordField {
	return []*recordField{
		newField("recipient", lang.L("Complained to"), true, f.recipient, lang.L("Its rule sets when the answer is due.")),
		newField("party", lang.L("Name of the body"), false, f.party, lang.L("e.g. 招商银行信用卡中心, 浦东新区市场监督管理局")),
		newField("channel", lang.L("How"), true, f.channel, ""),
		newField("sent", lang.L("Sent or lodged"), true, f.sent, lang.L("e.g. 2026-05-01 14:30")),
		newField("received", lang.L("Received by them"), false, f.received, lang.L("optional: a letter's delivery date; deadlines run from receipt")),
		newField("ticket", lang.L("Ticket or complaint number"), false, f.ticket, ""),
		newField("asked", lang.L("What you asked for"), false, f.asked, ""),
		newField("due", lang.L("Reply due"), false, f.due, lang.L("leave empty to count it from the rule (working days and public holidays included)")),
		newField("status", lang.L("Status"), true, f.status, ""),
		newField("note", lang.L("Note"), false, f.note, ""),
	}
}

func (f *filingForm) read(fl *evidence.Filing) error {
	id, ok := f.recipients.code(f.recipient.Selected)
	if !ok {
		return fieldRequired("recipient")
	}
	fl.Recipient = id
	if c, ok := f.channels.code(f.channel.Selected); ok {
		fl.Channel = c
	}
	if s, ok := f.statuses.code(f.status.Selected); ok {
		fl.Status = s
	}
	if strings.TrimSpace(f.sent.Text) == "" {
		return fieldRequired("sent")
	}
	t, err := evidence.ParseLocalTime(f.sent.Text, evidence.Shanghai)
	if err != nil {
		return fieldFormat("sent")
	}
	fl.Sent = t
	fl.Received = time.Time{}
	if s := strings.TrimSpace(f.received.Text); s != "" {
		if fl.Received, err = evidence.ParseLocalTime(s, evidence.Shanghai); err != nil {
			return fieldFormat("received")
		}
	}
	switch due := strings.TrimSpace(f.due.Text); {
	case due == "":
		fl.Due, fl.DueBasis = time.Time{}, ""
	case due != f.dueWas || fl.DueBasis == "user":
		d, err := evidence.ParseLocalTime(due, evidence.Shanghai)
		if err != nil {
			return fieldFormat("due")
		}
		y, m, dd := d.In(evidence.Shanghai).Date()
		fl.Due, fl.DueBasis = time.Date(y, m, dd, 23, 59, 59, 0, evidence.Shanghai), "user"
	default:
		fl.DueBasis = "" // the rule's date, counted again from the dates above
	}
	fl.Party, fl.Ticket, fl.Asked, fl.Note = f.party.Text, f.ticket.Text, f.asked.Text, f.note.Text
	return nil
}

// replyForm records an answer: when, what it made of the complaint, what
// it said, and the exhibits that hold it.
type replyForm struct {
	when, content *formEntry
	status        *widget.Select
	statuses      choice[evidence.FilingStatus]
	exhibits      *widget.CheckGroup
	exhibitIDs    map[string]int64
}

func newReplyForm(v *caseView, now time.Time) *replyForm {
	f := &replyForm{when: newFormEntry(), content: newFormMultiLineEntry(), exhibitIDs: map[string]int64{}}
	f.when.SetText(formatMinute(now))
	f.content.Wrapping = fyne.TextWrapWord
	f.content.SetMinRowsVisible(3)
	f.statuses = newChoice([]evidence.FilingStatus{evidence.FilingAccepted, evidence.FilingReplied, evidence.FilingRefused, evidence.FilingResolved}, filingStatusLabel)
	f.status = newSelect(f.statuses.labels, nil)
	f.status.SetSelected(f.statuses.label(evidence.FilingReplied))
	var names []string
	for _, e := range v.d.Exhibits {
		name := fmt.Sprintf("%d. %s", e.Seq, e.Title)
		f.exhibitIDs[name] = e.ID
		names = append(names, name)
	}
	f.exhibits = widget.NewCheckGroup(names, nil)
	return f
}

func (f *replyForm) fields() []*recordField {
	return []*recordField{
		newField("time", lang.L("When it came"), true, f.when, lang.L("e.g. 2026-05-01 14:30")),
		newField("status", lang.L("What it did"), true, f.status, lang.L("Accepted starts the next period where the rule has one (e.g. 12315 mediation).")),
		newField("content", lang.L("What it said"), false, f.content, ""),
		newField("exhibits", lang.L("Evidence holding the reply"), false, f.exhibits, lang.L("Add the letter, screenshot or recording under Evidence first.")),
	}
}

func (f *replyForm) read(r *evidence.FilingReply) error {
	if strings.TrimSpace(f.when.Text) == "" {
		return fieldRequired("time")
	}
	t, err := evidence.ParseLocalTime(f.when.Text, evidence.Shanghai)
	if err != nil {
		return fieldFormat("time")
	}
	r.Time, r.Content, r.ExhibitIDs = t, f.content.Text, nil
	if s, ok := f.statuses.code(f.status.Selected); ok {
		r.Status = s
	}
	for _, name := range f.exhibits.Selected {
		r.ExhibitIDs = append(r.ExhibitIDs, f.exhibitIDs[name])
	}
	return nil
}

// recordReply opens the reply dialog for filing i.
func (s *filingSection) recordReply(i int) {
	if i < 0 || i >= len(s.all) {
		return
	}
	f := s.all[i]
	v := s.v
	s.reply = newReplyForm(v, v.u.svc.now())
	rf := s.reply
	var r evidence.FilingReply
	v.showRecordForm(&recordDialog{
		title:  lang.L("Reply from {{.Party}}", map[string]any{"Party": filingPartyLabel(f)}),
		draft:  fmt.Sprintf("filing-reply/%d", f.ID),
		fields: rf.fields(),
		read:   func() error { return rf.read(&r) },
		save: func(ctx context.Context) error {
			_, err := v.u.svc.Cases.RecordReply(ctx, f.CaseID, f.ID, &r)
			return err
		},
		saved: lang.L("Reply recorded."),
		again: func() { s.recordReply(i) },
	})
}

// filingLines are the overview's due and overdue lines of the filings,
// with the rung each outcome opens, in the UI's language.
func filingLines(d evidence.Dossier, now time.Time) []escalation.Line {
	return escalation.Lines(d, now)
}

// upperFirst capitalises a name that starts a label ("the bank" → "The bank").
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// addPrefilled opens the add dialog with f filled in (a letter just sent).
func (s *filingSection) addPrefilled(f evidence.Filing) {
	blank := s.blank
	s.blank = func() evidence.Filing { return f }
	s.edit(-1)
	s.blank = blank
}
