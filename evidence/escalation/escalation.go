// Package escalation owns what happens to a complaint once it is lodged:
// each kind of recipient's reply rule (rules.json: the days, working or
// calendar, and the provision that sets them, or that none was found), the
// reply due date of a filing, its lapse, and the rung of the escalation
// ladder that a lapsed, refused or unsatisfying answer opens
// ("招商银行 应于12月3日前答复：已逾期 2 天 → 可向 12378 投诉").
//
// It is pure: the dossier, a working-day calendar and the time come in,
// dates and lines in both languages go out. The use cases that store
// filings live in casework.
package escalation

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/workday"
)

//go:embed rules.json
var rulesJSON []byte

// Deadline kinds: where a reply period comes from.
const (
	KindLaw      = "law"      // a provision sets it (Basis)
	KindRequest  = "request"  // no legal deadline found: the period our letters ask for
	KindReminder = "reminder" // neither: a date to follow up, suggested by DisputeKit
	KindNone     = "none"     // no date at all
)

// Deadline is a reply period.
type Deadline struct {
	Days    int    `json:"days"`
	Working bool   `json:"working,omitempty"`
	Kind    string `json:"kind"`
	Basis   string `json:"basis,omitempty"` // citation id (templates/data/citations.json)
	BasisZH string `json:"basis_zh,omitempty"`
	BasisEN string `json:"basis_en,omitempty"`
}

// Recipient is a kind of body a complaint goes to, with its reply rule.
type Recipient struct {
	ID            string    `json:"id"`
	ZH            string    `json:"zh"`
	EN            string    `json:"en"`
	Hotline       string    `json:"hotline,omitempty"`
	Deadline      Deadline  `json:"deadline"`
	AfterAccepted *Deadline `json:"after_accepted,omitempty"`
	// Next maps a side ("consumer", "merchant") to the recipients this one
	// opens the way to.
	Next map[string][]string `json:"next"`
}

type rulesData struct {
	Recipients []Recipient         `json:"recipients"`
	Ladder     map[string][]string `json:"ladder"`
}

var rules = mustRules(rulesJSON)

func mustRules(b []byte) rulesData {
	var r rulesData
	if err := json.Unmarshal(b, &r); err != nil {
		panic(fmt.Sprintf("escalation: rules.json: %v", err))
	}
	known := map[string]bool{}
	for _, x := range r.Recipients {
		known[x.ID] = true
	}
	for _, x := range r.Recipients {
		for _, ids := range x.Next {
			for _, id := range ids {
				if !known[id] {
					panic(fmt.Sprintf("escalation: rules.json: %s leads to unknown %s", x.ID, id))
				}
			}
		}
	}
	return r
}

// Recipients lists every kind of recipient, in the order the UI offers them.
func Recipients() []Recipient { return slices.Clone(rules.Recipients) }

// RecipientFor returns the rule of recipient id.
func RecipientFor(id string) (Recipient, bool) {
	for _, r := range rules.Recipients {
		if r.ID == id {
			return r, true
		}
	}
	return Recipient{}, false
}

// side is the ladder a case climbs: a merchant's (acquirer, its
// regulator, court) or a consumer's.
func side(c evidence.Case) string {
	if c.MerchantSide() {
		return "merchant"
	}
	return "consumer"
}

// Due is the reply due date of deadline dl counted from start: the n-th
// working day after start in cal (estimate when cal lacks a year it ran
// through), or n calendar days after; zero for a deadline without days.
func Due(dl Deadline, start time.Time, cal *workday.Calendar) (due time.Time, estimate bool) {
	if dl.Kind == KindNone || dl.Days <= 0 || start.IsZero() {
		return time.Time{}, false
	}
	if dl.Working {
		d, complete := cal.AddWorkingDays(start, dl.Days)
		return d, !complete
	}
	return workday.AddDays(start, dl.Days), false
}

// FillDue sets f's due date from its recipient's rule, counted from
// receipt (or sending) — unless the user gave one (f.DueBasis "user").
// It reports whether the date is only an estimate (a year without holiday
// data on the way).
func FillDue(f *evidence.Filing, cal *workday.Calendar) (estimate bool) {
	if f.DueBasis == "user" && !f.Due.IsZero() {
		return false
	}
	r, ok := RecipientFor(f.Recipient)
	if !ok {
		f.Due, f.DueBasis = time.Time{}, ""
		return false
	}
	f.Due, estimate = Due(r.Deadline, f.Start(), cal)
	f.DueBasis = basisID(r.Deadline, f.Due)
	return estimate
}

func basisID(dl Deadline, due time.Time) string {
	if due.IsZero() {
		return ""
	}
	if dl.Basis != "" {
		return dl.Basis
	}
	return dl.Kind
}

// ApplyReply updates f for a reply r: its status becomes the reply's, and
// what is awaited next gets its due date — after an acceptance, the
// recipient's after-acceptance period counted from the reply's day (12315
// mediation, a transferred complaint's answer); otherwise the old date
// stays on record.
func ApplyReply(f *evidence.Filing, r evidence.FilingReply, cal *workday.Calendar) (estimate bool) {
	f.Status = r.Status
	if r.Status != evidence.FilingAccepted {
		return false
	}
	rec, ok := RecipientFor(f.Recipient)
	if !ok || rec.AfterAccepted == nil {
		f.Due, f.DueBasis = time.Time{}, ""
		return false
	}
	f.Due, estimate = Due(*rec.AfterAccepted, r.Time, cal)
	f.DueBasis = basisID(*rec.AfterAccepted, f.Due)
	return estimate
}

// Open reports whether f still waits for something with a date: sent or
// accepted, and a due date.
func Open(f evidence.Filing) bool {
	return (f.Status == evidence.FilingSent || f.Status == evidence.FilingAccepted) && !f.Due.IsZero()
}

// Lapsed reports whether f's due date passed (before now's day) while it
// still waited: no answer to a sent complaint, or no outcome of an
// accepted one in the period that followed.
func Lapsed(f evidence.Filing, now time.Time) bool {
	return Open(f) && evidence.DaysBetween(f.Due, now) > 0
}

// StatusAt is f's status as the user should see it on now's day: lapsed
// when Lapsed, else the stored one.
func StatusAt(f evidence.Filing, now time.Time) evidence.FilingStatus {
	if Lapsed(f, now) {
		return evidence.FilingLapsed
	}
	return f.Status
}
