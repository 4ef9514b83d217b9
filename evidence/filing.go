package evidence

import (
	"strings"
	"time"
)

// FilingChannel is how a complaint was lodged.
type FilingChannel string

// Filing channels.
const (
	FilingLetter   FilingChannel = "letter"    // a letter posted or handed over
	FilingPlatform FilingChannel = "platform"  // a complaint platform (全国12315平台 …)
	FilingHotline  FilingChannel = "hotline"   // a call to a hotline (12378, 12363, 95516 …)
	FilingInPerson FilingChannel = "in-person" // at a counter or office
	FilingOnline   FilingChannel = "online"    // an app, web form or e-mail
)

// FilingChannels lists every channel in the order the UI offers them.
var FilingChannels = []FilingChannel{FilingLetter, FilingPlatform, FilingHotline, FilingInPerson, FilingOnline}

// Valid reports whether c is one of FilingChannels.
func (c FilingChannel) Valid() bool {
	for _, v := range FilingChannels {
		if c == v {
			return true
		}
	}
	return false
}

// FilingStatus is where a complaint stands. Lapsed is never stored: a
// filing is lapsed when its due date has passed while it still waited
// (escalation.StatusAt).
type FilingStatus string

// Filing statuses.
const (
	FilingSent     FilingStatus = "sent"     // lodged, no answer yet
	FilingAccepted FilingStatus = "accepted" // the body accepted (受理) or forwarded (转办) it
	FilingReplied  FilingStatus = "replied"  // an answer came that neither refuses nor settles it
	FilingRefused  FilingStatus = "refused"  // not accepted (不予受理) or the request was refused
	FilingResolved FilingStatus = "resolved" // the complainant got what was asked
	FilingLapsed   FilingStatus = "lapsed"   // computed: due date passed with no answer
)

// FilingStatuses lists the statuses a user may set (Lapsed is computed).
var FilingStatuses = []FilingStatus{FilingSent, FilingAccepted, FilingReplied, FilingRefused, FilingResolved}

// Valid reports whether s is a status a user may set.
func (s FilingStatus) Valid() bool {
	for _, v := range FilingStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// Filing is one complaint lodged with one recipient: a letter sent, a
// complaint on the 12315 platform, a call to a hotline. Its reply due date
// is computed from the recipient's rule when it is recorded (package
// filing) and may be changed by the user.
type Filing struct {
	ID     int64 `json:"id"`
	CaseID int64 `json:"case_id"`
	// Recipient is the kind of recipient whose rule sets the due date:
	// merchant, bank, payment-company, consumer-association,
	// market-regulator (12315), nfra (12378), pboc (12363), unionpay
	// (95516), court or other.
	Recipient string        `json:"recipient"`
	Party     string        `json:"party,omitempty"` // the body's name as the user knows it: 招商银行信用卡中心
	Channel   FilingChannel `json:"channel"`
	Sent      time.Time     `json:"sent"`
	// Received is when the recipient got it (a letter's delivery), when
	// known; deadlines run from receipt, so it is the start where set.
	Received time.Time `json:"received,omitzero"`
	Ticket   string    `json:"ticket,omitempty"` // 工单号 / 投诉编号
	Asked    string    `json:"asked,omitempty"`  // what was asked for
	// Due is the date by which a reply is due; DueBasis says where it
	// comes from (the rule's id, or "user" when typed in).
	Due      time.Time    `json:"due,omitzero"`
	DueBasis string       `json:"due_basis,omitempty"`
	Status   FilingStatus `json:"status"`
	// LetterExhibitID is the stored copy of what was sent, if attached.
	LetterExhibitID int64         `json:"letter_exhibit_id,omitempty"`
	Note            string        `json:"note,omitempty"`
	Replies         []FilingReply `json:"replies,omitempty"`
}

// FilingReply is an answer to a filing: when it came, what it said, and
// the exhibits that hold it (a letter, a screenshot, a call recording).
type FilingReply struct {
	ID       int64     `json:"id"`
	FilingID int64     `json:"filing_id"`
	Time     time.Time `json:"time"`
	Content  string    `json:"content,omitempty"`
	// Status is what the reply made of the filing (accepted, refused …).
	Status     FilingStatus `json:"status"`
	ExhibitIDs []int64      `json:"exhibit_ids,omitempty"`
}

// Start is the day the reply deadline runs from: receipt where known, else sending.
func (f Filing) Start() time.Time {
	if !f.Received.IsZero() {
		return f.Received
	}
	return f.Sent
}

// DaysBetween is the number of calendar days from a's date to b's date in
// Shanghai (negative when b's date is earlier).
func DaysBetween(a, b time.Time) int {
	da := civilDay(a)
	db := civilDay(b)
	return int(db.Sub(da).Hours() / 24)
}

func civilDay(t time.Time) time.Time {
	y, m, d := t.In(Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Normalize checks f and tidies its text. It does not fill the due date
// (package filing does).
func (f *Filing) Normalize() ([]Warning, error) {
	f.Recipient = clean(f.Recipient)
	if f.Recipient == "" {
		return nil, invalid("recipient", ReasonRequired, "a filing needs a recipient")
	}
	if f.Channel == "" {
		f.Channel = FilingLetter
	}
	if !f.Channel.Valid() {
		return nil, invalid("channel", ReasonNotAllowed, "%q is not one of %v", f.Channel, FilingChannels)
	}
	if f.Sent.IsZero() {
		return nil, invalid("sent", ReasonRequired, "a filing needs the date it was sent")
	}
	if !f.Received.IsZero() && DaysBetween(f.Sent, f.Received) < 0 {
		return nil, invalid("received", ReasonBeforeStart, "received before it was sent")
	}
	if !f.Due.IsZero() && DaysBetween(f.Sent, f.Due) < 0 {
		return nil, invalid("due", ReasonBeforeStart, "the reply due date is before the filing was sent")
	}
	if f.Status == "" {
		f.Status = FilingSent
	}
	if !f.Status.Valid() {
		return nil, invalid("status", ReasonNotAllowed, "%q is not one of %v", f.Status, FilingStatuses)
	}
	f.Party = clean(f.Party)
	f.Ticket = strings.TrimSpace(f.Ticket) // an identifier: never masked (it may be a long run of digits)
	f.Asked = clean(f.Asked)
	f.Note = clean(f.Note)
	f.DueBasis = clean(f.DueBasis)
	return nil, nil
}

// Normalize checks a reply and tidies its text.
func (r *FilingReply) Normalize() error {
	if r.Time.IsZero() {
		return invalid("time", ReasonRequired, "a reply needs the date it came")
	}
	if r.Status == "" {
		r.Status = FilingReplied
	}
	if !r.Status.Valid() || r.Status == FilingSent {
		return invalid("status", ReasonNotAllowed, "%q is not what a reply can make of a filing (accepted, replied, refused, resolved)", r.Status)
	}
	r.Content = clean(r.Content)
	return nil
}
