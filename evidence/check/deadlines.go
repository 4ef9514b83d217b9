package check

import (
	"fmt"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// Deadlines reports complaints whose reply is due (opts.ReplyDays after the
// complaint, or the event's own due date) and has not been recorded, and
// deadline events that are near or past.
func Deadlines(d evidence.Dossier, opts Options) []Finding {
	opts = opts.withDefaults()
	var out []Finding
	for _, e := range d.Events {
		switch e.Kind {
		case evidence.EventComplaint:
			if replied(d, e) {
				continue
			}
			due := e.Due
			if due.IsZero() {
				due = e.Time.AddDate(0, 0, opts.ReplyDays)
			}
			party := e.Party
			if party == "" {
				party = "被投诉方"
			}
			f := Finding{Kind: ReplyDue, Due: due, Severity: Info,
				Summary: Text{
					ZH: fmt.Sprintf("%s 向 %s 投诉，答复期限 %s，尚未记录答复", day(e.Time), party, day(due)),
					EN: fmt.Sprintf("Complaint to %s on %s: a reply is due by %s and none is recorded", partyEN(e.Party), day(e.Time), day(due)),
				},
				Request: Text{
					ZH: fmt.Sprintf("在 %s 前书面答复处理结果", day(due)),
					EN: fmt.Sprintf("Reply in writing with the outcome by %s", day(due)),
				},
			}
			switch left := due.Sub(opts.Now); {
			case left < 0:
				f.Severity = Alert
				f.Summary.ZH += fmt.Sprintf("，已逾期 %d 天，可向上一级（如 12363/12378）反映", int(-left.Hours()/24)+1)
				f.Summary.EN += fmt.Sprintf("; %d day(s) overdue: consider escalating (12363/12378)", int(-left.Hours()/24)+1)
			case left < 3*24*time.Hour:
				f.Severity = Warn
			}
			out = append(out, f)
		case evidence.EventDeadline:
			due := e.Due
			if due.IsZero() {
				due = e.Time
			}
			left := due.Sub(opts.Now)
			if left > 7*24*time.Hour {
				continue
			}
			sev := Warn
			if left < 0 {
				sev = Alert
			}
			out = append(out, Finding{Kind: DeadlineDue, Severity: sev, Due: due,
				Summary: Text{
					ZH: fmt.Sprintf("期限 %s：%s", day(due), e.Note),
					EN: fmt.Sprintf("Deadline %s: %s", day(due), e.Note),
				}})
		}
	}
	return out
}

// replied reports whether a reply was recorded after complaint c, from the
// same party when both name one.
func replied(d evidence.Dossier, c evidence.Event) bool {
	for _, e := range d.Events {
		if e.Kind == evidence.EventReply && !e.Time.Before(c.Time) && (e.Party == "" || c.Party == "" || e.Party == c.Party) {
			return true
		}
	}
	return false
}

func partyEN(p string) string {
	if p == "" {
		return "the respondent"
	}
	return p
}
