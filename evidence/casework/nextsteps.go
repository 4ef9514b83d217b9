package casework

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/templates"
)

// ladderJSON is the escalation ladder as data: who to turn to, in order,
// and the words in a timeline event or call that show it was done. The
// hotlines in it are facts that change; they are edited there, not in code.
//
//go:embed ladder.json
var ladderJSON []byte

// rung is one step of the ladder.
type rung struct {
	ID   string     `json:"id"`
	Text check.Text `json:"text"`
	// Contacted lists words (lower case) in an event's party or note, or a
	// call's organisation or summary, that show this rung was taken.
	Contacted []string `json:"contacted"`
	// Respondent and Institution add the case's own names to Contacted.
	Respondent  bool `json:"respondent"`
	Institution bool `json:"institution"`
	// Filings lists the filing recipients (escalation's ids) whose filing
	// takes this rung.
	Filings []string `json:"filings"`
	// Recipients are the letter recipients the rung stands for. When Text
	// holds a %s, it is filled with the names of those the plan allows.
	Recipients []templates.Recipient `json:"recipients"`
}

var ladder, recipientNames = mustLadder(ladderJSON)

func mustLadder(b []byte) ([]rung, map[templates.Recipient]check.Text) {
	var l struct {
		Rungs []rung                             `json:"rungs"`
		Names map[templates.Recipient]check.Text `json:"names"`
	}
	if err := json.Unmarshal(b, &l); err != nil {
		panic(fmt.Sprintf("casework: ladder.json: %v", err))
	}
	return l.Rungs, l.Names
}

// allowed is what of rs the letter plan suggests for this case: the
// recipients whose letter fits it; only when none does, those it writes
// with a warning (a judgement call); never those it refuses.
func allowed(d evidence.Dossier, rs []templates.Recipient) []templates.Recipient {
	var fits, judged []templates.Recipient
	for _, r := range rs {
		p, err := templates.PlanFor(d, r)
		switch {
		case err != nil || p.Verdict == templates.VerdictOK:
			fits = append(fits, r)
		case p.Verdict == templates.VerdictWarn:
			judged = append(judged, r)
		}
	}
	if len(fits) > 0 {
		return fits
	}
	return judged
}

// StepState says where a step stands.
type StepState int

const (
	Open    StepState = iota // not done yet, and not the next one
	Next                     // the first step not done: what to do now
	Done                     // the case's records show it was done
	Due                      // a deadline still ahead
	Overdue                  // a deadline passed
)

// Step is one line of "what to do next": a rung of the ladder or an open
// deadline from the timeline.
type Step struct {
	ID    string // the rung's id; "due" for a deadline
	Text  check.Text
	State StepState
	Due   time.Time // deadlines only
}

// NextSteps places the case on the escalation ladder from its timeline and
// calls (merchant → bank or payment company → consumer association or
// regulator), keeping only the rungs and recipients the letter plan allows
// for the case (a shop owner's settlement case has no consumer-association
// rung), and lists the deadlines of its events, soonest first.
func NextSteps(d evidence.Dossier, now time.Time) []Step {
	var out []Step
	next := true
	n := 0
	for _, r := range ladder {
		ok := allowed(d, r.Recipients)
		if len(r.Recipients) > 0 && len(ok) == 0 {
			continue // the plan refuses every letter of this rung for this case
		}
		text := r.Text
		if strings.Contains(text.ZH, "%s") {
			var zh, en []string
			for _, rec := range ok {
				zh, en = append(zh, recipientNames[rec].ZH), append(en, recipientNames[rec].EN)
			}
			text = check.Text{ZH: fmt.Sprintf(text.ZH, strings.Join(zh, "、")), EN: fmt.Sprintf(text.EN, strings.Join(en, ", or "))}
		}
		n++
		words := r.Contacted
		if r.Respondent && d.Case.Respondent.Name != "" {
			words = append(words[:len(words):len(words)], strings.ToLower(d.Case.Respondent.Name))
		}
		if r.Institution && d.Case.Institution.Name != "" {
			words = append(words[:len(words):len(words)], strings.ToLower(d.Case.Institution.Name))
		}
		s := Step{ID: r.ID, State: Open, Text: check.Text{
			ZH: fmt.Sprintf("%d、%s", n, text.ZH), // no space for a line to break at after the number
			EN: fmt.Sprintf("%d. %s", n, text.EN),
		}}
		switch {
		case contacted(d, words) || filed(d, r.Filings):
			s.State = Done
		case next:
			s.State, next = Next, false
		}
		out = append(out, s)
	}
	var due []evidence.Event
	for _, e := range d.Events {
		if !e.Due.IsZero() {
			due = append(due, e)
		}
	}
	sort.SliceStable(due, func(i, j int) bool { return due[i].Due.Before(due[j].Due) })
	for _, e := range due {
		s := Step{ID: "due", State: Due, Due: e.Due}
		if e.Due.Before(now) {
			s.State = Overdue
		}
		day := e.Due.In(evidence.Shanghai).Format("2006-01-02")
		s.Text = check.Text{ZH: day + " 到期：" + orText(e.Note, eventKindZH[e.Kind]), EN: "Due " + day + ": " + orText(e.Note, string(e.Kind))}
		out = append(out, s)
	}
	return out
}

// eventKindZH names the event kinds in Chinese, for a deadline without a note.
var eventKindZH = map[evidence.EventKind]string{
	evidence.EventDiscovered: "发现问题",
	evidence.EventContacted:  "联系对方",
	evidence.EventReply:      "收到答复",
	evidence.EventDeadline:   "期限",
	evidence.EventEscalated:  "升级投诉",
	evidence.EventComplaint:  "正式投诉",
	evidence.EventOther:      "其他",
}

func orText(s, fallback string) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	return fallback
}

// contacted says whether an event or call of the case shows one of words.
func contacted(d evidence.Dossier, words []string) bool {
	match := func(s string) bool {
		s = strings.ToLower(s)
		for _, w := range words {
			if w != "" && strings.Contains(s, w) {
				return true
			}
		}
		return false
	}
	for _, e := range d.Events {
		if (e.Kind == evidence.EventContacted || e.Kind == evidence.EventComplaint || e.Kind == evidence.EventEscalated) && match(e.Party+" "+e.Note) {
			return true
		}
	}
	for _, c := range d.Calls {
		if match(c.Organisation + " " + c.Summary) {
			return true
		}
	}
	return false
}

// filed says whether the case has a filing to one of recipients.
func filed(d evidence.Dossier, recipients []string) bool {
	for _, f := range d.Filings {
		for _, r := range recipients {
			if f.Recipient == r {
				return true
			}
		}
	}
	return false
}
