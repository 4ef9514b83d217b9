package escalation

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/check"
)

// Line is one line of "what is due, and what next" for a filing.
type Line struct {
	FilingID  int64
	Party     check.Text // who: the body's name, else the kind of recipient
	Recipient string
	Status    evidence.FilingStatus // as of now (lapsed computed)
	Due       time.Time             // zero when nothing dated is awaited
	// Days is the calendar days from now's day to the due day: negative
	// when overdue.
	Days int
	// Next are the recipients this filing's outcome opens the way to
	// (lapsed, refused, or answered without a resolution), minus those
	// already complained to.
	Next []string
	Text check.Text
}

// Overdue reports whether the line's due date has passed.
func (l Line) Overdue() bool { return l.Status == evidence.FilingLapsed }

// Lines are the case's filings that still matter — waiting with a date,
// overdue, or ended in a way that opens the next rung — soonest due
// first; resolved filings and those whose next rungs are all taken are
// left out.
func Lines(d evidence.Dossier, now time.Time) []Line {
	taken := map[string]bool{}
	for _, f := range d.Filings {
		taken[f.Recipient] = true
	}
	sd := side(d.Case)
	var out []Line
	for _, f := range d.Filings {
		rec, _ := RecipientFor(f.Recipient)
		l := Line{FilingID: f.ID, Recipient: f.Recipient, Status: StatusAt(f, now), Party: partyName(f, rec)}
		if Open(f) {
			l.Due = f.Due
			l.Days = evidence.DaysBetween(now, f.Due)
		}
		switch l.Status {
		case evidence.FilingLapsed, evidence.FilingRefused, evidence.FilingReplied:
			for _, n := range rec.Next[sd] {
				if !taken[n] {
					l.Next = append(l.Next, n)
				}
			}
			if len(l.Next) == 0 && l.Status != evidence.FilingLapsed {
				continue // answered, and every way on is taken already
			}
		case evidence.FilingResolved:
			continue
		default:
			if l.Due.IsZero() {
				continue // waiting without a date: nothing to say
			}
		}
		l.Text = lineText(l, f, now)
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Due.IsZero() != b.Due.IsZero() {
			return !a.Due.IsZero()
		}
		return a.Due.Before(b.Due)
	})
	return out
}

// NextRung is the first rung of the case's ladder (merchant → bank or
// payment company → consumer bodies or regulator → court; a merchant's:
// acquirer → its regulator → court) above the highest one a filing has
// taken, and not taken itself; "" when none is left. Rungs below one already
// climbed are not offered again (a case that went to the bank is not sent
// back to the merchant). A rung after one still waiting within its period is
// not offered: the ladder is climbed one answer at a time.
func NextRung(d evidence.Dossier, now time.Time) string {
	taken := map[string]bool{}
	waiting := false
	for _, f := range d.Filings {
		taken[f.Recipient] = true
		if Open(f) && !Lapsed(f, now) {
			waiting = true
		}
	}
	if waiting {
		return ""
	}
	ladder := rules.Ladder[side(d.Case)]
	from := 0
	for i, id := range ladder {
		if taken[id] {
			from = i + 1
		}
	}
	for _, id := range ladder[from:] {
		if !taken[id] {
			return id
		}
	}
	return ""
}

func partyName(f evidence.Filing, rec Recipient) check.Text {
	if f.Party != "" {
		return check.Text{ZH: f.Party, EN: f.Party}
	}
	if rec.ID == "" {
		return check.Text{ZH: f.Recipient, EN: f.Recipient}
	}
	return check.Text{ZH: rec.ZH, EN: rec.EN}
}

// RungText names recipient id as the user turns to it: the hotline where
// there is one ("12378"), else the body.
func RungText(id string) check.Text {
	r, ok := RecipientFor(id)
	if !ok {
		return check.Text{ZH: id, EN: id}
	}
	if id == "court" {
		return check.Text{ZH: "可向人民法院起诉", EN: "you may sue in court"}
	}
	if r.Hotline != "" {
		return check.Text{ZH: "可向 " + r.Hotline + "（" + r.ZH + "）投诉", EN: "you may complain to " + r.Hotline + " (" + r.EN + ")"}
	}
	return check.Text{ZH: "可向" + r.ZH + "投诉", EN: "you may complain to " + r.EN}
}

// DateText writes t's day as a date in a sentence: 12月3日 / 3 December,
// with the year when it is not now's year.
func DateText(t, now time.Time) check.Text {
	t = t.In(evidence.Shanghai)
	if t.Year() == now.In(evidence.Shanghai).Year() {
		return check.Text{ZH: fmt.Sprintf("%d月%d日", t.Month(), t.Day()), EN: t.Format("2 January")}
	}
	return check.Text{ZH: fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()), EN: t.Format("2 January 2006")}
}

func lineText(l Line, f evidence.Filing, now time.Time) check.Text {
	var zh, en strings.Builder
	zh.WriteString(l.Party.ZH)
	en.WriteString(l.Party.EN)
	if f.Ticket != "" {
		zh.WriteString("（" + f.Ticket + "）")
		en.WriteString(" (" + f.Ticket + ")")
	}
	due := DateText(l.Due, now)
	awaited := check.Text{ZH: "答复", EN: "reply"}
	if f.Status == evidence.FilingAccepted {
		awaited = check.Text{ZH: "处理结果", EN: "give its outcome"}
	}
	switch {
	case l.Status == evidence.FilingLapsed:
		fmt.Fprintf(&zh, " 应于%s前%s：已逾期 %d 天", due.ZH, awaited.ZH, -l.Days)
		fmt.Fprintf(&en, " was due to %s by %s: %s overdue", awaited.EN, due.EN, plural(-l.Days, "day"))
	case !l.Due.IsZero() && l.Days == 0:
		fmt.Fprintf(&zh, " 应于%s前%s：今天到期", due.ZH, awaited.ZH)
		fmt.Fprintf(&en, " is due to %s by %s: today", awaited.EN, due.EN)
	case !l.Due.IsZero():
		fmt.Fprintf(&zh, " 应于%s前%s：还有 %d 天", due.ZH, awaited.ZH, l.Days)
		fmt.Fprintf(&en, " is due to %s by %s: %s left", awaited.EN, due.EN, plural(l.Days, "day"))
	case l.Status == evidence.FilingRefused:
		zh.WriteString(" 已拒绝或不予受理")
		en.WriteString(" refused or did not accept it")
	case l.Status == evidence.FilingReplied:
		zh.WriteString(" 已答复，问题未解决")
		en.WriteString(" replied without resolving it")
	}
	if len(l.Next) > 0 {
		var zs, es []string
		for _, n := range l.Next {
			t := RungText(n)
			zs = append(zs, t.ZH)
			es = append(es, t.EN)
		}
		zh.WriteString(" → " + strings.Join(zs, "；"))
		en.WriteString(" → " + strings.Join(es, "; "))
	}
	return check.Text{ZH: zh.String(), EN: upperFirst(en.String())}
}

// upperFirst capitalises a line that starts with a lower-case name ("the bank …").
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// NextDue is the earliest due date among the case's filings still waiting
// (overdue ones included), with what it is for; zero when none waits.
func NextDue(d evidence.Dossier, now time.Time) (time.Time, check.Text) {
	var best *evidence.Filing
	for i, f := range d.Filings {
		if Open(f) && (best == nil || f.Due.Before(best.Due)) {
			best = &d.Filings[i]
		}
	}
	if best == nil {
		return time.Time{}, check.Text{}
	}
	rec, _ := RecipientFor(best.Recipient)
	p := partyName(*best, rec)
	if best.Status == evidence.FilingAccepted {
		return best.Due, check.Text{ZH: p.ZH + " 处理结果", EN: p.EN + ": outcome"}
	}
	return best.Due, check.Text{ZH: p.ZH + " 答复", EN: p.EN + ": reply"}
}
